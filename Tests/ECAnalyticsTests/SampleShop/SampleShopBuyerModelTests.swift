import Foundation
import Testing
@testable import ECAnalytics

/// Fitting BG/NBD to the generated orders recovers roughly the parameters the generator used.
///
/// An independent fit written here: the published BG/NBD log-likelihood
/// (Fader, Hardie & Lee 2005, eq. 6) on per-customer (x, t_x, T) in days,
/// same-day orders merged, maximised by Nelder–Mead over log-parameters.
/// Seasonality and the channel and age factors blur the truth a little, so
/// the bounds are loose; a generator that ignored λ or p would miss them.
@Suite struct SampleShopBuyerModelTests {
    @Test func bgnbdFitRecoversTheGeneratingParameters() throws {
        let shop = GeneratedShop.committed
        let o = shop.orders
        // Rakuten-acquired customers: their purchase rate factor is 1 and their dropout the base
        // Beta(a, b) (own-site buyers and the other malls are scaled, SampleShop.Channel).
        let c = shop.customers
        let rakuten = Set(c.rows.filter { $0[c.column("acquisition_channel")] == "rakuten" }.map { $0[c.column("customer_id")] })
        var days: [String: Set<Int>] = [:]
        for row in o.rows where row[o.column("status")] == "completed" && rakuten.contains(row[o.column("customer_id")]) {
            let date = row[o.column("ordered_at")]
            let y = Int(date.prefix(4))!, m = Int(date.dropFirst(5).prefix(2))!, d = Int(date.dropFirst(8).prefix(2))!
            days[row[o.column("customer_id")], default: []].insert(SampleShop.daysSinceEpoch(year: y, month: m, day: d))
        }
        let end = SampleShop.daysSinceEpoch(year: 2025, month: 1, day: 1)
        // Compress to distinct (x, t_x, T) with weights.
        var weights: [[Int]: Double] = [:]
        for purchases in days.values {
            let sorted = purchases.sorted()
            weights[[sorted.count - 1, sorted.last! - sorted[0], end - sorted[0]], default: 0] += 1
        }
        let rows = weights.map { (x: Double($0.key[0]), tx: Double($0.key[1]), T: Double($0.key[2]), w: $0.value) }

        func negativeLogLikelihood(_ p: [Double]) -> Double {
            let r = exp(p[0]), alpha = exp(p[1]), a = exp(p[2]), b = exp(p[3])
            var total = 0.0
            for row in rows {
                let a1 = lgamma(r + row.x) - lgamma(r) + r * log(alpha)
                let a2 = lgamma(a + b) + lgamma(b + row.x) - lgamma(b) - lgamma(a + b + row.x)
                let a3 = -(r + row.x) * log(alpha + row.T)
                var ll = a1 + a2 + a3
                if row.x > 0 {
                    let a4 = log(a) - log(b + row.x - 1) - (r + row.x) * log(alpha + row.tx)
                    let high = max(a3, a4)
                    ll = a1 + a2 + high + log(exp(a3 - high) + exp(a4 - high))
                }
                total -= row.w * ll
            }
            return total
        }

        let fit = nelderMead(negativeLogLikelihood, start: [log(0.5), log(50), log(1), log(3)])
        let (r, alpha, a, b) = (exp(fit[0]), exp(fit[1]), exp(fit[2]), exp(fit[3]))
        // Generator: r = 0.25, α = 80, a = 0.7, b = 2.8 (SampleShop.BuyerModel).
        #expect(r > 0.18 && r < 0.35, "r \(r)")
        #expect(alpha > 55 && alpha < 120, "alpha \(alpha)")
        // a and b trade off against each other on a sample of this size (about 4,600 customers);
        // their ratio, the mean dropout chance a / (a + b) = 0.2 in the generator, is pinned better.
        #expect(a > 0.25 && a < 1.0, "a \(a)")
        #expect(b > 1.2 && b < 4.0, "b \(b)")
        #expect(abs(a / (a + b) - 0.2) < 0.05, "mean dropout \(a / (a + b))")
        #expect(SampleShop.BuyerModel.rateShape == 0.25 && SampleShop.BuyerModel.rateAlpha == 80)
    }
}

/// A plain Nelder–Mead minimiser (standard coefficients), enough for four parameters.
private func nelderMead(_ f: ([Double]) -> Double, start: [Double], step: Double = 0.5, iterations: Int = 2_000) -> [Double] {
    let n = start.count
    var simplex = [start] + (0..<n).map { i in var p = start; p[i] += step; return p }
    var values = simplex.map(f)
    for _ in 0..<iterations {
        let order = values.indices.sorted { values[$0] < values[$1] }
        simplex = order.map { simplex[$0] }
        values = order.map { values[$0] }
        if values[n] - values[0] < 1e-9 * (1 + abs(values[0])) { break }
        let centroid = (0..<n).map { j in simplex[0..<n].map { $0[j] }.reduce(0, +) / Double(n) }
        func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
        let reflected = along(-1), fr = f(reflected)
        if fr < values[0] {
            let expanded = along(-2), fe = f(expanded)
            (simplex[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr)
        } else if fr < values[n - 1] {
            (simplex[n], values[n]) = (reflected, fr)
        } else {
            let contracted = along(fr < values[n] ? -0.5 : 0.5), fc = f(contracted)
            if fc < min(fr, values[n]) {
                (simplex[n], values[n]) = (contracted, fc)
            } else {
                for i in 1...n {
                    simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                    values[i] = f(simplex[i])
                }
            }
        }
    }
    return simplex[values.indices.min { values[$0] < values[$1] }!]
}
