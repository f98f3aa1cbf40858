import DivideAggregate
import DivideCore
import Foundation

/// The organizations section: who trained the most compute-intensive models, year by year.
struct OrganizationFigures {
    let table: Table

    /// The organizations whose largest notable model used the most training compute, each
    /// drawn as its largest model per year (log scale), 2012 on.
    func topByTrainingCompute(top: Int = 8, fromYear: Int = 2012) -> Figure? {
        guard let oi = table.columns.firstIndex(of: "organization"), let yi = table.columns.firstIndex(of: "year"),
              let fi = table.columns.firstIndex(of: "largest_training_compute_flop") else { return nil }
        let rows = table.rows.filter { ($0[yi].intValue ?? 0) >= fromYear && $0[fi].doubleValue != nil }
        var peak: [String: Double] = [:]
        for r in rows { peak[r[oi].stringValue ?? "", default: 0] = max(peak[r[oi].stringValue ?? ""] ?? 0, r[fi].doubleValue!) }
        let leaders = peak.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(top).map(\.key)
        guard !leaders.isEmpty else { return nil }
        let flops = rows.filter { leaders.contains($0[oi].stringValue ?? "") }.map { $0[fi].doubleValue! }
        let years = rows.compactMap { $0[yi].intValue }
        var chart = SVGChart(title: "Largest training compute per year: the \(leaders.count) organizations with the largest models",
                             xLabel: "Publication year", yLabel: "Training compute (FLOP, log scale)",
                             xDomain: Double(fromYear)...Double(max(years.max() ?? fromYear + 1, fromYear + 1)),
                             yDomain: SVGChart.decadeDomain(flops, otherwise: 1e10...1e27))
        chart.yScale = .log10
        chart.yTickFormat = { NumberFormat.powerOfTen(Int(log10($0).rounded())) }
        for (i, organization) in leaders.enumerated() {
            let points = rows.filter { $0[oi].stringValue == organization }.map { (x: Double($0[yi].intValue!), y: $0[fi].doubleValue!) }
            chart.series.append(ChartSeries(label: organization, color: PaperFindings.palette[i % PaperFindings.palette.count], points: points))
        }
        return Figure(name: "organization_training_compute", chart: chart,
                      caption: "For each of the \(leaders.count) organizations whose largest notable model (2012 on) used the most training compute: the training compute of its largest notable model of each year. A model developed by several organizations counts for each.",
                      table: table)
    }

    var html: String {
        var s = topByTrainingCompute()?.html ?? ""
        s += "<p>Per organization and year: notable models, large-scale models (≥10²³ FLOP; top quartile of the year's compute), the largest training compute and its model, and the organization's sector (from its own entry in Epoch's organization categorization). Full table: <a href=\"tables/organization_models_by_year.csv\">organization_models_by_year.csv</a>; <code>render explain organization_models_by_year &lt;organization&gt; &lt;year&gt; &lt;sector&gt;</code> lists the models.</p>"
        return s
    }
}

/// The paper side: which organizations write the papers of a topic (foundation models first).
struct PaperOrganizationFigures {
    let table: Table

    /// The leading organizations of one topic in one period, as a small table.
    func leaders(topic: String, period: String, top: Int = 10) -> Table? {
        let c = Dictionary(uniqueKeysWithValues: table.columns.enumerated().map { ($1, $0) })
        guard let ti = c["topic"], let pi = c["period"], let ri = c["rank"] else { return nil }
        let keep = ["rank", "organization", "sector", "papers", "share", "ci_low", "ci_high"]
        guard keep.allSatisfy({ c[$0] != nil }) else { return nil }
        var out = Table(name: table.name, columns: keep)
        for row in table.rows where row[ti].stringValue == topic && row[pi].stringValue == period && (row[ri].intValue ?? .max) <= top {
            out.append(keep.map { row[c[$0]!] }, recordIDs: [])
        }
        return out.rows.isEmpty ? nil : out
    }

    /// The table's later period (its rows other than "all": the later shift-share period).
    var recentPeriod: String? {
        guard let pi = table.columns.firstIndex(of: "period") else { return nil }
        return table.rows.lazy.compactMap { $0[pi].stringValue }.first { $0 != "all" }
    }

    var html: String {
        guard let period = recentPeriod, let fm = leaders(topic: "foundation-models", period: period) else { return "" }
        var s = "<h3>Which organizations write the foundation-model papers</h3>"
        s += TableRendering.html(fm, caption: "Foundation-model papers \(period): the organizations with the most papers (share of the topic's papers with a resolved organization, 95% Wilson interval)")
        s += "<p class=\"note\">An organization counts a paper once, however many of its authors it has; a paper with several organizations counts for each, so shares add up to more than 100%. The organization and its sector are the classify stage's (registry, curated aliases, e-mail domains). Every topic and all years: <a href=\"tables/organization_papers_by_topic.csv\">organization_papers_by_topic.csv</a>; <code>render explain organization_papers_by_topic foundation-models \(escapeHTML(period)) &lt;rank&gt;</code> lists the papers.</p>"
        return s
    }
}
