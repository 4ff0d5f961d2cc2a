import Testing
import ECLanguage
import ECTestSupport
@testable import ECShell

/// The shell tells dot commands and `report to … / end report` apart by a statement's first
/// bytes (`DotCommandLine.leadingByte`) before splitting it into words, so that a 1 MB
/// statement is not split twice for nothing. The shortcut must never change an answer:
/// here it is compared with splitting every statement into words, as the shell did before.
@Suite struct LeadingByteTests {
    func statement(_ text: String) -> StatementText { StatementText(text: text, start: SourceLocation(line: 1, column: 1)) }

    /// What the shell decided from the words alone.
    func wordsSayDot(_ s: StatementText) -> Bool {
        guard let first = DotCommandLine.words(s)?.first else { return false }
        return first.text.hasPrefix(".") && first.text.count > 1
    }

    func wordsSayReport(_ s: StatementText) -> Bool {
        guard let words = DotCommandLine.words(s), let first = words.first else { return false }
        let lowered = words.map { $0.text.lowercased() }
        return lowered == ["end", "report"] || (first.text.lowercased() == "report" && lowered.count >= 2 && lowered[1] == "to")
    }

    @Test(arguments: [
        ("  .mode csv", true), ("''.tables", true), ("'.'tables", true), ("\".t\"", true),
        ("' .tables'", false), ("'\".x'", false), (".", false), ("x .tables", false),
    ])
    func dotCommandsAsWorkedByHand(text: String, isDot: Bool) {
        #expect((DotCommandLine(statement(text)) != nil) == isDot)
        #expect(wordsSayDot(statement(text)) == isDot)
    }

    /// 30,000 seeded random statements over the characters that decide (blanks, both quotes,
    /// `.`, the letters of `end report to`, a combining accent, Kelvin sign K and dotted İ,
    /// whose lower cases are ASCII): the shortcut and the words agree every time.
    @Test func agreesWithTheWordsOnRandomStatements() {
        let pieces = [" ", "\t", "'", "\"", ".", "a", "\u{301}", "K", "İ", "end", "END", "report", "Report", "to", "e", "r", "x.html"]
        var random = SplitMix64(seed: 64)
        var dotDisagreements: [String] = [], reportDisagreements: [String] = []
        for _ in 0..<30_000 {
            let text = (0..<Int.random(in: 1...8, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
            let s = statement(text)
            if (DotCommandLine(s) != nil) != wordsSayDot(s) { dotDisagreements.append(text) }
            let lead = DotCommandLine.leadingByte(s)
            if wordsSayReport(s), !(lead.map { "eErR".utf8.contains($0) } ?? false) { reportDisagreements.append(text) }
        }
        #expect(dotDisagreements.isEmpty, "\(dotDisagreements.prefix(3).map { $0.debugDescription })")
        #expect(reportDisagreements.isEmpty, "\(reportDisagreements.prefix(3).map { $0.debugDescription })")
    }
}
