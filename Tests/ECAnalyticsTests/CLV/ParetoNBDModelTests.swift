import Foundation
import Testing
@testable import ECAnalytics

/// Pareto/NBD: CDNOW reference estimates, the likelihood against integration over
/// the death time, predictions against integration, recovery from simulated customers.
@Suite struct ParetoNBDModelTests {
    /// ln L by integrating over the death time τ (λ and μ integrated in closed form):
    /// Γ(r+x)α^r/Γ(r) · [β^s (α+T)^−(r+x) (β+T)^−s + ∫_{t_x}^{T} s β^s (α+τ)^−(r+x) (β+τ)^−(s+1) dτ].
    static func integratedLogLikelihood(r: Double, alpha: Double, s: Double, beta: Double, x: Int, tx: Double, T: Double) -> Double {
        let xd = Double(x)
        let alive = exp(s * log(beta) - (r + xd) * log(alpha + T) - s * log(beta + T))
        let died = simpson(tx, T, intervals: 4000) { tau in
            s * exp(s * log(beta) - (r + xd) * log(alpha + tau) - (s + 1) * log(beta + tau))
        }
        return lgammaD(r + xd) - lgammaD(r) + r * log(alpha) + log(alive + died)
    }

    @Test func reproducesPublishedCDNOWParameters() throws {
        let fit = try ParetoNBDModel.fit(try BGNBDModelTests.cdnowRows())
        // Fader & Hardie (2005), note 009 / "Implementing the Pareto/NBD model in Excel" on the CDNOW sample:
        // r = 0.553, α = 10.578, s = 0.606, β = 11.669 (also lifetimes' ParetoNBDFitter test, 2 decimals), LL = −9595.0.
        #expect(abs(fit.r - 0.553) < 0.005, "\(fit.r)")
        #expect(abs(fit.alpha - 10.578) < 0.005 * 10.578, "\(fit.alpha)")
        #expect(abs(fit.s - 0.606) < 0.005, "\(fit.s)")
        #expect(abs(fit.beta - 11.669) < 0.01 * 11.669, "\(fit.beta)")
        #expect(abs(fit.logLikelihood - -9595.0) < 0.5, "\(fit.logLikelihood)")
        #expect(fit.standardErrors.allSatisfy { $0 != nil })
    }

    @Test(arguments: [[0.553, 10.578, 0.606, 11.669], [1.0, 2.0, 1.0, 20.0], [0.3, 20, 2.0, 5.0]])
    func likelihoodMatchesIntegrationOverTheDeathTime(point: [Double]) throws {
        let summary = try CDNOW.summary()
        for c in stride(from: 0, to: summary.count, by: 60).map({ summary[$0] }) {
            let value = ParetoNBDModel.logLikelihood([CompressedRow(x: c.x, tx: c.tx, T: c.T)], r: point[0], alpha: point[1], s: point[2], beta: point[3])
            let expected = Self.integratedLogLikelihood(r: point[0], alpha: point[1], s: point[2], beta: point[3], x: c.x, tx: c.tx, T: c.T)
            #expect(abs(value - expected) < 1e-7 * max(1, abs(expected)), "x \(c.x) t_x \(c.tx) T \(c.T): \(value) vs \(expected)")
        }
    }

    @Test func gradientIsZeroAtTheFitAndMatchesWiderDifferences() throws {
        let rows = try BGNBDModelTests.cdnowRows()
        let likelihood = ParetoNBDLikelihood(rows: rows)
        let fit = try ParetoNBDModel.fit(rows)
        let logs = fit.parameters.map { log($0) }
        let (_, g) = likelihood.evaluateInLogs(logs)
        // At the maximum the gradient vanishes (relative to the 2,357-customer sum).
        #expect(g.allSatisfy { abs($0) < 1e-3 }, "\(g)")
        // Away from it, the gradient agrees with a 10× wider central difference.
        let away = [log(0.8), log(8.0), log(0.9), log(15.0)]
        let (_, ga) = likelihood.evaluateInLogs(away)
        for i in 0..<4 {
            var up = away, down = away
            up[i] += 1e-4
            down[i] -= 1e-4
            let numeric = (likelihood.value(up.map { exp($0) }) - likelihood.value(down.map { exp($0) })) / 2e-4
            #expect(abs(ga[i] - numeric) < 1e-4 * max(1, abs(numeric)))
        }
    }

