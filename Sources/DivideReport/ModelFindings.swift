import DivideAggregate
import DivideClassify
import DivideCore
import DivideStats
import Foundation

/// Colours by sector (Okabe–Ito, readable with colour-vision deficiencies).
public enum SectorColor {
    /// `series`: a `Sector` or `TeamType` raw value, or "all".
    public static func of(_ series: String) -> String {
        if series == "all" { return "#222222" }
        switch TeamType(rawValue: series) {
        case .academicOnly: return of(Sector.academia.rawValue)
        case .industryOnly: return of(Sector.industry.rawValue)
        case .academiaGovernmentNonprofit: return "#56B4E9"
        case .industryGovernmentNonprofit: return "#E69F00"
        case .governmentNonprofit: return of(Sector.government.rawValue)
        default: break
        }
        switch Sector(rawValue: series) {
        case .academia: return "#0072B2"
        case .industry: return "#D55E00"
        case .collaboration: return "#009E73"
        case .other, .government, .nonprofit: return "#CC79A7"
        case .unknown, nil: return "#999999"
        }
    }
}

/// Claim 1 of the study: the compute divide in models: charts, tables and headline numbers.
public struct ModelFindings {
    public let models: [ClassifiedModel]
    public let tables: [String: Table]

    public init(models: [ClassifiedModel], tables: [String: Table]) {
        self.models = models.filter { $0.notable && $0.model.year != nil }
        self.tables = tables
    }

    func table(_ name: String) -> Table { tables[name] ?? Table(name: name, columns: []) }

    /// Training compute against publication date, by sector, with each sector's OLS trend line.
    public func computeScatter() -> Figure {
        let withCompute = models.filter { $0.model.trainingComputeFLOP != nil && $0.model.fractionalYear != nil }
        let minYear = 2000.0, maxYear = ceil((withCompute.compactMap(\.model.fractionalYear).max() ?? 2025) + 0.01)
        let shown = withCompute.filter { $0.model.fractionalYear! >= minYear }
        let flops = shown.compactMap(\.model.trainingComputeFLOP)
        var chart = SVGChart(title: "Training compute of notable models, by developer sector",
                             xLabel: "Publication date (year)", yLabel: "Training compute (FLOP, log scale)",
                             xDomain: minYear...maxYear, yDomain: SVGChart.decadeDomain(flops, otherwise: 1e10...1e27))
        chart.yScale = .log10
        chart.yTickFormat = { NumberFormat.powerOfTen(Int(log10($0).rounded())) }
        for sector in ModelTables.sectorOrder {
            let points = shown.filter { $0.sector == sector }.map { (x: $0.model.fractionalYear!, y: $0.model.trainingComputeFLOP!) }
            if points.isEmpty { continue }
            chart.series.append(ChartSeries(label: "\(sector.rawValue) (\(points.count))", color: SectorColor.of(sector.rawValue), points: points, dots: true))
        }
        // Trend lines from the same regression as compute_trends (2010 on), drawn over its span.
        let eligible = models.filter { ($0.model.trainingComputeFLOP ?? 0) > 0 && ($0.model.publicationDate ?? "") >= ModelTables.trendStart }
        for sector in ModelTables.trendSectors {
            let group = sector == "all" ? eligible : eligible.filter { $0.sector.rawValue == sector }
            let x = group.map { $0.model.fractionalYear! }, y = group.map { log2($0.model.trainingComputeFLOP!) }
            guard let fit = LinearRegression(x: x, y: y), let x0 = x.min(), let x1 = x.max() else { continue }
            let months = 12 / fit.slope
            chart.series.append(ChartSeries(
                label: "trend \(sector): doubles every \(String(format: "%.1f", months)) mo", color: SectorColor.of(sector),
                points: [(x0, pow(2, fit.intercept + fit.slope * x0)), (x1, pow(2, fit.intercept + fit.slope * x1))],
                dashed: sector == "all"))
        }
        return Figure(name: "compute_vs_date", chart: chart,
                      caption: "Each dot is a notable model with known training compute, published 2000 or later (\(shown.count.grouped) models). Lines: OLS fit of log2(FLOP) on date, 2010 on.",
                      table: table("compute_trends"))
    }

    /// Sector shares over time from a shares table, with Wilson 95% bands.
    public func sharesChart(table t: Table, name: String, title: String, definition: String? = nil, fromYear: Int = 2005) -> Figure {
        let yearIndex = t.columns.firstIndex(of: "year"), sectorIndex = t.columns.firstIndex(of: "sector")
        let shareIndex = t.columns.firstIndex(of: "share"), lowIndex = t.columns.firstIndex(of: "ci_low"), highIndex = t.columns.firstIndex(of: "ci_high")
        let definitionIndex = t.columns.firstIndex(of: "definition")
        var rows = t.rows.filter { ($0[yearIndex ?? 0].intValue ?? 0) >= fromYear }
        if let definition, let definitionIndex { rows = rows.filter { $0[definitionIndex].stringValue == definition } }
        let years = rows.compactMap { $0[yearIndex ?? 0].intValue }
        var chart = SVGChart(title: title, xLabel: "Publication year", yLabel: "Share of models (%)",
                             xDomain: Double(years.min() ?? fromYear)...Double(max((years.max() ?? fromYear + 1), (years.min() ?? fromYear) + 1)),
                             yDomain: 0...1)
        chart.yTickFormat = { "\(Int(($0 * 100).rounded()))%" }
        for sector in [Sector.academia, .industry, .collaboration].map(\.rawValue) {
            let mine = rows.filter { $0[sectorIndex ?? 0].stringValue == sector }
            guard let shareIndex, let lowIndex, let highIndex, let yearIndex, !mine.isEmpty else { continue }
            chart.series.append(ChartSeries(
                label: sector, color: SectorColor.of(sector),
                points: mine.map { (x: Double($0[yearIndex].intValue!), y: $0[shareIndex].doubleValue ?? 0) },
                band: mine.map { (x: Double($0[yearIndex].intValue!), low: $0[lowIndex].doubleValue ?? 0, high: $0[highIndex].doubleValue ?? 0) }))
        }
        let caption = "Share of each year's " + (definition.map { "large-scale (\($0)) " } ?? "") +
            "notable models by developer sector, \(fromYear) on; shaded: Wilson 95% interval. Other and unknown sectors are in the table."
        return Figure(name: name, chart: chart, caption: caption, table: t)
    }

    /// Academia's and industry's share in early and recent periods, for the headline.
    public func periodShare(sector: Sector, years: ClosedRange<Int>, largeScale: LargeScaleDefinition? = nil) -> WilsonInterval {
        var group = models.filter { years.contains($0.model.year!) }
        if let largeScale { group = group.filter { $0.isLargeScale(largeScale) } }
        return WilsonInterval(successes: group.filter { $0.sector == sector }.count, trials: group.count)
    }

    public func figures() -> [Figure] {
        [computeScatter(),
         sharesChart(table: table("model_sector_shares"), name: "model_sector_shares", title: "Who develops notable ML models: share by sector"),
         sharesChart(table: table("large_scale_sector_shares"), name: "large_scale_top_quartile", title: "Large-scale models (top quartile of the year's compute): share by sector", definition: "top-quartile"),
         sharesChart(table: table("large_scale_sector_shares"), name: "large_scale_1e23", title: "Large-scale models (≥10²³ FLOP): share by sector", definition: "1e23", fromYear: 2015)]
    }
}
