import CFuzzer
import ECStore
import Glibc

/// The scratch file each fuzz input is written to (in /dev/shm when there is one, to spare the disk).
public enum FuzzFile {
    public static let path: String = {
        let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        return "\(dir)/ecsh-fuzz-\(getpid()).csv"
    }()

    /// Writes the bytes to the scratch file and returns its path.
    public static func write(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let handle = fopen(path, "wb") else { fatalError("fuzz: cannot write \(path)") }
        if let base = bytes.baseAddress, bytes.count > 0 { _ = fwrite(base, 1, bytes.count, handle) }
        fclose(handle)
        return path
    }

    /// Loads into the run's in-memory workspace, which is at its template state before every
    /// input. A failed load must leave the workspace exactly at the template (the same schema,
    /// empty bookkeeping); a successful one must record exactly the rows the table holds. The
    /// workspace is then put back to the template, and that is checked too, so that no input
    /// can change what the next one meets.
    public static func checkAtomicLoad(_ request: LoadRequest, table: String) {
        let workspace = FuzzWorkspace.shared
        do {
            do {
                _ = try Loader(database: workspace.database).load(request)
            } catch {
                if let difference = try workspace.differenceFromTemplate() {
                    fatalError("fuzz: a failed load changed the workspace (\(difference)): \(error)")
                }
                return
            }
            let db = workspace.database
            let rows = try db.scalar("SELECT count(*) FROM \(quoteIdentifier(table))").intValue
            let recorded = try db.scalar("SELECT rows FROM ecsh_datasets WHERE name = ?", [.text(table)]).intValue
            if rows != recorded { fatalError("fuzz: \(table) holds \(rows ?? -1) rows, ecsh_datasets says \(recorded ?? -1)") }
            // The figures the load counted for `describe` are SQL's over the table, value, storage class and bytes.
            if let counted = try ColumnStatistics.current(db, dataset: table) {
                if Int64(counted.rows) != rows { fatalError("fuzz: \(table) holds \(rows ?? -1) rows, its figures say \(counted.rows)") }
                for (name, f) in counted.figures {
                    let q = quoteIdentifier(name)
                    let sql = try db.query("SELECT count(\(q)), min(\(q)), max(\(q)) FROM \(quoteIdentifier(table))").rows[0]
                    let same = { (a: Value, b: Value) in a == b && a.textValue.map { Array($0.utf8) } == b.textValue.map { Array($0.utf8) } }
                    if sql[0].intValue != Int64(f.nonNull) || !same(sql[1], f.min) || !same(sql[2], f.max) {
                        fatalError("fuzz: \(table).\(name): the load counted \(f), SQL says \(sql)")
                    }
                }
            }
            try workspace.reset(droppingTable: table)
        } catch {
            fatalError("fuzz: workspace check failed: \(error)")
        }
    }
}

/// One in-memory workspace for the whole run, kept at a template between inputs.
///
/// The template is a workspace after one load and its undoing: the bookkeeping tables
/// (`ecsh_datasets`, `ecsh_fields`, `ecsh_rejects`, `ecsh_inputs`, `ecsh_column_stats`,
/// `ecsh_status_stats`) exist and are empty, `ecsh_key_rules` holds its row, and
/// there is no other table. Opening a workspace and creating those tables does not depend on
/// the input, yet cost about a fifth of a file target's execution; reusing one workspace
/// keeps every input's load the same, because each starts from the same schema and no rows,
/// and that is checked after every input.
final class FuzzWorkspace {
    nonisolated(unsafe) static let shared = FuzzWorkspace()

    let database: Database
    private static let bookkeeping = ["ecsh_datasets", "ecsh_fields", "ecsh_rejects", "ecsh_inputs", "ecsh_column_stats", "ecsh_status_stats"]
    /// Entries in the template's schema (tables and their primary-key indexes), in main and in temp.
    private let templateEntries: (main: Int64, temp: Int64)
    /// The schema cookie (`PRAGMA schema_version`) after the last reset: SQLite adds one for every
    /// committed schema change, and a rolled-back one leaves it as it was.
    private var schemaVersion: Int64 = 0
    /// Entries in main's and temp's schema, the schema cookie and the bookkeeping rows, in one
    /// statement kept for the run: it runs after every input, and SQLite prepares it again only
    /// when the schema changed.
    private let state: Statement

