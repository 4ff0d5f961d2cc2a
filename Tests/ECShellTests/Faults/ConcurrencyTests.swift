import Foundation
import Testing
import ECTestSupport

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

    /// Starts `ecsh ws.db -c "load orders from big"` and waits until its transaction has begun
    /// (its write-ahead log has grown past a few pages).
    func startLoad(_ db: String, _ big: String) throws -> Process {
        let process = Process()
        process.executableURL = BuiltBinary.ecsh
        process.arguments = [db, "-c", "load orders from '\(big)'"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let started = Date()
        while Date().timeIntervalSince(started) < 60, process.isRunning {
            let size = (try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int) ?? 0
            if size > 64 * 1024 { break }
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
