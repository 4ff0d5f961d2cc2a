import Foundation

/// The Pareto/NBD log-likelihood over weighted rows (Fader & Hardie 2005, note 009, eq. 22–24).
///
/// Per customer, with A₀ from the note (two ₂F₁ terms, the variant chosen by α ≥ β):
///
///     LL = ln Γ(r+x) − ln Γ(r) + r ln α + s ln β
///        + ln( (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀ )
///
/// Every term is kept in logs (log-sum-exp), because (α+T)^−(r+x) underflows for
/// frequent buyers. The gradient is analytic, from the integral form of A₀
/// (ParetoNBDGradient.swift; checked against finite differences in ParetoNBDModelTests).
struct ParetoNBDLikelihood: Sendable {
    let rows: [CompressedRow]
    /// Σ weights: the number of customers.
    let totalWeight: Double

    init(rows: [CompressedRow]) {
        self.rows = rows
        totalWeight = rows.reduce(0) { $0 + $1.weight }
    }

    /// Σ weight · LL at (r, α, s, β).
    func value(_ p: [Double]) -> Double {
        let (r, alpha, s, beta) = (p[0], p[1], p[2], p[3])
        let constant = -SpecialFunctions.logGamma(r) + r * log(alpha) + s * log(beta)
        var ll = 0.0
        var lastX = -1, lgRX = 0.0
        for row in rows {
            if row.x != lastX { lgRX = SpecialFunctions.logGamma(r + Double(row.x)); lastX = row.x }
            ll += row.weight * (constant + lgRX + Self.logBracket(r: r, alpha: alpha, s: s, beta: beta, x: row.x, tx: row.tx, T: row.T))
        }
        return ll
    }

    /// Value and the analytic gradient (`gradientInLogs`) with respect to the log-parameters.
    func evaluateInLogs(_ logs: [Double]) -> (value: Double, gradient: [Double]) {
        let p = logs.map { exp($0) }
        return (value(p), gradientInLogs(p))
    }

    /// ln( (α+T)^−(r+x)(β+T)^−s + s/(r+s+x) A₀ ).
    static func logBracket(r: Double, alpha: Double, s: Double, beta: Double, x: Int, tx: Double, T: Double) -> Double {
        let xd = Double(x)
        let alive = -(r + xd) * log(alpha + T) - s * log(beta + T)
        guard let logA0 = logA0(r: r, alpha: alpha, s: s, beta: beta, x: x, tx: tx, T: T) else { return alive }
        let died = log(s / (r + s + xd)) + logA0
        let m = max(alive, died)
        return m + log(exp(alive - m) + exp(died - m))
    }

    /// ln A₀; nil when A₀ = 0 (t_x = T: no time to have dropped out unseen).
    static func logA0(r: Double, alpha: Double, s: Double, beta: Double, x: Int, tx: Double, T: Double) -> Double? {
        let xd = Double(x)
        let rsx = r + s + xd
        let (big, small, second) = alpha >= beta ? (alpha, beta, s + 1) : (beta, alpha, r + xd)
        func term(_ t: Double) -> Double {
            let z = (big - small) / (big + t)
            return log(SpecialFunctions.hypergeometric2F1(rsx, second, rsx + 1, z)) - rsx * log(big + t)
        }
        let early = term(tx), late = term(T)
        guard early > late else { return nil }
        return early + log(-expm1(late - early))
    }
}
