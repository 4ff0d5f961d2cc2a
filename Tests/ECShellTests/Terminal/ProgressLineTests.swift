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

    /// One SQLite step that runs for seconds: a function over a 20 MB value per row, a few VM steps
    /// a row, so SQLite's progress handler (every 4,000 steps) is not called for 1,000 rows (minutes).
    /// Stands for a load's index sort and commit, or a model fit in Swift: nothing calls back.
    static let stepWithoutCallbacks =
        "sql WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) SELECT sum(length(hex(randomblob(20000000)))) FROM n"

    /// The seconds a drawn progress line shows, if one is on the screen.
    static func secondsShown(_ lines: [String]) -> Int? {
        for line in lines where line.hasSuffix("s (Ctrl-C stops it)") {
            guard let dots = line.range(of: "running sql … ") else { continue }
            let number = line[dots.upperBound...].prefix { $0.isNumber }
            if let n = Int(number) { return n }
        }
        return nil
    }

    @Test func aStepThatCallsNothingBackStillShowsProgressAndCtrlCStopsIt() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try TerminalTests.start(history: dir.path("history"))
        defer { shell.close() }
        try shell.type(Self.stepWithoutCallbacks)
        try shell.press("Enter")
        // Drawn by its own clock: shown after a second, and its count of seconds moves on.
        let first = try shell.waitUntil("the progress line", timeout: .seconds(60)) { Self.secondsShown($0) != nil }
        let shown = try #require(Self.secondsShown(first))
        #expect(shown >= 1, "drawn before a second had passed")
        let later = try shell.waitUntil("the progress line to count on", timeout: .seconds(30)) { (Self.secondsShown($0) ?? 0) > shown }
        #expect(Self.secondsShown(later)! > shown)
        // Ctrl-C stops the step at once (sqlite3_interrupt), not after the 1,000 rows.
        let pressed = ContinuousClock.now
        try shell.press("C-c")
        let after = try shell.waitUntil("the statement to stop", timeout: .seconds(30)) { $0.contains("interrupted") }
        #expect(ContinuousClock.now - pressed < .seconds(20))
        #expect(!after.contains { $0.contains("Ctrl-C stops it") }, "the progress line was not wiped:\n\(after.joined(separator: "\n"))")
        // The session goes on, on the same connection.
        try shell.type("sql select 6 * 7 as answer")
        try shell.press("Enter")
        let next = try shell.waitUntil("the next answer", timeout: .seconds(30)) { TerminalTests.hasRow($0, "42") }
        #expect(TerminalTests.hasRow(next, "42"))
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
