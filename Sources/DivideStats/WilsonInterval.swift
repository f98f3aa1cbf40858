import Foundation

/// Wilson score interval for a binomial proportion (Wilson 1927). Unlike the normal
/// approximation it stays inside [0, 1] and behaves for small n and shares near 0 or 1, which
/// is where the academic shares of recent years sit.
public struct WilsonInterval: Equatable, Sendable {
    public let successes: Int
    public let trials: Int
    public let low: Double
    public let high: Double

    /// z for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    public init(successes: Int, trials: Int, z: Double = WilsonInterval.z95) {
        precondition(successes >= 0 && successes <= trials, "successes must be within 0...trials")
        self.successes = successes
        self.trials = trials
        guard trials > 0 else {
            low = 0
            high = 1
            return
        }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        low = max(0, centre - half)
        high = min(1, centre + half)
    }

    /// The point estimate; 0 when there are no trials.
    public var share: Double { trials > 0 ? Double(successes) / Double(trials) : 0 }
}
