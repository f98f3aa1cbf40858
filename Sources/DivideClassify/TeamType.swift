/// A paper's team type from the sectors of its authors' affiliations.
///
/// Only authors with at least one known sector count ("known affiliations"); authors with no
/// usable affiliation are left out rather than guessed, and the share of authors that are known
/// is reported beside the team type (`affiliation_coverage`). With K the set of known sectors:
/// - `unknown` — K is empty (no author has a usable affiliation);
/// - `collaboration` — K contains academia and industry;
/// - `academic-only` — K = {academia}: every known affiliation is academic;
/// - `industry-only` — K = {industry};
/// - `other` — anything else: only government and/or nonprofit, or one of academia/industry
///   together with government or nonprofit.
public enum TeamType: String, CaseIterable, Sendable {
    case academicOnly = "academic-only"
    case industryOnly = "industry-only"
    case collaboration
    case other
    case unknown

    public init(authorSectors: [[Sector]]) {
        let known = Set(authorSectors.flatMap { $0 }).subtracting([.unknown])
        if known.isEmpty { self = .unknown }
        else if known.contains(.academia) && known.contains(.industry) { self = .collaboration }
        else if known == [.academia] { self = .academicOnly }
        else if known == [.industry] { self = .industryOnly }
        else { self = .other }
    }
}
