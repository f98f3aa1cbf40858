import Foundation

/// Binomial logistic regression fitted by Newton–Raphson (iteratively reweighted least squares),
/// with an optional ridge penalty.
///
/// Rows are grouped binomial observations: row i has covariates x_i, trials n_i and successes
/// k_i (one paper is n = 1; a venue-year cell of papers is one row with its counts, the same
/// likelihood). The fit maximizes
///   ℓ(β) = Σ_i [k_i · x_iβ − n_i · log(1 + exp(x_iβ))] − (λ/2) Σ_{j ∉ free} β_j²,
/// i.e. the posterior mode under independent N(0, 1/λ) priors on the penalized coefficients.
/// The penalty keeps the estimates finite under complete or quasi-complete separation (a venue
/// or year whose papers are all, or none, academic-only), where the unpenalized maximum
/// likelihood estimate does not exist; with the many papers per level it barely moves the others.
public struct LogisticRegression: Sendable {
    public let coefficients: [Double]
    public let iterations: Int

    public enum FitError: Error, Equatable {
        case emptyDesign
        case notConverged(iterations: Int)
        case singular
    }

    /// - design: one row of covariates per observation (include a column of ones for the intercept).
    /// - ridge: λ; `unpenalized`: indices of columns left unpenalized (usually the intercept).
    public init(design: [[Double]], successes: [Double], trials: [Double], ridge: Double = 0, unpenalized: Set<Int> = [0],
                maxIterations: Int = 100, tolerance: Double = 1e-10) throws {
        precondition(design.count == successes.count && design.count == trials.count, "rows, successes and trials must match")
        guard let p = design.first?.count, p > 0 else { throw FitError.emptyDesign }
        var beta = [Double](repeating: 0, count: p)
        let penalty = (0..<p).map { unpenalized.contains($0) ? 0 : ridge }
        // Design rows are mostly zeros (indicator columns): loop over each row's non-zero columns only.
        let nonZero = design.map { x in x.indices.filter { x[$0] != 0 } }
        var iteration = 0
        while true {
            iteration += 1
            // Gradient g = Xᵀ(k − nμ) − Λβ and Hessian H = XᵀWX + Λ, W = nμ(1 − μ).
            var gradient = (0..<p).map { -penalty[$0] * beta[$0] }
            var hessian = [Double](repeating: 0, count: p * p)
            for j in 0..<p { hessian[j * p + j] = penalty[j] }
            for (i, x) in design.enumerated() where trials[i] > 0 {
                let columns = nonZero[i]
                var eta = 0.0
                for j in columns { eta += x[j] * beta[j] }
                let mu = LogisticRegression.logistic(eta)
                let residual = successes[i] - trials[i] * mu
                let w = trials[i] * mu * (1 - mu)
                for j in columns {
                    gradient[j] += x[j] * residual
                    let wx = w * x[j]
                    for l in columns where l >= j { hessian[j * p + l] += wx * x[l] }
                }
            }
            for j in 0..<p { for l in 0..<j { hessian[j * p + l] = hessian[l * p + j] } }
            guard let step = LogisticRegression.solve(hessian, gradient, p) else { throw FitError.singular }
            var largest = 0.0
            for j in 0..<p {
                beta[j] += step[j]
                largest = max(largest, abs(step[j]))
            }
            if largest < tolerance { break }
            if iteration >= maxIterations { throw FitError.notConverged(iterations: iteration) }
        }
        coefficients = beta
        iterations = iteration
    }

    /// The fitted probability for one row of covariates.
    public func probability(_ x: [Double]) -> Double {
        var eta = 0.0
        for j in x.indices where x[j] != 0 { eta += x[j] * coefficients[j] }
        return LogisticRegression.logistic(eta)
    }

    /// 1 / (1 + e^−η), without overflow for large |η|.
    public static func logistic(_ eta: Double) -> Double {
        eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
    }

    /// Solves H s = g for a symmetric positive definite H (Cholesky); nil when H is not.
    static func solve(_ h: [Double], _ g: [Double], _ p: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            var d = h[j * p + j]
            for k in 0..<j { d -= l[j * p + k] * l[j * p + k] }
            guard d > 1e-300 else { return nil }
            let root = d.squareRoot()
            l[j * p + j] = root
            for i in (j + 1)..<max(j + 1, p) {
                var s = h[i * p + j]
                for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
                l[i * p + j] = s / root
            }
        }
        var y = [Double](repeating: 0, count: p)
        for i in 0..<p {
            var s = g[i]
            for k in 0..<i { s -= l[i * p + k] * y[k] }
            y[i] = s / l[i * p + i]
        }
        var x = [Double](repeating: 0, count: p)
        for i in stride(from: p - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<max(i + 1, p) { s -= l[k * p + i] * x[k] }
            x[i] = s / l[i * p + i]
        }
        return x
    }
}
