import Foundation
import Testing
@testable import ECAnalytics

/// Rounds to 3 significant figures, the precision the papers publish.
func sig3(_ v: Double) -> Double {
    guard v != 0 else { return 0 }
    let scale = pow(10, 2 - floor(log10(abs(v))))
    return (v * scale).rounded() / scale
}

@Suite struct BGNBDModelTests {
    static func cdnowRows() throws -> [CompressedRow] {
        CompressedRow.compress(try CDNOW.summary().map { ($0.x, $0.tx, $0.T) })
    }

    @Test func reproducesPublishedCDNOWParameters() throws {
        let rows = try Self.cdnowRows()
        #expect(rows.reduce(0) { $0 + $1.weight } == 2357)
        let fit = try BGNBDModel.fit(rows)
        // Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
        #expect(sig3(fit.r) == 0.243)
        #expect(sig3(fit.alpha) == 4.41)
        #expect(abs(fit.alpha - 4.414) < 0.001)
        #expect(sig3(fit.a) == 0.793)
        #expect(sig3(fit.b) == 2.43)
        #expect(abs(fit.b - 2.426) < 0.001)
        #expect(abs(fit.logLikelihood - -9582.4) < 0.05)
        #expect(fit.converged)
        #expect(fit.repeatCustomers == 946)
    }

    @Test func likelihoodMatchesPlainPerCustomerFormula() throws {
        // Independent: the textbook per-customer formula without grouping or log-sum-exp.
        let customers = try CDNOW.summary()
        let (r, al, a, b) = (0.243, 4.414, 0.793, 2.426)
        var expected = 0.0
        for c in customers {
            let x = Double(c.x)
            let a1 = lgammaD(r + x) - lgammaD(r) + r * log(al)
            let a2 = lgammaD(a + b) + lgammaD(b + x) - lgammaD(b) - lgammaD(a + b + x)
            let a3 = pow(al + c.T, -(r + x))
            let a4 = c.x > 0 ? a / (b + x - 1) * pow(al + c.tx, -(r + x)) : 0
            expected += a1 + a2 + log(a3 + a4)
        }
        let value = BGNBDModel.logLikelihood(try Self.cdnowRows(), r: r, alpha: al, a: a, b: b).value
        #expect(abs(value - expected) < 1e-8 * abs(expected))
        #expect(abs(value - -9582.4) < 0.5)
    }

    @Test(arguments: [[0.243, 4.414, 0.793, 2.426], [1.0, 1.0, 1.0, 1.0], [0.05, 30, 3.5, 0.4], [5, 0.2, 0.2, 12]])
    func gradientMatchesCentralDifferences(point: [Double]) throws {
        let rows = try Self.cdnowRows()
        let g = BGNBDModel.logLikelihood(rows, r: point[0], alpha: point[1], a: point[2], b: point[3]).gradient
        for i in 0..<4 {
            let h = 1e-6 * point[i]
            var up = point, down = point
            up[i] += h
            down[i] -= h
            let fu = BGNBDModel.logLikelihood(rows, r: up[0], alpha: up[1], a: up[2], b: up[3]).value
            let fd = BGNBDModel.logLikelihood(rows, r: down[0], alpha: down[1], a: down[2], b: down[3]).value
            let numeric = (fu - fd) / (2 * h)
            #expect(abs(g[i] - numeric) <= 1e-5 * max(1, abs(numeric)), "component \(i): \(g[i]) vs \(numeric)")
        }
    }

    @Test func cdnowConditionalExpectationAndPAlive() throws {
        let fit = try BGNBDModel.fit(try Self.cdnowRows())
        // FHL 2005: x = 2, t_x = 30.43, T = 38.86 → 1.226 purchases in 39 weeks, P(alive) 0.727.
        #expect(sig3(fit.expectedPurchases(t: 39, x: 2, tx: 30.43, T: 38.86)) == 1.23)
        #expect(abs(fit.expectedPurchases(t: 39, x: 2, tx: 30.43, T: 38.86) - 1.226) < 0.0015)
        #expect(sig3(fit.probabilityAlive(x: 2, tx: 30.43, T: 38.86)) == 0.727)
    }

