/// A paper's team type from the sectors of its authors' affiliations.
///
/// Only authors with at least one known sector count ("known affiliations"); authors with no
/// usable affiliation are left out rather than guessed, and the share of authors that are known
/// is reported beside the team type (`affiliation_coverage`). With K the set of known sectors:
/// - `unknown` — K is empty (no author has a usable affiliation);
/// - `collaboration` — K contains academia and industry;
/// - `academic-only` — K = {academia}: every known affiliation is academic;
/// - `industry-only` — K = {industry};
/// - `academia-government-nonprofit` — academia with government and/or nonprofit, no industry;
/// - `industry-government-nonprofit` — industry with government and/or nonprofit, no academia;
/// - `government-nonprofit` — only government and/or nonprofit.
/// The last three were one type, `other`, until issue 16: they answer different questions
/// (public research beside universities, beside companies, or alone).
public enum TeamType: String, CaseIterable, Sendable {
    case academicOnly = "academic-only"
    case industryOnly = "industry-only"
    case collaboration
    case academiaGovernmentNonprofit = "academia-government-nonprofit"
    case industryGovernmentNonprofit = "industry-government-nonprofit"
    case governmentNonprofit = "government-nonprofit"
    case unknown

    /// The three types with government or nonprofit authors and not both academia and industry.
    public static let withGovernmentOrNonprofit: [TeamType] = [.academiaGovernmentNonprofit, .industryGovernmentNonprofit, .governmentNonprofit]

    public init(authorSectors: [[Sector]]) {
        let known = Set(authorSectors.flatMap { $0 }).subtracting([.unknown])
        if known.isEmpty { self = .unknown }
        else if known.contains(.academia) && known.contains(.industry) { self = .collaboration }
        else if known == [.academia] { self = .academicOnly }
        else if known == [.industry] { self = .industryOnly }
        else if known.contains(.academia) { self = .academiaGovernmentNonprofit }
        else if known.contains(.industry) { self = .industryGovernmentNonprofit }
        else { self = .governmentNonprofit }
    }
}
