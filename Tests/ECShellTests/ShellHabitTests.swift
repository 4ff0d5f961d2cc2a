import Foundation
import Testing
import ECTestSupport

/// sqlite3 and DuckDB habits: dot commands, bare SQL, single-dash flags, a positional statement, ~/.ecshrc.
/// Numbers are hand-worked on good-orders.csv: counted orders A1 1200 (own), A2 3000 (rakuten),
/// A3 800 (own); A4 (amazon, 500) is cancelled. GMV 5000, 3 orders.
@Suite struct ShellHabitTests {
    static let orders = BuiltBinary.packageRoot.path + "/Tests/ECShellTests/Scripts/good-orders.csv"

    func workspace(_ dir: TemporaryDirectory) throws -> String {
        let db = dir.path("shop.db")
        let out = try runECSH([db, "-c", "load orders from '\(Self.orders)'"])
        #expect(out.status == 0, "\(out.stderr)")
        return db
    }

    @Test func dotCommandsAreAliases() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = try workspace(dir)
        let dotted = try runECSH([db, "-c", ".tables"])
        let plain = try runECSH([db, "-c", "tables"])
        #expect(dotted.status == 0 && dotted.stdout == plain.stdout && dotted.stdout.contains("│ orders"))
        let csv = try runECSH([db, "-c", ".mode csv", "-c", "kpi gmv, orders", "-c", ".headers off", "-c", "kpi gmv, orders"])
        #expect(csv.stdout == "gmv,orders\n5000.0,3\n5000.0,3\n", "\(csv.stderr)")
        let line = try runECSH([db, "-c", ".mode line", "-c", "kpi gmv, orders"])
        #expect(line.stdout == "   gmv = ¥5,000\norders = 3\n")
        let schema = try runECSH([db, "-c", ".schema orders"])
        #expect(schema.stdout.hasPrefix("CREATE TABLE \"orders\"") && schema.stdout.contains("\"amount\" REAL"))
        let timer = try runECSH([db, "-c", ".timer on", "-c", "kpi orders"])
        #expect(timer.stderr.contains("Run time: "))
    }

    @Test func onceAndOutputSendResultsToFiles() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = try workspace(dir)
        let once = dir.path("once.csv"), all = dir.path("all.txt")
        let out = try runECSH([db, "-csv", "-c", ".once \(once)", "-c", "kpi gmv", "-c", "kpi orders",
                               "-c", ".output '\(all)'", "-c", "kpi gmv", "-c", "kpi orders", "-c", ".output", "-c", "select 7 as n"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(try String(contentsOfFile: once, encoding: .utf8) == "gmv\n5000.0\n")
        #expect(try String(contentsOfFile: all, encoding: .utf8) == "gmv\n5000.0\norders\n3\n")
        #expect(out.stdout == "orders\n3\nn\n7\n")
    }

    @Test func readRunsAScriptAndQuitStops() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = try workspace(dir)
        let script = try dir.write("q.sql", "select count(*) as n from orders where status = 'completed'\n")
        let out = try runECSH([db, "-csv", "-c", ".read \(script)", "-c", ".quit", "-c", "select 99"])
        #expect(out.stdout == "n\n3\n", "\(out.stderr)")
    }

    @Test func unknownDotCommandsSuggest() throws {
        let out = try runECSH(["-c", ".mod csv"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("unknown dot command '.mod'; did you mean '.mode'?"))
        #expect(out.stderr.contains("<command line>:1:1"))
        let imported = try runECSH(["-c", ".import x.csv t"])
        #expect(imported.stderr.contains("ecsh has no .import") && imported.stderr.contains("load table NAME from"))
        let mode = try runECSH(["-c", ".mode yaml"])
        #expect(mode.stderr.contains("unknown mode 'yaml'") && mode.stderr.contains("1:7"))
        let help = try runECSH(["-c", ".help"])
        #expect(help.stdout.contains(".once FILE") && help.stdout.contains("set format MODE"))
    }

    @Test(arguments: [
        ("select 1 + 1 as two", "two\n2\n"),
        ("SELECT count(*) AS n FROM orders WHERE amount > 1000", "n\n2\n"),
        ("with t as (select sum(amount) as s from orders where status <> 'cancelled') select s from t", "s\n5000.0\n"),
        ("values (4)", "column1\n4\n"),
    ])
    func bareSQLRunsAsSQL(_ statement: String, _ expected: String) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = try workspace(dir)
        let out = try runECSH([db, "-csv", statement])
        #expect(out.stdout == expected, "\(out.stderr)")
    }

    @Test func pragmaAndExplainQueryPlanAreSQL() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = try workspace(dir)
        let pragma = try runECSH([db, "-csv", "pragma table_info(orders)"])
        #expect(pragma.stdout.hasPrefix("cid,name,type,notnull,dflt_value,pk\n0,order_id,"), "\(pragma.stderr)")
        let plan = try runECSH([db, "-csv", "explain query plan select * from orders"])
        #expect(plan.stdout.contains("SCAN orders"), "\(plan.stderr)")
        // `explain` alone is still ecsh's explain.
        let explain = try runECSH(["-c", "explain gmv"])
        #expect(explain.status == 0 && explain.stdout.lowercased().contains("gmv"))
    }

    @Test(arguments: [("-csv", "gmv,orders\n5000.0,3\n"), ("-json", "[\n{\"gmv\":5000.0,\"orders\":3}\n]\n"),
                      ("-markdown", "|    gmv | orders |\n| -----: | -----: |\n| ¥5,000 |      3 |\n"), ("-line", "   gmv = ¥5,000\norders = 3\n"),
                      ("--csv", "gmv,orders\n5000.0,3\n")])
    func singleDashFormatFlags(_ flag: String, _ expected: String) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = try workspace(dir)
        let out = try runECSH([flag, db, "kpi gmv, orders"])
        #expect(out.stdout == expected, "\(out.stderr)")
    }

    @Test func cmdInitBailAndRCFile() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = try workspace(dir)
        let home = dir.path("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        _ = try dir.write("home/.ecshrc", "set format csv\n")
        // -cmd runs first, then the statement.
        let cmd = try runECSH(["-cmd", ".mode csv", "-bail", db, "kpi orders"])
        #expect(cmd.stdout == "orders\n3\n", "\(cmd.stderr)")
        // ~/.ecshrc is not read with -c unless --rc asks.
        let noRC = try runECSH([db, "-c", "kpi orders"], environment: ["HOME": home])
        #expect(noRC.stdout.contains("┌"))
        let rc = try runECSH(["--rc", db, "-c", "kpi orders"], environment: ["HOME": home])
        #expect(rc.stdout == "orders\n3\n", "\(rc.stderr)")
        // -init names another start-up file.
        let initFile = try dir.write("init.ecsh", "set format json\n")
        let viaInit = try runECSH(["-init", initFile, db, "kpi orders"], environment: ["HOME": home])
        #expect(viaInit.stdout == "[\n{\"orders\":3}\n]\n", "\(viaInit.stderr)")
        // -bail and --keep-going contradict.
        let both = try runECSH(["-bail", "--keep-going", db, "kpi orders"])
        #expect(both.status != 0 && both.stderr.contains("contradict"))
    }

    @Test func demoTakesAStatementPositionally() throws {
        let out = try runECSH(["--demo", "-csv", "select count(*) as n from orders"])
        let reference = try runECSH(["--demo", "--format", "csv", "-c", "sql select count(*) as n from orders"])
        #expect(out.status == 0 && out.stdout == reference.stdout && out.stdout.hasPrefix("n\n"))
        let mistaken = try runECSH(["--demo", "shop.db"])
        #expect(mistaken.status != 0 && mistaken.stderr.contains("--demo opens its own in-memory workspace"))
    }
}
