import DivideStats
import Testing

/// Worked example (Newcombe 1998, Table I, method 3): 81 of 263 → 0.2553 to 0.3662.
@Test func wilsonMatchesPublishedExample() {
    let ci = WilsonInterval(successes: 81, trials: 263)
    #expect(abs(ci.low - 0.2553) < 5e-5)
    #expect(abs(ci.high - 0.3662) < 5e-5)
}

/// Newcombe's 0 of 10 case: 0 to 0.2775; and n = 0 gives the uninformative [0, 1].
@Test func wilsonAtTheEdges() {
    let zero = WilsonInterval(successes: 0, trials: 10)
    #expect(zero.low == 0)
    #expect(abs(zero.high - 0.2775) < 5e-5)
    let none = WilsonInterval(successes: 0, trials: 0)
    #expect(none.low == 0 && none.high == 1 && none.share == 0)
}

@Test func olsRecoversAnExactLine() throws {
    let x = [2010.0, 2011, 2012, 2013]
    let y = x.map { 3 + 0.5 * ($0 - 2010) }
    let fit = try #require(LinearRegression(x: x, y: y))
    #expect(abs(fit.slope - 0.5) < 1e-12)
    #expect(LinearRegression(x: [1, 1], y: [2, 3]) == nil)
}

@Test func bootstrapIsSeededAndBracketsTheSlope() throws {
    let x = (0..<200).map { Double($0) / 10 }
    var rng = SplitMix64(seed: 7)
    let y = x.map { 2 * $0 + Double(rng.next() % 1000) / 1000 - 0.5 }
    let a = try #require(BootstrapSlopeInterval(x: x, y: y))
    let b = try #require(BootstrapSlopeInterval(x: x, y: y))
    #expect(a == b)
    #expect(a.low < 2 && 2 < a.high && a.high - a.low < 0.05)
}

@Test func quantileInterpolatesLikeNumpy() {
    // numpy.percentile([1, 2, 3, 4], 75) == 3.25
    #expect(Quantile.linear([4, 1, 3, 2], 0.75) == 3.25)
    #expect(Quantile.linear([5], 0.75) == 5)
}