    private init() {
        FuzzProcess.setUp()
        do {
            database = try Database()
            // A first load creates the bookkeeping tables as a new workspace's first load does.
            let seed = Array("a,b\n1,2\n".utf8).withUnsafeBufferPointer { FuzzFile.write($0) }
            _ = try Loader(database: database).load(LoadRequest(target: .table("t"), path: seed, options: LoadOptions()))
            try FuzzWorkspace.undo(database, table: "t")
            let names = try database.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").rows.compactMap { $0[0].textValue }
            // `ecsh_key_rules` holds its one row (`CustomerKeyRules`): a table of the template, not a bookkeeping one.
            if names != (FuzzWorkspace.bookkeeping + ["ecsh_key_rules"]).sorted() { fatalError("fuzz: the template workspace has the tables \(names)") }
            // A missing bookkeeping table would make this statement fail, and the run stop.
            state = try database.prepare("""
                SELECT (SELECT count(*) FROM sqlite_schema), (SELECT count(*) FROM temp.sqlite_schema),
                       (SELECT schema_version FROM pragma_schema_version),
                       \(FuzzWorkspace.bookkeeping.map { "(SELECT count(*) FROM \($0))" }.joined(separator: " + "))
                """)
            let now = try FuzzWorkspace.read(state)
            if now.rows != 0 { fatalError("fuzz: the template workspace has \(now.rows) bookkeeping rows") }
            templateEntries = (now.main, now.temp)
            schemaVersion = now.version
        } catch {
            fatalError("fuzz: cannot make the template workspace: \(error)")
        }
    }

    /// Drops the loaded table (its indexes go with it) and empties the bookkeeping, then checks
    /// that the workspace is the template again: as many schema entries and no rows.
    func reset(droppingTable table: String) throws {
        try FuzzWorkspace.undo(database, table: table)
        let now = try readState()
        if now.main != templateEntries.main || now.temp != templateEntries.temp || now.rows != 0 || database.isInTransaction {
            let entries = try database.query("SELECT type, name FROM sqlite_schema UNION ALL SELECT type, name FROM temp.sqlite_schema").rows
            fatalError("fuzz: the workspace could not be put back to its template: \(now.rows) bookkeeping rows, schema \(entries)")
        }
        schemaVersion = now.version
    }

    private static func undo(_ db: Database, table: String) throws {
        try db.execute("DROP TABLE IF EXISTS \(quoteIdentifier(table));" + bookkeeping.map { "DELETE FROM \($0);" }.joined())
    }

    /// Nil when the workspace is as the last reset left it: no schema change committed (the
    /// cookie and the number of entries), nothing in temp, no bookkeeping rows; else what differs.
    func differenceFromTemplate() throws -> String? {
        if database.isInTransaction { return "a transaction is still open" }
        let now = try readState()
        if now.version != schemaVersion { return "the schema changed (schema_version \(schemaVersion) → \(now.version))" }
        if now.main != templateEntries.main || now.temp != templateEntries.temp {
            return "\(now.main) schema entries and \(now.temp) in temp; the template has \(templateEntries.main) and \(templateEntries.temp)"
        }
        return now.rows == 0 ? nil : "\(now.rows) bookkeeping rows"
    }

    private func readState() throws -> (main: Int64, temp: Int64, version: Int64, rows: Int64) {
        try FuzzWorkspace.read(state)
    }

    private static func read(_ state: Statement) throws -> (main: Int64, temp: Int64, version: Int64, rows: Int64) {
        defer { state.reset() }
        guard try state.step() else { fatalError("fuzz: the workspace state query returned no row") }
        return (state.int64(at: 0), state.int64(at: 1), state.int64(at: 2), state.int64(at: 3))
    }
}

/// Process settings for the file targets that change no result, only what the system does
/// again for every input.
enum FuzzProcess {
    /// The iconv descriptors kept open for the run (kept here, so LeakSanitizer does not take them for leaks).
    nonisolated(unsafe) static var held: [iconv_t] = []

    static func setUp() {
        // Every load that converts or sniffs an encoding opens an iconv descriptor and closes it
        // again; glibc unloads the conversion module (a dlopen'ed gconv .so) when its last
        // descriptor closes and loads it again for the next input. One descriptor per module held
        // for the whole run keeps the modules loaded; the loads still open and close their own.
        for name in ["CP932", "EUC-JP-MS", "UTF-16", "UTF-16LE", "UTF-16BE", "ISO-8859-1"] {
            guard let cd = iconv_open("UTF-8", name), cd != iconv_t(bitPattern: -1) else { fatalError("fuzz: iconv cannot convert from \(name)") }
            held.append(cd)
        }
        // The load's buffers (hundreds of KB for a large input) would each be a fresh mmap and
        // munmap, and freed memory given back with brk: keep it in the heap for the next input.
        _ = mallopt(M_MMAP_THRESHOLD, 64 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
    }
}
