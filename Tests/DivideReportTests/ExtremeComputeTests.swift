import DivideClassify
import DivideCore
@testable import DivideReport
import Testing

/// A positive, finite but extreme training compute must not break the log axis of the scatter.
@Test(arguments: [Double.leastNonzeroMagnitude, 1.7e308, Double.leastNormalMagnitude, Double.greatestFiniteMagnitude])
func computeScatterSurvivesExtremeCompute(flop: Double) {
    var extreme = ModelRecord(id: "m1", name: "Extreme")
    extreme.publicationDate = "2021-05-01"
    extreme.trainingComputeFLOP = flop
    var ordinary = ModelRecord(id: "m2", name: "Ordinary")
    ordinary.publicationDate = "2020-01-01"
    ordinary.trainingComputeFLOP = 3e23
    let models = [extreme, ordinary].map {
        ClassifiedModel(model: $0, sector: .industry, notable: true, passesNotabilityFilter: true, largeScale1e23: true, largeScaleTopQuartile: true)
    }
    let chart = ModelFindings(models: models, tables: [:]).computeScatter().chart
    #expect(chart.yDomain.lowerBound > 0 && chart.yDomain.upperBound.isFinite)
    let ticks = chart.yTickValues()
    #expect(!ticks.isEmpty && ticks.allSatisfy { $0 > 0 && $0.isFinite })
    #expect(chart.render().contains("</svg>"))
}

/// The clamp lives in the chart, so every log axis has it (the organizations figure trapped on
/// 5e-324 after the scatter was fixed): decade bounds stay within 1e-300…1e300, and ticks of a
/// domain built another way, even 0…∞, are finite instead of a trapping Int conversion.
@Test func logAxisDomainAndTicksStayFinite() {
    #expect(SVGChart.decadeDomain([.leastNonzeroMagnitude, 3e23, 1.7e308], otherwise: 1...10) == 1e-300...1e300)
    #expect(SVGChart.decadeDomain([], otherwise: 1...10) == 1...10)
    var chart = SVGChart(title: "t", xLabel: "x", yLabel: "y", xDomain: 2000...2020, yDomain: 0...Double.infinity)
    chart.yScale = .log10
    let ticks = chart.yTickValues()
    #expect(!ticks.isEmpty && ticks.allSatisfy { $0 > 0 && $0.isFinite })
}
