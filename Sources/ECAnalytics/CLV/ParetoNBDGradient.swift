import Foundation

/// The Pareto/NBD log-likelihood's analytic gradient.
///
/// Per customer the likelihood is (Fader & Hardie 2005, note 009, eq. 3 before
/// the ₂F₁ is taken):
///
///     L = Γ(r+x) α^r β^s / Γ(r) · B,   B = P + s·J,
///     P = (α+T)^−(r+x) (β+T)^−s                       (alive at T)
///     J = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ     (dropped out unseen at τ)
///
/// The value uses J's ₂F₁ closed form (`ParetoNBDLikelihood.logBracket`). The
/// derivatives of that closed form in r and s need ₂F₁'s derivatives in its
/// parameters, which have no handy form; differentiating under the integral
/// instead gives elementary integrands:
///
///     ∂B/∂r = −ln(α+T)·P − s·∫ ln(α+τ) f        ∂B/∂α = −(r+x)/(α+T)·P − s(r+x)·∫ f/(α+τ)
///     ∂B/∂s = −ln(β+T)·P + J − s·∫ ln(β+τ) f    ∂B/∂β = −s/(β+T)·P − s(s+1)·∫ f/(β+τ)
///
/// with f the integrand of J. The integrals are taken together by Gauss–Legendre
/// quadrature in u = ln(m+τ), m = min(α, β): there the integrand is smooth (its
/// singularities at τ = −α, −β lie at least π off the real axis) and decays like
/// e^{−(r+s+x)u}, so short panels of 16 nodes reach double precision, and panels
/// stop once the rest cannot change the sum. Everything is scaled by the
/// integrand's size at t_x, so frequent buyers' tiny (α+T)^−(r+x) do not underflow.
extension ParetoNBDLikelihood {
    /// Σ weight · ∂LL/∂(ln r, ln α, ln s, ln β).
    func gradientInLogs(_ p: [Double]) -> [Double] {
        let (r, alpha, s, beta) = (p[0], p[1], p[2], p[3])
        let psiR = SpecialFunctions.digamma(r)
        var total = [0.0, 0.0, 0.0, 0.0]
        var lastX = -1, psiRX = 0.0
        for row in rows {
            if row.x != lastX { psiRX = SpecialFunctions.digamma(r + Double(row.x)); lastX = row.x }
            let b = Self.bracketDerivatives(r: r, alpha: alpha, s: s, beta: beta, x: row.x, tx: row.tx, T: row.T)
            let d = [psiRX - psiR + log(alpha) + b[0], r / alpha + b[1], log(beta) + b[2], s / beta + b[3]]
            for i in 0..<4 { total[i] += row.weight * d[i] * p[i] }
        }
        return total
    }

    /// (∂B/∂r, ∂B/∂α, ∂B/∂s, ∂B/∂β) / B for one customer.
    static func bracketDerivatives(r: Double, alpha: Double, s: Double, beta: Double, x: Int, tx: Double, T: Double) -> [Double] {
        let a = r + Double(x)
        let q = integrals(r: r, alpha: alpha, s: s, beta: beta, x: x, tx: tx, T: T)
        let (P, j) = (q.alive, q.integrals)
        let B = P + s * j[0]
        let dr = -log(alpha + T) * P - s * j[1]
        let dalpha = -a / (alpha + T) * P - s * a * j[2]
        let ds = -log(beta + T) * P + j[0] - s * j[3]
        let dbeta = -s / (beta + T) * P - s * (s + 1) * j[4]
        return [dr / B, dalpha / B, ds / B, dbeta / B]
    }

    /// P and J, ∫ ln(α+τ) f, ∫ f/(α+τ), ∫ ln(β+τ) f, ∫ f/(β+τ), each × e^−scale.
    static func integrals(r: Double, alpha: Double, s: Double, beta: Double, x: Int, tx: Double,
                          T: Double) -> (scale: Double, alive: Double, integrals: [Double]) {
        let a = r + Double(x)
        // ln f(τ) + ln dτ/du, with τ = e^u − m.
        let m = min(alpha, beta)
        func logWeighted(_ tau: Double) -> Double { -a * log(alpha + tau) - (s + 1) * log(beta + tau) + log(m + tau) }
        let logP = -a * log(alpha + T) - s * log(beta + T)
        let scale = max(logWeighted(tx), logP)
        var j = [0.0, 0.0, 0.0, 0.0, 0.0]
        guard T > tx else { return (scale, exp(logP - scale), j) }
        let u0 = log(m + tx), u1 = log(m + T)
        let width = min(1, 2 / (a + s))
        var start = u0
        while start < u1 {
            let end = min(u1, start + width)
            let half = (end - start) / 2, mid = (end + start) / 2
            for (node, weight) in GaussLegendre.sixteen {
                let tau = exp(mid + half * node) - m
                let f = weight * half * exp(logWeighted(tau) - scale)
                j[0] += f
                j[1] += log(alpha + tau) * f
                j[2] += f / (alpha + tau)
                j[3] += log(beta + tau) * f
                j[4] += f / (beta + tau)
            }
            // With r + x ≥ 1 (or β ≤ α) the integrand only falls as u grows, so the
            // rest is at most its value here times the length left: stop below rounding.
            if a >= 1 || beta <= alpha, exp(logWeighted(exp(end) - m) - scale) * (u1 - end) < 1e-17 * j[0] { break }
            start = end
        }
        return (scale, exp(logP - scale), j)
    }
}

/// Gauss–Legendre quadrature nodes and weights on [−1, 1].
enum GaussLegendre {
    /// 16 nodes: exact for polynomials up to degree 31.
    static let sixteen: [(node: Double, weight: Double)] = rule(16)

    /// Nodes by Newton's method on the Legendre polynomial (Golub–Welsch would also do; n is small).
    static func rule(_ n: Int) -> [(node: Double, weight: Double)] {
        var out: [(Double, Double)] = []
        for i in 1...n {
            var z = cos(Double.pi * (Double(i) - 0.25) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = 0.0
                for j in 1...n {
                    let p2 = p1
                    p1 = p0
                    p0 = ((2 * Double(j) - 1) * z * p1 - (Double(j) - 1) * p2) / Double(j)
                }
                derivative = Double(n) * (z * p0 - p1) / (z * z - 1)
                let step = p0 / derivative
                z -= step
                if abs(step) < 1e-16 { break }
            }
            out.append((z, 2 / ((1 - z * z) * derivative * derivative)))
        }
        return out
    }
}
