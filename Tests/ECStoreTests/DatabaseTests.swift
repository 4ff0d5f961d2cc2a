import Testing
import ECStore
import ECTestSupport

@Suite struct DatabaseTests {
    @Test func roundTripsEveryValueKind() throws {
        let db = try Database()
        try db.execute("CREATE TABLE t (a, b, c, d, e)")
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [.null, .integer(42), .real(1.5), .text("顧客"), .blob([1, 2])])
        let r = try db.query("SELECT * FROM t")
        #expect(r.rows == [[.null, .integer(42), .real(1.5), .text("顧客"), .blob([1, 2])]])
    }

    @Test func transactionRollsBackOnError() throws {
        let db = try Database()
        try db.execute("CREATE TABLE t (x)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction { try db.execute("INSERT INTO t VALUES (1)"); throw Boom() }
        }
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))
    }

    @Test func errorCarriesOffset() throws {
        let db = try Database()
        do {
            _ = try db.query("SELECT nosuch FROM (SELECT 1 AS x)")
            Issue.record("expected an error")
        } catch let e as DatabaseError {
            #expect(e.message.contains("no such column"))
            #expect(e.offset == 7)
        }
    }

    @Test func interruptFlagStopsALongQuery() throws {
        let flag = InterruptFlag()
        let db = try Database(interruptFlag: flag)
        flag.raise()
        do {
            _ = try db.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c")
            Issue.record("expected interruption")
        } catch let e as DatabaseError {
            #expect(e.isInterrupt)
        }
    }

    @Test func fileWorkspaceUsesWAL() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try Database(path: dir.path("w.db"))
        #expect(try db.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1))
    }
}
