import Foundation
import Testing
import ECTestSupport
@testable import ECAnalytics

/// docs/metrics.md carries the catalogue's own reference: if an entry changes and the
/// document does not (or the reverse), this fails. Regenerate with
/// `ECSH_RECORD=1 swift test --filter MetricsDocTests`.
@Suite struct MetricsDocTests {
    @Test func generatedReferenceMatchesTheCatalogue() throws {
        let url = BuiltBinary.packageRoot.appendingPathComponent("docs/metrics.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let generated = KPICatalogue.markdownReference()
        guard let start = text.range(of: KPICatalogue.docsBegin), let end = text.range(of: KPICatalogue.docsEnd) else {
            Issue.record("docs/metrics.md has no generated part")
            return
        }
        let current = String(text[start.lowerBound..<end.upperBound])
        if ProcessInfo.processInfo.environment["ECSH_RECORD"] == "1", current != generated {
            try text.replacingCharacters(in: start.lowerBound..<end.upperBound, with: generated).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == generated, "docs/metrics.md is out of date with KPICatalogue; re-record with ECSH_RECORD=1")
        // Every KPI is named in the document.
        for def in KPICatalogue.all { #expect(current.contains("| `\(def.name)` |")) }
    }
}
