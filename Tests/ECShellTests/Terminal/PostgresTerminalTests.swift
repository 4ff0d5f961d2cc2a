import ECTestSupport
import Foundation
import Testing

/// A PostgreSQL workspace in a real terminal (GNU readline under tmux, a real server): the banner
/// names the engine, Ctrl-C cancels a statement on the server and the session goes on, and Tab
/// completes names from the server's catalog.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct PostgresTerminalTests {
    @Test func ctrlCCancelsOnTheServerAndTabCompletesFromItsCatalog() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = BuiltBinary.packageRoot.path + "/Tests/ECShellTests/Scripts/good-orders.csv"
        let url = try PostgresServer.freshDatabase("terminal")
        let loaded = try runECSH([url, "-c", "load orders from '\(orders)'"])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        let shell = try TmuxSession(command: [try TerminalTests.ecshBinary(), url],
                                    environment: ["ECSH_HISTORY": dir.path("history"), "HOME": dir.url.path], width: 140)
        defer { shell.close() }
        let start = try shell.waitUntil("the first prompt") { $0.last == "ecsh>" || $0.last == "ecsh> " }
        #expect(start.contains { $0.hasPrefix("workspace: PostgreSQL ") }, "\(start)")
        // A minute-long statement, cancelled after it has started on the server.
        try shell.type("sql SELECT pg_sleep(60)")
        try shell.press("Enter")
        Thread.sleep(forTimeInterval: 1.0)
        let sleeping = try PostgresServer.psql(url, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'")
        #expect(sleeping == "1\n", "the statement was not running on the server: \(sleeping)")
        try shell.press("C-c")
        _ = try shell.waitFor("interrupted", timeout: .seconds(10))
        let after = try PostgresServer.psql(url, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'")
        #expect(after == "0\n", "still running on the server: \(after)")
        // The session goes on, and Tab completes a column of the server's orders table.
        try shell.type("sql SELECT 6 * 7 AS answer")
        try shell.press("Enter")
        // The answer's cell, not just "42": the banner's port number may hold those digits.
        _ = try shell.waitFor("42 │")
        // Typed only at the prompt: keys typed while the answer is still being written are echoed by
        // the terminal before the prompt ("kpi gmv by chanecsh> kpi gmv by channel", one full run).
        _ = try shell.waitUntil("the prompt after the answer") { $0.last == "ecsh>" || $0.last == "ecsh> " }
        try shell.type("kpi gmv by chan")
        try shell.press("Tab")
        // The completed line is the last one (waiting for that, not for the text anywhere: one CI run caught
        // the screen with the text shown and something else last, which this wait reports whole if it stays).
        let lines = try shell.waitUntil("the completed line is the last") { $0.last?.hasPrefix("ecsh> kpi gmv by channel") == true }
        #expect(lines.last?.hasPrefix("ecsh> kpi gmv by channel") == true)
    }
}
