import DivideAggregate
import DivideCore

/// Charts for the countries and sensitivity sections (their tables are one click away).
extension PaperFindings {
    /// Distinct colours for series that are not sectors (Okabe–Ito, then greys).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"]

    /// Industry's share of authorships over time in the countries with the most authorships.
    public func countries(top: Int = 6) -> Figure? {
        let t = table("country_by_year")
        guard let ci = t.columns.firstIndex(of: "country"), let ai = t.columns.firstIndex(of: "authorships"), !t.rows.isEmpty else { return nil }
        var totals: [String: Int] = [:]
        for r in t.rows { totals[r[ci].stringValue ?? "", default: 0] += r[ai].intValue ?? 0 }
        let leaders = totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(top).map(\.key)
        var figure = lineFigure(
            name: "country_industry_share", table: t, title: "Industry's share of ML authorships, by country",
            yLabel: "Industry share of authorships (%)", seriesColumn: "country", series: leaders, fromYear: 2010,
            keep: { $0["sector"]?.stringValue == "industry" },
            caption: "Share of each country-year's authorships (with a known sector) held by industry affiliations, for the \(leaders.count) countries with the most authorships, 2010 on; shaded: Wilson 95% interval. Countries as the sources give them (conference lists with countries, OpenAlex).")
        recolor(&figure)
        return figure
    }

    /// The academic-only share of all papers under the three treatments of unknown team types.
    public func sensitivityFigure() -> Figure? {
        let t = table("sensitivity")
        guard !t.rows.isEmpty else { return nil }
        var figure = lineFigure(
            name: "sensitivity_unknowns", table: t, title: "Academic-only share of papers: three ways to count unknowns",
            yLabel: "Academic-only share of papers (%)", seriesColumn: "scenario",
            series: ["unknown excluded", "unknown as academic", "unknown as industry"], fromYear: 2005,
            keep: { $0["measure"]?.stringValue == "academic_only_share_all_papers" },
            caption: "Unknown team types left out (the reported figure), counted as academic-only, and counted as not academic-only; where the three lines share a trend, unknowns cannot explain it. Shaded: Wilson 95% interval.")
        recolor(&figure)
        return figure
    }

    private func recolor(_ figure: inout Figure) {
        for i in figure.chart.series.indices { figure.chart.series[i].color = PaperFindings.palette[i % PaperFindings.palette.count] }
    }
}
