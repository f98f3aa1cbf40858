import DivideAggregate
import DivideCore
@testable import DivideReport
import Foundation
import Testing

/// What a reader of the report relies on: one number format per kind, year axes ticked on whole
/// years, and charts that stay readable on a phone.
struct ReportFormatTests {
    @Test func sharesShowOneDecimalEverywhere() {
        #expect(NumberFormat.percent(0.64) == "64.0%")
        #expect(NumberFormat.percent(0.108) == "10.8%")
        #expect(NumberFormat.percent(1) == "100.0%")
        #expect(NumberFormat.percent(-0.00001) == "0.0%")
        #expect(Headlines.describe(.init(successes: 16, trials: 25)).hasPrefix("64.0% (95% CI "))
    }

    @Test func trainingComputeIsAPowerOfTenOnThePageAndExactInCSV() {
        #expect(NumberFormat.flop(132_076_260_000_000) == "1.3 × 10¹⁴")
        #expect(NumberFormat.flop(2.46e15) == "2.5 × 10¹⁵")
        #expect(NumberFormat.flop(9.96e22) == "1.0 × 10²³")
        #expect(NumberFormat.flopCSV(132_076_260_000_000) == "1.3207626e14")
        #expect(NumberFormat.flopCSV(2.45e15) == "2.45e15")
        #expect(NumberFormat.flopCSV(1e23) == "1e23")
        #expect(NumberFormat.flopCSV(2_452_090_060_800_000) == "2.4520900608e15")
        #expect(Double(NumberFormat.flopCSV(1.2345678901234e24)) == 1.2345678901234e24)
    }

    /// The topic ranking mixed an integer FLOP column value with a double one, and 64% with 10.8%.
    @Test func tablesUseTheSameFormatForEveryRow() {
        var t = Table(name: "topic_compute_intensity", columns: ["topic", "median_training_compute_flop", "share"])
        t.append([.string("a"), .int(132_076_260_000_000), .double(0.64)], recordIDs: [])
        t.append([.string("b"), .double(2.45e15), .double(0.108)], recordIDs: [])
        let csv = TableRendering.csv(t)
        #expect(csv == "topic,median_training_compute_flop,share\na,1.3207626e14,0.64\nb,2.45e15,0.108\n")
        let html = TableRendering.html(t)
        for text in ["1.3 × 10¹⁴", "2.5 × 10¹⁵", "64.0%", "10.8%"] { #expect(html.contains(">\(text)<")) }
    }

    /// Counts in sentences carry thousands separators, as the tables' numbers do ("n = 8377" did not).
    @Test func countsInSentencesAreGrouped() {
        var t = Table(name: "team_type_by_year", columns: ["venue", "year", "team_type", "papers"])
        t.append([.string("all"), .int(2024), .string("academic-only"), .int(70_480)], recordIDs: [])
        t.append([.string("all"), .int(2024), .string("unknown"), .int(160_809)], recordIDs: [])
        t.append([.string("nips"), .int(2024), .string("unknown"), .int(5_000)], recordIDs: [])
        let text = UnknownsSummary(models: [], tables: ["team_type_by_year": t]).sentences.joined()
        #expect(text.contains("160,809 of 231,289 (69.5%)"), "\(text)")
    }

    @Test func yearTicksFallOnWholeYears() {
        for domain in [2007.5...2025.0, 2000.0...2026.01, 1987.0...2025.0, 2015.0...2016.0, 2019.0...2024.0] {
            for chart in [SVGChart(title: "t", xLabel: "x", yLabel: "y", xDomain: domain, yDomain: 0...1)].flatMap({ [$0, $0.narrow()] }) {
                let ticks = chart.xTickValues()
                #expect(ticks.count >= 2, "\(domain) width \(chart.width)")
                #expect(ticks.allSatisfy { $0 == $0.rounded() && domain.contains($0) }, "\(ticks)")
                let steps = Set(zip(ticks, ticks.dropFirst()).map { $1 - $0 })
                #expect(steps.count <= 1 && steps.allSatisfy { [1, 2, 5, 10, 20, 25, 50].contains($0) }, "\(ticks)")
                #expect(Double(ticks.count) <= (chart.width - 90) / 60 + 1)
            }
        }
        let svg = SVGChart(title: "t", xLabel: "x", yLabel: "y", xDomain: 2007.5...2025, yDomain: 0...1).render()
        #expect(svg.contains(">2008</text>") && !svg.contains(">2007</text>"))
    }

    @Test func everyFigureHasAPhoneVariantWithWrappedTitle() {
        let title = "Large-scale models (top quartile of the year's compute): share by sector"
        var chart = SVGChart(title: title, xLabel: "Publication year", yLabel: "Share (%)", xDomain: 2005...2025, yDomain: 0...1)
        chart.series = [ChartSeries(label: "academia", color: "#0072B2", points: [(2005, 0.5), (2025, 0.1)])]
        let narrow = chart.narrow()
        #expect(narrow.render().hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 "))
        #expect(narrow.titleLines().count > 1 && narrow.titleLines().joined(separator: " ") == title)
        #expect(narrow.titleLines().allSatisfy { Double($0.count) * 9.5 <= 400 - 74 - 16 })
        #expect(chart.titleLines().count < narrow.titleLines().count)
        let figure = Figure(name: "f", chart: chart, caption: "c", table: Table(name: "f", columns: []))
        #expect(figure.html.contains("<div class=\"chart-wide\"><svg") && figure.html.contains("<div class=\"chart-narrow\"><svg"))
        #expect(ReportPage.css.contains("@media (max-width:600px){.chart-wide{display:none}.chart-narrow{display:block}}"))
    }

    /// The report's longest axis labels: on a phone each line fits its axis, and the legend moves
    /// below the wrapped x label instead of overlapping it.
    @Test func longAxisLabelsWrapToTheirAxis() {
        let xLabel = "Median training compute of the topic-era's notable models (log10 FLOP)"
        let yLabel = "Share of all fully resolved academic-only papers (%)"
        var chart = SVGChart(title: "t", xLabel: xLabel, yLabel: yLabel, xDomain: 14...26, yDomain: 0...1)
        chart.series = [ChartSeries(label: "topic-era", color: "#0072B2", points: [(15, 0.5)], dots: true)]
        let narrow = chart.narrow()
        #expect(narrow.xLabelLines().count > 1 && narrow.xLabelLines().joined(separator: " ") == xLabel)
        #expect(narrow.xLabelLines().allSatisfy { Double($0.count) * 7.5 <= 400 - 74 - 16 })
        #expect(narrow.yLabelLines().count > 1 && narrow.yLabelLines().allSatisfy { Double($0.count) * 7.5 <= 380 - 44 - 56 })
        let svg = narrow.render()
        for line in narrow.xLabelLines() + narrow.yLabelLines() { #expect(svg.contains(">\(escapeHTML(line))</text>")) }
        #expect(!svg.contains(">\(escapeHTML(xLabel))</text>"))
        let oneLine = SVGChart(title: "t", xLabel: "Year", yLabel: "Share (%)", xDomain: 14...26, yDomain: 0...1)
        #expect(oneLine.narrow().xLabelLines() == ["Year"] && oneLine.narrow().yLabelLines() == ["Share (%)"])
    }
}
