/// How completely a paper's team was resolved to sectors (`team_resolution`).
///
/// - `full` — the paper lists authors, and every affiliation string it gives (each author's and
///   the paper-level unassigned ones) matched an organization or keyword rule, and every author
///   has a known sector — or, where the source lists affiliations only per paper (the unique
///   affiliations of a conference list), every author without an affiliation of their own is
///   covered by those paper-level affiliations, all of which resolved;
/// - `none` — no sector is known (team type `unknown`);
/// - `partial` — anything else: some author or some listed affiliation is unresolved, so the team
///   type rests on the known part only (an unrecognised company author leaves a paper
///   "academic-only").
public enum TeamResolution: String, CaseIterable, Sendable {
    case full, partial, none

    /// `authors`: each author's affiliation strings (non-blank) with whether each matched, and
    /// whether the author has a sector (from an affiliation or a domain); `unassigned`: the same
    /// for the paper-level affiliations.
    public init(authors: [(affiliationsMatched: [Bool], hasSector: Bool)], unassigned: [Bool], teamKnown: Bool) {
        guard teamKnown else { self = .none; return }
        guard !authors.isEmpty, unassigned.allSatisfy({ $0 }) else { self = .partial; return }
        let coveredByPaper = !unassigned.isEmpty
        for author in authors {
            if !author.affiliationsMatched.allSatisfy({ $0 }) { self = .partial; return }
            // An author with nothing of their own is covered only by a paper-level list.
            if !author.hasSector && !(author.affiliationsMatched.isEmpty && coveredByPaper) { self = .partial; return }
        }
        self = .full
    }
}
