import Testing
import ECTestSupport
@testable import ECLanguage

@Suite struct RobustnessTests {
    @Test func tenThousandOpenParenthesesGiveAnError() {
        let text = "segment s = " + String(repeating: "(", count: 10_000) + "1"
        let error = parseError(text)
        #expect(error?.message == "expression nested too deeply (more than \(Parser.maxDepth) levels)")
        #expect(error?.range.start.line == 1)
    }

    @Test func deepNotsAndMinusesGiveAnError() {
        #expect(parseError("segment s = " + String(repeating: "not ", count: 10_000) + "x")?.message.hasPrefix("expression nested too deeply") == true)
        #expect(parseError("segment s = " + String(repeating: "- ", count: 10_000) + "1")?.message.hasPrefix("expression nested too deeply") == true)
    }

    @Test func nestingJustUnderTheCapParses() throws {
        let depth = Parser.maxDepth
        let text = "segment s = " + String(repeating: "(", count: depth) + "x = 1" + String(repeating: ")", count: depth)
        guard case .defineSegment = try parse(text) else { Issue.record(); return }
    }

    /// Random token soups never crash: each yields a statement or an error located inside the input.
    @Test func randomTokenSoupsParseOrFailLocated() {
        let pieces = ["kpi", "segment", "load", "orders", "from", "by", "for", "where", "and", "or", "not", "in", "between",
                      "is", "null", "like", "(", ")", ",", "=", ">=", "<>", "+", "-", "*", "/", "×", "'s'", "'", "\"q\"", "\"",
                      "12", "1_000", "15%", "2024-03", "2024-03-05", "90", "days", "months", "顧客ID", "cohort", "nps", "compare",
                      "predict", "ltv", "alive", "top", "set", "format", "csv", "drop", "show", "sql", "#", "--", "$", "\\", "\n",
                      "within", "chart", "to", "mode", "on", "unit", "economics", "horizon", "target", "with", "map", "table"]
        var generator = SplitMix64(seed: 20_241_123)
        for _ in 0..<3000 {
            let count = Int(generator.next() % 12) + 1
            let text = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined(separator: " ")
            let lastLine = text.split(separator: "\n", omittingEmptySubsequences: false).count
            for statement in StatementSplitter.split(Source(name: "fuzz", text: text)) {
                do {
                    _ = try Parser.parse(statement)
                } catch {
                    #expect(error.range.start.line >= 1 && error.range.start.line <= lastLine, "\(text)")
                    #expect(error.range.start.column >= 1, "\(text)")
                    #expect(!error.message.isEmpty)
                }
            }
        }
    }
}

