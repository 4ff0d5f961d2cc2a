import Foundation
import Testing
@testable import ECAnalytics

@Suite struct GammaGammaModelTests {
    static func cdnowRepeaters() throws -> (x: [Int], m: [Double]) {
        let rows = try CDNOW.summary().filter { $0.x > 0 }
        return (rows.map(\.x), rows.map(\.zbar))
    }

    @Test func reproducesPublishedCDNOWParameters() throws {
        let data = try Self.cdnowRepeaters()
        #expect(data.x.count == 946)
        let fit = try GammaGammaModel.fit(frequencies: data.x, monetaryMeans: data.m)
        // Fader, Hardie & Lee (2005) "RFM and CLV": p = 6.25, q = 3.74, γ = 15.44.
        #expect(sig3(fit.p) == 6.25)
        #expect(sig3(fit.q) == 3.74)
        #expect(sig3(fit.gamma) == 15.4)
        // Python's lifetimes gets γ = 15.4477 on this file (zbar rounded to cents); FHL print 15.44.
        #expect(abs(fit.gamma - 15.44) < 0.01)
        #expect(fit.customers == 946 && fit.excluded == 0)
        #expect(fit.standardErrors.allSatisfy { $0 != nil })
    }

    @Test func likelihoodMatchesPlainPerCustomerFormula() throws {
        let data = try Self.cdnowRepeaters()
        let (p, q, g) = (6.25, 3.74, 15.44)
        var expected = 0.0
        for (x, m) in zip(data.x.map(Double.init), data.m) {
            // The density of m̄: Γ(px+q)/(Γ(px)Γ(q)) γ^q m̄^(px−1) x^(px) / (γ + m̄x)^(px+q).
            expected += lgammaD(p * x + q) - lgammaD(p * x) - lgammaD(q) + q * log(g)
                + (p * x - 1) * log(m) + p * x * log(x) - (p * x + q) * log(g + m * x)
        }
        let value = GammaGammaModel.logLikelihood(frequencies: data.x, monetaryMeans: data.m, p: p, q: q, gamma: g).value
        #expect(abs(value - expected) < 1e-9 * abs(expected))
    }

    @Test(arguments: [[6.25, 3.74, 15.44], [1, 2, 30], [0.5, 12, 3]])
    func gradientMatchesCentralDifferences(point: [Double]) throws {
        let data = try Self.cdnowRepeaters()
        func ll(_ v: [Double]) -> Double {
            GammaGammaModel.logLikelihood(frequencies: data.x, monetaryMeans: data.m, p: v[0], q: v[1], gamma: v[2]).value
        }
        let g = GammaGammaModel.logLikelihood(frequencies: data.x, monetaryMeans: data.m, p: point[0], q: point[1], gamma: point[2]).gradient
        for i in 0..<3 {
            let h = 1e-6 * point[i]
            var up = point, down = point
            up[i] += h
            down[i] -= h
            let numeric = (ll(up) - ll(down)) / (2 * h)
            #expect(abs(g[i] - numeric) <= 1e-5 * max(1, abs(numeric)), "component \(i): \(g[i]) vs \(numeric)")
        }
    }

    @Test func expectedSpendIsTheCredibilityWeightedMean() {
        let fit = GammaGammaFit(p: 6.25, q: 3.74, gamma: 15.44)
        // Hand-worked: population mean pγ/(q−1) = 96.5/2.74 = 35.2190; for x = 2, m̄ = 22.35 the
        // weight on the customer's own mean is px/(px+q−1) = 12.5/15.24 = 0.820210.
        let population = 6.25 * 15.44 / 2.74
        #expect(abs(fit.populationMeanSpend - 35.21898) < 1e-4)
        let w = 12.5 / 15.24
        #expect(abs(fit.expectedSpend(x: 2, monetaryMean: 22.35) - (w * 22.35 + (1 - w) * population)) < 1e-9)
        #expect(abs(fit.expectedSpend(x: 2, monetaryMean: 22.35) - 24.6637) < 1e-3)
        #expect(fit.expectedSpend(x: 0, monetaryMean: nil) == fit.populationMeanSpend)
    }

    @Test func repeatPurchasesWorthNothingPredictALowSpend() {
        let fit = GammaGammaFit(p: 6.25, q: 3.74, gamma: 15.44)
        // x = 3 repeat purchases all worth 0 (free samples): pγ / (px + q − 1) = 96.5 / (18.75 + 2.74) = 4.49046,
        // the credibility-weighted mean with the customer's own mean at 0; it was the population mean, 35.22.
        #expect(abs(fit.expectedSpend(x: 3, monetaryMean: 0) - 96.5 / 21.49) < 1e-9)
        #expect(abs(fit.expectedSpend(x: 3, monetaryMean: 0) - 4.49046) < 1e-5)
        // No usable mean at all still falls back to the population mean.
        #expect(fit.expectedSpend(x: 3, monetaryMean: nil) == fit.populationMeanSpend)
        #expect(fit.expectedSpend(x: 3, monetaryMean: .nan) == fit.populationMeanSpend)
    }

