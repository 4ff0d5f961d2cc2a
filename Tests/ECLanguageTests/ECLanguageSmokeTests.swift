import Testing
@testable import ECLanguage

@Suite struct ECLanguageSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
