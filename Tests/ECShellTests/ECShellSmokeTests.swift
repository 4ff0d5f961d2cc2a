import Testing
@testable import ECShell

@Suite struct ECShellSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
