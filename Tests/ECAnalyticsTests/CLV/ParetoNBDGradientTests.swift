import Foundation
import Testing
@testable import ECAnalytics

/// Pareto/NBD's analytic gradient (ParetoNBDGradient.swift) against central
/// differences of the ₂F₁-form log-likelihood, one customer at a time and on CDNOW.
@Suite struct ParetoNBDGradientTests {
    /// Parameter points: CDNOW's estimates (α < β), α > β, β ≪ α, α ≪ β, and large r and s.
    static let points: [[Double]] = [[0.553, 10.578, 0.606, 11.669], [0.8, 20, 0.5, 3], [0.3, 8, 0.9, 0.05],
                                     [0.4, 0.05, 0.7, 30], [3, 12, 4, 25]]
    /// Histories: one-time buyers, t_x = T, frequent buyers (tiny (α+T)^−(r+x)), long ages.
    static let rows: [CompressedRow] = [CompressedRow(x: 0, tx: 0, T: 38.86), CompressedRow(x: 2, tx: 30.43, T: 38.86),
                                        CompressedRow(x: 5, tx: 38, T: 38), CompressedRow(x: 29, tx: 70, T: 78),
                                        CompressedRow(x: 1, tx: 0.5, T: 150), CompressedRow(x: 60, tx: 2, T: 200)]

    static func centralDifference(_ likelihood: ParetoNBDLikelihood, at logs: [Double], _ i: Int, h: Double = 1e-5) -> Double {
        var up = logs, down = logs
        up[i] += h
        down[i] -= h
        return (likelihood.value(up.map { exp($0) }) - likelihood.value(down.map { exp($0) })) / (2 * h)
    }

    @Test(arguments: points)
    func analyticGradientMatchesFiniteDifferencesPerCustomer(point: [Double]) {
        for row in Self.rows {
            let likelihood = ParetoNBDLikelihood(rows: [row])
            let logs = point.map { log($0) }
            let analytic = likelihood.gradientInLogs(point)
            for i in 0..<4 {
                let numeric = Self.centralDifference(likelihood, at: logs, i)
                // A central difference at h = 1e-5 is good to about 1e-9 of the value's size.
                #expect(abs(analytic[i] - numeric) < 1e-6 * max(1, abs(numeric)),
                        "x \(row.x) t_x \(row.tx) T \(row.T) at \(point), parameter \(i): \(analytic[i]) vs \(numeric)")
            }
        }
    }

    @Test func quadratureReproducesTheClosedFormIntegral() {
        // The J the gradient integrates by quadrature must be the ₂F₁ form A₀/(r+s+x) the value uses
        // (Fader & Hardie note 009), and P the "alive" term.
        for point in Self.points {
            let (r, alpha, s, beta) = (point[0], point[1], point[2], point[3])
            for row in Self.rows where row.T > row.tx {
                let q = ParetoNBDLikelihood.integrals(r: r, alpha: alpha, s: s, beta: beta, x: row.x, tx: row.tx, T: row.T)
                guard let logA0 = ParetoNBDLikelihood.logA0(r: r, alpha: alpha, s: s, beta: beta, x: row.x, tx: row.tx, T: row.T) else {
                    Issue.record("A₀ = 0 with t_x < T")
                    continue
                }
                let logJ = logA0 - log(r + s + Double(row.x))
                #expect(abs(log(q.integrals[0]) + q.scale - logJ) < 1e-10 * max(1, abs(logJ)), "x \(row.x) at \(point)")
                let logP = -(r + Double(row.x)) * log(alpha + row.T) - s * log(beta + row.T)
                #expect(abs(log(q.alive) + q.scale - logP) < 1e-12 * max(1, abs(logP)))
            }
        }
    }

    @Test func cdnowGradientMatchesAndVanishesAtTheFit() throws {
        let rows = try BGNBDModelTests.cdnowRows()
        let likelihood = ParetoNBDLikelihood(rows: rows)
        for point in Self.points {
            let logs = point.map { log($0) }
            let analytic = likelihood.gradientInLogs(point)
            for i in 0..<4 {
                let numeric = Self.centralDifference(likelihood, at: logs, i)
                #expect(abs(analytic[i] - numeric) < 1e-6 * max(1, abs(numeric)), "\(point) parameter \(i): \(analytic[i]) vs \(numeric)")
            }
        }
        // The fit with the analytic gradient lands on the published estimates (lifetimes' ParetoNBDFitter on CDNOW:
        // r 0.553, α 10.58, s 0.606, β 11.67) and its gradient vanishes there.
        let fit = try ParetoNBDModel.fit(rows)
        #expect(abs(fit.r - 0.553) < 0.001 && abs(fit.alpha - 10.58) < 0.01 && abs(fit.s - 0.606) < 0.001 && abs(fit.beta - 11.67) < 0.01,
                "\(fit.parameters)")
        #expect(likelihood.gradientInLogs(fit.parameters).allSatisfy { abs($0) < 1e-3 })
    }
}
