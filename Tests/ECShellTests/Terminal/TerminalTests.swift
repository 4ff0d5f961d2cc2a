import ECTestSupport
import Foundation
import Testing

/// End-to-end: the built `ecsh` in a real terminal (tmux), typed at like a person would.
///
/// These tests build nothing: `swift test` (or `swift build --build-tests`)
/// builds the `ecsh` executable next to the test bundle.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (apt-get install tmux); terminal tests skipped"))
struct TerminalTests {
    static let prompt = "ecsh> "

    /// The built `ecsh` binary: beside the test bundle, else in the package's `.build/debug`.
    static func ecshBinary() throws -> String {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug"))
        for folder in candidates {
            let path = folder.appendingPathComponent("ecsh").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw TmuxError("the ecsh binary was not found in \(candidates.map(\.path)); run `swift build` first")
    }

    /// Starts ecsh with its own history file.
    static func start(history: String) throws -> TmuxSession {
        let session = try TmuxSession(command: [try ecshBinary()], environment: ["ECSH_HISTORY": history])
        try session.waitUntil("the first prompt") { $0.last == "ecsh>" || $0.last == prompt }
        return session
    }

    /// True when some screen row is a table row holding exactly `text` (program output, not the echo of typed input).
    static func hasRow(_ lines: [String], _ text: String) -> Bool {
        lines.contains { $0.hasPrefix("│") && $0.trimmingCharacters(in: CharacterSet(charactersIn: "│ ")) == text }
    }

    @Test func statementRunsAndItsOutputAppears() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try Self.start(history: dir.path("history"))
        defer { shell.close() }
        try shell.type("sql select 6*7")
        try shell.press("Enter")
        // 6 × 7 = 42, worked by hand.
        let lines = try shell.waitUntil("a row reading 42") { Self.hasRow($0, "42") }
        #expect(lines.contains("ecsh> sql select 6*7"))
    }

