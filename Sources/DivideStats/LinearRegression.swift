/// Ordinary least squares of y on x with an intercept.
public struct LinearRegression: Equatable, Sendable {
    public let slope: Double
    public let intercept: Double
    public let n: Int

    /// nil when there are fewer than two points or x does not vary.
    public init?(x: [Double], y: [Double]) {
        precondition(x.count == y.count, "x and y must have the same length")
        let n = x.count
        guard n >= 2 else { return nil }
        let mx = x.reduce(0, +) / Double(n)
        let my = y.reduce(0, +) / Double(n)
        var sxx = 0.0, sxy = 0.0
        for i in 0..<n {
            let dx = x[i] - mx
            sxx += dx * dx
            sxy += dx * (y[i] - my)
        }
        guard sxx > 0 else { return nil }
        slope = sxy / sxx
        intercept = my - slope * mx
        self.n = n
    }
}

/// SplitMix64: a small, seeded, platform-independent generator, so bootstrap intervals are the
/// same on every machine and every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

/// Percentile bootstrap of the OLS slope: resample points with replacement, refit, and take the
/// (1-level)/2 and (1+level)/2 quantiles of the slopes.
public struct BootstrapSlopeInterval: Equatable, Sendable {
    public let low: Double
    public let high: Double
    public let replicates: Int

    public init?(x: [Double], y: [Double], level: Double = 0.9, replicates: Int = 2000, seed: UInt64 = 20240101) {
        let n = x.count
        guard n >= 3 else { return nil }
        var rng = SplitMix64(seed: seed)
        var slopes: [Double] = []
        slopes.reserveCapacity(replicates)
        var bx = [Double](repeating: 0, count: n), by = [Double](repeating: 0, count: n)
        for _ in 0..<replicates {
            for i in 0..<n {
                let j = Int(rng.next() % UInt64(n))
                bx[i] = x[j]
                by[i] = y[j]
            }
            if let fit = LinearRegression(x: bx, y: by) { slopes.append(fit.slope) }
        }
        guard !slopes.isEmpty else { return nil }
        low = Quantile.linear(slopes, (1 - level) / 2)
        high = Quantile.linear(slopes, (1 + level) / 2)
        self.replicates = replicates
    }
}
