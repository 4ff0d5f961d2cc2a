import ECTestSupport
import Foundation
import Testing

/// A long multi-line statement pasted into the real shell in a real terminal (tmux, GNU readline).
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (apt-get install tmux); terminal tests skipped"))
struct MultiLineTerminalTests {
    /// 2,000 lines inside one open string: each line shows the continuation prompt and is
    /// scanned once (LineCompletenessTests counts that); the statement runs when the quote closes.
    @Test func aPastedTwoThousandLineStatementRunsOnce() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try TerminalTests.start(history: dir.path("history"))
        defer { shell.close() }
        // A line feed is readline's accept-line, as when text is pasted.
        try shell.type("sql select length('a" + String(repeating: "\nb", count: 2_000) + "') AS n")
        try shell.waitUntil("the continuation prompt on the last line") { $0.last == "  ...> b') AS n" }
        try shell.press("Enter")
        // 'a', then 2,000 times a line break and 'b': 1 + 2 × 2,000 = 4,001 characters.
        let lines = try shell.waitUntil("a row reading 4,001") { TerminalTests.hasRow($0, "4,001") }
        #expect(lines.contains("  ...> b"))
        try shell.waitUntil("the next prompt") { $0.last == "ecsh>" }
        try shell.press("C-d")
        #expect(try shell.waitForExit() == 0)
        // The whole statement is one history entry (one line of the file: its line breaks are escaped).
        let history = try String(contentsOfFile: dir.path("history"), encoding: .utf8)
        #expect(history.split(separator: "\n").count == 1)
        #expect(history.filter { $0 == "b" }.count == 2_000)
    }
}