    @Test(arguments: [(2, 30.43, 38.86, 39.0), (0, 0.0, 38.86, 39.0), (7, 35.0, 37.0, 10.0), (3, 5.0, 30.0, 100.0), (4, 20.0, 20.0, 52.0)])
    func predictionsMatchIntegration(x: Int, tx: Double, T: Double, t: Double) {
        let (r, alpha, s, beta) = (0.553, 10.578, 0.606, 11.669)
        let fit = ParetoNBDFit(r: r, alpha: alpha, s: s, beta: beta)
        let xd = Double(x)
        // P(alive) = the "alive at T" term over the whole likelihood (death-time integral as above).
        let alive = exp(s * log(beta) - (r + xd) * log(alpha + T) - s * log(beta + T))
        let died = simpson(tx, T, intervals: 4000) { tau in s * exp(s * log(beta) - (r + xd) * log(alpha + tau) - (s + 1) * log(beta + tau)) }
        let pAlive = alive / (alive + died)
        #expect(abs(fit.probabilityAlive(x: x, tx: tx, T: T) - pAlive) < 1e-8)
        // Alive: λ ~ Gamma(r+x, α+T), μ ~ Gamma(s, β+T) independently; E[Y] = E[λ] · E[(1 − e^−μt)/μ].
        // The μ expectation by integration over the Gamma density (μ = u/(1−u) maps (0,∞) to (0,1)).
        let shape = s, rate = beta + T
        let muPart = tanhSinh { u, v in
            let mu = u / v
            let density = exp(shape * log(rate) + (shape - 1) * log(mu) - rate * mu - lgammaD(shape))
            return density * (-expm1(-mu * t) / mu) / (v * v)
        }
        let expected = pAlive * (r + xd) / (alpha + T) * muPart
        #expect(abs(fit.expectedPurchases(t: t, x: x, tx: tx, T: T) - expected) < 1e-6 * expected, "\(fit.expectedPurchases(t: t, x: x, tx: tx, T: T)) vs \(expected)")
        // s = 1 is the removable singularity of the closed form: the limit is continuous.
        let near = ParetoNBDFit(r: r, alpha: alpha, s: 1 + 1e-9, beta: beta), at = ParetoNBDFit(r: r, alpha: alpha, s: 1, beta: beta)
        #expect(abs(near.expectedPurchases(t: t) - at.expectedPurchases(t: t)) < 1e-6)
    }

    @Test func recoversSimulatedParameters() throws {
        let truth = [0.7, 6.0, 0.8, 20.0]
        let customers = ParetoNBDSimulator.simulate(count: 10_000, r: truth[0], alpha: truth[1], s: truth[2], beta: truth[3],
                                                    T: 20...60, seed: 7_531)
        let fit = try ParetoNBDModel.fit(CompressedRow.compress(customers.map { ($0.x, $0.tx, $0.T) }))
        for i in 0..<4 {
            let se = try #require(fit.standardErrors[i])
            #expect(abs(fit.parameters[i] - truth[i]) < 3 * se, "param \(i): \(fit.parameters[i]) vs \(truth[i]) ± \(se)")
        }
    }

    @Test func autoPicksTheModelThatGeneratedTheData() throws {
        // Pareto/NBD customers who die before any repeat purchase: BG/NBD cannot represent them, BIC must notice.
        let customers = ParetoNBDSimulator.simulate(count: 8_000, r: 1.5, alpha: 4.0, s: 1.5, beta: 10.0, T: 30...60, seed: 99)
        let choice = try PurchaseModelChoice.byBIC(CompressedRow.compress(customers.map { ($0.x, $0.tx, $0.T) }))
        #expect(choice.candidates.count == 3)
        let bics = choice.candidates.compactMap { $0.fit?.bic }
        #expect(choice.chosen.bic == bics.min())
        #expect(choice.chosen.kind == .paretonbd, "\(choice.candidates.map { ($0.kind, $0.fit?.bic ?? .nan) })")
    }
}
