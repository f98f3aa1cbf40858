@testable import DivideClassify
import DivideCore
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

/// fm_role: title phrases count twice; the higher score wins and ties (nothing found) are `using`.
@Test func fmRoleRulesScoreTitleAndAbstract() throws {
    let rules = try FMRoleClassifier(text: "role\tphrase\tweight\ndeveloping\tpre training\t3\ndeveloping\tscaling law\t4\nusing\tbenchmark\t3\nusing\tprompting\t3\n")
    #expect(rules.classify(title: "Scaling Laws for Contrastive Pre-Training", abstract: "") == .developing)
    #expect(rules.classify(title: "A Benchmark for Theory of Mind in LLMs", abstract: "") == .using)
    // Title (2 × 3 = 6) beats abstract (4).
    #expect(rules.classify(title: "Prompting large models", abstract: "We fit scaling laws.") == .using)
    #expect(rules.classify(title: "Something else", abstract: "") == .using)
    #expect(throws: DivideError.self) { try FMRoleClassifier(text: "role\tphrase\tweight\ntraining\tx\t1\n") }
}

/// The shipped rules on the hand-labeled random sample: at least 80% correct (the report prints
/// the exact figure with its Wilson interval).
@Test func fmRoleRulesOnTheLabeledSample() throws {
    let rules = try FMRoleClassifier(path: ClassifyFixtures.reference + "/fm-role-rules.tsv")
    let score = try ClassificationValidation.scoreFMRoles(path: ClassifyFixtures.fixtures + "/fm-role-labeled.jsonl", with: rules)
    #expect(score.total >= 60)
    #expect(Double(score.correct) / Double(score.total) >= 0.8, "errors: \(score.errors)")
}
