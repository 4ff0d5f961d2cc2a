import Foundation
import Testing
@testable import ECAnalytics

@Suite struct SpecialFunctionsTests {
    @Test func digammaKnownValues() {
        let eulerGamma = 0.57721566490153286
        #expect(abs(SpecialFunctions.digamma(1) + eulerGamma) < 1e-14)
        #expect(abs(SpecialFunctions.digamma(0.5) - (-eulerGamma - 2 * log(2.0))) < 1e-14)
        // ψ(10) = H₉ − γ.
        let h9 = (1...9).reduce(0.0) { $0 + 1 / Double($1) }
        #expect(abs(SpecialFunctions.digamma(10) - (h9 - eulerGamma)) < 1e-14)
        // ψ(x) − ψ(x + 1) = −1/x at a non-integer, and ψ ≈ ln x − 1/(2x) for large x.
        #expect(abs(SpecialFunctions.digamma(0.013) - SpecialFunctions.digamma(1.013) + 1 / 0.013) < 1e-10)
        #expect(abs(SpecialFunctions.digamma(1e6) - (log(1e6) - 0.5e-6)) < 1e-12)
    }

    @Test(arguments: [0.1, 0.5, 0.9, 0.95, 0.999, 0.999999])
    func logarithmClosedForm(z: Double) {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z; c − a − b = 0 exercises the integer-gap path.
        let expected = -log1p(-z) / z
        #expect(abs(SpecialFunctions.hypergeometric2F1(1, 1, 2, z) - expected) < 1e-8 * expected)
    }

    @Test(arguments: [0.3, 0.8, 0.93, 0.99, 0.9999])
    func binomialClosedForm(z: Double) {
        // ₂F₁(a, b; b; z) = (1 − z)^−a.
        let expected = pow(1 - z, -0.7)
        #expect(abs(SpecialFunctions.hypergeometric2F1(0.7, 2.3, 2.3, z) - expected) < 1e-10 * expected)
        let expected2 = pow(1 - z, -3.25)
        #expect(abs(SpecialFunctions.hypergeometric2F1(3.25, 0.4, 0.4, z) - expected2) < 1e-9 * expected2)
    }

    @Test(arguments: [0.5, 0.9, 0.99, 0.9999])
    func arcsineClosedForm(s: Double) {
        // ₂F₁(½, ½; 3/2; s²) = arcsin(s)/s.
        let expected = asin(s) / s
        #expect(abs(SpecialFunctions.hypergeometric2F1(0.5, 0.5, 1.5, s * s) - expected) < 1e-10 * expected)
    }

    @Test(arguments: [(2.3, 3.4, 1.7, 0.93), (0.243, 2.426, 2.219, 0.95), (12.2, 22.4, 23.2, 0.97), (0.5, 1.5, 0.8, 0.91)])
    func transformationAgreesWithTheLongSeries(a: Double, b: Double, c: Double, z: Double) {
        // Independent: the plain series summed far past convergence (slow but exact enough here).
        let long = SpecialFunctions.series(a, b, c, z, maxTerms: 2_000_000)
        let value = SpecialFunctions.hypergeometric2F1(a, b, c, z)
        #expect(abs(value - long) < 1e-9 * abs(long), "\(value) vs \(long)")
    }

    @Test func negativeCMatchesEulerTransformation() {
        // ₂F₁(a,b;c;z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z), with c < 0 (x = 0 and a + b < 1 in BG/NBD).
        let (a, b, c, z) = (0.3, 0.45, -0.25, 0.4)
        let left = SpecialFunctions.hypergeometric2F1(a, b, c, z)
        let right = pow(1 - z, c - a - b) * SpecialFunctions.hypergeometric2F1(c - a, c - b, c, z)
        #expect(abs(left - right) < 1e-10 * abs(left))
    }
}
