import Testing
import Foundation
import ECStore
import ECTestSupport

/// libpq through ecsh's connection against a real PostgreSQL server (scripts/pg-cluster), each
/// result checked with psql, the reference client, reading what ecsh wrote (or the reverse).
@Suite struct PostgresConnectionTests {
    @Test func parametersAndResultsKeepTheirValues() throws {
        let url = try PostgresServer.freshDatabase("values")
        let pg = try PostgresConnection(url, interruptFlag: InterruptFlag())
        try pg.execute("CREATE TABLE v (i bigint, d double precision, t text, b boolean, n numeric, w numeric, x bytea)")
        let tiny = 0.1 + 0.2   // 0.30000000000000004: needs all 17 digits to come back equal
        try pg.execute("INSERT INTO v VALUES ($1, $2, $3, $4::boolean, $5::numeric, $6::numeric, $7)",
                       [.integer(-9_007_199_254_740_993), .real(tiny), .text("顧客 'O''Brien'\n|x"), .text("true"),
                        .text("12345678901234"), .text("2.5"), .blob([0, 1, 0xfe, 0xff])])
        try pg.execute("INSERT INTO v (t) VALUES (NULL)")
        // psql's view of what ecsh wrote.
        #expect(try PostgresServer.psql(url, "SELECT i, d = 0.1::float8 + 0.2::float8, b, n, encode(x, 'hex') FROM v WHERE i IS NOT NULL")
                == "-9007199254740993|t|t|12345678901234|0001feff\n")
        #expect(try PostgresServer.psql(url, "SELECT t FROM v WHERE i IS NOT NULL") == "顧客 'O''Brien'\n|x\n")
        // ecsh's view: the same Values SQLite would give.
        let rows = try pg.query("SELECT i, d, t, b, n, w, x FROM v ORDER BY i NULLS LAST").rows
        #expect(rows[0] == [.integer(-9_007_199_254_740_993), .real(tiny), .text("顧客 'O''Brien'\n|x"), .integer(1),
                            .integer(12_345_678_901_234), .real(2.5), .blob([0, 1, 0xfe, 0xff])])
        #expect(rows[1] == [.null, .null, .null, .null, .null, .null, .null])
        #expect(try pg.scalar("SELECT count(*) FROM v") == .integer(2))
    }

    /// Rows one at a time (single-row mode): every row arrives, in order, with its types; a body that
    /// throws stops the statement and leaves the connection usable. Σ i and Σ i/2 for i = 1…n by formula.
    @Test func forEachRowStreamsEveryRowAndStopsCleanly() throws {
        let url = try PostgresServer.freshDatabase("rows")
        let db = try Database(postgres: url, interruptFlag: InterruptFlag())
        let n = 100_000
        var count = 0, sum: Int64 = 0, half = 0.0, last: Int64 = 0, ordered = true
        try db.forEachRow("SELECT i, i / 2.0::float8, 'c' || i FROM generate_series(1, ?) AS i", [.integer(Int64(n))]) { row in
            count += 1
            let i = row[0].intValue ?? 0
            if i != last + 1 || row[2] != .text("c\(i)") { ordered = false }
            last = i
            sum += i
            half += row[1].doubleValue ?? 0
        }
        #expect(count == n && ordered)
        #expect(sum == Int64(n * (n + 1) / 2))
        #expect(half == Double(n * (n + 1)) / 4)
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try db.forEachRow("SELECT i FROM generate_series(1, 10000000) AS i") { _ in
                seen += 1
                if seen == 10 { throw Stop() }
            }
        }
        #expect(seen == 10)
        #expect(try db.scalar("SELECT 41 + 1") == .integer(42))
    }

    /// A remembered bound is asked once per statement: kept while nothing is written, forgotten
    /// when the shell starts the next statement or when ecsh writes (psql's write stands for another
    /// client's; ecsh does not see it until it forgets).
    @Test func rememberedBoundsLastUntilForgottenOrWritten() throws {
        let url = try PostgresServer.freshDatabase("remembered")
        let db = try Database(postgres: url, interruptFlag: InterruptFlag())
        try db.execute("CREATE TABLE d (day bigint)")
        try db.execute("INSERT INTO d VALUES (10), (20)")
        #expect(try db.rememberedScalar("SELECT max(day) FROM d") == .integer(20))
        _ = try PostgresServer.psql(url, "INSERT INTO d VALUES (30)")
        #expect(try db.rememberedScalar("SELECT max(day) FROM d") == .integer(20))
        db.forgetRemembered()
        #expect(try db.rememberedScalar("SELECT max(day) FROM d") == .integer(30))
        try db.execute("INSERT INTO d VALUES (40)")
        #expect(try db.rememberedScalar("SELECT max(day) FROM d") == .integer(40))
    }

    @Test func copyInLoadsEveryRowOrNone() throws {
        let url = try PostgresServer.freshDatabase("copy")
        let pg = try PostgresConnection(url, interruptFlag: InterruptFlag())
        try pg.execute("CREATE TABLE o (id text, amount bigint)")
        let n = 10_000
        let copied = try pg.copyIn("COPY o (id, amount) FROM STDIN WITH (FORMAT csv)") { w in
            for i in 1...n { try w.write("o\(i),\(i * 3)\n") }
        }
        #expect(copied == n)
        // Σ 3i for i = 1…n = 3·n(n+1)/2, worked out here, counted by psql there.
        #expect(try PostgresServer.psql(url, "SELECT count(*), sum(amount) FROM o") == "\(n)|\(3 * n * (n + 1) / 2)\n")

        struct Broken: Error {}
        #expect(throws: Broken.self) {
            try pg.copyIn("COPY o (id, amount) FROM STDIN WITH (FORMAT csv)") { w in
                for i in 1...50_000 { try w.write("p\(i),\(i)\n") }   // several 256 KB messages already sent
                throw Broken()
            }
        }
        // A bad row stops the COPY on the server: nothing of it is kept either.
        #expect(throws: PostgresError.self) {
            try pg.copyIn("COPY o (id, amount) FROM STDIN WITH (FORMAT csv)") { w in try w.write("q1,1\nq2,not-a-number\n") }
        }
        #expect(try PostgresServer.psql(url, "SELECT count(*) FROM o") == "\(n)\n")
        #expect(try pg.scalar("SELECT 1") == .integer(1))   // the connection is usable afterwards
    }

    @Test func serverErrorsCarryStateAndPosition() throws {
        let pg = try PostgresConnection(try PostgresServer.freshDatabase("errors"), interruptFlag: InterruptFlag())
        try pg.execute("CREATE TABLE t (a int)")
        do {
            _ = try pg.query("SELECT nosuch FROM t")
            Issue.record("no error")
        } catch let e as PostgresError {
            #expect(e.sqlState == "42703")       // undefined_column
            #expect(e.message == "column \"nosuch\" does not exist")
            #expect(e.position == 8)             // 1-based: the 'n' of nosuch
        }
        // A failed statement in a transaction rolls the whole transaction back.
        #expect(throws: PostgresError.self) {
            try pg.transaction { try pg.execute("INSERT INTO t VALUES (1)"); try pg.execute("INSERT INTO t VALUES ('x')") }
        }
        #expect(try pg.scalar("SELECT count(*) FROM t") == .integer(0))
    }

    @Test func ctrlCCancelsTheQueryOnTheServer() throws {
        let flag = InterruptFlag()
        let pg = try PostgresConnection(try PostgresServer.freshDatabase("cancel"), interruptFlag: flag)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { flag.raise() }
        do {
            _ = try pg.query("SELECT pg_sleep(600)")
            Issue.record("the query was not cancelled")
        } catch let e as PostgresError {
            #expect(e.isCancelled, "\(e.message)")
        }
        flag.clear()
        #expect(try pg.scalar("SELECT 41 + 1") == .integer(42))
    }

    @Test func aConnectionFailureNamesTheServerButNotThePassword() throws {
        // Port 1 on 127.0.0.1: nothing listens there.
        do {
            _ = try PostgresConnection("postgresql://shop:s3cret@127.0.0.1:1/shop?connect_timeout=5", interruptFlag: InterruptFlag())
            Issue.record("connected to port 1")
        } catch let e as PostgresError {
            #expect(e.isConnection)
            #expect(e.message.hasPrefix("cannot connect to 'postgresql://shop:***@127.0.0.1:1/shop?connect_timeout=5': "))
            #expect(!e.message.contains("s3cret"))
        }
    }
}
