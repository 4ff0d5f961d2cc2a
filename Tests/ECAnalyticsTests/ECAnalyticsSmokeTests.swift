import Testing
@testable import ECAnalytics

@Suite struct ECAnalyticsSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
