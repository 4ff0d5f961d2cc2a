import Foundation
import Testing
import ECTestSupport
@testable import ECStore
@testable import ECShell

/// Issue 15, readers and writers, with real processes on one workspace file: a reader while another
/// ecsh loads sees the last committed state at once; a second writer waits for the first (and says
/// so) instead of failing with "database is locked".
@Suite(.serialized) struct ConcurrencyTests {
    static let old = GeneratedOrders(rows: 50)
    static let new = GeneratedOrders(rows: 150_000)

    /// A workspace with `old` loaded and its facts built, and the big file beside it.
    func workspace(_ dir: TemporaryDirectory) throws -> (db: String, big: String) {
        try FaultHarness.workspace(in: dir, old: Self.old, new: Self.new)
    }

    /// Whether another connection holds the workspace's write lock: a probe's `BEGIN IMMEDIATE` fails at once.
    /// (The log's size does not tell: a load writes its rows as pages to a file of its own first.)
    static func writerHoldsTheLock(_ db: String) -> Bool {
        guard let probe = try? Database(path: db) else { return false }
        do {
            try probe.withoutWaiting { try probe.execute("BEGIN IMMEDIATE") }
            try? probe.execute("ROLLBACK")
            return false
        } catch {
            return (error as? DatabaseError).map { $0.code & 0xFF == 5 } ?? false  // SQLITE_BUSY
        }
    }

    /// Starts `ecsh ws.db -c "load orders from big"` and waits until its transaction has begun
    /// (it holds the workspace's write lock).
    func startLoad(_ db: String, _ big: String) throws -> Process {
        let process = Process()
        process.executableURL = BuiltBinary.ecsh
        process.arguments = [db, "-c", "load orders from '\(big)'"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let started = Date()
        while Date().timeIntervalSince(started) < 60, process.isRunning {
            if Self.writerHoldsTheLock(db) { break }
            usleep(10_000)
        }
        return process
    }

    @Test func aReaderDuringALoadSeesTheLastCommittedState() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (db, big) = try workspace(dir)
        let writer = try startLoad(db, big)
        #expect(writer.isRunning, "the load ended before the reader could start; make the file bigger")
        let reader = try FaultHarness.check(db)
        let writerStillRunning = writer.isRunning
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        // While the load had not committed, the reader saw the 50 old rows (30 counted) and facts that agree.
        #expect(writerStillRunning, "the reader finished after the load: it waited instead of reading")
        #expect(reader.integrity == "ok")
        #expect(reader.allRows == Self.old.rows && reader.countedRows == Self.old.counted && reader.kpiOrders == Self.old.counted,
                "\(reader)")
        let after = try FaultHarness.check(db)
        #expect(after.allRows == Self.new.rows && after.kpiOrders == Self.new.counted, "\(after)")
    }

    /// What a reading statement builds for itself when the committed state lacks it (`rebuild` drops
    /// the period calendar; the index of the SQL route is made by its first statement) is built
    /// without waiting for the load: in `temp` for the session, and in the workspace once it is free.
    @Test func aReaderBuildsWhatItNeedsWithoutWaitingForALoad() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (db, big) = try FaultHarness.workspace(in: dir, old: Self.old, new: Self.new, statements: "kpi orders\nrebuild")
        let objects = "sql SELECT group_concat(name, ' ') FROM (SELECT name FROM main.sqlite_schema WHERE name IN ('ecsh_calendar', 'ecsh_periods', 'ecsh_orders_day') ORDER BY name)"
        let before = try FaultHarness.run([db, "--format", "csv", "-c", objects])
        #expect(before.output.status == 0 && !before.output.stdout.contains("ecsh_"), "the calendar should be gone after rebuild: \(before.output.stdout)")
        let writer = try startLoad(db, big)
        #expect(writer.isRunning, "the load ended before the reader could start; make the file bigger")
        // `by status` on the SQL route (the snapshot route groups by it too, and needs no index).
        let sqlRoute = ["-c", "ECSH_KPI_ROUTE=sql exec \"$@\"", "bash"]
        let reader = try FaultHarness.run([db, "--format", "csv", "-c", "kpi orders", "-c", "kpi orders by status"], launcher: sqlRoute)
        let writerStillRunning = writer.isRunning
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        #expect(writerStillRunning, "the reader finished after the load: it waited instead of reading")
        #expect(reader.output.status == 0 && !reader.output.stderr.contains("waiting"), "\(reader.output.stderr)")
        // Both statements answered from the 50 old rows: the total, and the same total split by status.
        let lines = reader.output.stdout.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.prefix(3) == ["orders", "\(Self.old.counted)", "status,orders"], "\(lines)")
        let byStatus = lines.dropFirst(3).filter { !$0.hasPrefix("total,") }.compactMap { $0.split(separator: ",").last.flatMap { Int($0) } }
        #expect(byStatus.count >= 2 && byStatus.reduce(0, +) == Self.old.counted, "\(lines)")
        #expect(lines.last == "total,\(Self.old.counted)", "\(lines)")
        // The next statement with the workspace free writes them to it for every later session.
        let after = try FaultHarness.run([db, "--format", "csv", "-c", "kpi orders by status", "-c", objects], launcher: sqlRoute)
        #expect(after.output.stdout.split(whereSeparator: \.isNewline).last == "ecsh_calendar ecsh_orders_day ecsh_periods", "\(after.output.stdout)")
    }

    /// One statement, one state: another connection commits a load after a KPI statement has begun
    /// and before its queries run. The statement answers from the state it began with (the facts, the
    /// order snapshot and the calendar all from before the commit); the next one from the new state.
    @Test func aStatementReadsOneCommittedStateThroughout() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (db, big) = try workspace(dir)
        let outPath = dir.path("out.csv")
        let out = try #require(FileSink.creating(path: outPath))
        let null = try #require(FileSink.creating(path: "/dev/null"))
        let reader = Session(database: try Database(path: db), out: out, err: null)
        #expect(reader.run(text: "set format csv", sourceName: "<reader>"))
        var committed = false
        reader.snapshotTaken = {
            guard !committed else { return }
            do {
                let writer = Session(database: try Database(path: db), out: null, err: null)
                committed = writer.run(text: "load orders from '\(big)'", sourceName: "<writer>")
            } catch {
                Issue.record("the second connection could not open the workspace: \(error)")
            }
        }
        #expect(reader.run(text: "kpi orders\nkpi orders", sourceName: "<reader>"))
        out.flush()
        #expect(committed, "the other connection's load did not commit")
        let lines = try String(contentsOfFile: outPath, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.filter { $0 != "ok" } == ["orders", "\(Self.old.counted)", "orders", "\(Self.new.counted)"], "\(lines)")
    }

    @Test func aSecondWriterWaitsAndSaysSo() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (db, big) = try workspace(dir)
        let customers = try dir.write("customers.csv", "customer_id,signed_up_at\nC1,2024-01-01\nC2,2024-01-02\n")
        let writer = try startLoad(db, big)
        let second = try FaultHarness.run([db, "-c", "load customers from '\(customers)'"])
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        #expect(second.output.status == 0, "\(second.output.stderr)")
        #expect(second.output.stderr.contains("note: waiting for '\(db)': another connection (a load or a statement in another ecsh, or another program) is writing to it"),
                "\(second.output.stderr)")
        #expect(!second.output.stderr.contains("locked"))
        let rows = try FaultHarness.run([db, "--format", "csv", "-c", "sql SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM customers)"])
        #expect(rows.output.stdout.hasSuffix("\(Self.new.rows),2\n"), "\(rows.output.stdout)")
    }
}