    @Test func recoversSimulatedParameters() throws {
        // Spend per purchase z ~ Gamma(p, ν), ν ~ Gamma(q, γ) per customer; m̄ is the mean of x draws.
        let (p, q, g) = (6.0, 4.0, 15.0)
        var rng = SeededRandom(seed: 77)
        var xs: [Int] = [], ms: [Double] = []
        for _ in 0..<8_000 {
            let x = 1 + Int(rng.uniform() * 8)
            let nu = rng.gamma(shape: q, rate: g)
            let total = (0..<x).reduce(0.0) { acc, _ in acc + rng.gamma(shape: p, rate: nu) }
            xs.append(x)
            ms.append(total / Double(x))
        }
        let fit = try GammaGammaModel.fit(frequencies: xs, monetaryMeans: ms)
        let estimates = [fit.p, fit.q, fit.gamma], truths = [p, q, g]
        for i in 0..<3 {
            let (estimate, truth) = (estimates[i], truths[i])
            let se = try #require(fit.standardErrors[i])
            #expect(abs(estimate - truth) < 3 * se, "\(estimate) vs \(truth) ± \(se)")
        }
        #expect(abs(fit.frequencySpendCorrelation) < 0.1)
        #expect(fit.warnings.isEmpty)
    }

    @Test func nonPositiveSpendsAreExcludedAndCounted() throws {
        let data = try Self.cdnowRepeaters()
        let fit = try GammaGammaModel.fit(frequencies: data.x + [1, 2, 3, 0], monetaryMeans: data.m + [0, -5, nil, nil])
        #expect(fit.excluded == 3)
        #expect(fit.customers == 946)
        #expect(sig3(fit.p) == 6.25)
        #expect(fit.warnings.contains { $0.contains("3 repeat customer") })
    }

    @Test func correlatedSpendWarnsOrIsRefused() throws {
        // Spend rises with frequency: each customer's Gamma-Gamma spend scaled by (1 + x/2).
        var rng = SeededRandom(seed: 5)
        let xs = (0..<2000).map { _ in 1 + Int(rng.uniform() * 10) }
        let ms = xs.map { x in
            let nu = rng.gamma(shape: 4, rate: 15)
            return (1 + Double(x) / 2) * (0..<x).reduce(0.0) { acc, _ in acc + rng.gamma(shape: 6, rate: nu) } / Double(x)
        }
        let r = GammaGammaModel.correlation(xs.map(Double.init), ms)
        #expect(r > 0.3)
        let fit = try GammaGammaModel.fit(frequencies: xs, monetaryMeans: ms)
        #expect(abs(fit.frequencySpendCorrelation - r) < 1e-12)
        #expect(fit.warnings.contains { $0.contains("Pearson") })
        #expect(throws: CLVError.spendFrequencyCorrelated(pearson: r, limit: 0.3)) {
            try GammaGammaModel.fit(frequencies: xs, monetaryMeans: ms, correlationLimit: 0.3)
        }
    }

    @Test func pearsonCorrelationHandWorked() {
        // x = 1,2,3; y = 2,4,7: cov = 2.5, sd_x = 1, sd_y = √(6.333..): r = 2.5/√6.3333 = 0.99340.
        #expect(abs(GammaGammaModel.correlation([1, 2, 3], [2, 4, 7]) - 0.993399) < 1e-6)
    }

    @Test func heavyTailedSpendGivesInfiniteMeanError() throws {
        // Simulated from Gamma-Gamma with q = 0.8: spend has no finite mean.
        var rng = SeededRandom(seed: 11)
        let xs = (0..<3000).map { _ in 1 + Int(rng.uniform() * 3) }
        let ms = xs.map { x in
            let nu = rng.gamma(shape: 0.8, rate: 10)
            return (0..<x).reduce(0.0) { acc, _ in acc + rng.gamma(shape: 3, rate: nu) } / Double(x)
        }
        do {
            let fit = try GammaGammaModel.fit(frequencies: xs, monetaryMeans: ms)
            Issue.record("expected q ≤ 1, got q = \(fit.q)")
        } catch let error as CLVError {
            guard case .infiniteMeanSpend(let q) = error else { Issue.record("unexpected \(error)"); return }
            #expect(q <= 1)
            #expect(error.description.contains("infinite"))
        }
    }
}

/// The Gamma-Gamma estimates do not depend on where the search stopped.
@Suite struct GammaGammaPrecisionTests {
    /// Every start on its own lands on the same (p, q, γ) to 1e-8 relative (BFGS alone left γ
    /// loose in the 5th digit), and there the analytic gradient, checked against central
    /// differences in GammaGammaModelTests, is zero to rounding.
    @Test func everyStartLandsOnTheSameEstimates() throws {
        let data = try GammaGammaModelTests.cdnowRepeaters()
        let mean = data.m.reduce(0, +) / Double(data.m.count)
        let starts: [[Double]] = [[1, 2, mean], [5, 3, 0.4 * mean], [0.5, 1.5, 0.25 * mean], [20, 10, 0.45 * mean], [3, 8, 2 * mean]]
        let fits = try starts.map { try GammaGammaModel.fit(frequencies: data.x, monetaryMeans: data.m, starts: [$0]) }
        let first = try #require(fits.first)
        for fit in fits {
            for (a, b) in [(fit.p, first.p), (fit.q, first.q), (fit.gamma, first.gamma)] {
                #expect(abs(a - b) <= 1e-8 * abs(b), "\(a) vs \(b)")
            }
            let g = GammaGammaModel.logLikelihood(frequencies: data.x, monetaryMeans: data.m, p: fit.p, q: fit.q, gamma: fit.gamma).gradient
            // ∂LL/∂ln θ per customer, as the optimizer sees it.
            let scaled = zip(g, [fit.p, fit.q, fit.gamma]).map { abs($0 * $1) / Double(data.x.count) }
            #expect(scaled.allSatisfy { $0 < 1e-10 }, "\(scaled)")
        }
    }
}
