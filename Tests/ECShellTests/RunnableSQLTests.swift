import Foundation
import Testing
import ECStore
import ECTestSupport

/// `show sql` and `explain NAME sql` print SQL a person can paste into a SQLite shell and get ecsh's
/// numbers from, and never another statement's SQL.
@Suite struct RunnableSQLTests {
    /// Eight orders, one cancelled; as_of is the last order's day, 2024-03-10.
    /// Jan: A 1000 − 100 discount, B 2000, A 500 (A's second order, 15 days after the first).
    /// Feb: C 3000 − 300 points, B 1500 cancelled, C 1000 (C's second). Mar: D 800, B 1200 (B's second, 60 days on).
    static let orders = """
        order_id,customer_id,ordered_at,amount,discount,points,status
        O1,A,2024-01-05,1000,100,0,completed
        O2,B,2024-01-10,2000,0,0,completed
        O3,A,2024-01-20,500,0,0,completed
        O4,C,2024-02-03,3000,0,300,completed
        O5,B,2024-02-15,1500,0,0,cancelled
        O6,C,2024-02-20,1000,0,0,completed
        O7,D,2024-03-01,800,0,0,completed
        O8,B,2024-03-10,1200,0,0,completed

        """

    /// A workspace file holding the hand-worked shop.
    static func workspace(_ dir: TemporaryDirectory) throws -> String {
        let csv = try dir.write("orders.csv", orders)
        let db = dir.path("w.db")
        let out = try runECSH([db, "-c", "load orders from '\(csv)'"])
        #expect(out.status == 0, "\(out.stderr)")
        return db
    }

    /// What `show sql` printed after the statement, run as it is (no values given).
    static func pasted(_ db: String, _ statement: String, show: String = "show sql") throws -> ResultTable {
        let out = try runECSH([db, "-c", statement, "-c", show])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("--") || $0.hasPrefix("WITH") || $0.hasPrefix("SELECT") })
        let sql = lines[start...].joined(separator: "\n")
        return try Database(path: db).query(sql)
    }

    @Test func kpiSQLRunsAsPrintedWithTheHandWorkedFigures() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try Self.workspace(dir)
        let t = try Self.pasted(db, "kpi gmv, orders, aov, new_customers, repeat_rate, f2_rate within 30 days by month")
        let month = try #require(t.columns.firstIndex(of: "month"))
        func column(_ name: String) throws -> [Double?] {
            let c = try #require(t.columns.firstIndex(of: name))
            return t.rows.map { $0[c].doubleValue }
        }
        #expect(t.rows.map { $0[month].textValue } == ["2024-01", "2024-02", "2024-03"])
        #expect(try column("gmv") == [3500, 4000, 2000])
        #expect(try column("orders") == [3, 2, 2])
        // aov = revenue / orders: (900 + 2000 + 500) / 3, (2700 + 1000) / 2, 2000 / 2.
        #expect(try column("aov") == [3400.0 / 3, 1850, 1000])
        #expect(try column("new_customers") == [2, 1, 1])
        // Ever-buyers with a second counted order by each month's end: A of A, B; A, C of A, B, C; A, B, C of 4.
        #expect(try column("repeat_rate") == [0.5, 2.0 / 3, 0.75])
        // January's window (to Mar 1) has elapsed by 2024-03-10: A came back in 15 days, B in 60; the others are blank.
        #expect(try column("f2_rate") == [0.5, nil, nil])
    }

    @Test func explainSQLRunsAsPrinted() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try Self.workspace(dir)
        let t = try Self.pasted(db, "explain repeat_rate", show: "explain repeat_rate sql")
        let c = try #require(t.columns.firstIndex(of: "repeat_rate"))
        // A, B and C of the four customers have a second counted order by as_of.
        #expect(t.rows.map { $0[c].doubleValue } == [0.75])
    }

    /// `nps` computes its table in ecsh: `show sql` after it says so instead of printing the kpi's SQL.
    @Test func noEarlierStatementsSQLAfterOneWithoutSQL() throws {
        for statement in ["nps", "kpi tree revenue", "segment big = orders >= 2"] {
            let out = try runECSH(["--demo", "-c", "kpi gmv", "-c", statement, "-c", "show sql"])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(!out.stdout.contains("WITH") && !out.stdout.contains("SELECT"), "\(statement)")
            #expect(out.stderr.contains("no SQL for the last statement"), "\(statement)")
        }
        // A statement that only changes how results show keeps the SQL of the one before.
        let kept = try runECSH(["--demo", "-c", "kpi gmv", "-c", "set maxrows 5", "-c", "show sql"])
        #expect(kept.stdout.contains("AS \"gmv\""))
    }

    /// Only the KPI that reads spend is named, and the caret is under it.
    @Test func segmentSplitErrorNamesTheSpendKPI() throws {
        let out = try runECSH(["--demo", "-c", "segment big = orders >= 2", "-c", "kpi gmv, aov, cac for big"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("error: cac cannot be split by segment: spend is not tied to customers"), "\(out.stderr)")
        #expect(out.stderr.contains("1 | kpi gmv, aov, cac for big\n  |               ^^^"), "\(out.stderr)")
    }
}
