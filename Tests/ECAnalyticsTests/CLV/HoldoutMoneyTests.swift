import Foundation
import Testing
@testable import ECAnalytics

/// Validation in money on a simulated shop where the truth is known.
@Suite struct HoldoutMoneyTests {
    struct SimulatedCustomer { var summary: CustomerSummary; var holdoutCount: Int; var holdoutSpend: Double; var holdoutMargin: Double }

    /// BG/NBD purchases (λ ~ Gamma(r, α), p ~ Beta(a, b)) with Gamma-Gamma spend (ν ~ Gamma(q, γ),
    /// each purchase ~ Gamma(p_s, ν)), followed through calibration age T and a holdout of `holdout` weeks.
    static func simulate(count: Int, holdout: Double, seed: UInt64) -> [SimulatedCustomer] {
        var rng = SeededRandom(seed: seed)
        let (r, alpha, a, b) = (0.6, 5.0, 0.8, 3.0)
        let (ps, q, gamma) = (6.0, 4.0, 300.0)
        return (0..<count).map { i in
            let lambda = rng.gamma(shape: r, rate: alpha), dropout = rng.beta(a, b)
            let nu = rng.gamma(shape: q, rate: gamma)
            let age = 20 + 40 * rng.uniform()
            // Each customer's own margin rate (discounts, mall fees and costs differ by customer).
            let marginRate = 0.1 + 0.3 * rng.uniform()
            var t = 0.0, x = 0, last = 0.0, repeatSpend = 0.0, holdoutCount = 0, holdoutSpend = 0.0, holdoutMargin = 0.0
            while true {
                t += rng.exponential(rate: lambda)
                if t > age + holdout { break }
                let amount = rng.gamma(shape: ps, rate: nu)
                if t <= age { x += 1; last = t; repeatSpend += amount } else { holdoutCount += 1; holdoutSpend += amount; holdoutMargin += marginRate * amount }
                if rng.uniform() < dropout { break }
            }
            let summary = CustomerSummary(customerID: "c\(i)", x: x, tx: last, T: age, monetaryMean: x > 0 ? repeatSpend / Double(x) : nil,
                                          holdoutPurchases: holdoutCount, holdoutValue: holdoutSpend, holdoutMargin: holdoutMargin)
            return SimulatedCustomer(summary: summary, holdoutCount: holdoutCount, holdoutSpend: holdoutSpend, holdoutMargin: holdoutMargin)
        }
    }

    @Test func predictedHoldoutSpendIsWithinTheExpectedError() throws {
        let shop = Self.simulate(count: 8_000, holdout: 13, seed: 4_242)
        let customers = shop.map(\.summary)
        let fit = try BGNBDModel.fit(customers: customers)
        let spend = try GammaGammaModel.fit(customers)
        let money = try HoldoutMoney.run(fit: fit, spend: spend, customers: customers, holdoutLength: 13,
                                         calibrationMargin: 0.3)
        // Actual figures are the simulated ones, summed independently.
        #expect(money.purchases.actual == Double(shop.reduce(0) { $0 + $1.holdoutCount }))
        #expect(abs(money.spend.actual - shop.reduce(0) { $0 + $1.holdoutSpend }) < 1e-6 * money.spend.actual)
        // Actual margin is each customer's own, summed: not the spend times one ratio.
        let simulatedMargin = shop.reduce(0) { $0 + $1.holdoutMargin }
        #expect(abs(money.margin.actual - simulatedMargin) < 1e-9 * simulatedMargin)
        #expect(abs(money.groups.map(\.actualMargin).reduce(0, +) - simulatedMargin) < 1e-9 * simulatedMargin)
        #expect(abs(money.margin.predicted - 0.3 * money.spend.predicted) < 1e-6 * money.spend.predicted)
        // Expected error of the total: customers are independent, so its standard deviation is about
        // √Σ (actual − predicted)² over customers; the prediction must land within 3 of them.
        var squares = 0.0, predictedTotal = 0.0
        for c in customers {
            let predicted = fit.expectedPurchases(t: 13, x: c.x, tx: c.tx, T: c.T) * spend.expectedSpend(x: c.x, monetaryMean: c.monetaryMean)
            predictedTotal += predicted
            squares += pow(c.holdoutValue! - predicted, 2)
        }
        #expect(abs(money.spend.predicted - predictedTotal) < 1e-6 * predictedTotal)
        let sd = sqrt(squares)
        #expect(abs(money.spend.predicted - money.spend.actual) < 3 * sd,
                "predicted \(money.spend.predicted) actual \(money.spend.actual) sd \(sd)")
        // And the error is a modest share of the total (the shop is large).
        #expect(abs(money.spend.relativeError) < 0.1)
        // Groups partition the customers and add up to the totals.
        #expect(money.groups.map(\.customers).reduce(0, +) == customers.count)
        #expect(abs(money.groups.map(\.predictedSpend).reduce(0, +) - money.spend.predicted) < 1e-6 * money.spend.predicted)
        let table = money.totalsTable(currency: "JPY")
        #expect(table.columns == ["holdout", "purchases", "spend", "margin"])
        #expect(table.notes[0].hasPrefix("total error (predicted vs actual): purchases"))
    }

    @Test func handWorkedTwoCustomers() throws {
        // BG/NBD with known parameters; Gamma-Gamma with p = 2, q = 3, γ = 10 (population mean 2·10/2 = 10).
        let fit = BGNBDFit(r: 0.5, alpha: 4, a: 0.8, b: 2.5)
        let spend = GammaGammaFit(p: 2, q: 3, gamma: 10)
        // Customer 1's holdout order: amount 30 − discount 3 − cogs 12 − shipping 2 − commission 2 = CM2 11.
        let one = CustomerSummary(customerID: "1", x: 0, tx: 0, T: 10, monetaryMean: nil, holdoutPurchases: 1, holdoutValue: 30,
                                  holdoutMargin: 30 - 3 - 12 - 2 - 2)
        let two = CustomerSummary(customerID: "2", x: 2, tx: 8, T: 10, monetaryMean: 20, holdoutPurchases: 0, holdoutValue: 0,
                                  holdoutMargin: 0)
        let money = try HoldoutMoney.run(fit: fit, spend: spend, customers: [one, two], holdoutLength: 5, calibrationMargin: 0.5)
        let e1 = fit.expectedPurchases(t: 5, x: 0, tx: 0, T: 10), e2 = fit.expectedPurchases(t: 5, x: 2, tx: 8, T: 10)
        // Expected spend: x = 0 → 10; x = 2, m̄ = 20 → p(γ + x m̄)/(p x + q − 1) = 2·50/6.
        let s1 = e1 * 10, s2 = e2 * 100 / 6
        #expect(abs(money.spend.predicted - (s1 + s2)) < 1e-12)
        #expect(money.spend.actual == 30)
        #expect(abs(money.spend.meanAbsoluteError - (abs(s1 - 30) + s2) / 2) < 1e-12)
        #expect(abs(money.margin.predicted - 0.5 * (s1 + s2)) < 1e-12)
        #expect(money.margin.actual == 11)
        #expect(money.groups[0].actualMargin == 11 && money.groups[2].actualMargin == 0)
        #expect(abs(money.margin.meanAbsoluteError - (abs(0.5 * s1 - 11) + 0.5 * s2) / 2) < 1e-12)
        #expect(money.groups[0].customers == 1 && money.groups[2].customers == 1)
    }
}
