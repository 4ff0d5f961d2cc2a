import Foundation

/// Fitted BG/NBD parameters and the predictions they imply.
///
/// Formulas from Fader, Hardie & Lee (2005), "Counting Your Customers the
/// Easy Way", Marketing Science 24(2): E[X(t)] eq. 9, E[Y(t) | x, t_x, T]
/// eq. 10, P(alive) from the appendix note "Computing P(alive)".
public struct BGNBDFit: Sendable, Equatable {
    public var r: Double
    public var alpha: Double
    public var a: Double
    public var b: Double
    public var statistics: FitStatistics
    /// One line per optimizer start: what happened.
    public var attempts: [String] { statistics.attempts }

    public init(r: Double, alpha: Double, a: Double, b: Double, logLikelihood: Double = .nan,
                customers: Double = 0, repeatCustomers: Double = 0, standardErrors: [Double?] = [nil, nil, nil, nil],
                iterations: Int = 0, converged: Bool = true, attempts: [String] = []) {
        self.init(r: r, alpha: alpha, a: a, b: b, statistics: FitStatistics(
            logLikelihood: logLikelihood, customers: customers, repeatCustomers: repeatCustomers,
            standardErrors: standardErrors, iterations: iterations, converged: converged, attempts: attempts))
    }

    public init(r: Double, alpha: Double, a: Double, b: Double, statistics: FitStatistics) {
        (self.r, self.alpha, self.a, self.b) = (r, alpha, a, b)
        self.statistics = statistics
    }

    /// P(alive at T | x, t_x, T); 1 for customers without a repeat purchase.
    public func probabilityAlive(x: Int, tx: Double, T: Double) -> Double {
        guard x > 0 else { return 1 }
        let rx = r + Double(x)
        let odds = a / (b + Double(x) - 1) * exp(rx * (log(alpha + T) - log(alpha + tx)))
        return 1 / (1 + odds)
    }

    /// Expected purchases in (T, T + t] for a customer with history (x, t_x, T).
    public func expectedPurchases(t: Double, x: Int, tx: Double, T: Double) -> Double {
        guard t > 0 else { return 0 }
        return Self.avoidingSingularity(a, singular: { singular($0, x: x) }) { a in
            let xd = Double(x)
            let denominator = x > 0 ? 1 + a / (b + xd - 1) * exp((r + xd) * (log(alpha + T) - log(alpha + tx))) : 1
            return ifAlive(a: a, t: t, x: x, T: T) / denominator
        }
    }

    /// The numerator of eq. 10: expected purchases given alive at T (the denominator is 1 / P(alive)).
    public func expectedPurchasesIfAlive(t: Double, x: Int, T: Double) -> Double {
        guard t > 0 else { return 0 }
        return Self.avoidingSingularity(a, singular: { singular($0, x: x) }) { ifAlive(a: $0, t: t, x: x, T: T) }
    }

    /// c = a + b + x − 1 hits the pole c = 0 of ₂F₁ only when x = 0 and a + b = 1; a = 1 divides by zero.
    private func singular(_ a: Double, x: Int) -> Bool { abs(a - 1) < 1e-6 || (x == 0 && abs(a + b - 1) < 1e-6) }

    private func ifAlive(a: Double, t: Double, x: Int, T: Double) -> Double {
        let xd = Double(x)
        let rx = r + xd
        let f = SpecialFunctions.hypergeometric2F1(rx, b + xd, a + b + xd - 1, t / (alpha + T + t))
        return (a + b + xd - 1) / (a - 1) * (1 - exp(rx * log((alpha + T) / (alpha + T + t))) * f)
    }

    /// Expected purchases in (0, t] for a randomly chosen new customer (E[X(t)]).
    public func expectedPurchases(t: Double) -> Double {
        guard t > 0 else { return 0 }
        return Self.avoidingSingularity(a, singular: { abs($0 - 1) < 1e-6 || abs($0 + b - 1) < 1e-6 }) { a in
            let z = t / (alpha + t)
            let f = SpecialFunctions.hypergeometric2F1(r, b, a + b - 1, z)
            return (a + b - 1) / (a - 1) * (1 - exp(r * log(alpha / (alpha + t))) * f)
        }
    }

    /// The closed forms divide by a − 1 and, for x = 0, meet the pole of ₂F₁ at
    /// a + b = 1; both singularities are removable (the expectation is smooth in
    /// a). Within 1e-6 of one, extrapolate symmetrically from a ± δ, a ± 2δ (Richardson, O(δ⁴)).
    static func avoidingSingularity(_ a: Double, singular: (Double) -> Bool, _ body: (Double) -> Double) -> Double {
        guard singular(a) else { return body(a) }
        let delta = 1e-4
        let near = 0.5 * (body(a + delta) + body(a - delta))
        let far = 0.5 * (body(a + 2 * delta) + body(a - 2 * delta))
        return (4 * near - far) / 3
    }
}
