import Testing
@testable import ECRender

@Suite struct ECRenderSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
