import Foundation
import Testing
@testable import ECAnalytics

/// MBG/NBD: CDNOW reference estimates, the likelihood against integration over p,
/// predictions against the posterior, recovery from simulated customers.
@Suite struct MBGNBDModelTests {
    /// One customer's MBG/NBD likelihood by integrating over p ~ Beta(a, b) (λ integrated in closed form):
    /// ∫ [(1−p)^(x+1) (α+T)^−(r+x) + p (1−p)^x (α+t_x)^−(r+x)] Beta(p) dp · Γ(r+x) α^r / Γ(r).
    static func integratedLikelihood(r: Double, alpha: Double, a: Double, b: Double, x: Int, tx: Double, T: Double) -> Double {
        let xd = Double(x)
        let lambdaPart = exp(lgammaD(r + xd) - lgammaD(r) + r * log(alpha))
        let logBeta = lgammaD(a) + lgammaD(b) - lgammaD(a + b)
        let integral = tanhSinh { p, q in
            let density = exp((a - 1) * log(p) + (b - 1) * log(q) - logBeta)
            return density * (pow(q, xd + 1) * pow(alpha + T, -(r + xd)) + p * pow(q, xd) * pow(alpha + tx, -(r + xd)))
        }
        return log(lambdaPart * integral)
    }

    @Test func reproducesPublishedCDNOWParameters() throws {
        let fit = try MBGNBDModel.fit(try BGNBDModelTests.cdnowRows())
        // lifetimes, tests/test_estimation.py, ModifiedBetaGeoFitter.test_params_out_is_close_to_BTYDplus
        // (BTYDplus's mbgnbd on the CDNOW summary): r = 0.525, α = 6.183, a = 0.891, b = 1.614, to 3 decimals.
        #expect(abs(fit.r - 0.525) < 0.0015, "\(fit.r)")
        #expect(abs(fit.alpha - 6.183) < 0.0015 * 6.183, "\(fit.alpha)")
        #expect(abs(fit.a - 0.891) < 0.0015, "\(fit.a)")
        #expect(abs(fit.b - 1.614) < 0.0015 * 1.614, "\(fit.b)")
        #expect(fit.converged)
        #expect(fit.standardErrors.allSatisfy { $0 != nil })
        // BIC by hand: 4 ln 2357 − 2 LL.
        #expect(abs(fit.bic - (4 * log(2357.0) - 2 * fit.logLikelihood)) < 1e-9)
    }

    @Test func likelihoodMatchesIntegrationOverP() throws {
        let summary = try CDNOW.summary()
        let (r, alpha, a, b) = (0.525, 6.183, 0.891, 1.614)
        // Every 40th customer: x from 0 up, t_x = 0 and t_x = T cases included.
        for c in stride(from: 0, to: summary.count, by: 40).map({ summary[$0] }) {
            let rows = [CompressedRow(x: c.x, tx: c.tx, T: c.T)]
            let value = MBGNBDModel.logLikelihood(rows, r: r, alpha: alpha, a: a, b: b).value
            let expected = Self.integratedLikelihood(r: r, alpha: alpha, a: a, b: b, x: c.x, tx: c.tx, T: c.T)
            #expect(abs(value - expected) < 1e-7 * max(1, abs(expected)), "x \(c.x) t_x \(c.tx) T \(c.T): \(value) vs \(expected)")
        }
    }

    @Test(arguments: [[0.525, 6.183, 0.891, 1.614], [1.0, 1.0, 1.0, 1.0], [0.05, 30, 3.5, 0.4], [5, 0.2, 0.2, 12]])
    func gradientMatchesCentralDifferences(point: [Double]) throws {
        let rows = try BGNBDModelTests.cdnowRows()
        func f(_ p: [Double]) -> Double { MBGNBDModel.logLikelihood(rows, r: p[0], alpha: p[1], a: p[2], b: p[3]).value }
        let g = MBGNBDModel.logLikelihood(rows, r: point[0], alpha: point[1], a: point[2], b: point[3]).gradient
        for i in 0..<4 {
            let h = 1e-6 * point[i]
            var up = point, down = point
            up[i] += h
            down[i] -= h
            let numeric = (f(up) - f(down)) / (2 * h)
            #expect(abs(g[i] - numeric) <= 1e-5 * max(1, abs(numeric)), "component \(i): \(g[i]) vs \(numeric)")
        }
    }

