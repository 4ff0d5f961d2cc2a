import ECTestSupport
import Foundation
import Testing

/// `set pager on` through real readline in tmux: a result taller than the screen is shown by a
/// real `less`, which must be able to read keys from the terminal (it runs in the terminal's
/// foreground process group), and a pager that fails never loses the result.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (apt-get install tmux); terminal tests skipped"))
struct PagerTerminalTests {
    static func startDemo(pager: String, history: String) throws -> TmuxSession {
        let shell = try TmuxSession(command: [try TerminalTests.ecshBinary(), "--demo"],
                                    environment: ["ECSH_HISTORY": history, "PAGER": pager, "LESS": "-R"],
                                    width: 100, height: 30)
        try shell.waitUntil("the first prompt", timeout: .seconds(60)) { $0.last == "ecsh>" }
        try shell.type("set pager on")
        try shell.press("Enter")
        try shell.waitUntil("the prompt after set") { $0.last == "ecsh>" && $0.contains("ecsh> set pager on") }
        return shell
    }

    /// A result taller than the screen goes through $PAGER, a short one does not.
    @Test func tallResultsArePaged() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let paged = dir.path("paged.txt")
        let shell = try TmuxSession(command: [try TerminalTests.ecshBinary()],
                                    environment: ["ECSH_HISTORY": dir.path("history"), "HOME": dir.url.path,
                                                  "PAGER": "cat >> '\(paged)'"], height: 20)
        defer { shell.close() }
        try shell.waitUntil("the first prompt") { $0.last == "ecsh>" || $0.last == "ecsh> " }
        try shell.type("set pager on")
        try shell.press("Enter")
        // 5 rows fit on 20 lines: shown directly.
        try shell.type("with recursive c(n) as (select 1 union all select n + 1 from c where n < 5) select n from c")
        try shell.press("Enter")
        try shell.waitUntil("the short table") { lines in lines.contains { $0.hasPrefix("│") && $0.contains(" 5 ") } }
        #expect(!FileManager.default.fileExists(atPath: paged))
        // 30 rows need 35 lines: they go to the pager.
        try shell.type("with recursive c(n) as (select 1 union all select n + 1 from c where n < 30) select n from c")
        try shell.press("Enter")
        try shell.waitUntil("the pager to run") { _ in FileManager.default.fileExists(atPath: paged) }
        try shell.waitUntil("the next prompt") { $0.last == "ecsh>" || $0.last == "ecsh> " }
        let text = try String(contentsOfFile: paged, encoding: .utf8)
        #expect(text.contains("│ 30 │") && text.contains("30 rows"))
    }

    /// 105 weeks do not fit 30 rows: `less` shows the first page and waits for a key at its `:`
    /// prompt; `q` leaves it and the shell's prompt comes back.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/less"), "less is not installed"))
    func lessShowsATallResultAndThePromptComesBack() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try Self.startDemo(pager: "less -S", history: dir.path("history"))
        defer { shell.close() }
        try shell.type("kpi orders by week")
        try shell.press("Enter")
        let paged = try shell.waitUntil("less showing the weeks", timeout: .seconds(60)) { lines in
            lines.contains { $0.hasPrefix("│ 2023-W01 ") } && lines.last == ":"
        }
        #expect(paged.contains { $0.hasPrefix("│ week ") })
        #expect(!paged.contains { $0.contains("the pager") })
        try shell.press("q")
        let after = try shell.waitUntil("the prompt after less") { $0.last == "ecsh>" }
        #expect(!after.contains { $0.contains("the pager") }, "\(after.joined(separator: "\n"))")
        // The shell still works.
        try shell.type("sql select 6*7 as answer")
        try shell.press("Enter")
        try shell.waitUntil("a row reading 42") { TerminalTests.hasRow($0, "42") }
    }

    /// A pager that exits non-zero (here at once, as `less` did when it could not read the
    /// terminal) is named on standard error and the result is printed after all.
    @Test func aFailingPagerDoesNotLoseTheResult() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try Self.startDemo(pager: "exit 3", history: dir.path("history"))
        defer { shell.close() }
        try shell.type("kpi orders by week")
        try shell.press("Enter")
        let lines = try shell.waitUntil("the result after the failed pager", timeout: .seconds(60)) { lines in
            lines.last == "ecsh>" && lines.contains { $0.hasPrefix("│ 2023-W39 ") }
        }
        #expect(lines.contains("note: the pager (exit 3) exited with status 3; the result follows"),
                "\(lines.joined(separator: "\n"))")
    }
}
