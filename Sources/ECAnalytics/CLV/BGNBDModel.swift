import Foundation

/// Fits the BG/NBD model (Fader, Hardie & Lee 2005) by maximum likelihood.
///
/// The search runs BFGS over log-parameters (so r, α, a, b stay positive)
/// with the analytic gradient, from a data-driven start and, when that does
/// not converge cleanly, from further starts; the best converged run wins.
public enum BGNBDModel {
    /// Parameters outside this range mean the model has degenerated.
    static let sensibleRange = 1e-5...1e6

    /// Fits on compressed rows.
    /// - Parameter minimumRepeatCustomers: fewer customers with x > 0 than this is an error.
    public static func fit(_ rows: [CompressedRow], minimumRepeatCustomers: Double = 10) throws -> BGNBDFit {
        try validate(rows)
        let likelihood = BGNBDLikelihood(rows: rows)
        let customers = likelihood.totalWeight
        guard customers > 0 else { throw CLVError.noCustomers }
        let repeaters = rows.filter { $0.x > 0 }.reduce(0) { $0 + $1.weight }
        guard repeaters >= minimumRepeatCustomers else {
            throw CLVError.tooFewRepeatCustomers(found: Int(repeaters), needed: Int(minimumRepeatCustomers.rounded(.up)))
        }
        // Mean repeat-purchase rate sets the scale of α (r/α is the mean rate).
        let repeats = rows.reduce(0) { $0 + Double($1.x) * $1.weight }
        let exposure = rows.reduce(0) { $0 + $1.T * $1.weight }
        let rate = max(repeats / max(exposure, 1e-12), 1e-9)
        let starts: [[Double]] = [[1, 1 / rate, 1, 1], [0.5, 0.5 / rate, 0.5, 2], [2, 2 / rate, 2, 8], [0.2, 0.2 / rate, 0.1, 0.5]]

        // Minimize the mean negative log-likelihood in log-parameters.
        let objective: BFGSMinimizer.Objective = { logs in
            let p = logs.map { exp($0) }
            let (ll, g) = likelihood.evaluate(p)
            return (-ll / customers, (0..<4).map { -g[$0] * p[$0] / customers })
        }
        let (fitted, attempts) = BFGSMinimizer.fitPositive(starts: starts, label: "(r, α, a, b)", sensibleRange: sensibleRange, objective)
        guard let fitted else { throw CLVError.notConverged(model: "BG/NBD", attempts: attempts) }
        let totalIterations = fitted.iterations
        let p = fitted.parameters
        let names = ["r", "α", "a", "b"]
        let outside = zip(names, p).filter { !sensibleRange.contains($0.1) }
        if !outside.isEmpty {
            let detail = outside.map { "\($0.0) = \(String(format: "%.3g", $0.1))" }.joined(separator: ", ")
            throw CLVError.degenerateParameters(model: "BG/NBD", detail: detail + "; large r and α mean near-identical purchase rates, a → 0 or b → ∞ mean nobody drops out")
        }
        let hessian = SmallMatrix.numericHessian(at: p) { q in likelihood.evaluate(q).gradient.map { -$0 } }
        let errors = SmallMatrix.standardErrors(hessian: hessian)
        return BGNBDFit(r: p[0], alpha: p[1], a: p[2], b: p[3],
                        logLikelihood: -fitted.value * customers,
                        customers: customers, repeatCustomers: repeaters,
                        standardErrors: errors, iterations: totalIterations,
                        converged: true, attempts: attempts)
    }

    /// Fits on extracted customer summaries (compressed first).
    public static func fit(customers: [CustomerSummary], minimumRepeatCustomers: Double = 10) throws -> BGNBDFit {
        try fit(CompressedRow.compress(customers), minimumRepeatCustomers: minimumRepeatCustomers)
    }

    /// The BG/NBD log-likelihood of parameters (r, α, a, b) on rows, and its gradient.
    public static func logLikelihood(_ rows: [CompressedRow], r: Double, alpha: Double, a: Double, b: Double) -> (value: Double, gradient: [Double]) {
        BGNBDLikelihood(rows: rows).evaluate([r, alpha, a, b])
    }

    private static func validate(_ rows: [CompressedRow]) throws {
        for row in rows {
            guard row.x >= 0, row.tx.isFinite, row.T.isFinite, row.tx >= 0, row.T >= row.tx,
                  row.weight.isFinite, row.weight >= 0 else {
                throw CLVError.invalidInput("invalid customer row x = \(row.x), t_x = \(row.tx), T = \(row.T), weight = \(row.weight): need x ≥ 0 and 0 ≤ t_x ≤ T")
            }
            if row.x == 0 && row.tx != 0 {
                throw CLVError.invalidInput("a customer with x = 0 must have t_x = 0 (got \(row.tx))")
            }
        }
    }

}