    @Test(arguments: [(2, 30.43, 38.86, 39.0), (0, 0.0, 38.86, 39.0), (0, 0.0, 0.0, 52.0), (7, 35.0, 37.0, 10.0), (3, 5.0, 30.0, 100.0)])
    func predictionsMatchThePosterior(x: Int, tx: Double, T: Double, t: Double) {
        let (r, alpha, a, b) = (0.525, 6.183, 0.891, 1.614)
        let fit = MBGNBDFit(r: r, alpha: alpha, a: a, b: b)
        let xd = Double(x)
        // Independent: integrate over p; alive after (x + 1) flips with weight (1−p)^(x+1) (α+T)^−(r+x),
        // dropped with p (1−p)^x (α+t_x)^−(r+x); an alive customer buys (1/p)(1 − ((α+T)/(α+T+pt))^(r+x)) more.
        let aliveWeight = tanhSinh { p, q in pow(p, a - 1) * pow(q, b - 1) * pow(q, xd + 1) * pow(alpha + T, -(r + xd)) }
        let deadWeight = tanhSinh { p, q in pow(p, a - 1) * pow(q, b - 1) * p * pow(q, xd) * pow(alpha + tx, -(r + xd)) }
        let gain = tanhSinh { p, q in
            pow(p, a - 1) * pow(q, b - 1) * pow(q, xd + 1) * pow(alpha + T, -(r + xd))
                * (-expm1(-(r + xd) * log1p(p * t / (alpha + T))) / p)
        }
        let alive = aliveWeight / (aliveWeight + deadWeight)
        #expect(abs(fit.probabilityAlive(x: x, tx: tx, T: T) - alive) < 1e-9)
        let expected = gain / (aliveWeight + deadWeight)
        #expect(abs(fit.expectedPurchases(t: t, x: x, tx: tx, T: T) - expected) < 1e-7 * max(expected, 1e-3), "\(fit.expectedPurchases(t: t, x: x, tx: tx, T: T)) vs \(expected)")
    }

    @Test func unconditionalIsTheNewCustomerCase() {
        // lifetimes' closed form b/(a−1) (1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))), summed as a plain series (z < 0.9).
        let (r, alpha, a, b, t) = (0.525, 6.183, 0.891, 1.614, 39.0)
        let z = t / (alpha + t)
        var term = 1.0, f = 1.0
        for n in 0..<5000 {
            let k = Double(n)
            term *= (r + k) * (b + 1 + k) / ((a + b + k) * (k + 1)) * z
            f += term
        }
        let expected = b / (a - 1) * (1 - pow(alpha / (alpha + t), r) * f)
        #expect(abs(MBGNBDFit(r: r, alpha: alpha, a: a, b: b).expectedPurchases(t: t) - expected) < 1e-9)
    }

    @Test func recoversSimulatedParameters() throws {
        let truth = [0.6, 5.0, 0.8, 3.0]
        let customers = MBGNBDSimulator.simulate(count: 10_000, r: truth[0], alpha: truth[1], a: truth[2], b: truth[3],
                                                 T: 20...60, seed: 20_251_130)
        let fit = try MBGNBDModel.fit(CompressedRow.compress(customers.map { ($0.x, $0.tx, $0.T) }))
        for i in 0..<4 {
            let se = try #require(fit.standardErrors[i])
            #expect(abs(fit.parameters[i] - truth[i]) < 3 * se, "param \(i): \(fit.parameters[i]) vs \(truth[i]) ± \(se)")
        }
    }
}
