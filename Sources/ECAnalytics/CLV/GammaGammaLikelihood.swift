import Foundation

/// The Gamma-Gamma log-likelihood over customers, terms in x shared per distinct x.
struct GammaGammaLikelihood {
    private var groups: [(x: Double, logX: Double, count: Double, sumLogM: Double, m: [Double])] = []

    init(x: [Int], m: [Double]) {
        var byX: [Int: [Double]] = [:]
        for (xi, mi) in zip(x, m) { byX[xi, default: []].append(mi) }
        groups = byX.keys.sorted().map { key in
            // Sorted, so sums (and the numeric Hessian's standard errors) do not depend on the customers' order.
            let values = (byX[key] ?? []).sorted()
            return (Double(key), log(Double(key)), Double(values.count), values.reduce(0) { $0 + log($1) }, values)
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
            for m in group.m {
                let denominator = g + group.x * m
                let logDen = log(denominator)
                ll -= (px + q) * logDen
                dp -= group.x * logDen
                dq -= logDen
                dg -= (px + q) / denominator
            }
        }
        return (ll, [dp, dq, dg])
    }
}
