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

    /// A line ending in `,` continues at the prompt as in a script, and Tab on the next line completes
    /// from the whole statement: after `kpi gmv,` a KPI name, not a command (it offered `rebuild`, `report`,
    /// `run` for `r`, reading the continuation line as a new statement).
    @Test func aTrailingCommaContinuesAndTabCompletesFromTheWholeStatement() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try TerminalTests.start(history: dir.path("history"))
        defer { shell.close() }
        try shell.type("kpi gmv,")
        try shell.press("Enter")
        try shell.waitUntil("the continuation prompt") { $0.last == "  ...>" }
        try shell.type("repeat_r")
        try shell.press("Tab")
        try shell.waitUntil("the KPI completed") { $0.last == "  ...> repeat_rate" }
        try shell.press("C-c")
        try shell.waitUntil("a fresh prompt") { $0.last == "ecsh>" }
        try shell.type("sql select 1 as a,")
        try shell.press("Enter")
        try shell.type("  2 as b")
        try shell.press("Enter")
        try shell.waitUntil("one row of two columns") { $0.contains("│ 1 │ 2 │") }
        try shell.press("C-d")
        #expect(try shell.waitForExit() == 0)
        // One statement, one history entry.
        let history = try String(contentsOfFile: dir.path("history"), encoding: .utf8)
        #expect(history.split(separator: "\n").count == 1, "\(history)")
    }

    /// `\` ⏎ then an empty line at the prompt: the empty line ends the statement, as in bash and in a script,
    /// and it runs at once. Before, `...>` stayed open after the empty line, and the next line typed was run
    /// with it as a statement of its own (the splitter had ended the first at the empty line).
    @Test func anEmptyLineAfterABackslashRunsTheStatement() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try TerminalTests.start(history: dir.path("history"))
        defer { shell.close() }
        try shell.type("sql select 6 * 7 as answer \\")
        try shell.press("Enter")
        try shell.waitUntil("the continuation prompt") { $0.last == "  ...>" }
        try shell.press("Enter")
        // 6 × 7 = 42, without a further line.
        try shell.waitUntil("a row reading 42, then the prompt") { TerminalTests.hasRow($0, "42") && $0.last == "ecsh>" }
        // A `\` then a line: still one statement.
        try shell.type("sql select 6 * 8 \\")
        try shell.press("Enter")
        try shell.type("  as answer")
        try shell.press("Enter")
        try shell.waitUntil("a row reading 48") { TerminalTests.hasRow($0, "48") && $0.last == "ecsh>" }
        try shell.press("C-d")
        #expect(try shell.waitForExit() == 0)
        let history = try String(contentsOfFile: dir.path("history"), encoding: .utf8)
        #expect(history.split(separator: "\n").count == 2, "\(history)")
    }
}
