import Testing
@testable import ECShell

/// The pooled customer equity under `predict ltv … separate` is printed as a whole
/// number; spend near the largest Double makes it overflow to infinity, and
/// `Int(_:)` of that trapped (the whole shell died). Now it is said in words.
@Suite struct PredictEquityNoteTests {
    @Test func absurdAmountsAreSaidInWordsNotTrappedOn() {
        #expect(Session.wholeAmount(.infinity) == "not a finite number (spend amounts too large to add up)")
        #expect(Session.wholeAmount(-.infinity) == "not a finite number (spend amounts too large to add up)")
        #expect(Session.wholeAmount(.nan) == "not a finite number (spend amounts too large to add up)")
        // Finite but beyond Int: scientific notation instead of a trap.
        #expect(Session.wholeAmount(1e300) == "1e+300")
        #expect(Session.wholeAmount(-2.5e19) == "-2.5e+19")
    }

    @Test func ordinaryAmountsAreWholeAndGrouped() {
        #expect(Session.wholeAmount(386_424_525.4) == "386,424,525")
        #expect(Session.wholeAmount(1_234.5) == "1,235")   // rounded half away from zero
        #expect(Session.wholeAmount(0) == "0")
        #expect(Session.wholeAmount(-1_234_567.6) == "-1,234,568")   // a negative margin makes equity negative
    }
}
