import Foundation
import Testing
import ECTestSupport
import ECStore

/// Issue 15: a workspace this user may not write opens for reading; statements that need to write
/// say the file is read-only in plain words; a KPI whose derived data is out of date computes it
/// for the session without saving it. Run as an unprivileged user (root may write anything):
/// through `setpriv` when the tests run as root.
@Suite(.serialized, .enabled(if: UnprivilegedUser.isAvailable, "running as root without setpriv"))
struct ReadOnlyWorkspaceTests {

    /// 500 orders (300 counted), facts built, then 100 counted rows deleted with `sql` (a new input
    /// version: the facts on disk are out of date), and the file or its folder made read-only.
    @Test(arguments: ["file", "folder"])
    func readsWorkAndWritesSaySo(_ what: String) throws {
        let dir = try TemporaryDirectory(); defer { chmod(dir.url.path, 0o755); dir.remove() }
        let csv = try dir.write("orders.csv", GeneratedOrders(rows: 500).text)
        let db = dir.path("ws.db")
        let setup = try FaultHarness.run([db], stdin: """
            load orders from '\(csv)'
            kpi orders
            sql DELETE FROM orders WHERE CAST(substr(order_id, 2) AS INTEGER) % 5 = 0
            """)
        #expect(setup.output.status == 0, "\(setup.output.stderr)")
        let raw = try Data(contentsOf: URL(fileURLWithPath: db))
        chmod(db, 0o444)
        chmod(dir.url.path, what == "file" ? 0o777 : 0o555)
        let run = try FaultHarness.run([db, "--keep-going", "--format", "csv"], stdin: """
            kpi orders
            sql SELECT count(*) FROM orders WHERE status IS NULL OR status NOT IN ('cancelled', 'returned', 'refunded')
            tables
            segment buyers = orders >= 1
            sql DELETE FROM orders
            load orders from '\(csv)'
            """, launcher: UnprivilegedUser.launcher)
        #expect(run.exited && run.output.status == 1, "\(run.output.stderr)")
        // 300 counted − 100 deleted = 200, by the KPI (facts rebuilt for the session) and by SQL.
        #expect(run.output.stdout.hasPrefix("orders\n200\ncount(*)\n200\n"), "\(run.output.stdout)")
        let stderr = run.output.stderr
        #expect(stderr.contains("note: '\(db)' is read-only for this user"), "\(stderr)")
        #expect(stderr.contains("(for this session only: the workspace is read-only)"), "\(stderr)")
        // segment, sql DELETE and load: three plain-words errors, no raw SQLite message.
        #expect(stderr.components(separatedBy: "error: '\(db)' is read-only: this statement needs to write to it").count == 4, "\(stderr)")
        #expect(!stderr.contains("attempt to write a readonly database"), "\(stderr)")
        // Nothing was written.
        chmod(dir.url.path, 0o755)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == raw)
    }
}

extension ReadOnlyWorkspaceTests {
    /// Derived data current on disk: the statements read it from the file (they looked for it in `temp`, where a
    /// read-only session builds its own: "no such table: temp.ecsh_customer_base" from `segments`).
    @Test func segmentsReadTheFilesCurrentFacts() throws {
        let dir = try TemporaryDirectory(); defer { chmod(dir.url.path, 0o755); dir.remove() }
        // 3,000 rows over 997 customers (C0 … C996): some have two counted orders or more, some fewer.
        let csv = try dir.write("orders.csv", GeneratedOrders(rows: 3000).text)
        let db = dir.path("ws.db")
        let counted = "(status IS NULL OR status NOT IN ('cancelled', 'returned', 'refunded')) AND customer_id IS NOT NULL"
        let setup = try FaultHarness.run([db, "--format", "csv"], stdin: """
            load orders from '\(csv)'
            segment rep = orders >= 2
            sql SELECT count(*) AS repeaters FROM (SELECT customer_id FROM orders WHERE \(counted) GROUP BY customer_id HAVING count(*) >= 2)
            """)
        #expect(setup.output.status == 0, "\(setup.output.stderr)")
        let repeaters = try #require(setup.output.stdout.split(separator: "\n").last.flatMap { Int($0) })
        #expect(repeaters > 0 && repeaters < 997)
        chmod(db, 0o444)
        chmod(dir.url.path, 0o555)
        let run = try FaultHarness.run([db, "--keep-going", "--format", "csv"], stdin: """
            segments
            kpi customers for rep
            segment big = orders >= 3
            """, launcher: UnprivilegedUser.launcher)
        #expect(run.exited && run.output.status == 1, "\(run.output.stderr)")
        #expect(run.output.stdout.contains("rep,orders >= 2,\(repeaters),"), "\(run.output.stdout)")
        #expect(run.output.stdout.contains("rep,\(repeaters)\n"), "\(run.output.stdout)")
        #expect(!run.output.stderr.contains("no such table"), "\(run.output.stderr)")
        #expect(run.output.stderr.components(separatedBy: "is read-only: this statement needs to write to it").count == 2, "\(run.output.stderr)")
    }

    /// Committed changes still in the log, its `-shm` gone and the folder read-only: SQLite cannot read the log, and
    /// opened as a file nobody changes the workspace answered from the state before them. Refused instead.
    @Test func aLogThatCannotBeReadIsRefused() throws {
        let source = try TemporaryDirectory(); defer { source.remove() }
        let dir = try TemporaryDirectory(); defer { chmod(dir.url.path, 0o755); dir.remove() }
        let writer = try Database(path: source.path("w.db"))
        try writer.execute("PRAGMA wal_autocheckpoint = 0")
        try writer.execute("CREATE TABLE t (x INTEGER)")
        try writer.execute("INSERT INTO t VALUES (1), (2), (3)")
        // What a process killed after its commit leaves, without the index file a reader would need.
        let db = dir.path("w.db")
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: source.path("w.db") + suffix, toPath: db + suffix)
            chmod(db + suffix, 0o444)
        }
        withExtendedLifetime(writer) {}
        #expect((try FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int ?? 0) > 0)
        chmod(dir.url.path, 0o555)
        let run = try FaultHarness.run([db, "-c", "sql SELECT count(*) FROM t"], launcher: UnprivilegedUser.launcher)
        #expect(run.exited && run.output.status == 2, "\(run.output.stdout)\(run.output.stderr)")
        #expect(run.output.stderr.contains("error: cannot read '\(db)': its log '\(db)-wal' holds"), "\(run.output.stderr)")
        #expect(run.output.stderr.contains("help: open it once as a user who can write its folder"), "\(run.output.stderr)")
        // With the folder writable (for the -shm SQLite makes there) it reads the log: the three rows.
        chmod(dir.url.path, 0o777)
        let readable = try FaultHarness.run([db, "--format", "csv", "-c", "sql SELECT count(*) AS n FROM t"], launcher: UnprivilegedUser.launcher)
        #expect(readable.output.stdout == "n\n3\n", "\(readable.output.stdout)\(readable.output.stderr)")
    }
}

/// Runs the child as user `nobody` when the tests run as root, else as the current user.
enum UnprivilegedUser {
    static var isAvailable: Bool { getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") }
    static var launcher: [String] {
        getuid() == 0 ? ["-c", "exec /usr/bin/setpriv --reuid 65534 --regid 65534 --clear-groups \"$@\"", "bash"] : ["-c", "exec \"$@\"", "bash"]
    }
}
