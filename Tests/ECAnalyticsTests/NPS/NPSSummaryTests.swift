import Testing
@testable import ECAnalytics

@Suite struct NPSSummaryTests {
    /// docs/metrics.md's reference vector.
    @Test func referenceVector() throws {
        let s = NPSSummary(n: 200, promoters: 80, detractors: 40)
        #expect(s.passives == 80)
        #expect(abs(try #require(s.nps) - 20.0) < 1e-12)
        // p = 0.4, d = 0.2: (0.6 − 0.04) / 200 = 0.0028, √ = 0.052915 → 5.29; × 1.96 = 10.37.
        #expect(abs(try #require(s.standardError) - 5.2915) < 5e-5)
        #expect(abs(try #require(s.margin95) - 10.3714) < 5e-4)
        let adjusted = try #require(s.adjustedWald)
        // n' = 203, P' = 80.75, D' = 40.75: 100 × 40 / 203 = 19.70, interval [9.41, 29.99].
        #expect(String(format: "%.2f", adjusted.center) == "19.70")
        // SE' = 100 × √((0.598522 − 0.197044²) / 203) = 5.2508, margin 1.96 × SE' = 10.29.
        // The guide's [9.41, 29.99] is 19.70 ∓ 10.29 from the rounded parts; unrounded
        // the ends are 9.4128 and 29.9960, so they are checked to within 0.01.
        let margin = adjusted.high - adjusted.center
        #expect(String(format: "%.2f", margin) == "10.29")
        #expect(abs(adjusted.center - margin - adjusted.low) < 1e-9)
        #expect(abs(adjusted.low - 9.41) < 0.01)
        #expect(abs(adjusted.high - 29.99) < 0.01)
        // Against n = 150, P = D = 45: NPS 0, SE = 100 × √(0.6 / 150) = 6.3246;
        // z = 20 / √(5.2915² + 6.3246²) = 20 / √68 = 2.4254.
        let other = NPSSummary(n: 150, promoters: 45, detractors: 45)
        let test = try #require(NPSSummary.compare(s, other))
        #expect(abs(test.z - 20 / 68.0.squareRoot()) < 1e-9)
        #expect(String(format: "%.2f", test.z) == "2.43")
        // Two-sided p for z = 2.4254 from normal tables: 2 × (1 − Φ(2.4254)) ≈ 0.0153.
        #expect(abs(test.p - 0.0153) < 1e-4)
        #expect(s.warning == nil)
    }

    /// Published normal quantiles: z = 1.959964 ↔ p = 0.05, 2.575829 ↔ 0.01, 3.290527 ↔ 0.001.
    @Test(arguments: [(1.959964, 0.05), (2.575829, 0.01), (3.290527, 0.001), (0.0, 1.0), (-1.959964, 0.05)])
    func pValuesMatchNormalTables(z: Double, p: Double) {
        #expect(abs(NPSSummary.twoSidedP(z: z) - p) < p * 1e-5)
    }

    @Test func smallGroupsAndEdges() {
        let small = NPSSummary(n: 29, promoters: 29, detractors: 0)
        #expect(small.nps == 100)
        #expect(small.standardError == 0)  // everybody agrees: no spread
        #expect(small.warning != nil)
        #expect(NPSSummary(n: 30, promoters: 10, detractors: 10).warning == nil)
        let empty = NPSSummary(n: 0, promoters: 0, detractors: 0)
        #expect(empty.nps == nil && empty.adjustedWald == nil)
        #expect(NPSSummary.compare(empty, small) == nil)
        // The adjusted interval pulls an all-promoter group off the +100 bound: 100 × (29.75 − 0.75) / 32 = 90.625.
        #expect(abs(small.adjustedWald!.center - 90.625) < 1e-9)
    }
}
