import Foundation

extension BFGSMinimizer {
    /// Newton steps from a converged BFGS point, with the Hessian from central
    /// differences of the analytic gradient, until the gradient stops shrinking.
    ///
    /// BFGS stops once every gradient component is below 1e-7. Where the
    /// likelihood is a long shallow ridge (Gamma-Gamma's p, q and γ trade off
    /// against each other) that still leaves the parameters loose in the 5th
    /// digit, and which point inside that slack the search stops at depends on
    /// rounding (the order of a sum). Newton's method converges quadratically
    /// from there: two or three steps bring the gradient to the floor of
    /// rounding and the parameters to ~1e-9 relative, wherever BFGS stopped.
    /// A step is kept only when it shrinks the largest gradient component.
    static func polished(_ point: [Double], value: Double, _ objective: Objective, maxSteps: Int = 6) -> (point: [Double], value: Double) {
        var x = point, fx = value
        var g = objective(x).gradient
        for _ in 0..<maxSteps {
            let size = g.map(abs).max() ?? 0
            guard size > 1e-15, size.isFinite else { break }
            let hessian = SmallMatrix.numericHessian(at: x) { objective($0).gradient }
            let n = x.count
            let symmetric = (0..<n).map { i in (0..<n).map { j in 0.5 * (hessian[i][j] + hessian[j][i]) } }
            guard let inverse = SmallMatrix.inverse(symmetric) else { break }
            let step = inverse.map { row in zip(row, g).reduce(0) { $0 - $1.0 * $1.1 } }
            // A Newton step longer than BFGS's own cap is not a polish: leave the point alone.
            guard step.allSatisfy({ $0.isFinite && abs($0) < 0.1 }) else { break }
            let trial = zip(x, step).map { $0 + $1 }
            let (ft, gt) = objective(trial)
            guard ft.isFinite, ft <= fx + 1e-12 * max(1, abs(fx)), (gt.map(abs).max() ?? .infinity) < size else { break }
            (x, fx, g) = (trial, ft, gt)
        }
        return (x, fx)
    }
}
