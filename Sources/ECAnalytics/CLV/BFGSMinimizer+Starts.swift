import Foundation

extension BFGSMinimizer {
    /// The best of several BFGS runs on the logarithms of positive parameters.
    struct MultiStartFit {
        /// The fitted parameters (back from log space).
        var parameters: [Double]
        /// The objective at the fit.
        var value: Double
        /// Iterations over every start tried.
        var iterations: Int
    }

    /// Minimizes `objective` (a function of log-parameters) from each start in turn,
    /// keeping the best converged run; stops early once a converged run lands
    /// inside `sensibleRange`. The fit is nil when no start converged; `attempts` has
    /// one line per start: where it began, how it ended, where it got to.
    static func fitPositive(starts: [[Double]], label: String, sensibleRange: ClosedRange<Double>,
                            _ objective: Objective) -> (fit: MultiStartFit?, attempts: [String]) {
        var attempts: [String] = []
        var best: Result?
        var iterations = 0
        for start in starts {
            let result = BFGSMinimizer().minimize(from: start.map { log($0) }, objective)
            iterations += result.iterations
            let p = result.point.map { exp($0) }
            attempts.append("start \(label) = \(formatted(start)): \(result.reason) after \(result.iterations) iterations (\(result.evaluations) evaluations) at \(formatted(p))")
            guard result.converged else { continue }
            if best.map({ result.value < $0.value }) ?? true { best = result }
            // A clean converged fit inside the sensible range needs no further starts.
            if p.allSatisfy(sensibleRange.contains) { break }
        }
        guard let best else { return (nil, attempts) }
        return (MultiStartFit(parameters: best.point.map { exp($0) }, value: best.value, iterations: iterations), attempts)
    }
}

extension BFGSMinimizer {
    /// Parameters for messages: `(0.2426, 4.414, …)`.
    static func formatted(_ p: [Double]) -> String {
        "(" + p.map { String(format: "%.4g", $0) }.joined(separator: ", ") + ")"
    }
}
