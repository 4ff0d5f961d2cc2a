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
        let e = try estimate(rows, dropoutAtFirstPurchase: false, minimumRepeatCustomers: minimumRepeatCustomers)
        return BGNBDFit(r: e.parameters[0], alpha: e.parameters[1], a: e.parameters[2], b: e.parameters[3], statistics: e.statistics)
    }

    /// Maximum-likelihood estimates of (r, α, a, b) for BG/NBD or, with
    /// `dropoutAtFirstPurchase`, MBG/NBD: the two differ only in the likelihood.
    static func estimate(_ rows: [CompressedRow], dropoutAtFirstPurchase: Bool,
                         minimumRepeatCustomers: Double) throws -> PurchaseModelEstimate {
        let name = dropoutAtFirstPurchase ? "MBG/NBD" : "BG/NBD"
        let (customers, repeaters, rate) = try PurchaseModelEstimate.prepare(rows, minimumRepeatCustomers: minimumRepeatCustomers)
        let likelihood = BGNBDLikelihood(rows: rows, dropoutAtFirstPurchase: dropoutAtFirstPurchase)
        let starts: [[Double]] = [[1, 1 / rate, 1, 1], [0.5, 0.5 / rate, 0.5, 2], [2, 2 / rate, 2, 8], [0.2, 0.2 / rate, 0.1, 0.5]]

        // Minimize the mean negative log-likelihood in log-parameters.
        let objective: BFGSMinimizer.Objective = { logs in
            let p = logs.map { exp($0) }
            let (ll, g) = likelihood.evaluate(p)
            return (-ll / customers, (0..<4).map { -g[$0] * p[$0] / customers })
        }
        let (fitted, attempts) = BFGSMinimizer.fitPositive(starts: starts, label: "(r, α, a, b)", sensibleRange: sensibleRange, objective)
        guard let fitted else { throw CLVError.notConverged(model: name, attempts: attempts) }
        let p = fitted.parameters
        let names = ["r", "α", "a", "b"]
        let outside = zip(names, p).filter { !sensibleRange.contains($0.1) }
        if !outside.isEmpty {
            let detail = outside.map { "\($0.0) = \(String(format: "%.3g", $0.1))" }.joined(separator: ", ")
            throw CLVError.degenerateParameters(model: name, detail: detail + "; large r and α mean near-identical purchase rates, a → 0 or b → ∞ mean nobody drops out")
        }
        let hessian = SmallMatrix.numericHessian(at: p) { q in likelihood.evaluate(q).gradient.map { -$0 } }
        return PurchaseModelEstimate(parameters: p, statistics: FitStatistics(
            logLikelihood: -fitted.value * customers, customers: customers, repeatCustomers: repeaters,
            standardErrors: SmallMatrix.standardErrors(hessian: hessian), iterations: fitted.iterations, attempts: attempts))
    }

    /// Fits on extracted customer summaries (compressed first).
    public static func fit(customers: [CustomerSummary], minimumRepeatCustomers: Double = 10) throws -> BGNBDFit {
        try fit(CompressedRow.compress(customers), minimumRepeatCustomers: minimumRepeatCustomers)
    }

    /// The BG/NBD log-likelihood of parameters (r, α, a, b) on rows, and its gradient.
    public static func logLikelihood(_ rows: [CompressedRow], r: Double, alpha: Double, a: Double, b: Double) -> (value: Double, gradient: [Double]) {
        BGNBDLikelihood(rows: rows).evaluate([r, alpha, a, b])
    }

    static func validate(_ rows: [CompressedRow]) throws {
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
