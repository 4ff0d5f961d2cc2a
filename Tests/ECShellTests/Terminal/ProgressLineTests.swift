import ECTestSupport
import Foundation
import Testing

/// Issue 15, progress: a step that runs longer than a second on a terminal shows a progress line
/// (what runs, for how long), wiped when it ends; scripts and pipes never see it.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (apt-get install tmux); terminal tests skipped"))
struct ProgressLineTests {
    /// Counting to N in a recursive CTE: seconds of SQLite steps with no rows to show until the end.
    static func slowQuery(_ n: Int) -> String {
        "sql WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(n)) SELECT count(*) FROM n"
    }

    @Test func aLongStatementShowsProgressAndWipesIt() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try TerminalTests.start(history: dir.path("history"))
        defer { shell.close() }
        try shell.type(Self.slowQuery(2_000_000_000))
        try shell.press("Enter")
        let during = try shell.waitUntil("the progress line", timeout: .seconds(60)) { lines in
            lines.contains { $0.contains("running sql … ") && $0.hasSuffix("s (Ctrl-C stops it)") }
        }
        #expect(!during.contains { $0.contains("running sql … 0 s") }, "drawn before a second had passed")
        try shell.press("C-c")
        let after = try shell.waitUntil("the statement to stop", timeout: .seconds(30)) { $0.contains("interrupted") }
        #expect(!after.contains { $0.contains("Ctrl-C stops it") }, "the progress line was not wiped:\n\(after.joined(separator: "\n"))")
    }

    @Test func noProgressLineWithoutATerminal() throws {
        // 3,000,000 steps of the CTE take more than a second in a debug build; nothing is drawn anyway.
        let started = Date()
        let out = try runECSH(["-c", Self.slowQuery(3_000_000)])
        #expect(out.status == 0)
        // 1 + 2 + ... counted once each: the count is N.
        #expect(out.stdout.contains("3,000,000") || out.stdout.contains("3000000"), "\(out.stdout)")
        #expect(!out.stderr.contains("Ctrl-C stops it"), "\(out.stderr) after \(Date().timeIntervalSince(started)) s")
    }
}
