import DivideCore
import DivideStats

extension PaperTables {
    /// The kinds of model a reliance row counts, with the flag that marks a paper as mentioning one.
    static let relianceCategories: [(String, EstimateRecords.RelianceFlags)] = [
        ("industry open-weights", .industryOpen), ("industry closed or API", .industryClosed),
        ("academic or nonprofit", .academicOrNonprofit), ("any model", .any),
    ]

    /// `period,from_year,to_year,team_type,category,papers,mentioning_models,papers_with,share,ci_low,ci_high,share_of_mentioning,mentioning_ci_low,mentioning_ci_high`:
    /// reliance measured against all papers. Per year (and reported period) and team type (fully
    /// resolved papers; `all` = every fully resolved paper): the papers that mention at least one
    /// model of the category, as a share of all the team type's papers (`share`) and of those
    /// that mention any model (`share_of_mentioning`). A mention of a model published after the
    /// paper's year does not count.
    public func modelRelianceAllPapers() -> Table {
        var table = Table(name: "model_reliance_all_papers", columns: [
            "period", "from_year", "to_year", "team_type", "category", "papers", "mentioning_models", "papers_with",
            "share", "ci_low", "ci_high", "share_of_mentioning", "mentioning_ci_low", "mentioning_ci_high"])
        let records = tally.estimates
        let teamTypes = Array(teamTypeOrder.dropLast()) + ["all"]
        // [team type][year] → papers, mentioning, and per category the papers with one.
        var papers: [[Int: Int]] = Array(repeating: [:], count: teamTypes.count)
        var mentioning = papers
        var with: [[[Int: [UInt32]]]] = Array(repeating: Array(repeating: [:], count: PaperTables.relianceCategories.count), count: teamTypes.count)
        for (i, p) in records.papers.enumerated() where p.fullyResolved {
            for t in [Int(p.teamType), teamTypes.count - 1] where t < teamTypes.count {
                papers[t][p.year, default: 0] += 1
                if p.reliance.contains(.any) { mentioning[t][p.year, default: 0] += 1 }
                for (c, (_, flag)) in PaperTables.relianceCategories.enumerated() where p.reliance.contains(flag) {
                    with[t][c][p.year, default: []].append(UInt32(i))
                }
            }
        }
        let years = Set(records.papers.filter(\.fullyResolved).map(\.year)).sorted()
        for span in years.map({ YearSpan($0, $0) }) + periods.reported {
            let inSpan = years.filter(span.contains)
            for (t, teamType) in teamTypes.enumerated() {
                let n = inSpan.reduce(0) { $0 + (papers[t][$1] ?? 0) }
                if n == 0 { continue }
                let m = inSpan.reduce(0) { $0 + (mentioning[t][$1] ?? 0) }
                for (c, (category, _)) in PaperTables.relianceCategories.enumerated() {
                    let members = inSpan.map { with[t][c][$0] ?? [] }
                    let k = members.reduce(0) { $0 + $1.count }
                    table.append(span.columns + [.string(teamType), .string(category), .int(n), .int(m), .int(k)]
                                 + ShareColumns.values(WilsonInterval(successes: k, trials: n), trials: n)
                                 + ShareColumns.values(WilsonInterval(successes: k, trials: m), trials: m),
                                 sortedRecordIDs: ids.sorted(members))
                }
            }
        }
        return table
    }
}
