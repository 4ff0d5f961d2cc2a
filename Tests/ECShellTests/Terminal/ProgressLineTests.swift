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

    /// Generated shops (`name`, orders) in `dir`, and the shell at its first prompt on `dir`/shop.db, 140 wide.
    static func shellBesideShops(in dir: TemporaryDirectory, _ shops: [(name: String, orders: String)]) throws -> TmuxSession {
        for shop in shops {
            let made = try runECSH(["generate", "shop", dir.path(shop.name), "--orders", shop.orders, "--seed", "7"])
            #expect(made.status == 0, "\(made.stderr)")
        }
        let shell = try TmuxSession(command: [try TerminalTests.ecshBinary(), dir.path("shop.db")],
                                    environment: ["ECSH_HISTORY": dir.path("history")], width: 140)
        do {
            try shell.waitUntil("the first prompt") { $0.last == "ecsh>" }
        } catch {
            shell.close()
            throw error
        }
        return shell
    }

    /// A load draws its bar while it reads the rows; Ctrl-C then stops it at once, wipes the bar,
    /// and leaves the workspace as it was.
    @Test func ctrlCDuringALoadWipesTheBarAndKeepsTheWorkspace() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try Self.shellBesideShops(in: dir, [("small", "1000"), ("large", "300000")])
        defer { shell.close() }
        try shell.type("load orders from '\(dir.path("small"))/orders.csv'")
        try shell.press("Enter")
        try shell.waitUntil("the small load", timeout: .seconds(60)) { $0.contains { $0.hasPrefix("loaded ") } && $0.last == "ecsh>" }
        try shell.type("sql select count(*) as before_count from orders")
        try shell.press("Enter")
        let counted = try shell.waitUntil("the count", timeout: .seconds(30)) { $0.contains { $0.contains("before_count") } && $0.last == "ecsh>" }
        let value = { (line: String) in line.trimmingCharacters(in: CharacterSet(charactersIn: "│ ")) }
        let before = try #require(counted.last { $0.hasPrefix("│") && !$0.contains("before_count") }.map(value))
        #expect((Int(before.replacingOccurrences(of: ",", with: "")) ?? 0) > 0, "\(before)")

        try shell.type("load orders from '\(dir.path("large"))/orders.csv'")
        try shell.press("Enter")
        _ = try shell.waitUntil("the load's bar", timeout: .seconds(60)) { $0.contains { $0.contains(" rows/s ") } }
        try shell.press("C-c")
        let after = try shell.waitUntil("the load to stop", timeout: .seconds(30)) { $0.contains("interrupted") && $0.last == "ecsh>" }
        #expect(!after.contains { $0.contains(" rows/s ") }, "the bar was left:\n\(after.joined(separator: "\n"))")
        #expect(after.filter { $0.hasPrefix("loaded ") }.count == 1, "the load went on:\n\(after.joined(separator: "\n"))")

        try shell.type("sql select count(*) as after_count from orders")
        try shell.press("Enter")
        let recounted = try shell.waitUntil("the count again", timeout: .seconds(30)) { $0.contains { $0.contains("after_count") } && $0.last == "ecsh>" }
        #expect(recounted.last { $0.hasPrefix("│") && !$0.contains("after_count") }.map(value) == before)
    }

    /// A load into a new workspace commits its rows in parts (`StagedRows`: a 30 MB file, eight parts) while its
    /// bar is drawn. The bar alone shows that step: until the twenty-third session each part's commit gave the
    /// line to the statement's activity line, and the two took turns ("running load … 2 s", then the bar again).
    @Test func aLoadInPartsShowsOnlyItsBarWhileItReadsTheRows() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try Self.shellBesideShops(in: dir, [("large", "300000")])
        defer { shell.close() }
        try shell.type("load orders from '\(dir.path("large"))/orders.csv'")
        try shell.press("Enter")
        // The last line of the screen, every 40 ms, until the load has said what it loaded.
        var seen: [String] = []
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline {
            let lines = try shell.screenLines()
            if let last = lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) { seen.append(last) }
            if lines.contains(where: { $0.hasPrefix("loaded ") }) && lines.last == "ecsh>" { break }
            usleep(40_000)
        }
        #expect(seen.last == "ecsh>", "the load did not end:\n\(seen.suffix(5).joined(separator: "\n"))")
        let lastBar = try #require(seen.lastIndex { $0.contains(" rows/s ") }, "no bar was drawn")
        let bars = seen[..<lastBar].filter { $0.contains(" rows/s ") }.count
        let turns = seen[..<lastBar].filter { $0.contains("running load") || $0.contains("saving the rows loaded so far") }
        #expect(bars >= 5, "\(bars) samples of the bar")
        #expect(turns.isEmpty, "the activity line took turns with the bar:\n\(turns.prefix(5).joined(separator: "\n"))")
    }

    /// `run 'script.ecsh'`: the line is the running statement's, never the `run`'s over it.
    @Test func aScriptRunFromThePromptShowsItsStatementsLines() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        // A load in the script: its labels (`during`, seconds of them) must not wake the `run`'s line.
        // Large enough that the steps after the rows (checks, derived data) stay on screen for a
        // while: at 150,000 orders a busy machine's full test run once missed them between polls.
        let made = try runECSH(["generate", "shop", dir.path("shop"), "--orders", "400000", "--seed", "7"])
        #expect(made.status == 0, "\(made.stderr)")
        // Thirty 20 MB blobs: a few seconds, well past the line's first second (ten took about as long as that
        // second on a quiet machine, and a full test run once saw no line for it).
        let slow = Self.stepWithoutCallbacks.replacingOccurrences(of: "i < 1000", with: "i < 30")
        let script = try dir.write("slow.ecsh", """
            load orders from '\(dir.path("shop"))/orders.csv'
            \(slow)
            sql select 2 as done_now
            """)
        let shell = try TerminalTests.start(history: dir.path("history"))
        defer { shell.close() }
        try shell.type("run '\(script)'")
        try shell.press("Enter")
        var seen: Set<String> = []
        let finished = try shell.waitUntil("the script to end", timeout: .seconds(90)) { lines in
            for line in lines where line.hasSuffix("(Ctrl-C stops it)") {
                seen.insert(line.contains("running run") ? "run" : line.contains("running sql") ? "sql" : "label")
            }
            return lines.contains { $0.contains("done_now") } && lines.last == "ecsh>"
        }
        #expect(seen.contains("sql") && seen.contains("label"), "no progress line for the script's statements: \(seen)")
        #expect(!seen.contains("run"), "the run's line was drawn: \(seen)")
        #expect(!finished.contains { $0.hasSuffix("(Ctrl-C stops it)") })
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
