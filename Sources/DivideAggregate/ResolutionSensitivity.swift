import DivideCore
import DivideStats

extension PaperTables {
    /// `measure,period,from_year,to_year,scenario,numerator,denominator,share,ci_low,ci_high`: the
    /// key academic-only shares per year and per reported period under four scenarios:
    /// - `fully resolved` (the primary estimate): academic-only / papers whose team is fully resolved;
    /// - `partial included`: academic-only / papers with any known sector (a partially resolved
    ///   team counts by its known authors);
    /// - `bound: unresolved as academic-only`: (fully resolved academic-only + partially resolved
    ///   ones whose known authors are all academic + unknown) / all papers — the most academic the
    ///   unresolved authors could make the share;
    /// - `bound: unresolved as not academic-only`: fully resolved academic-only / all papers.
    /// Partially resolved teams with a known non-academic author are never academic-only.
    public func sensitivity() -> Table {
        var table = Table(name: "sensitivity", columns: ["measure", "period", "from_year", "to_year", "scenario", "numerator", "denominator",
                                                         "share", "ci_low", "ci_high"])
        let records = tally.estimates
        let measures: [(String, EstimateGroup)] = [
            ("academic_only_share_all_papers", .all),
            ("academic_only_share_compute_intensive", .computeIntensive),
            ("academic_only_share_foundation_models", .foundationModels),
        ]
        let years = Set(records.papers.map(\.year)).sorted()
        let spans = years.map { YearSpan($0, $0) } + periods.reported
        for (measure, group) in measures {
            // Papers of the group by year: indices of the four kinds the scenarios count.
            var fullAcademic: [Int: [UInt32]] = [:], partialAcademic: [Int: [UInt32]] = [:], unknown: [Int: [UInt32]] = [:]
            var full: [Int: Int] = [:], known: [Int: Int] = [:], all: [Int: Int] = [:]
            for (i, p) in records.papers.enumerated() where group.contains(p, topics: records.topics) {
                all[p.year, default: 0] += 1
                if p.resolution != .none { known[p.year, default: 0] += 1 }
                if p.fullyResolved { full[p.year, default: 0] += 1 }
                if p.academicOnly {
                    if p.fullyResolved { fullAcademic[p.year, default: []].append(UInt32(i)) }
                    else { partialAcademic[p.year, default: []].append(UInt32(i)) }
                } else if p.resolution == .none {
                    unknown[p.year, default: []].append(UInt32(i))
                }
            }
            for span in spans {
                let inSpan = years.filter(span.contains)
                func lists(_ d: [Int: [UInt32]]) -> [[UInt32]] { inSpan.map { d[$0] ?? [] } }
                func sum(_ d: [Int: Int]) -> Int { inSpan.reduce(0) { $0 + (d[$1] ?? 0) } }
                let total = sum(all)
                if total == 0 { continue }
                let fa = lists(fullAcademic), pa = lists(partialAcademic), un = lists(unknown)
                let count = { (l: [[UInt32]]) in l.reduce(0) { $0 + $1.count } }
                let scenarios: [(String, [[UInt32]], Int)] = [
                    ("fully resolved", fa, sum(full)),
                    ("partial included", fa + pa, sum(known)),
                    ("bound: unresolved as academic-only", fa + pa + un, total),
                    ("bound: unresolved as not academic-only", fa, total),
                ]
                for (scenario, members, denominator) in scenarios {
                    let numerator = count(members)
                    let ci = WilsonInterval(successes: numerator, trials: denominator)
                    table.append([.string(measure)] + span.columns + [.string(scenario), .int(numerator), .int(denominator)]
                                 + ShareColumns.values(ci, trials: denominator), sortedRecordIDs: ids.sorted(members))
                }
            }
        }
        return table
    }
}