    @Test func standardErrorsMatchSecondDifferencesOfTheLikelihood() throws {
        // Independent Hessian: second differences of LL values (not of the analytic gradient).
        let rows = try Self.cdnowRows()
        let fit = try BGNBDModel.fit(rows)
        let p = [fit.r, fit.alpha, fit.a, fit.b]
        func ll(_ q: [Double]) -> Double { BGNBDModel.logLikelihood(rows, r: q[0], alpha: q[1], a: q[2], b: q[3]).value }
        var h = Array(repeating: Array(repeating: 0.0, count: 4), count: 4)
        for i in 0..<4 {
            for j in 0..<4 {
                let hi = 1e-4 * p[i], hj = 1e-4 * p[j]
                var pp = p, pm = p, mp = p, mm = p
                pp[i] += hi; pp[j] += hj
                pm[i] += hi; pm[j] -= hj
                mp[i] -= hi; mp[j] += hj
                mm[i] -= hi; mm[j] -= hj
                h[i][j] = -(ll(pp) - ll(pm) - ll(mp) + ll(mm)) / (4 * hi * hj)
            }
        }
        let expected = SmallMatrix.standardErrors(hessian: h)
        for i in 0..<4 {
            let se = try #require(fit.standardErrors[i])
            let reference = try #require(expected[i])
            #expect(abs(se - reference) < 0.01 * reference)
        }
        // lifetimes reports r 0.0126, α 0.378, a 0.186, b 0.705 for CDNOW.
        #expect(abs(fit.standardErrors[0]! - 0.0126) < 0.0005)
        #expect(abs(fit.standardErrors[1]! - 0.378) < 0.005)
    }

