import Foundation
import Testing
@testable import ECAnalytics

/// Per-group CLV: group rows add up to the total; separate fits recover each population; the χ² tail.
@Suite struct SeparateFitsTests {
    @Test(arguments: [(3.841459, 1.0, 0.05), (9.487729, 4.0, 0.05), (18.307038, 10.0, 0.05), (6.634897, 1.0, 0.01),
                      (2.0, 2.0, 0.36787944117144233), (30.0, 2.0, 3.059023205018258e-07), (0.5, 3.0, 0.9188914116)])
    func chiSquareTailMatchesTables(x: Double, df: Double, expected: Double) {
        // Critical values from any χ² table; for df = 2 the tail is exactly e^(−x/2).
        let p = SpecialFunctions.chiSquareSurvival(x, degreesOfFreedom: df)
        #expect(abs(p - expected) < 1e-6 * max(expected, 1e-3), "\(p) vs \(expected)")
    }

    static func customers(_ label: String, r: Double, alpha: Double, a: Double, b: Double, count: Int, seed: UInt64) -> [CustomerSummary] {
        BGNBDSimulator.simulate(count: count, r: r, alpha: alpha, a: a, b: b, T: 20...60, seed: seed).enumerated().map { i, c in
            // Spend: a fixed mean per customer so Gamma-Gamma has something to fit.
            CustomerSummary(customerID: "\(label)\(i)", x: c.x, tx: c.tx, T: c.T,
                            monetaryMean: c.x > 0 ? 20 + Double(i % 17) * 3 : nil)
        }
    }

    @Test func separateFitsRecoverEachPopulationAndTheTestSeesTheDifference() throws {
        let slow = Self.customers("s", r: 0.3, alpha: 8, a: 0.8, b: 3, count: 8_000, seed: 11)
        let fast = Self.customers("f", r: 1.2, alpha: 4, a: 0.5, b: 4, count: 8_000, seed: 12)
        let fits = SeparateFits.fit(groups: [("slow", slow), ("fast", fast)], kind: .bgnbd)
        for (fit, truth) in zip(fits, [[0.3, 8, 0.8, 3], [1.2, 4, 0.5, 4]]) {
            let t = try #require(fit.transactions, "\(fit.failure ?? "")")
            for i in 0..<4 {
                let se = try #require(t.standardErrors[i])
                // Eight estimates at once: 3.5 SE keeps the chance that any one strays past it under 0.4%.
                #expect(abs(t.parameters[i] - truth[i]) < 3.5 * se, "\(fit.label) param \(i): \(t.parameters[i]) vs \(truth[i]) ± \(se)")
            }
        }
        let pooled = try BGNBDModel.fit(customers: slow + fast)
        let test = LikelihoodRatioTest(pooledLogLikelihood: pooled.logLikelihood,
                                       groupLogLikelihoods: fits.compactMap { $0.transactions?.logLikelihood }, parametersPerModel: 4)
        #expect(test.degreesOfFreedom == 4)
        #expect(test.pValue < 1e-6)
        #expect(test.reading.contains("separate fits are warranted"))
    }

    @Test func theSameParametersInTwoGroupsGiveNoEvidence() throws {
        let one = Self.customers("a", r: 0.6, alpha: 5, a: 0.8, b: 3, count: 5_000, seed: 21)
        let two = Self.customers("b", r: 0.6, alpha: 5, a: 0.8, b: 3, count: 5_000, seed: 22)
        let fits = SeparateFits.fit(groups: [("a", one), ("b", two)], kind: .bgnbd)
        let pooled = try BGNBDModel.fit(customers: one + two)
        let test = LikelihoodRatioTest(pooledLogLikelihood: pooled.logLikelihood,
                                       groupLogLikelihoods: fits.compactMap { $0.transactions?.logLikelihood }, parametersPerModel: 4)
        // Separate fits never fit worse than the pooled one on the same customers.
        #expect(test.statistic >= 0)
        #expect(test.pValue > 0.01, "\(test.reading)")
    }

    @Test func pooledGroupRowsAddUpToTheTotal() throws {
        let all = Self.customers("c", r: 0.6, alpha: 5, a: 0.8, b: 3, count: 3_000, seed: 31)
        let calc = try CLVCalculator(transactions: try BGNBDModel.fit(customers: all), spend: try GammaGammaModel.fit(all),
                                     unit: .weeks, horizonMonths: 12, discount: .annual(0.1), margin: 0.3)
        // Number the customers; three groups by the last digit of the id: a partition.
        let keyed = all.enumerated().map { i, c in var c = c; c.key = Int32(i); return c }
        let predictions = calc.predictions(for: keyed)
        let group = keyed.map { c -> Int32 in
            let d = c.customerID.last?.wholeNumberValue ?? 0
            return d <= 3 ? 0 : d <= 6 ? 1 : 2
        }
        let (groups, total) = CLVGroupSummary.summarize(predictions, labels: ["0-3", "4-6", "7-9"], membership: .partition(group))
        #expect(groups.map(\.customers).reduce(0, +) == total.customers)
        #expect(total.customers == all.count)
        // Independent total: Σ CLV straight from the calculator, one customer at a time.
        let equity = all.reduce(0) { $0 + calc.value(for: $1) }
        #expect(abs(groups.map(\.equity).reduce(0, +) - equity) < 1e-9 * equity)
        #expect(abs(total.equity - equity) < 1e-9 * equity)
        #expect(abs(groups.map(\.purchasesSum).reduce(0, +) - total.purchasesSum) < 1e-9 * total.purchasesSum)
        // One-time buyers have P(alive) = 1 under BG/NBD: the repeat-only mean is lower than the overall mean.
        #expect(total.repeatAliveSum / Double(total.repeatCustomers) < total.aliveSum / Double(total.customers))
    }

    @Test func smallGroupsAreWarnedAbout() {
        let few = Self.customers("x", r: 0.6, alpha: 5, a: 0.8, b: 3, count: 50, seed: 41)
        let many = Self.customers("y", r: 0.6, alpha: 5, a: 0.8, b: 3, count: 2_000, seed: 42)
        let warnings = SeparateFits.smallGroupWarnings([("few", few), ("many", many)])
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("group few has only 50 customers") == true)
    }
}
