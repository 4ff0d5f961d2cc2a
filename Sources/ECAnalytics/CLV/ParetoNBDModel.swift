import Foundation

/// Fitted Pareto/NBD parameters and their predictions.
///
/// Purchases are Poisson with rate λ ~ Gamma(r, α); lifetimes are exponential
/// with rate μ ~ Gamma(s, β), so customers can drop out at any moment, not
/// only at a purchase. Formulas from Fader & Hardie (2005), "A Note on
/// Deriving the Pareto/NBD Model and Related Expressions" (note 009).
public struct ParetoNBDFit: PurchaseModelFit, Equatable {
    public var r: Double
    public var alpha: Double
    public var s: Double
    public var beta: Double
    public var statistics: FitStatistics

    public init(r: Double, alpha: Double, s: Double, beta: Double, statistics: FitStatistics = FitStatistics()) {
        (self.r, self.alpha, self.s, self.beta) = (r, alpha, s, beta)
        self.statistics = statistics
    }

    public var kind: PurchaseModelKind { .paretonbd }
    public var parameters: [Double] { [r, alpha, s, beta] }

    /// 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀)  (note 009, eq. 18).
    public func probabilityAlive(x: Int, tx: Double, T: Double) -> Double {
        guard let logA0 = ParetoNBDLikelihood.logA0(r: r, alpha: alpha, s: s, beta: beta, x: x, tx: tx, T: T) else { return 1 }
        let rx = r + Double(x)
        let logOdds = log(s / (rx + s)) + rx * log(alpha + T) + s * log(beta + T) + logA0
        return 1 / (1 + exp(logOdds))
    }

    /// (r+x)(β+T) / ((α+T)(s−1)) · (1 − ((β+T)/(β+T+t))^(s−1)) · P(alive)  (note 009, eq. 21).
    public func expectedPurchases(t: Double, x: Int, tx: Double, T: Double) -> Double {
        expectedPurchasesIfAlive(t: t, x: x, T: T) * probabilityAlive(x: x, tx: tx, T: T)
    }

    /// (r+x)(β+T) / ((α+T)(s−1)) · (1 − ((β+T)/(β+T+t))^(s−1)): expected purchases given alive at T.
    public func expectedPurchasesIfAlive(t: Double, x: Int, T: Double) -> Double {
        guard t > 0 else { return 0 }
        let rx = r + Double(x)
        return rx / (alpha + T) * (beta + T) * Self.lifetimeFactor(s: s, log((beta + T + t) / (beta + T)))
    }

    /// E[X(t)] = rβ / (α(s−1)) · (1 − (β/(β+t))^(s−1))  (note 009, eq. 17).
    public func expectedPurchases(t: Double) -> Double {
        guard t > 0 else { return 0 }
        return r / alpha * beta * Self.lifetimeFactor(s: s, log((beta + t) / beta))
    }

    /// (1 − e^−(s−1)L) / (s−1), which tends to L at s = 1 (where the closed form divides by zero).
    private static func lifetimeFactor(s: Double, _ L: Double) -> Double {
        let k = s - 1
        return abs(k) < 1e-12 ? L : -expm1(-k * L) / k
    }
}

/// Fits Pareto/NBD by maximum likelihood (BFGS over log-parameters, analytic gradient).
public enum ParetoNBDModel {
    public static func fit(_ rows: [CompressedRow], minimumRepeatCustomers: Double = 10) throws -> ParetoNBDFit {
        let (customers, repeaters, rate) = try PurchaseModelEstimate.prepare(rows, minimumRepeatCustomers: minimumRepeatCustomers)
        let likelihood = ParetoNBDLikelihood(rows: rows)
        let exposure = rows.reduce(0) { $0 + $1.T * $1.weight }
        let meanAge = max(exposure / customers, 1e-6)
        let starts: [[Double]] = [[1, 1 / rate, 1, meanAge], [0.5, 0.5 / rate, 0.5, 0.5 * meanAge],
                                  [2, 2 / rate, 2, 4 * meanAge], [0.2, 0.2 / rate, 0.2, 0.2 * meanAge]]
        let objective: BFGSMinimizer.Objective = { logs in
            let (ll, g) = likelihood.evaluateInLogs(logs)
            return (-ll / customers, g.map { -$0 / customers })
        }
        let (fitted, attempts) = BFGSMinimizer.fitPositive(starts: starts, label: "(r, α, s, β)", sensibleRange: BGNBDModel.sensibleRange, objective)
        guard let fitted else { throw CLVError.notConverged(model: "Pareto/NBD", attempts: attempts) }
        let p = fitted.parameters
        let outside = zip(["r", "α", "s", "β"], p).filter { !BGNBDModel.sensibleRange.contains($0.1) }
        if !outside.isEmpty {
            let detail = outside.map { "\($0.0) = \(String(format: "%.3g", $0.1))" }.joined(separator: ", ")
            throw CLVError.degenerateParameters(model: "Pareto/NBD", detail: detail + "; large s and β mean nobody drops out")
        }
        // Hessian of −LL in the parameters by differencing the log-space gradient (chain rule: ∂/∂p = ∂/∂ln p / p).
        let hessian = SmallMatrix.numericHessian(at: p) { q in
            let g = likelihood.evaluateInLogs(q.map { log($0) }).gradient
            return (0..<4).map { -g[$0] / q[$0] }
        }
        return ParetoNBDFit(r: p[0], alpha: p[1], s: p[2], beta: p[3], statistics: FitStatistics(
            logLikelihood: -fitted.value * customers, customers: customers, repeatCustomers: repeaters,
            standardErrors: SmallMatrix.standardErrors(hessian: hessian), iterations: fitted.iterations, attempts: attempts))
    }

    /// The Pareto/NBD log-likelihood of (r, α, s, β) on rows.
    public static func logLikelihood(_ rows: [CompressedRow], r: Double, alpha: Double, s: Double, beta: Double) -> Double {
        ParetoNBDLikelihood(rows: rows).value([r, alpha, s, beta])
    }
}
