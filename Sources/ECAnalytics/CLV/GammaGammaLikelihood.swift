import Foundation

/// The Gamma-Gamma log-likelihood over customers, terms in x shared per distinct x
/// and terms in m̄ shared per distinct (x, m̄): prices repeat, so at a million
/// customers the 311k repeat customers' m̄ fall on far fewer values, and the
/// log per value was most of the fit's time.
struct GammaGammaLikelihood {
    private var groups: [(x: Double, logX: Double, count: Double, sumLogM: Double, m: [(value: Double, count: Double)])] = []

    init(x: [Int], m: [Double]) {
        var byX: [Int: [Double]] = [:]
        for (xi, mi) in zip(x, m) { byX[xi, default: []].append(mi) }
        groups = byX.keys.sorted().map { key in
            // Sorted, so sums (and the numeric Hessian's standard errors) do not depend on the customers' order.
            let values = (byX[key] ?? []).sorted()
            var distinct: [(value: Double, count: Double)] = []
            for v in values {
                if let last = distinct.last, last.value == v { distinct[distinct.count - 1].count += 1 } else { distinct.append((v, 1)) }
            }
            return (Double(key), log(Double(key)), Double(values.count),
                    distinct.reduce(0) { $0 + $1.count * log($1.value) }, distinct)
        }
    }

    func evaluate(_ params: [Double]) -> (value: Double, gradient: [Double]) {
        let (p, q, g) = (params[0], params[1], params[2])
        let lgQ = SpecialFunctions.logGamma(q), psiQ = SpecialFunctions.digamma(q), logG = log(g)
        var ll = 0.0, dp = 0.0, dq = 0.0, dg = 0.0
        for group in groups {
            let px = p * group.x
            let psiPXQ = SpecialFunctions.digamma(px + q), psiPX = SpecialFunctions.digamma(px)
            let shared = SpecialFunctions.logGamma(px + q) - SpecialFunctions.logGamma(px) - lgQ + q * logG + px * group.logX
            ll += group.count * shared + (px - 1) * group.sumLogM
            dp += group.count * group.x * (psiPXQ - psiPX + group.logX) + group.x * group.sumLogM
            dq += group.count * (psiPXQ - psiQ + logG)
            dg += group.count * q / g
            for (m, count) in group.m {
                let denominator = g + group.x * m
                let logDen = log(denominator)
                ll -= count * (px + q) * logDen
                dp -= count * group.x * logDen
                dq -= count * logDen
                dg -= count * (px + q) / denominator
            }
        }
        return (ll, [dp, dq, dg])
    }
}
