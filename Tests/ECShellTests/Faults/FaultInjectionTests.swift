import Foundation
import Testing
import ECTestSupport

/// Issue 13's fault injection, on the real binary and real files: kills during loads,
/// a full disk during a load, a facts rebuild and an export, and a CSV that shrinks or
/// disappears while it loads. Each asserts SQLite's integrity check and that `kpi orders`
/// equals an independent count over the `orders` table, against counts known from the generator.
@Suite(.serialized) struct FaultInjectionTests {
    static let old = GeneratedOrders(rows: 50)
    static let new = GeneratedOrders(rows: 60_000)

    /// A workspace holding `old` with its derived tables built (so stale ones would show).
    func workspace(in dir: TemporaryDirectory) throws -> (db: String, big: String) {
        try FaultHarness.workspace(in: dir, old: Self.old, new: Self.new, statements: "segment buyers = orders >= 1\nkpi orders")
    }

    /// The workspace file's size in pages, to set SQLite's max_page_count just above it.
    func pageCount(_ db: String) throws -> Int {
        let run = try FaultHarness.run([db, "--format", "csv", "-c", "sql PRAGMA page_count"])
        return Int(run.output.stdout.split(separator: "\n").last ?? "") ?? 0
    }

    /// Runs `statement` with SQLite allowed only `room` more pages (a full disk): it must fail with
    /// SQLite's "database or disk is full", and the workspace stay consistent.
    func fullDisk(_ db: String, room: Int, during statement: String,
                  sourceLocation: SourceLocation = #_sourceLocation) throws -> FaultHarness.Check {
        let run = try FaultHarness.run([db], stdin: "sql PRAGMA max_page_count = \(try pageCount(db) + room)\n\(statement)\n")
        #expect(run.output.status == 1, sourceLocation: sourceLocation)
        #expect(run.output.stderr.contains("error: database or disk is full"), "\(run.output.stderr)", sourceLocation: sourceLocation)
        #expect(run.output.stderr.contains("nothing this statement wrote was kept; free some disk space and run it again"),
                sourceLocation: sourceLocation)
        let check = try FaultHarness.check(db)
        expectConsistent(check, "full disk during \(statement)", sourceLocation: sourceLocation)
        return check
    }

    /// Either the old data or the new, never a mixture, and derived numbers that agree with the rows.
    func expectConsistent(_ check: FaultHarness.Check, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(check.integrity == "ok", "\(context): \(check.integrity)", sourceLocation: sourceLocation)
        let old = (Self.old.rows, Self.old.counted), new = (Self.new.rows, Self.new.counted)
        let seen = (check.allRows ?? -1, check.countedRows ?? -1)
        #expect(seen == old || seen == new, "\(context): \(check)", sourceLocation: sourceLocation)
        #expect(check.kpiOrders == check.countedRows, "\(context): \(check)", sourceLocation: sourceLocation)
    }

    /// kill -9 at 24 moments spread over a whole load (measured first): the workspace always
    /// passes SQLite's integrity check and holds the old or the new orders, with `kpi orders` agreeing.
    @Test func killedLoadsLeaveAConsistentWorkspace() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (db, big) = try workspace(in: dir)
        let pristine = try Data(contentsOf: URL(fileURLWithPath: db))
        let started = Date()
        let full = try FaultHarness.run([db, "-c", "load orders from '\(big)'"])
        let loadTime = Date().timeIntervalSince(started)
        #expect(full.output.status == 0, "\(full.output.stderr)")
        expectConsistent(try FaultHarness.check(db), "after a full load")
        var outcomes: [String: Int] = [:]
        for k in 1...24 {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            try pristine.write(to: URL(fileURLWithPath: db))
            let delay = loadTime * Double(k) / 24
            let run = try FaultHarness.run([db, "-c", "load orders from '\(big)'"], killAfter: delay)
            #expect(!run.timedOut)
            let check = try FaultHarness.check(db)
            expectConsistent(check, "killed after \(delay) s")
            outcomes[check.allRows == Self.new.rows ? "new" : "old", default: 0] += 1
            // Rows a killed load had committed in parts (`StagedRows`) are gone once a session has opened the file.
            let staged = try FaultHarness.run([db, "--format", "csv", "-c", "sql SELECT count(*) FROM sqlite_schema WHERE name LIKE 'ecsh\\_staged\\_%' ESCAPE '\\'"])
            #expect(staged.output.stdout.split(separator: "\n").last == "0", "killed after \(delay) s: \(staged.output.stdout)")
        }
        // Both outcomes occur when the kills span the load (recorded, not asserted: timing varies under load).
        print("killedLoadsLeaveAConsistentWorkspace: load \(loadTime) s, outcomes \(outcomes)")
    }

    /// kill -9 at 12 moments spread over a `rebuild` of the customer facts and the order snapshot
    /// after a load (which built them already): every time, the next `kpi orders` agrees with the
    /// rows (the build is one transaction, and its stamp names the inputs it read).
    @Test func killedFactsRebuildsLeaveAConsistentWorkspace() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (db, big) = try workspace(in: dir)
        let load = try FaultHarness.run([db, "-c", "load orders from '\(big)'"])
        #expect(load.output.status == 0, "\(load.output.stderr)")
        let loaded = try Data(contentsOf: URL(fileURLWithPath: db))
        let started = Date()
        let first = try FaultHarness.run([db, "-c", "rebuild"])
        let buildTime = Date().timeIntervalSince(started)
        #expect(first.output.status == 0, "\(first.output.stderr)")
        for k in 1...12 {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            try loaded.write(to: URL(fileURLWithPath: db))
            let delay = buildTime * Double(k) / 12
            let run = try FaultHarness.run([db, "-c", "rebuild"], killAfter: delay)
            #expect(!run.timedOut)
            let check = try FaultHarness.check(db)
            expectConsistent(check, "killed after \(delay) s of the facts build")
            #expect(check.allRows == Self.new.rows, "killed after \(delay) s: \(check)")
        }
    }

    /// A TMPDIR that cannot take a file (it does not exist): the load's rows (a file of 1 MB or more) and the
    /// customer facts' rows, which go there as pages to be copied in, are bound instead, with the same numbers.
    /// Until the twenty-seventh session of issue 15 the process aborted (a double free) as soon as it tried.
    @Test func aTMPDIRThatCannotTakeAFileBindsTheRowsInstead() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let big = try dir.write("big.csv", Self.new.text)
        #expect(Self.new.text.utf8.count >= 1 << 20)  // large enough for the load's rows to go as pages
        let expected = FaultHarness.Check(integrity: "ok", kpiOrders: Self.new.counted, countedRows: Self.new.counted,
                                          allRows: Self.new.rows)
        for (name, tmp) in [("usable", dir.url.path), ("missing", dir.path("missing"))] {
            let db = dir.path("\(name).db")
            // Into a new table (staged in parts), then again (replacing it in one transaction).
            for _ in 0..<2 {
                let run = try FaultHarness.run([db, "-c", "load orders from '\(big)'"],
                                               environment: ["TMPDIR": tmp, "ECSH_LOAD_TRACE": "1"])
                #expect(run.exited && run.output.status == 0, "\(name): \(run.output.stderr)")
                // The facts' rows went as pages only where the folder could take their file.
                #expect(run.output.stderr.contains("facts: customers written as pages") == (name == "usable"), "\(run.output.stderr)")
                #expect(try FaultHarness.check(db) == expected, "\(name)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix("ecsh-rows") }.isEmpty)
    }

    /// A load into a new workspace that fails on its last row after its rows were staged (committed in parts into a
    /// table of their own): nothing is left, not the staged table nor the rejects table it made.
    @Test func aFailedStagedLoadLeavesANewWorkspaceEmpty() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let bad = try dir.write("bad.csv", Self.new.text + "Obad,C1,2024-01-01 10:00:00,abc,completed\n")
        let db = dir.path("ws.db")
        // A file of 1 MB or more into a new table is staged (docs/language.md); until the twenty-seventh session of
        // issue 15 the rejects table the staging made was left behind.
        #expect(Self.new.text.utf8.count >= 1 << 20)
        let run = try FaultHarness.run([db, "-c", "load orders from '\(bad)'"])
        #expect(run.exited && run.output.status == 1)
        #expect(run.output.stderr.contains("'abc' is not a number"), "\(run.output.stderr)")
        let schema = try FaultHarness.run([db, "--format", "csv", "-c", "sql SELECT count(*) FROM sqlite_schema"])
        #expect(schema.output.stdout.split(separator: "\n").last == "0", "\(schema.output.stdout)")
    }

    /// A full disk (SQLite's max_page_count) during a load: a clear error, the old data intact.
    @Test func fullDiskDuringALoadLeavesTheOldData() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (db, big) = try workspace(in: dir)
        let check = try fullDisk(db, room: 20, during: "load orders from '\(big)'")
        #expect(check.allRows == Self.old.rows)
    }

    /// A full disk while the customer facts are rebuilt: a clear error; afterwards, with room
    /// again, the facts build and agree with the rows.
    @Test func fullDiskDuringAFactsRebuildLeavesAWorkingWorkspace() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (db, big) = try workspace(in: dir)
        let load = try FaultHarness.run([db, "-c", "load orders from '\(big)'"])
        #expect(load.output.status == 0, "\(load.output.stderr)")
        // The load built the facts: a writing `sql` statement drops them and VACUUM returns their
        // pages, so the next statement that needs them builds them into a full disk.
        let drop = try FaultHarness.run([db, "-c", "sql UPDATE orders SET amount = amount WHERE order_id = 'none'", "-c", "sql VACUUM"])
        #expect(drop.output.status == 0, "\(drop.output.stderr)")
        let check = try fullDisk(db, room: 2, during: "segment buyers2 = orders >= 1")
        #expect(check.allRows == Self.new.rows)
    }

    /// A full disk (a file-size limit, SIGXFSZ ignored) during an export: the error names the
    /// file and the reason, and the earlier export is unchanged.
    @Test func fullDiskDuringAnExportKeepsTheOldFile() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try dir.write("out.csv", "old export\n")
        let run = try FaultHarness.run([], stdin: """
            sql CREATE TABLE t AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT i, 'row ' || i AS label FROM n
            sql SELECT * FROM t
            export to '\(out)'
            """, launcher: ["-c", "trap '' XFSZ; ulimit -f 64; exec \"$@\"", "bash"])
        #expect(run.exited)
        #expect(run.output.stderr.contains("could not write '\(out)': file too large; any earlier file there is unchanged"),
                "\(run.output.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "old export\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["out.csv"])
    }

    /// A CSV cut short or deleted while it loads: the load ends (no hang, no crash) with the rows
    /// it read or a located error, and the workspace is consistent either way.
    @Test(arguments: ["truncate", "delete"])
    func aFileThatChangesWhileLoading(_ change: String) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (db, big) = try workspace(in: dir)
        let process = Process()
        process.executableURL = BuiltBinary.ecsh
        process.arguments = [db, "-c", "load orders from '\(big)'"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        usleep(150_000)
        if change == "truncate" { truncate(big, 1_000_017) } else { unlink(big) }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "\(stderr)")
        if process.terminationStatus != 0 { #expect(stderr.contains("big.csv"), "\(stderr)") }
        let check = try FaultHarness.check(db)
        #expect(check.integrity == "ok")
        #expect(check.kpiOrders == check.countedRows, "\(check)")
    }
}