    /// `quit` or Ctrl-D with a `sql BEGIN` transaction open: the first asks (COMMIT or ROLLBACK),
    /// the second leaves and the rollback is said; after COMMIT, Ctrl-D leaves at once.
    @Test func leavingWithAnOpenTransactionAsksFirst() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = dir.path("w.db")
        let question = "an open transaction (sql BEGIN) has changes not committed yet"
        do {
            let shell = try TmuxSession(command: [try Self.ecshBinary(), db], environment: ["ECSH_HISTORY": dir.path("history")])
            defer { shell.close() }
            try shell.waitUntil("the first prompt") { $0.last == "ecsh>" }
            for statement in ["sql create table t(a)", "sql begin", "sql insert into t values (1)"] {
                try shell.type(statement)
                try shell.press("Enter")
                try shell.waitUntil("the prompt after \(statement)") { $0.last == "ecsh>" && $0.contains("ecsh> " + statement) }
            }
            try shell.type("quit")
            try shell.press("Enter")
            let asked = try shell.waitFor(question)
            #expect(try shell.exitStatus() == nil, "\(asked.joined(separator: "\n"))")
            try shell.waitUntil("the prompt after the question") { $0.last == "ecsh>" }
            try shell.type("quit")
            try shell.press("Enter")
            #expect(try shell.waitForExit() == 0)
            #expect(try shell.screen().contains("note: an open transaction (sql BEGIN) was rolled back: its changes were discarded"))
        }
        #expect(try runECSH([db, "--format", "csv", "sql select count(*) as n from t"]).stdout == "n\n0\n")
        do {
            let shell = try TmuxSession(command: [try Self.ecshBinary(), db], environment: ["ECSH_HISTORY": dir.path("history")])
            defer { shell.close() }
            try shell.waitUntil("the first prompt") { $0.last == "ecsh>" }
            for statement in ["sql begin", "sql insert into t values (2)"] {
                try shell.type(statement)
                try shell.press("Enter")
                try shell.waitUntil("the prompt after \(statement)") { $0.last == "ecsh>" && $0.contains("ecsh> " + statement) }
            }
            try shell.press("C-d")
            try shell.waitFor(question)
            try shell.waitUntil("the prompt after the question") { $0.last == "ecsh>" }
            try shell.type("sql commit")
            try shell.press("Enter")
            try shell.waitUntil("the prompt after commit") { $0.last == "ecsh>" && $0.contains("ecsh> sql commit") }
            try shell.press("C-d")
            #expect(try shell.waitForExit() == 0)
            #expect(!(try shell.screen().contains("rolled back")))
        }
        #expect(try runECSH([db, "--format", "csv", "sql select count(*) as n from t"]).stdout == "n\n1\n")
    }

    @Test func upRecallsAStatementFromTheLastSession() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let history = dir.path("history")
        do {
            let first = try Self.start(history: history)
            defer { first.close() }
            try first.type("sql select 'from-session-one'")
            try first.press("Enter")
            try first.waitUntil("the first session's output") { Self.hasRow($0, "from-session-one") }
            // Ctrl-D typed ahead while the statement still runs meets a cooked terminal, where it is no key at all.
            try first.waitUntil("the next prompt") { $0.last == "ecsh>" }
            try first.press("C-d")
            #expect(try first.waitForExit() == 0)
        }
        let file = try String(contentsOfFile: history, encoding: .utf8)
        #expect(file == "sql select 'from-session-one'\n")

        let second = try Self.start(history: history)
        defer { second.close() }
        try second.press("Up")
        try second.waitFor("ecsh> sql select 'from-session-one'")
        try second.press("Enter")
        try second.waitUntil("the recalled statement's output") { Self.hasRow($0, "from-session-one") }
    }

    @Test func tabCompletesACommandName() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try Self.start(history: dir.path("history"))
        defer { shell.close() }
        try shell.type("des")
        try shell.press("Tab")
        let lines = try shell.waitFor("ecsh> describe")
        // The only command starting with "des": completed in full, then a space is appended.
        #expect(lines.last == "ecsh> describe")
        try shell.type("X")
        try shell.waitFor("ecsh> describe X")
    }

    @Test func ctrlCDiscardsAHalfTypedLine() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let history = dir.path("history")
        let shell = try Self.start(history: history)
        defer { shell.close() }
        try shell.type("sql select 'discarded'")
        try shell.waitFor("ecsh> sql select 'discarded'")
        try shell.press("C-c")
        try shell.waitUntil("^C and a fresh prompt") { $0.suffix(2) == ["ecsh> sql select 'discarded'^C", "ecsh>"] }
        // Enter on the fresh prompt must not run the discarded text.
        try shell.press("Enter")
        try shell.type("sql select 'kept'")
        try shell.press("Enter")
        let lines = try shell.waitUntil("the next statement's output") { Self.hasRow($0, "kept") }
        #expect(!Self.hasRow(lines, "discarded"))
        #expect(try String(contentsOfFile: history, encoding: .utf8) == "sql select 'kept'\n")
    }

    @Test func ctrlCCancelsALongQueryAndTheShellGoesOn() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try Self.start(history: dir.path("history"))
        defer { shell.close() }
        // Counts forever: only an interrupt ends it.
        try shell.type("sql WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c")
        try shell.press("Enter")
        try shell.waitFor("SELECT count(*) FROM c")
        Thread.sleep(forTimeInterval: 0.5)  // let the query start running
        #expect(try shell.screenLines().last?.hasSuffix("FROM c") == true, "the endless query should still be running")
        try shell.press("C-c")
        try shell.waitUntil("the query reports it was interrupted") { $0.contains { $0.hasSuffix("interrupted") } }
        try shell.waitUntil("a prompt after the interruption") { $0.last == "ecsh>" }
        try shell.type("sql select 41+1")
        try shell.press("Enter")
        try shell.waitUntil("41 + 1 = 42") { Self.hasRow($0, "42") }
        try shell.waitUntil("the next prompt") { $0.last == "ecsh>" }
        try shell.press("C-d")
        #expect(try shell.waitForExit() == 0)
    }

    @Test func ctrlDOnAnEmptyLineExits() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try Self.start(history: dir.path("history"))
        defer { shell.close() }
        #expect(try shell.exitStatus() == nil)
        try shell.press("C-d")
        let status = try shell.waitForExit()
        let lines = try shell.screenLines()
        let screen = lines.joined(separator: "\n")
        #expect(status == 0, "screen:\n\(screen)")
        // The only prompt is followed by the exit notice, not by a new prompt.
        #expect(lines.filter { $0.hasPrefix("ecsh>") } == ["ecsh>"], "screen:\n\(screen)")
        let prompt = try #require(lines.firstIndex(of: "ecsh>"))
        #expect(lines.dropFirst(prompt + 1).first == "[exited with status 0]", "screen:\n\(screen)")
    }

    /// `quit`, `exit` and `.quit` leave at once, like Ctrl-D (they used to be taken and the shell
    /// prompted again: only Ctrl-D left an interactive session).
    @Test(arguments: ["quit", "exit", ".quit"]) func quitLeaves(_ word: String) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try Self.start(history: dir.path("history"))
        defer { shell.close() }
        try shell.type(word)
        try shell.press("Enter")
        let status = try shell.waitForExit()
        let lines = try shell.screenLines()
        let screen = lines.joined(separator: "\n")
        #expect(status == 0, "screen:\n\(screen)")
        let typed = try #require(lines.firstIndex(of: "ecsh> \(word)"), "screen:\n\(screen)")
        #expect(lines.dropFirst(typed + 1).first == "[exited with status 0]", "screen:\n\(screen)")
    }
}
