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
        /// Objective evaluations, line search included.
        var evaluations: Int = 0
        var converged: Bool
        var reason: String
    }

    var maxIterations = 400
    /// Converged when every gradient component is below this. The models pass a
    /// mean log-likelihood (|f| ≈ 1–10): with f known to ~1e-16 relative, a
    /// gradient below ~1e-8 no longer changes f visibly, so 1e-7 is about as
    /// tight as a line search can go; it pins log-parameters to ~7 digits.
    var gradientTolerance = 1e-7
    /// Largest change of any coordinate in one step (log units).
    var maxStep = 3.0

    func minimize(from start: [Double], _ objective: Objective) -> Result {
        var evaluations = 0
        let f: Objective = { evaluations += 1; return objective($0) }
        var result = search(from: start, f)
        result.evaluations = evaluations
        return result
    }

    private func search(from start: [Double], _ f: Objective) -> Result {
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
            for _ in 0..<40 {
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
