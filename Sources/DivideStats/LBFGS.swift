import Foundation

/// Limited-memory BFGS minimization of a smooth convex function (Nocedal & Wright, algorithm 7.4,
/// with a backtracking Armijo line search). Deterministic: the same start and function give the
/// same iterates. Used for penalized logistic regressions with thousands of sparse features,
/// where Newton's method (LogisticRegression) would need a dense Hessian.
public enum LBFGS {
    /// `objective(x, &gradient)` returns f(x) and writes ∇f(x). Stops when the largest gradient
    /// component is below `tolerance`, the relative decrease of f is below 1e-9, or after
    /// `maxIterations`; returns the last iterate.
    public static func minimize(start: [Double], maxIterations: Int = 200, memory: Int = 8, tolerance: Double = 1e-5,
                                objective: ([Double], inout [Double]) -> Double) -> [Double] {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var f = objective(x, &g)
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var newX = x, newG = g
        for _ in 0..<maxIterations {
            if g.reduce(0, { max($0, abs($1)) }) < tolerance { break }
            // Two-loop recursion: d = −H g.
            var q = g
            var alpha = [Double](repeating: 0, count: s.count)
            // The pair's vectors are taken out of the history once per loop, not at every component.
            for k in stride(from: s.count - 1, through: 0, by: -1) {
                let sk = s[k], yk = y[k]
                let a = rho[k] * dot(sk, q)
                alpha[k] = a
                for i in 0..<n { q[i] -= a * yk[i] }
            }
            if let last = s.indices.last {
                let scale = dot(s[last], y[last]) / dot(y[last], y[last])
                for i in 0..<n { q[i] *= scale }
            }
            for k in s.indices {
                let sk = s[k], yk = y[k]
                let delta = alpha[k] - rho[k] * dot(yk, q)
                for i in 0..<n { q[i] += sk[i] * delta }
            }
            var direction = q.map { -$0 }
            var slope = dot(g, direction)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                direction = g.map { -$0 }
                slope = -dot(g, g)
                s.removeAll(); y.removeAll(); rho.removeAll()
            }
            var step = s.isEmpty ? min(1, 1 / max(1e-12, g.reduce(0) { max($0, abs($1)) })) : 1
            var newF = 0.0
            var accepted = false
            for _ in 0..<40 {
                for i in 0..<n { newX[i] = x[i] + step * direction[i] }
                newF = objective(newX, &newG)
                if newF <= f + 1e-4 * step * slope { accepted = true; break }
                step /= 2
            }
            guard accepted else { break }
            var sk = [Double](repeating: 0, count: n), yk = [Double](repeating: 0, count: n)
            for i in 0..<n { sk[i] = newX[i] - x[i]; yk[i] = newG[i] - g[i] }
            let sy = dot(sk, yk)
            let decrease = (f - newF) / max(1, abs(f))
            swap(&x, &newX)
            swap(&g, &newG)
            f = newF
            if sy > 1e-12 {
                s.append(sk); y.append(yk); rho.append(1 / sy)
                if s.count > memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
            }
            if decrease < 1e-9 { break }
        }
        return x
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }
}