    @Test(arguments: [(2, 30.43, 38.86, 39.0), (0, 0.0, 38.86, 39.0), (1, 1.71, 38.86, 52.0), (7, 35.0, 37.0, 10.0), (20, 2.0, 39.0, 200.0), (3, 5.0, 6.0, 500.0)])
    func conditionalExpectationMatchesPosteriorIntegration(x: Int, tx: Double, T: Double, t: Double) {
        let fit = BGNBDFit(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        let closed = fit.expectedPurchases(t: t, x: x, tx: tx, T: T)
        let integral = posteriorExpectedPurchases(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, t: t, x: x, tx: tx, T: T)
        #expect(abs(closed - integral) < 1e-7 * max(1, integral), "\(closed) vs \(integral)")
    }

    @Test(arguments: [(0.243, 4.414, 0.793, 2.426), (1.5, 20, 3.0, 0.6), (0.7, 2, 1.0, 4.0), (0.3, 10, 1.2, 1.5),
                      (0.7, 2, 0.4, 0.6), (0.5, 3, 1.0000003, 2.0)] as [(Double, Double, Double, Double)])
    func conditionalExpectationAtOtherParameters(r: Double, alpha: Double, a: Double, b: Double) {
        // Includes a = 1 and a + b = 1 (removable singularities of the closed form).
        let fit = BGNBDFit(r: r, alpha: alpha, a: a, b: b)
        for (x, tx, T, t) in [(0, 0.0, 30.0, 40.0), (4, 20.0, 30.0, 40.0), (2, 1.0, 3.0, 300.0)] {
            let closed = fit.expectedPurchases(t: t, x: x, tx: tx, T: T)
            let integral = posteriorExpectedPurchases(r: r, alpha: alpha, a: a, b: b, t: t, x: x, tx: tx, T: T)
            #expect(abs(closed - integral) < 1e-6 * max(1, integral), "x=\(x): \(closed) vs \(integral)")
        }
    }

    @Test func unconditionalExpectationMatchesIntegration() {
        let (r, al, a, b) = (0.243, 4.414, 0.793, 2.426)
        let fit = BGNBDFit(r: r, alpha: al, a: a, b: b)
        let beta = exp(lgammaD(a) + lgammaD(b) - lgammaD(a + b))
        for t in [1.0, 39, 78, 1000] {
            // E[X(t)] = ∫ (1/p)(1 − (α/(α+pt))^r) Beta(p; a, b) dp.
            let integral = tanhSinh { p, q in
                -expm1(-r * log1p(p * t / al)) / p * pow(p, a - 1) * pow(q, b - 1)
            } / beta
            #expect(abs(fit.expectedPurchases(t: t) - integral) < 1e-7 * max(1, integral))
        }
        // The population mean purchases in week 1..78 are increasing.
        #expect(fit.expectedPurchases(t: 78) > fit.expectedPurchases(t: 39))
    }

    @Test func pAliveMatchesPosteriorIntegration() {
        let (r, al, a, b) = (0.243, 4.414, 0.793, 2.426)
        let fit = BGNBDFit(r: r, alpha: al, a: a, b: b)
        for (x, tx, T) in [(2, 30.43, 38.86), (1, 1.0, 38.0), (10, 20.0, 39.0)] {
            let xd = Double(x)
            let dropped = exp((r + xd) * (log(al + T) - log(al + tx)))
            let alive = tanhSinh { p, q in pow(p, a - 1) * pow(q, b + xd - 1) }
            let dead = tanhSinh { p, q in dropped * pow(p, a) * pow(q, b + xd - 2) }
            #expect(abs(fit.probabilityAlive(x: x, tx: tx, T: T) - alive / (alive + dead)) < 1e-8)
        }
        #expect(fit.probabilityAlive(x: 0, tx: 0, T: 30) == 1)
    }

    @Test func recoversSimulatedParameters() throws {
        let truth = (r: 0.6, alpha: 5.0, a: 0.8, b: 3.0)
        let customers = BGNBDSimulator.simulate(count: 10_000, r: truth.r, alpha: truth.alpha, a: truth.a, b: truth.b,
                                                T: 20...60, seed: 20_240_601)
        let fit = try BGNBDModel.fit(CompressedRow.compress(customers.map { ($0.x, $0.tx, $0.T) }))
        let estimates = [fit.r, fit.alpha, fit.a, fit.b]
        let truths = [truth.r, truth.alpha, truth.a, truth.b]
        for i in 0..<4 {
            let se = try #require(fit.standardErrors[i])
            // Within 3 standard errors and 25%: a seeded draw, so this is deterministic.
            #expect(abs(estimates[i] - truths[i]) < 3 * se, "param \(i): \(estimates[i]) vs \(truths[i]) ± \(se)")
            #expect(abs(estimates[i] - truths[i]) < 0.25 * truths[i])
        }
    }

    @Test func tooFewRepeatCustomersIsAnError() {
        let rows = [CompressedRow(x: 0, tx: 0, T: 30, weight: 500), CompressedRow(x: 1, tx: 3, T: 30, weight: 4)]
        #expect(throws: CLVError.tooFewRepeatCustomers(found: 4, needed: 10)) { try BGNBDModel.fit(rows) }
        // A shop of three customers with one repeater: "1 customer", not "1 customers".
        #expect(CLVError.tooFewRepeatCustomers(found: 1, needed: 10).description
                == "only 1 customer made a repeat purchase (need at least 10)")
        #expect(CLVError.tooFewRepeatCustomers(found: 1, needed: 10).help == "use a longer calibration period or a broader segment")
        #expect(CLVError.tooFewRepeatCustomers(found: 4, needed: 10).description.hasPrefix("only 4 customers made"))
    }

    @Test func invalidRowsAreRejected() {
        #expect(throws: CLVError.self) { try BGNBDModel.fit([CompressedRow(x: 2, tx: 40, T: 30)]) }
        #expect(throws: CLVError.noCustomers) { try BGNBDModel.fit([]) }
    }

    @Test func noDropoutDataIsDegenerateOrFits() throws {
        // Everybody buys steadily until the end: nobody drops out, so a → 0 or b → ∞.
        var rows: [CompressedRow] = []
        for x in 1...20 { rows.append(CompressedRow(x: x, tx: 50 - 50.0 / Double(x + 1), T: 50, weight: 30)) }
        do {
            let fit = try BGNBDModel.fit(rows)
            Issue.record("expected a degenerate-parameter error, got \(fit)")
        } catch let error as CLVError {
            if case .degenerateParameters = error {} else if case .notConverged = error {} else {
                Issue.record("unexpected error \(error)")
            }
            #expect(!error.description.isEmpty)
        }
    }
}

/// lgamma without the Linux overload ambiguity.
func lgammaD(_ x: Double) -> Double {
    let v: Double = lgamma(x)
    return v
}
