import DivideAggregate
import DivideClassify
import DivideCore
import Foundation

/// Claims 2 and 3 of the study and the paper-level sections: academic-only teams in
/// compute-intensive topics, reliance on industry's open models, collaboration, countries.
public struct PaperFindings {
    public let tables: [String: Table]

    public init(tables: [String: Table]) { self.tables = tables }

    public var hasPapers: Bool { !(tables["team_type_by_year"]?.rows.isEmpty ?? true) }

    func table(_ name: String) -> Table { tables[name] ?? Table(name: name, columns: []) }

    /// Lines of `valueColumn` over `year`, one per value of `seriesColumn`, with Wilson bands
    /// when the table has ci_low/ci_high. `keep` filters rows (e.g. one venue).
    func lineFigure(name: String, table t: Table, title: String, yLabel: String, seriesColumn: String, series: [String],
                    valueColumn: String = "share", fromYear: Int = 2005, keep: ([String: JSONValue]) -> Bool = { _ in true },
                    caption: String, percent: Bool = true) -> Figure {
        let rows = t.rows.indices.map { i in Dictionary(uniqueKeysWithValues: zip(t.columns, t.rows[i])) }
            .filter { ($0["year"]?.intValue ?? 0) >= fromYear && keep($0) }
        let years = rows.compactMap { $0["year"]?.intValue }
        let values = rows.compactMap { $0[valueColumn]?.doubleValue }
        let lo = Double(years.min() ?? fromYear), hi = Double(max(years.max() ?? fromYear + 1, (years.min() ?? fromYear) + 1))
        let yMax = percent ? 1.0 : max(1.5, (values.max() ?? 1) * 1.1)
        var chart = SVGChart(title: title, xLabel: "Year", yLabel: yLabel, xDomain: lo...hi, yDomain: 0...yMax)
        if percent { chart.yTickFormat = { "\(Int(($0 * 100).rounded()))%" } }
        for name in series {
            let mine = rows.filter { $0[seriesColumn]?.stringValue == name && $0[valueColumn]?.doubleValue != nil }
            if mine.isEmpty { continue }
            let band: [(x: Double, low: Double, high: Double)] = mine.compactMap { r in
                guard let l = r["ci_low"]?.doubleValue, let h = r["ci_high"]?.doubleValue else { return nil }
                return (Double(r["year"]!.intValue!), l, h)
            }
            chart.series.append(ChartSeries(label: name, color: SectorColor.of(name),
                                            points: mine.map { (x: Double($0["year"]!.intValue!), y: $0[valueColumn]!.doubleValue!) },
                                            band: band))
        }
        return Figure(name: name, chart: chart, caption: caption, table: t)
    }

    public func teamTypes() -> Figure {
        lineFigure(name: "team_type_by_year", table: table("team_type_by_year"), title: "Who writes ML papers: team type, all venues",
                   yLabel: "Share of papers with known team type (%)", seriesColumn: "team_type",
                   series: ([TeamType.academicOnly, .industryOnly, .collaboration] + TeamType.withGovernmentOrNonprofit).map(\.rawValue), keep: { $0["venue"]?.stringValue == "all" },
                   caption: "Share of each year's papers (all sources, deduplicated) by team type, among papers whose authors' affiliations could be classified; shaded: Wilson 95% interval. Unknown counts are rows of the table.")
    }

    public func computeIntensive() -> Figure {
        var figure = lineFigure(
            name: "academic_share_compute_intensive", table: table("academic_share_compute_intensive"),
            title: "Academic-only teams: compute-intensive topics vs the rest", yLabel: "Academic-only share of papers (%)",
            seriesColumn: "group", series: ["compute-intensive", "other"],
            caption: "Share of papers written by academic-only teams, in compute-intensive topics and in all other topics; shaded: Wilson 95% interval.")
        for i in figure.chart.series.indices {
            figure.chart.series[i].color = figure.chart.series[i].label == "compute-intensive" ? "#D55E00" : "#0072B2"
        }
        return figure
    }

    public func foundationModels() -> Figure {
        lineFigure(name: "foundation_models_team_type", table: table("topic_team_type_by_year"),
                   title: "Foundation models / LLMs: who writes the papers", yLabel: "Share of papers with known team type (%)",
                   seriesColumn: "team_type", series: ["academic-only", "industry-only", "collaboration"], fromYear: 2015,
                   keep: { $0["topic"]?.stringValue == "foundation-models" },
                   caption: "Papers whose primary topic is foundation models / LLMs, by team type; shaded: Wilson 95% interval.")
    }

    public func openModels() -> Figure {
        lineFigure(name: "open_model_reliance", table: table("open_model_reliance_by_year"),
                   title: "Papers building on industry's open models", yLabel: "Share of model-mentioning papers (%)",
                   seriesColumn: "team_type", series: ["academic-only", "industry-only", "collaboration"], fromYear: 2015,
                   caption: "Among papers that mention a pre-trained model, the share mentioning at least one industry-developed model with open weights; shaded: Wilson 95% interval.")
    }

    public func lineage() -> Figure {
        lineFigure(name: "open_base_model_lineage", table: table("open_base_model_lineage"),
                   title: "Models fine-tuned from industry's open base models", yLabel: "Share of models with a base model (%)",
                   seriesColumn: "sector", series: [Sector.academia, .industry, .collaboration].map(\.rawValue), fromYear: 2018,
                   caption: "Epoch models that name a base model, by the developer sector of the derived model: share whose base is an industry model with open weights; shaded: Wilson 95% interval.")
    }

    public func collaboration() -> Figure {
        var figure = lineFigure(name: "collaboration_index", table: table("collaboration_index_by_year"),
                                title: "Academia–industry collaboration vs random mixing", yLabel: "Normalized collaboration index",
                                seriesColumn: "__none", series: [], fromYear: 2005,
                                caption: "Observed share of academia–industry collaborations divided by the share expected if the year's authors were mixed at random (1 = as expected).",
                                percent: false)
        let t = table("collaboration_index_by_year")
        let yi = t.columns.firstIndex(of: "year"), ii = t.columns.firstIndex(of: "index")
        if let yi, let ii {
            let points = t.rows.compactMap { r -> (x: Double, y: Double)? in
                guard let y = r[yi].intValue, y >= 2005, let v = r[ii].doubleValue else { return nil }
                return (Double(y), v)
            }
            figure.chart.series = [ChartSeries(label: "observed / expected", color: "#009E73", points: points)]
            if let firstYear = points.first?.x, let lastYear = points.last?.x {
                figure.chart.series.append(ChartSeries(label: "random mixing (1.0)", color: "#999999", points: [(firstYear, 1), (lastYear, 1)], dashed: true))
            }
        }
        return figure
    }
}
