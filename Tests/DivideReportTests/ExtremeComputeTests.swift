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
