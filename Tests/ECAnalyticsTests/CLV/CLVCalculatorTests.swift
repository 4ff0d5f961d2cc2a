import ECStore
import Foundation
import Testing
@testable import ECAnalytics

@Suite struct CLVCalculatorTests {
    static let transactions = BGNBDFit(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    static let spend = GammaGammaFit(p: 6.25, q: 3.74, gamma: 15.44)

    @Test func annualRateConvertsToMonthly() {
        // (1.12)^(1/12) − 1 = exp(ln 1.12 / 12) − 1 = 0.0094888.
        #expect(abs(CLVCalculator.DiscountRate.annual(0.12).monthly - 0.0094888) < 1e-7)
        #expect(CLVCalculator.DiscountRate.monthly(0.01).monthly == 0.01)
    }

    @Test func clvMatchesIndependentlyIntegratedMonthlyPurchases() throws {
        let calc = try CLVCalculator(transactions: Self.transactions, spend: Self.spend, unit: .weeks,
                                     horizonMonths: 12, discount: .monthly(0.01), margin: 0.3)
        let customer = CustomerSummary(customerID: "1", x: 2, tx: 30.43, T: 38.86, monetaryMean: 22.35)
        // Independent: posterior quadrature (no ₂F₁) for cumulative purchases at each month end.
        let monthWeeks = 365.25 / 12 / 7
        var previous = 0.0, discounted = 0.0
        for k in 1...12 {
            let cumulative = posteriorExpectedPurchases(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426,
                                                        t: Double(k) * monthWeeks, x: 2, tx: 30.43, T: 38.86)
            discounted += (cumulative - previous) / pow(1.01, Double(k))
            previous = cumulative
        }
        // Gamma-Gamma expected spend by hand: weight 12.5/15.24 on 22.35, the rest on 96.5/2.74.
        let spend = 12.5 / 15.24 * 22.35 + 2.74 / 15.24 * (96.5 / 2.74)
        let expected = discounted * spend * 0.3
        #expect(abs(calc.value(for: customer) - expected) < 1e-7 * expected)
    }

    @Test func zeroDiscountTelescopesToTotalExpectedPurchases() throws {
        let calc = try CLVCalculator(transactions: Self.transactions, spend: Self.spend, unit: .days,
                                     horizonMonths: 24, discount: .monthly(0), margin: 0.5)
        let customer = CustomerSummary(customerID: "7", x: 4, tx: 150, T: 260, monetaryMean: 40)
        let total = Self.transactions.expectedPurchases(t: 24 * 30.4375, x: 4, tx: 150, T: 260)
        let spend = Self.spend.expectedSpend(x: 4, monetaryMean: 40)
        #expect(abs(calc.value(for: customer) - total * spend * 0.5) < 1e-9 * total * spend)
    }

    @Test func equityIsTheSumAndTheTableIsSorted() throws {
        let calc = try CLVCalculator(transactions: Self.transactions, spend: Self.spend, unit: .weeks,
                                     horizonMonths: 12, discount: .annual(0.1), margin: 0.25)
        let customers = [CustomerSummary(customerID: "a", x: 0, tx: 0, T: 30),
                         CustomerSummary(customerID: "b", x: 5, tx: 29, T: 30, monetaryMean: 50),
                         CustomerSummary(customerID: "c", x: 5, tx: 2, T: 30, monetaryMean: 50),
                         CustomerSummary(customerID: "d", x: 5, tx: 29, T: 30, monetaryMean: 10)]
        let individual = customers.map { calc.value(for: $0) }
        for (prediction, c) in zip(calc.predictions(for: customers), customers) {
            let horizon = Self.transactions.expectedPurchases(t: 12 * 365.25 / 12 / 7, x: c.x, tx: c.tx, T: c.T)
            #expect(abs(prediction.expectedPurchases - horizon) < 1e-12)
            #expect(prediction.probabilityAlive == Self.transactions.probabilityAlive(x: c.x, tx: c.tx, T: c.T))
        }
        #expect(abs(calc.customerEquity(customers) - individual.reduce(0, +)) < 1e-9)
        let table = calc.customerTable(customers, orderedBy: .clv)
        let ids = table.column("customer_id")!.compactMap(\.textValue)
        let order = customers.indices.sorted { individual[$0] > individual[$1] }.map { customers[$0].customerID }
        #expect(ids == order)
        #expect(ids.first == "b")   // recent, frequent, big spender
        let byAlive = calc.customerTable(customers, orderedBy: .probabilityAlive, limit: 2)
        #expect(byAlive.rows.count == 2)
        #expect(byAlive.column("customer_id")! == ["a", "b"])   // x = 0 is alive with probability 1
        #expect(byAlive.notes.contains { $0.contains("customer equity") })
    }

    @Test func rejectsAnEmptyHorizon() {
        #expect(throws: CLVError.self) {
            try CLVCalculator(transactions: Self.transactions, spend: Self.spend, unit: .weeks, horizonMonths: 0, discount: .monthly(0.01), margin: 0.3)
        }
    }

    @Test func parameterTablesCarryEstimatesAndErrors() throws {
        let fit = try BGNBDModel.fit(try BGNBDModelTests.cdnowRows())
        let table = fit.parameterTable(unit: .weeks)
        #expect(table.column("parameter")! == ["r", "alpha", "a", "b"])
        #expect(table.rows[0][1].doubleValue == fit.r)
        #expect(table.rows[3][2].doubleValue == fit.standardErrors[3])
        #expect(table.notes.contains { $0.contains("-9582.43") })
    }
}

/// Horizons past three years sum a year at a time; the result must match the month-by-month sum.
@Suite struct CLVLongHorizonTests {
    @Test(arguments: [(2, 30.43, 38.86), (0, 0.0, 20.0), (9, 36.0, 38.0)])
    func longHorizonMatchesMonthByMonthSum(x: Int, tx: Double, T: Double) throws {
        let fit = BGNBDFit(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        let calc = try CLVCalculator(transactions: fit, spend: GammaGammaFit(p: 6.25, q: 3.74, gamma: 15.44), unit: .weeks,
                                     horizonMonths: 1200, discount: .annual(0.1), margin: 1)
        // Independent: every month's increment, discounted by (1 + d)^k with d from the annual rate.
        let d = pow(1.1, 1.0 / 12) - 1
        var previous = 0.0, discounted = 0.0
        for k in 1...1200 {
            let cumulative = fit.expectedPurchases(t: Double(k) * 365.25 / 12 / 7, x: x, tx: tx, T: T)
            discounted += (cumulative - previous) / pow(1 + d, Double(k))
            previous = cumulative
        }
        let fast = calc.discountedPurchases(x: x, tx: tx, T: T)
        #expect(abs(fast - discounted) < 1e-3 * discounted, "\(fast) vs \(discounted)")
    }

    @Test func rejectsAHorizonPastTheLimit() {
        #expect(throws: CLVError.self) {
            try CLVCalculator(transactions: BGNBDFit(r: 1, alpha: 1, a: 1, b: 1), spend: GammaGammaFit(p: 1, q: 2, gamma: 1),
                              unit: .weeks, horizonMonths: 1201, discount: .monthly(0.01), margin: 0.3)
        }
    }
}
