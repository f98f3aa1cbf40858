import DivideAggregate
import DivideClassify
import DivideCore

/// The unknowns behind the headline numbers, for summary.md: how many notable models have no
/// sector and how many papers no known team type, and how each is treated.
struct UnknownsSummary {
    var sentences: [String] = []

    init(models: [ClassifiedModel], tables: [String: Table]) {
        let notable = models.filter { $0.notable && $0.model.year != nil }
        let unknownModels = notable.filter { $0.sector == .unknown }.count
        if !notable.isEmpty {
            sentences.append("Notable models with no organization categorization (sector unknown): \(unknownModels.grouped) of \(notable.count.grouped) (\(NumberFormat.percent(Double(unknownModels) / Double(notable.count)))). They stay in every denominator of the model shares, as their own `unknown` row.")
        }
        if let t = tables["team_type_by_year"], let vi = t.columns.firstIndex(of: "venue"),
           let ti = t.columns.firstIndex(of: "team_type"), let pi = t.columns.firstIndex(of: "papers") {
            var total = 0, unknown = 0
            for r in t.rows where r[vi].stringValue == "all" {
                let n = r[pi].intValue ?? 0
                total += n
                if r[ti].stringValue == "unknown" { unknown += n }
            }
            if total > 0 {
                sentences.append("Papers whose team type is unknown (no author affiliation could be classified): \(unknown.grouped) of \(total.grouped) (\(NumberFormat.percent(Double(unknown) / Double(total)))). Team-type shares are of the papers with a known team type; tables/sensitivity.csv recomputes the academic-only shares with the unknowns counted as academic-only and as not, and tables/team_type_by_year.csv has their counts per venue and year.")
            }
        }
    }

    var markdown: String {
        sentences.isEmpty ? "" : "\n## Unknowns\n\n" + sentences.map { "- \($0)\n" }.joined()
    }
}
