import Foundation
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

    /// Dropping a table frees its pages without writing them again: Debian's SQLite zeroes every freed
    /// page by default (secure_delete), which made loading orders again dearer than a first load.
    @Test func droppingATableDoesNotRewriteItsPages() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try Database(path: dir.path("w.db"))
        try db.execute("CREATE TABLE t (x)")
        try db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO t SELECT randomblob(1000) FROM n")
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let pages = try #require(try db.scalar("PRAGMA page_count").intValue)
        #expect(pages > 200)
        try db.execute("DROP TABLE t")
        // (busy, frames in the log, frames copied): the drop wrote the schema and the freelist's trunk.
        let log = try #require(try db.query("PRAGMA wal_checkpoint").rows.first?[1].intValue)
        #expect(log < pages / 20, "\(log) pages written to drop a table of \(pages)")
    }

    /// A workspace file ecsh creates gets SQLite's largest page (a load writes a sixteenth of the pages
    /// it wrote at 4 KiB); one made before keeps its page size, and loads and reads as before.
    @Test func aNewWorkspaceFileHas64KiBPagesAndAnOldOneKeepsItsOwn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fresh = try Database(path: dir.path("new.db"))
        #expect(try fresh.scalar("PRAGMA page_size").intValue == 65536)
        #expect(try fresh.scalar("PRAGMA journal_mode").textValue == "wal")
        // An empty file (as `touch` leaves) is new too.
        _ = FileManager.default.createFile(atPath: dir.path("empty.db"), contents: Data())
        #expect(try Database(path: dir.path("empty.db")).scalar("PRAGMA page_size").intValue == 65536)

        // A workspace written by an earlier ecsh, with SQLite's default page.
        let old4k = dir.path("old4k.db")
        do {
            let made = try Database()
            try made.execute("PRAGMA page_size = 4096")
            try made.execute("CREATE TABLE t (x)")
            try made.execute("INSERT INTO t VALUES (1), (2)")
            try made.execute("VACUUM INTO '\(old4k)'")
        }
        let old = try Database(path: old4k)
        #expect(try old.scalar("PRAGMA page_size").intValue == 4096)
        try old.transaction(committing: "rows") {
            try old.execute("WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT i FROM n")
        }
        old.finishLogCopy()
        #expect(try old.scalar("SELECT count(*) FROM t").intValue == 5000)
        #expect(try old.scalar("SELECT sum(x) FROM t").intValue == 5000 * 5001 / 2)
        #expect(try old.scalar("PRAGMA page_size").intValue == 4096)
    }

    /// A big write's log is handed to the kernel's writeback while it grows (`LogWriteback`): the
    /// `-wal` file is held open a second time during a committing transaction of a file workspace, and only then.
    @Test func committingTransactionWritesItsLogBack() throws {
        func openLogs(_ path: String) -> Int {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return fds.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path + "-wal" }.count
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("w.db")
        let db = try Database(path: path)
        try db.execute("CREATE TABLE t (x)")
        #expect(openLogs(path) == 1)
        try db.transaction(committing: "saving") {
            try db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO t SELECT randomblob(100) FROM n")
            usleep(300_000)
            // SQLite's own handle on the log, and the writeback's.
            #expect(openLogs(path) == 2)
        }
        // The copy of the log into the file (`LogCopy`) has it open too until it ends.
        db.finishLogCopy()
        #expect(openLogs(path) == 1)
        #expect(try db.scalar("SELECT count(*) FROM t").intValue == 20000)
        // Small transactions go without.
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            usleep(300_000)
            #expect(openLogs(path) == 1)
        }
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

    /// Ctrl-C interrupts the watched connection's running step at once (sqlite3_interrupt), one
    /// that never reaches the progress handler too; only while watched.
    @Test func ctrlCInterruptsTheWatchedConnectionsStep() throws {
        let flag = InterruptFlag(watchesConnections: true)
        let db = try Database(interruptFlag: flag)
        // Steps of a few VM instructions that run long: a function over a 20 MB value, per row. 200 rows
        // are fewer than the 4,000 VM steps between two calls of the progress handler, and take ~40 s.
        let long = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) SELECT sum(length(hex(randomblob(20000000)))) FROM n"
        let started = ContinuousClock.now
        do {
            try db.interruptible {
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { flag.raise() }
                _ = try db.query(long)
            }
            Issue.record("expected interruption")
        } catch let e as DatabaseError {
            #expect(e.isInterrupt)
        }
        #expect(ContinuousClock.now - started < .seconds(20))
        flag.clear()
        // Not watched any more: raising the flag leaves the connection alone (only the progress handler sees it).
        flag.raise()
        flag.clear()
        #expect(try db.scalar("SELECT 6 * 7") == .integer(42))
    }

    /// After Ctrl-C a statement left stepping keeps new statements interrupted, ROLLBACK too: the
    /// transaction still ends, with nothing of it kept.
    @Test func aTransactionEndsAfterCtrlCEvenWithAStatementLeftStepping() throws {
        let flag = InterruptFlag(watchesConnections: true)
        let db = try Database(interruptFlag: flag)
        try db.execute("CREATE TABLE t (x)")
        try db.execute("INSERT INTO t VALUES (1), (2), (3)")
        var stepping: Statement?
        do {
            try db.interruptible {
                try db.transaction {
                    try db.execute("INSERT INTO t VALUES (4)")
                    let s = try db.prepare("SELECT x FROM t")
                    _ = try s.step()
                    stepping = s
                    flag.raise()
                    // A read interrupted: SQLite keeps the transaction open (a write would roll it back itself).
                    _ = try db.scalar("SELECT count(*) FROM t")
                }
            }
            Issue.record("expected interruption")
        } catch let e as DatabaseError {
            #expect(e.isInterrupt)
        }
        #expect(!db.isInTransaction, "the transaction was left open")
        #expect(stepping != nil)
        stepping = nil
        flag.clear()
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(3))
        try db.execute("INSERT INTO t VALUES (4)")
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(4))
    }

    @Test func fileWorkspaceUsesWAL() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try Database(path: dir.path("w.db"))
        #expect(try db.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1))
    }

    /// Two connections to one file: `a` reads, `b` writes.
    static func pair(_ dir: TemporaryDirectory) throws -> (a: Database, b: Database) {
        let a = try Database(path: dir.path("w.db"))
        try a.execute("CREATE TABLE t (x)")
        try a.execute("INSERT INTO t VALUES (1)")
        return (a, try Database(path: dir.path("w.db")))
    }

    @Test func aReadTransactionSeesTheStateItBeganWith() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (a, b) = try Self.pair(dir)
        let inside = try a.readTransaction {
            let before = try a.scalar("SELECT count(*) FROM t")
            try b.execute("INSERT INTO t VALUES (2)")
            return (before, try a.scalar("SELECT count(*) FROM t"))
        }
        #expect(inside.0 == .integer(1) && inside.1 == .integer(1))
        #expect(!a.isInTransaction)
        #expect(try a.scalar("SELECT count(*) FROM t") == .integer(2))
        // Taken when it begins, not at its first query of the caller's.
        let later = try a.readTransaction {
            try b.execute("INSERT INTO t VALUES (3)")
            return try a.scalar("SELECT count(*) FROM t")
        }
        #expect(later == .integer(2))
    }

    @Test func derivedDataGoesToTempWhileAnotherConnectionWrites() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (a, b) = try Self.pair(dir)
        func build(_ db: Database) throws -> String {
            try db.derivedTransaction { schema in
                try db.execute("DROP TABLE IF EXISTS \(schema).d")
                try db.execute("CREATE TABLE \(schema).d (x)")
                try db.execute("INSERT INTO \(schema).d SELECT x FROM t")
                return schema
            }
        }
        a.busyTimeout = 30
        try b.execute("BEGIN IMMEDIATE")
        let started = ContinuousClock.now
        #expect(try build(a) == "temp")
        // Inside a read transaction too, where SQLite refuses the write at once.
        #expect(try a.readTransaction { try build(a) } == "temp")
        #expect(ContinuousClock.now - started < .seconds(20), "it waited for the other writer")
        #expect(try a.scalar("SELECT count(*) FROM temp.d") == .integer(1))
        try b.execute("COMMIT")
        #expect(try build(a) == "main")
        #expect(try a.readTransaction { try build(a) } == "main")
        #expect(try b.scalar("SELECT count(*) FROM main.d") == .integer(1))
    }

    /// A big write's COMMIT leaves copying its log into the workspace file to a thread of its own
    /// (`LogCopy`): the copy ends with the log cut to nothing, the next big write and the connection's
    /// end wait for it, and it never waits for a reader (the log stays until the reader is done).
    @Test func aBigWritesLogIsCopiedIntoTheFileAfterItsCommit() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var (a, b) = try Self.pair(dir)
        func logSize() -> Int { (try? FileManager.default.attributesOfItem(atPath: dir.path("w.db") + "-wal")[.size] as? Int) ?? -1 }
        let fill = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000) INSERT INTO big SELECT randomblob(1000) FROM c"
        try a.transaction(committing: "saving") {
            try a.execute("CREATE TABLE big (x)")
            try a.execute(fill)
        }
        // The COMMIT ran without SQLite's automatic checkpoint, which is back for small writes.
        #expect(try a.scalar("PRAGMA wal_autocheckpoint") == .integer(1000))
        a.finishLogCopy()
        #expect(!a.isCopyingLog)
        #expect(logSize() == 0, "the log was not copied into the file and cut back")
        #expect(try b.scalar("SELECT count(*) FROM big") == .integer(20000))

        // A reader holding older pages: the copy copies what it can without waiting, and the log stays.
        let started = ContinuousClock.now
        try b.readTransaction {
            #expect(try b.scalar("SELECT count(*) FROM big") == .integer(20000))
            try a.transaction(committing: "saving") { try a.execute(fill) }
            a.finishLogCopy()
            #expect(try b.scalar("SELECT count(*) FROM big") == .integer(20000))
        }
        #expect(ContinuousClock.now - started < .seconds(20), "the copy waited for the reader")
        #expect(logSize() > 10_000_000)
        // The next big write copies the last one's log first (the log holds only the newest), then its own.
        try a.transaction(committing: "saving") { try a.execute("INSERT INTO t VALUES (3)") }
        a.finishLogCopy()
        #expect(logSize() == 0)
        #expect(try b.scalar("SELECT count(*) FROM big") == .integer(40000))

        // A small write while a copy runs does not wait for it (a PASSIVE copy leaves SQLite's write lock free).
        try a.transaction(committing: "saving") { try a.execute(fill); try a.execute(fill); try a.execute(fill) }
        #expect(a.isCopyingLog, "the copy of 60 MB of log ended before the next statement: make it bigger")
        try a.execute("INSERT INTO t VALUES (4)")
        #expect(a.isCopyingLog, "the small write waited for the copy to end")
        a.finishLogCopy()
        #expect(try b.scalar("SELECT count(*) FROM t") == .integer(3))

        // Closing the connections waits for a copy still running: the file alone then holds every row.
        try a.transaction(committing: "saving") { try a.execute(fill) }
        (a, b) = (try Database(path: nil), try Database(path: nil))
        let copy = dir.path("copy.db")
        try FileManager.default.copyItem(atPath: dir.path("w.db"), toPath: copy)
        #expect(!FileManager.default.fileExists(atPath: dir.path("w.db") + "-wal"))
        #expect(try Database(path: copy).scalar("SELECT count(*) FROM big") == .integer(120_000))
    }
}
