import Testing
@testable import ECShell

/// The pooled customer equity under `predict ltv … separate` and the notes' other amounts are written in the
/// workspace currency; spend near the largest Double makes equity overflow to infinity, and `Int(_:)` of that
/// trapped (the whole shell died). Now it is said in words.
@Suite struct PredictEquityNoteTests {
    @Test func absurdAmountsAreSaidInWordsNotTrappedOn() {
        #expect(Session.money(.infinity, currency: "JPY") == "not a finite number (spend amounts too large to add up)")
        #expect(Session.money(-.infinity, currency: "JPY") == "not a finite number (spend amounts too large to add up)")
        #expect(Session.money(.nan, currency: "JPY") == "not a finite number (spend amounts too large to add up)")
        // Finite but beyond Int: scientific notation instead of a trap.
        #expect(Session.money(1e300, currency: "JPY") == "¥1e+300")
        #expect(Session.money(-2.5e19, currency: "USD") == "-$2.5e+19")
    }

    /// As the tables write money: yen whole, dollars with cents, the symbol after a minus sign.
    @Test func ordinaryAmountsAreInTheCurrency() {
        #expect(Session.money(386_424_525.4, currency: "JPY") == "¥386,424,525")
        #expect(Session.money(1_234.6, currency: "JPY") == "¥1,235")
        #expect(Session.money(0, currency: "JPY") == "¥0")
        #expect(Session.money(-1_234_567.6, currency: "JPY") == "-¥1,234,568")   // a negative margin makes equity negative
        #expect(Session.money(1_234.5, currency: "USD") == "$1,234.50")
    }
}
