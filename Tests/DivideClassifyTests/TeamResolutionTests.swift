@testable import DivideClassify
import Testing

/// Every author and listed affiliation resolved → full; an unresolved author or affiliation →
/// partial; no sector at all → none; authors covered only by the paper's affiliation list → full
/// when every listed affiliation resolved.
@Test func teamResolutionRules() {
    #expect(TeamResolution(authors: [([true], true), ([true, true], true)], unassigned: [], teamKnown: true) == .full)
    #expect(TeamResolution(authors: [([true], true), ([], false)], unassigned: [], teamKnown: true) == .partial)
    #expect(TeamResolution(authors: [([true, false], true)], unassigned: [], teamKnown: true) == .partial)
    #expect(TeamResolution(authors: [([], false), ([], false)], unassigned: [true, true], teamKnown: true) == .full)
    #expect(TeamResolution(authors: [([], false)], unassigned: [true, false], teamKnown: true) == .partial)
    #expect(TeamResolution(authors: [([false], false)], unassigned: [true], teamKnown: true) == .partial)
    #expect(TeamResolution(authors: [], unassigned: [true], teamKnown: true) == .partial)
    #expect(TeamResolution(authors: [([false], false)], unassigned: [], teamKnown: false) == .none)
}
