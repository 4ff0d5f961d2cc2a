import Foundation

/// A small dense BFGS minimizer with a backtracking line search.
///
/// The models optimize over log-parameters, so the search is unconstrained;
/// steps are capped so `exp` never overflows, and non-finite objective
/// values count as "too far" and shrink the step.
struct BFGSMinimizer {
    /// The objective's value and gradient at a point.
    typealias Objective = ([Double]) -> (value: Double, gradient: [Double])

    struct Result {
        var point: [Double]
        var value: Double
        var gradient: [Double]
        var iterations: Int
        var converged: Bool
        var reason: String
    }

    var maxIterations = 400
    /// Converged when every gradient component is below this.
    var gradientTolerance = 1e-9
    /// Largest change of any coordinate in one step (log units).
    var maxStep = 3.0

    func minimize(from start: [Double], _ f: Objective) -> Result {
        let n = start.count
        var x = start
        var (fx, g) = f(x)
        guard fx.isFinite, g.allSatisfy(\.isFinite) else {
            return Result(point: x, value: fx, gradient: g, iterations: 0, converged: false, reason: "objective not finite at the start")
        }
        var h = identity(n)
        var stalled = 0
        for iteration in 1...maxIterations {
            if g.allSatisfy({ abs($0) < gradientTolerance }) {
                return Result(point: x, value: fx, gradient: g, iterations: iteration - 1, converged: true, reason: "gradient below tolerance")
            }
            var direction = multiply(h, g).map { -$0 }
            var slope = dot(direction, g)
            if !(slope < 0) {
                // Not a descent direction: reset the curvature estimate.
                h = identity(n)
                direction = g.map { -$0 }
                slope = dot(direction, g)
            }
            let longest = direction.map(abs).max() ?? 0
            var step = longest > maxStep ? maxStep / longest : 1.0
            var accepted: (x: [Double], f: Double, g: [Double])?
            for _ in 0..<60 {
                let trial = zip(x, direction).map { $0 + step * $1 }
                let (ft, gt) = f(trial)
                if ft.isFinite, gt.allSatisfy(\.isFinite), ft <= fx + 1e-4 * step * slope {
                    accepted = (trial, ft, gt)
                    break
                }
                step *= 0.5
            }
            guard let next = accepted else {
                // No decrease possible along the search direction: we are at the
                // optimum to machine precision if the gradient is small.
                let small = g.allSatisfy { abs($0) < 1e-5 }
                return Result(point: x, value: fx, gradient: g, iterations: iteration, converged: small,
                              reason: small ? "no further decrease (gradient \(maxAbs(g)))" : "line search failed (gradient \(maxAbs(g)))")
            }
            let s = zip(next.x, x).map { $0 - $1 }
            let y = zip(next.g, g).map { $0 - $1 }
            let sy = dot(s, y)
            let decrease = fx - next.f
            x = next.x
            fx = next.f
            g = next.g
            if sy > 1e-12 * sqrt(dot(s, s) * dot(y, y)) {
                if iteration == 1 {
                    // Scale the first guess of the inverse Hessian (Nocedal & Wright 6.20).
                    let scale = sy / dot(y, y)
                    h = identity(n).map { $0.map { $0 * scale } }
                }
                h = updated(h, s: s, y: y, sy: sy)
            }
            // A run of steps that change nothing means we are at the floor of precision.
            stalled = decrease <= 1e-15 * max(1, abs(fx)) ? stalled + 1 : 0
            if stalled >= 5 {
                let small = g.allSatisfy { abs($0) < 1e-5 }
                return Result(point: x, value: fx, gradient: g, iterations: iteration, converged: small,
                              reason: small ? "objective stopped changing" : "stalled with gradient \(maxAbs(g))")
            }
        }
        return Result(point: x, value: fx, gradient: g, iterations: maxIterations, converged: false,
                      reason: "\(maxIterations) iterations without convergence (gradient \(maxAbs(g)))")
    }

    /// The BFGS update of the inverse Hessian approximation.
    private func updated(_ h: [[Double]], s: [Double], y: [Double], sy: Double) -> [[Double]] {
        let n = s.count
        let rho = 1 / sy
        let hy = multiply(h, y)
        let yhy = dot(y, hy)
        var out = h
        for i in 0..<n {
            for j in 0..<n {
                out[i][j] += (1 + rho * yhy) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j])
            }
        }
        return out
    }

    private func identity(_ n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } }
    }
    private func multiply(_ m: [[Double]], _ v: [Double]) -> [Double] { m.map { dot($0, v) } }
    private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    private func maxAbs(_ v: [Double]) -> Double { v.map(abs).max() ?? 0 }
}

/// Linear algebra for standard errors: the inverse of a small symmetric matrix.
enum SmallMatrix {
    /// Inverse by Gauss-Jordan with partial pivoting; nil when singular.
    static func inverse(_ m: [[Double]]) -> [[Double]]? {
        let n = m.count
        var a = m
        var inv = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }),
                  abs(a[pivot][col]) > 1e-300 else { return nil }
            a.swapAt(col, pivot)
            inv.swapAt(col, pivot)
            let d = a[col][col]
            for j in 0..<n { a[col][j] /= d; inv[col][j] /= d }
            for i in 0..<n where i != col {
                let factor = a[i][col]
                if factor == 0 { continue }
                for j in 0..<n { a[i][j] -= factor * a[col][j]; inv[i][j] -= factor * inv[col][j] }
            }
        }
        return inv
    }

    /// Standard errors from the Hessian of the negative log-likelihood:
    /// square roots of the diagonal of its inverse; nil entries where not positive.
    static func standardErrors(hessian: [[Double]]) -> [Double?] {
        // Symmetrize: the numeric Hessian is only symmetric up to rounding.
        let n = hessian.count
        let sym = (0..<n).map { i in (0..<n).map { j in 0.5 * (hessian[i][j] + hessian[j][i]) } }
        guard let inv = inverse(sym) else { return Array(repeating: nil, count: n) }
        return (0..<n).map { inv[$0][$0] > 0 ? sqrt(inv[$0][$0]) : nil }
    }

    /// Central-difference Hessian of a function from its analytic gradient.
    static func numericHessian(at point: [Double], gradient: ([Double]) -> [Double]) -> [[Double]] {
        let n = point.count
        var h = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for j in 0..<n {
            let step = 1e-5 * max(abs(point[j]), 1e-3)
            var up = point, down = point
            up[j] += step
            down[j] -= step
            let gu = gradient(up), gd = gradient(down)
            for i in 0..<n { h[i][j] = (gu[i] - gd[i]) / (2 * step) }
        }
        return h
    }
}
