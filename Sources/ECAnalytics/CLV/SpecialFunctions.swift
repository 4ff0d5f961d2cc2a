import Foundation

/// Special functions the CLV models need: digamma and Gauss's hypergeometric 2F1.
///
/// Foundation gives `lgamma`; digamma and 2F1 are not in libm, so they live here.
enum SpecialFunctions {
    /// Digamma ψ(x) = d/dx ln Γ(x) for x > 0.
    ///
    /// Shifts x above 10 with ψ(x) = ψ(x + 1) − 1/x, then uses the asymptotic
    /// series (Abramowitz & Stegun 6.3.18) through x⁻¹⁴; accurate to ~1e-15.
    static func digamma(_ x: Double) -> Double {
        var x = x
        var result = 0.0
        while x < 10 {
            result -= 1 / x
            x += 1
        }
        let f = 1 / (x * x)
        // Bernoulli-number coefficients B2k / (2k).
        let tail = 1.0 / 132 - f * (691.0 / 32760 - f / 12)
        let series = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * tail))))
        return result + log(x) - 0.5 / x - series
    }

    /// ln |Γ(x)|; the annotation picks libm's Double version (plain `lgamma` is ambiguous on Linux).
    static func logGamma(_ x: Double) -> Double {
        let value: Double = lgamma(x)
        return value
    }

    /// ln |Γ(x)| and the sign of Γ(x), for real x that is not a pole.
    static func logGammaWithSign(_ x: Double) -> (value: Double, sign: Double) {
        if x > 0 { return (logGamma(x), 1) }
        // Γ is negative on (−1, 0), (−3, −2), ...: odd floor means negative.
        let sign: Double = Int(floor(x)) % 2 == 0 ? 1 : -1
        return (logGamma(x), sign)
    }

    /// Gauss's hypergeometric function ₂F₁(a, b; c; z) for real parameters and 0 ≤ z < 1.
    ///
    /// For z ≤ 0.9 the defining series converges geometrically (at worst like 0.9ⁿ).
    /// Beyond that it uses the linear transformation to 1 − z (A&S 15.3.6), where
    /// both series converge fast; when c − a − b is (near) an integer that formula
    /// has cancelling poles, so it is evaluated at c ± δ, c ± 2δ and combined by
    /// Richardson extrapolation (error O(δ⁴)). Callers must not ask for a
    /// non-positive integer c (a pole of ₂F₁); the BG/NBD code avoids it.
    static func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        precondition(z >= 0 && z < 1, "2F1 is only evaluated on [0, 1) here")
        if z == 0 { return 1 }
        if z <= 0.9 { return series(a, b, c, z) }
        let s = c - a - b
        if abs(s - s.rounded()) < 1e-6 { return extrapolatedOverC(a, b, c, z) }
        return transformedToOneMinusZ(a, b, c, z)
    }

    /// Richardson's symmetric extrapolation in c: F(c) = (4 S(δ) − S(2δ)) / 3 + O(δ⁴),
    /// S(h) = (F(c+h) + F(c−h)) / 2. The points are ≥ δ − 1e-6 away from the integer gap.
    private static func extrapolatedOverC(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        let delta = 1e-4
        let near = 0.5 * (transformedToOneMinusZ(a, b, c + delta, z) + transformedToOneMinusZ(a, b, c - delta, z))
        let far = 0.5 * (transformedToOneMinusZ(a, b, c + 2 * delta, z) + transformedToOneMinusZ(a, b, c - 2 * delta, z))
        return (4 * near - far) / 3
    }

    /// The defining series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ, summed until terms stop mattering.
    static func series(_ a: Double, _ b: Double, _ c: Double, _ z: Double, maxTerms: Int = 200_000) -> Double {
        var term = 1.0
        var sum = 1.0
        var compensation = 0.0  // Kahan summation: long series near z = 1.
        for n in 0..<maxTerms {
            let k = Double(n)
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
            let y = term - compensation
            let t = sum + y
            compensation = (t - sum) - y
            sum = t
            // Stop once terms are tiny and shrinking (after the parameters stop growing them).
            if abs(term) <= 1e-17 * abs(sum) && k > abs(a) + abs(b) + abs(c) { break }
            if term == 0 { break }
        }
        return sum
    }

    /// A&S 15.3.6: ₂F₁(a,b;c;z) in terms of two series in 1 − z.
    private static func transformedToOneMinusZ(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        let w = 1 - z
        let s = c - a - b
        let gc = logGammaWithSign(c)
        // Term 1: Γ(c)Γ(s) / (Γ(c−a)Γ(c−b)) · F(a, b; 1 − s; w)
        let g1 = [logGammaWithSign(s), logGammaWithSign(c - a), logGammaWithSign(c - b)]
        let coefficient1 = gc.sign * g1[0].sign * g1[1].sign * g1[2].sign
            * exp(gc.value + g1[0].value - g1[1].value - g1[2].value)
        let term1 = coefficient1 * series(a, b, 1 - s, w)
        // Term 2: w^s Γ(c)Γ(−s) / (Γ(a)Γ(b)) · F(c − a, c − b; 1 + s; w)
        let g2 = [logGammaWithSign(-s), logGammaWithSign(a), logGammaWithSign(b)]
        let coefficient2 = gc.sign * g2[0].sign * g2[1].sign * g2[2].sign
            * exp(s * log(w) + gc.value + g2[0].value - g2[1].value - g2[2].value)
        let term2 = coefficient2 * series(c - a, c - b, 1 + s, w)
        return term1 + term2
    }
}

extension SpecialFunctions {
    /// P(χ²(k) ≥ x) = Q(k/2, x/2), the regularized upper incomplete gamma function.
    static func chiSquareSurvival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        guard x > 0 else { return 1 }
        return regularizedUpperGamma(k / 2, x / 2)
    }

    /// Q(a, x) = Γ(a, x) / Γ(a): the series for P when x < a + 1, Lentz's
    /// continued fraction for Q otherwise (both converge fast in their regions;
    /// Numerical Recipes §6.2 describes the split). libm has no incomplete gamma.
    static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 1 }
        let logPrefix = a * log(x) - x - logGamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logPrefix))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return min(1, exp(logPrefix) * h)
    }
}
