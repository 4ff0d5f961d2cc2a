import Foundation
import Testing
import ECTestSupport

/// Revenue and contribution margin per order are written out once, in
/// Measures/OrderMeasures.swift: every other source file (KPI routes, customer facts,
/// cohorts, unit economics, the KPI tree, CLV) calls it. This scan fails when a reader
/// writes the subtraction itself again, in SQL (`coalesce(cogs, 0)`, `amount - …`) or in
/// Swift (`amount - discounts`, `- costs`).
@Suite struct OneMarginDefinitionTests {
    static let patterns = [
        #"coalesce\((o\.)?(cogs|shipping|commission|discount|points)\b"#,
        #"amount(\[[^\]]*\])? - (discount|points|coalesce)"#,
        #"- discounts\b"#, #"- costs\b"#, #"- coalesce\("#, #"(gmv|revenue) - (discount|cogs)"#,
        #""discount", "points", "cogs""#,
    ]

    @Test func noReaderWritesTheMarginItself() throws {
        let root = BuiltBinary.packageRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        let regexes = try Self.patterns.map { try NSRegularExpression(pattern: $0) }
        var found: [String] = []
        for file in files {
            // The definition itself, and the sample shop's generator (which makes up the costs, not reads them).
            if file.lastPathComponent == "OrderMeasures.swift" || file.path.contains("/SampleShop/") { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let s = String(line)
                if s.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
                if regexes.contains(where: { $0.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }) {
                    found.append("\(file.lastPathComponent):\(n + 1): \(s.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(found.isEmpty, "margin or revenue written out outside OrderMeasures:\n\(found.joined(separator: "\n"))")
    }
}
