import Foundation
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

/// One binary covariate: the maximum likelihood fit reproduces the two groups' observed shares
/// exactly (logit(3/10) for x = 0, logit(6/8) for x = 1).
@Test func logisticRecoversGroupSharesExactly() throws {
    let fit = try LogisticRegression(design: [[1, 0], [1, 1]], successes: [3, 6], trials: [10, 8])
    #expect(abs(fit.probability([1, 0]) - 0.3) < 1e-10)
    #expect(abs(fit.probability([1, 1]) - 0.75) < 1e-10)
    #expect(abs(fit.coefficients[1] - (log(0.75 / 0.25) - log(0.3 / 0.7))) < 1e-9)
}

/// Grouped rows and one row per observation give the same fit (same likelihood).
@Test func logisticGroupedEqualsUngrouped() throws {
    let grouped = try LogisticRegression(design: [[1, 0], [1, 1]], successes: [2, 1], trials: [3, 4], ridge: 0.5)
    let rows: [[Double]] = Array(repeating: [1, 0], count: 3) + Array(repeating: [1, 1], count: 4)
    let single = try LogisticRegression(design: rows, successes: [1, 1, 0, 1, 0, 0, 0], trials: Array(repeating: 1, count: 7), ridge: 0.5)
    for j in 0..<2 { #expect(abs(grouped.coefficients[j] - single.coefficients[j]) < 1e-9) }
}

/// Complete separation (every x = 1 row a success): no maximum likelihood estimate exists and
/// the unpenalized fit diverges; the ridge penalty gives a finite fit whose gradient is zero.
@Test func logisticRidgeHandlesSeparation() throws {
    #expect(throws: LogisticRegression.FitError.self) {
        try LogisticRegression(design: [[1, 0], [1, 1]], successes: [2, 5], trials: [6, 5], maxIterations: 40)
    }
    let fit = try LogisticRegression(design: [[1, 0], [1, 1]], successes: [2, 5], trials: [6, 5], ridge: 1)
    let p0 = fit.probability([1, 0]), p1 = fit.probability([1, 1])
    // Score equations of the penalized likelihood.
    #expect(abs((2 - 6 * p0) + (5 - 5 * p1)) < 1e-8)
    #expect(abs((5 - 5 * p1) - fit.coefficients[1]) < 1e-8)
    #expect(p1 > p0 && p1 < 1 && fit.coefficients[1].isFinite)
}
