import Foundation
import Testing
import ECTestSupport

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

/// Runs the child as user `nobody` when the tests run as root, else as the current user.
enum UnprivilegedUser {
    static var isAvailable: Bool { getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") }
    static var launcher: [String] {
        getuid() == 0 ? ["-c", "exec /usr/bin/setpriv --reuid 65534 --regid 65534 --clear-groups \"$@\"", "bash"] : ["-c", "exec \"$@\"", "bash"]
    }
}
