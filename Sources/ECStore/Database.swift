import CSQLite
import Glibc

/// A connection to the SQLite workspace: a file, or memory.
///
/// Files are opened in WAL mode with foreign keys on, so that other ecsh processes can read the
/// last committed state while this one writes. A writer that finds the file locked waits (with a
/// message after a second) instead of failing. A file this process may not write, or whose folder
/// it may not write, opens read-only: reading statements work, writing ones fail with
/// `DatabaseError.isReadOnly`. Every statement runs with a progress handler that watches
/// `interruptFlag`, so Ctrl-C can stop a long query (or a wait) without killing the session.
///
/// A workspace can also live in a PostgreSQL-wire database (`Database(postgres:)`): then `query`,
/// `execute`, `scalar`, `transaction` and the catalog calls go to the server through libpq, with
/// the SQL the statements write for SQLite's bookkeeping translated by `PostgresDialect`, and
/// `prepare` (SQLite's streaming statements) is not available: statements that need it check
/// `engine` and take their SQL route.
public final class Database {
    /// The engine a workspace lives in.
    public enum Engine: Sendable, Equatable { case sqlite, postgresql }

    /// The file path, or nil for an in-memory workspace (and for a PostgreSQL workspace).
    public let path: String?
    /// SQLite's connection; nil for a PostgreSQL workspace.
    let handle: OpaquePointer!
    /// The server connection of a PostgreSQL workspace.
    public let postgres: PostgresConnection?
    public let interruptFlag: InterruptFlag
    /// True when the workspace cannot be written: the file or its folder is read-only for this process.
    public let isReadOnly: Bool
    let hooks: ConnectionHooks

    /// The page size of a new workspace file: SQLite's largest. A 1M-order load (orders, customer facts,
    /// snapshot; 229 MB) writes 3,500 pages instead of 56,000, each one a log frame with its header,
    /// checksum and write call, and B-tree work per page: about 17 % less CPU, and warm statements
    /// 3–25 % faster (BENCHMARKS.md). A workspace made before keeps its page size: SQLite cannot change it
    /// in WAL mode.
    static let pageSize = 65536

    /// Opens (creating if needed) a workspace.
    /// - Parameter path: a file path; nil or ":memory:" for memory.
    public init(path: String? = nil, interruptFlag: InterruptFlag = .shared) throws {
        let target = path.flatMap { $0 == ":memory:" ? nil : $0 } ?? ":memory:"
        let isFile = target != ":memory:"
        let hooks = ConnectionHooks(interruptFlag: interruptFlag)
        hooks.workspaceName = "'\(target)'"
        // A file we may not write opens read-only at once (SQLite would try, fail and fall back too).
        let writable = !isFile || access(target, F_OK) != 0 || access(target, W_OK) == 0
        var info = stat()
        let isNew = isFile && writable && (stat(target, &info) != 0 || info.st_size == 0)
        var db = try Self.open(target, flags: writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY, hooks: hooks)
        if isFile {
            // Fails on a file that is not a database: report it now, not later (waiting, like any statement,
            // while another process holds the file). A WAL file in a folder we may not write cannot be read
            // the usual way (SQLite needs its -shm beside it): open it as a file nobody changes, which is
            // what a read-only folder promises.
            do {
                // Set before anything is written, the only time SQLite can (see `pageSize`).
                if isNew { try Self.check(db, "PRAGMA page_size = \(Self.pageSize)") }
                try Self.check(db, sqlite3_db_readonly(db, "main") == 1 ? "SELECT count(*) FROM sqlite_schema" : "PRAGMA journal_mode = WAL")
            } catch let e as DatabaseError where e.code & 0xff == SQLITE_READONLY || e.code & 0xff == SQLITE_CANTOPEN {
                sqlite3_close_v2(db)
                // Opened as a file nobody changes, SQLite reads the file alone: changes still in a log beside it
                // would be missed, and the statements would answer from an older state without a word.
                var log = stat()
                if stat(target + "-wal", &log) == 0 && log.st_size > 0 {
                    throw WorkspaceOpenError(
                        "cannot read '\(target)': its log '\(target)-wal' holds \(log.st_size) bytes of changes that SQLite reads only "
                            + "with '\(target)-shm' beside it, and that file is missing and cannot be made here (the folder is read-only)",
                        help: "open it once as a user who can write its folder (ecsh copies the log into the file when it closes), "
                            + "or copy '\(target)' and '\(target)-wal' together to a folder you can write and open the copy")
                }
                db = try Self.open("file:" + Self.uriPath(target) + "?immutable=1", flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, hooks: hooks)
                do { try Self.check(db, "SELECT count(*) FROM sqlite_schema") } catch { sqlite3_close_v2(db); throw error }
            } catch {
                sqlite3_close_v2(db)
                throw error
            }
        }
        self.handle = db
        self.postgres = nil
        self.path = isFile ? target : nil
        self.interruptFlag = interruptFlag
        self.isReadOnly = sqlite3_db_readonly(db, "main") == 1
        self.hooks = hooks
        // Should one of these fail, every property is set, so `deinit` closes the connection (closing it here
        // too would close it twice).
        try execute("PRAGMA foreign_keys = ON")
        // Debian builds SQLite with secure_delete on: every page a DROP or DELETE frees is zeroed and
        // written again, which made loading orders again dearer than loading them into a new workspace
        // (0.6 s of CPU at 1M; FAST does the same for a DROP). Off, as upstream SQLite ships it: freed
        // pages keep their old bytes until reused (`sql vacuum` rewrites the file without them).
        try execute("PRAGMA secure_delete = OFF")
        // SQLite keeps a write-ahead log at its largest size to reuse it; after a big load that is
        // gigabytes. Cut it back to this when it is next reset (and see `LogCopy`).
        if isFile && !isReadOnly { try execute("PRAGMA journal_size_limit = \(Self.logSizeLimit)") }
        if isFile && !isReadOnly { dropAbandonedStagedTablesAtOpen() }
    }

    /// Opens a workspace in a PostgreSQL-wire database: `conninfo` is a libpq URI
    /// (`postgresql://user@host:5432/shop`, `postgres://…`); the PG* environment variables and
    /// ~/.pgpass fill in what it leaves out. ecsh's bookkeeping goes in the schema `ecsh`, created on
    /// first use; datasets go in the first schema of the server's search path (normally `public`).
    public init(postgres conninfo: String, interruptFlag: InterruptFlag = .shared) throws {
        let connection = try PostgresConnection(conninfo, interruptFlag: interruptFlag)
        let hooks = ConnectionHooks(interruptFlag: interruptFlag)
        hooks.workspaceName = "database '\(connection.databaseName)'"
        self.handle = nil
        self.postgres = connection
        self.path = nil
        self.interruptFlag = interruptFlag
        self.isReadOnly = false
        self.hooks = hooks
        // Bookkeeping tables are found unqualified after the user's own schemas.
        let path = try connection.scalar("SELECT current_setting('search_path')").textValue ?? "\"$user\", public"
        try connection.execute("CREATE SCHEMA IF NOT EXISTS ecsh")
        // ecsh's queries are long (a dozen CTEs) and fast; PostgreSQL's JIT compiles them for about a
        // second first (measured on the sample shop: 1.4 s of compilation for a 0.1 s query). Engines
        // without the setting (Redshift) keep theirs.
        try? connection.execute("SET jit = off")
        if !path.split(separator: ",").contains(where: { $0.filter { $0 != " " } == "ecsh" }) {
            try connection.execute("SELECT set_config('search_path', $1, false)", [.text(path + ", ecsh")])
        }
    }

    /// Opens the workspace a command line names: a PostgreSQL URI, an SQLite file, or memory (nil).
    public static func open(_ workspace: String?, interruptFlag: InterruptFlag = .shared) throws -> Database {
        if let w = workspace, isPostgresURI(w) { return try Database(postgres: w, interruptFlag: interruptFlag) }
        return try Database(path: workspace, interruptFlag: interruptFlag)
    }

    /// Whether a workspace argument names a PostgreSQL database rather than a file.
    public static func isPostgresURI(_ s: String) -> Bool {
        s.hasPrefix("postgresql://") || s.hasPrefix("postgres://")
    }

    /// The engine this workspace lives in.
    public var engine: Engine { postgres == nil ? .sqlite : .postgresql }

    /// What is open, for banners and `.info`: "SQLite 3.40.1, shop.db", "PostgreSQL 15.18, database shop at 127.0.0.1:5432".
    public var engineDescription: String {
        if let pg = postgres {
            let v = pg.serverVersion
            return "PostgreSQL \(v / 10000).\(v % 100), database \(pg.databaseName) at \(pg.host):\(pg.port) as \(pg.userName)"
        }
        return "SQLite \(Self.sqliteVersion), " + (path ?? "in memory")
    }

    /// SQLite's process-wide configuration, set once before the first connection opens.
    private static let configured: Void = { _ = ecsh_disable_memory_statistics() }()

    /// Opens a connection with the hooks installed (so that even the first read waits for a writer).
    private static func open(_ target: String, flags: Int32, hooks: ConnectionHooks) throws -> OpaquePointer {
        _ = configured
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(target, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: rc, message: "cannot open workspace '\(target)': \(message)")
        }
        sqlite3_extended_result_codes(db, 1)
        let context = Unmanaged.passUnretained(hooks).toOpaque()
        sqlite3_progress_handler(db, 4000, { ctx in
            guard let ctx else { return 0 }
            return Unmanaged<ConnectionHooks>.fromOpaque(ctx).takeUnretainedValue().progress()
        }, context)
        sqlite3_busy_handler(db, { ctx, attempt in
            guard let ctx else { return 0 }
            return Unmanaged<ConnectionHooks>.fromOpaque(ctx).takeUnretainedValue().busy(attempt: attempt)
        }, context)
        return db
    }

    /// Runs one statement on a connection not yet wrapped in a `Database`.
    private static func check(_ db: OpaquePointer, _ sql: String) throws {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        if rc != SQLITE_OK { throw DatabaseError(code: rc, message: String(cString: sqlite3_errmsg(db)), sql: sql) }
    }

    /// A path as the path part of an SQLite URI (`%`, `?` and `#` escaped).
    static func uriPath(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            switch b {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"): out += "%" + String(b, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(Unicode.Scalar(b))
            }
        }
        return out
    }

    /// Called every few thousand SQLite steps while set (for progress shown on a terminal).
    public var onProgress: (() -> Void)? {
        get { hooks.onProgress }
        set { hooks.onProgress = newValue }
    }

    /// What the connection is busy with now, in words (`during`), for progress shown on a terminal.
    public var activity: String? { activityText.text }

    /// The same, for a thread that draws the progress line.
    public let activityText = ActivityText()

    /// Runs `body` with `activity` set to `what`; `stoppable` false says Ctrl-C cannot stop it (a commit).
    public func during<T>(_ what: String, stoppable: Bool = true, _ body: () throws -> T) rethrows -> T {
        let outer = activityText.current
        activityText.set(what, stoppable: stoppable)
        defer { activityText.set(outer.text, stoppable: outer.stoppable) }
        return try body()
    }

    /// Told once per wait, after about a second, that this connection waits for another writer.
    public var onBusy: ((String) -> Void)? {
        get { hooks.onBusy }
        set { hooks.onBusy = newValue }
    }

    /// Seconds a writer waits for another connection's lock before failing with SQLITE_BUSY.
    public var busyTimeout: Double {
        get { hooks.busyTimeout }
        set { hooks.busyTimeout = newValue }
    }

    /// An ORDER BY key giving a small bookkeeping table's rows in the order they were last written
    /// (`INSERT OR REPLACE` moves a row to the end): SQLite's rowid; PostgreSQL's ctid, the row
    /// version's place in the heap, where a rewritten row's new version goes after the others in a
    /// table of a few rows that is only ever appended to and updated.
    public var insertionOrder: String { postgres == nil ? "rowid" : "ctid" }

    /// The schema derived tables are written to: `main` normally, `temp` when the workspace is
    /// read-only (then they last for the session; unqualified names find them before `main`'s).
    public var derivedSchema: String { postgres != nil ? "ecsh" : isReadOnly ? "temp" : "main" }

    deinit {
        cachedStatements.removeAll()
        // The file must hold everything before this connection, maybe the last, goes.
        logCopy?.wait()
        if let handle {
            interruptFlag.forget(handle)
            sqlite3_close_v2(handle)
        }
    }

    /// Runs `body` with Ctrl-C interrupting this connection's running step at once
    /// (`InterruptFlag.raise`), not only at the progress handler's next call.
    public func interruptible<T>(_ body: () throws -> T) rethrows -> T {
        guard let handle else { return try body() }
        let outer = interruptFlag.watch(handle)
        defer { _ = interruptFlag.watch(outer) }
        return try body()
    }

    /// Throws SQLITE_INTERRUPT when Ctrl-C was pressed: for steps that run outside SQLite.
    public func checkInterrupted() throws {
        if interruptFlag.isRaised { throw DatabaseError.interrupted }
    }

    /// Builds an error from the connection's current state.
    func error(code: Int32, sql: String?) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(handle))
        let off = sqlite3_error_offset(handle)
        return DatabaseError(code: code, message: message, sql: sql, offset: off >= 0 ? Int(off) : nil)
    }

    /// Runs `body` with a statement prepared once per connection and kept for the next call: for
    /// a small query run many times in a row (one per block of the order snapshot: at 10M orders a
    /// KPI reads 900 blocks, and preparing each read cost as much as copying it). The statement is
    /// reset when `body` returns, so no read stays open; SQLite prepares it again by itself if the
    /// schema changes in between.
    public func withCachedStatement<T>(_ sql: String, _ body: (Statement) throws -> T) throws -> T {
        let statement: Statement
        if let known = cachedStatements[sql] { statement = known } else {
            statement = try prepare(sql)
            cachedStatements[sql] = statement
        }
        defer { statement.reset() }
        return try body(statement)
    }
    private var cachedStatements: [String: Statement] = [:]

    public func prepare(_ sql: String) throws -> Statement {
        if postgres != nil {
            throw StoreError("this statement reads orders one by one, which ecsh does only in an SQLite workspace; it does not run on PostgreSQL yet (docs/scale-out.md lists what does): load the same files into an SQLite workspace (ecsh shop.db) for it")
        }
        return try Statement(database: self, sql: sql)
    }

    /// Runs one or more statements that return no rows of interest.
    public func execute(_ sql: String, _ bindings: [Value] = []) throws {
        if !remembered.isEmpty { remembered.removeAll() }
        if let pg = postgres {
            for statement in PostgresDialect.translate(sql) { try pg.execute(statement, bindings) }
            return
        }
        if bindings.isEmpty {
            var message: UnsafeMutablePointer<CChar>?
            let rc = sqlite3_exec(handle, sql, nil, nil, &message)
            if rc != SQLITE_OK {
                let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
                sqlite3_free(message)
                let off = sqlite3_error_offset(handle)
                throw DatabaseError(code: rc, message: text, sql: sql, offset: off >= 0 ? Int(off) : nil)
            }
            return
        }
        let stmt = try prepare(sql)
        try stmt.bind(bindings)
        while try stmt.step() {}
    }

    /// Runs a query and collects its rows.
    public func query(_ sql: String, _ bindings: [Value] = []) throws -> ResultTable {
        if let pg = postgres {
            var table = ResultTable(columns: [], rows: [])
            for statement in PostgresDialect.translate(sql) { table = try pg.query(statement, bindings) }
            return table
        }
        let stmt = try prepare(sql)
        try stmt.bind(bindings)
        let columns = stmt.columnNames
        return ResultTable(columns: columns, rows: try stmt.allRows())
    }

    /// Runs a query and hands its rows to `body` one at a time: stepped from SQLite, or streamed
    /// from the server row by row. Client memory stays at one row whatever the result's size.
    public func forEachRow(_ sql: String, _ bindings: [Value] = [], _ body: ([Value]) throws -> Void) throws {
        if let pg = postgres {
            let statements = PostgresDialect.translate(sql)
            for statement in statements.dropLast() { try pg.execute(statement, bindings) }
            if let last = statements.last { try pg.forEachRow(last, bindings, body) }
            return
        }
        let stmt = try prepare(sql)
        try stmt.bind(bindings)
        let n = stmt.columnCount
        while try stmt.step() { try body((0..<n).map { stmt.value(at: $0) }) }
    }

    /// Runs a user's statement as written, in the engine's own dialect (`sql` on a PostgreSQL
    /// workspace): its rows, or no columns for a command.
    public func passthrough(_ sql: String) throws -> ResultTable {
        guard let pg = postgres else { return try query(sql) }
        return try pg.query(sql)
    }

    /// The first column of the first row, or `.null`.
    /// `scalar` for the bounds a statement asks for several times (the last counted day, the first
    /// day): on a server the first answer is kept until `forgetRemembered` (the shell calls it before
    /// each statement) or until anything is written through this connection; each is a full scan
    /// of a table there. On SQLite the query runs each time (an index or the snapshot answers it).
    public func rememberedScalar(_ sql: String, _ bindings: [Value] = []) throws -> Value {
        guard postgres != nil else { return try scalar(sql, bindings) }
        let key = ([sql] + bindings.map { "\($0)" }).joined(separator: "\u{1}")
        if let known = remembered[key] { return known }
        let value = try scalar(sql, bindings)
        remembered[key] = value
        return value
    }

    /// Forgets what `rememberedScalar` kept: the data may have changed since.
    public func forgetRemembered() { remembered.removeAll() }
    private var remembered: [String: Value] = [:]

    public func scalar(_ sql: String, _ bindings: [Value] = []) throws -> Value {
        if postgres != nil { return try query(sql, bindings).rows.first?.first ?? .null }
        let stmt = try prepare(sql)
        try stmt.bind(bindings)
        return try stmt.step() ? stmt.value(at: 0) : .null
    }

    /// Savepoint levels open now (`transaction`, Database+Transactions.swift).
    var savepointDepth = 0
    /// The copy of the last big write's log into the workspace file, while it may still run (`LogCopy`).
    var logCopy: LogCopy?
    /// Files attached inside the open transaction, detached when it ends (`detachAtEnd`).
    var pendingDetach: [String] = []
    /// Whether derived tables' rows are written as pages and copied in (`TablePages`); tests turn it off to compare.
    public var writesDerivedPages = true
    /// What those pages leave free in `TMPDIR` (tests pass a folder that runs low).
    public var derivedPagesRoom = ScratchRoom.standard
    /// Rows `TablePages` copied into tables on this connection (tests).
    public internal(set) var rowsCopiedFromPages = 0

    /// Names of user tables (not SQLite's or ecsh's bookkeeping), sorted.
    public func tableNames() throws -> [String] {
        if postgres != nil {
            return try query("""
                SELECT DISTINCT table_name FROM information_schema.tables
                WHERE table_schema = ANY (current_schemas(false)) AND table_schema <> 'ecsh' AND table_name NOT LIKE 'ecsh\\_%'
                ORDER BY table_name
                """).rows.compactMap { $0[0].textValue }
        }
        return try query("""
            SELECT name FROM sqlite_schema
            WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'ecsh_%'
            ORDER BY name
            """).rows.compactMap { $0[0].textValue }
    }

    /// Column names and declared types of a table, in order.
    public func columns(of table: String) throws -> [(name: String, type: String)] {
        if postgres != nil {
            return try query("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                WHERE a.attrelid = to_regclass(?)::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
                """, [.text(quoteIdentifier(table))]).rows.map { ($0[0].textValue ?? "", PostgresDialect.sqliteType($0[1].textValue ?? "")) }
        }
        return try query("SELECT name, type FROM pragma_table_info(?)", [.text(table)]).rows.map {
            ($0[0].textValue ?? "", $0[1].textValue ?? "")
        }
    }

    /// Whether a table or view of that name exists, in the file or (for derived tables of a
    /// read-only workspace) in the connection's temp schema.
    public func tableExists(_ name: String) throws -> Bool {
        if postgres != nil {
            return try scalar("SELECT to_regclass(?) IS NOT NULL", [.text(quoteIdentifier(name))]).intValue ?? 0 > 0
        }
        return try scalar("""
            SELECT count(*) FROM (SELECT name, type FROM sqlite_schema UNION ALL SELECT name, type FROM temp.sqlite_schema)
            WHERE name = ? AND type IN ('table','view')
            """, [.text(name)]).intValue ?? 0 > 0
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE; other statements leave it as it was
    /// (<https://www.sqlite.org/c3ref/changes.html>), so compare `totalChanges` to know whether one ran.
    public var changes: Int { postgres?.lastChanges ?? Int(sqlite3_changes64(handle)) }
    /// Rows changed by every INSERT, UPDATE and DELETE (triggers included) since the connection opened.
    public var totalChanges: Int { postgres?.totalChanges ?? Int(sqlite3_total_changes64(handle)) }
    public var isInTransaction: Bool { postgres?.isInTransaction ?? (sqlite3_get_autocommit(handle) == 0) }

    /// SQLite's library version, e.g. "3.40.1".
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }
}

/// Quotes an identifier for SQL: `"name"` with inner quotes doubled.
public func quoteIdentifier(_ name: String) -> String {
    var out = "\""
    for ch in name {
        if ch == "\"" { out += "\"\"" } else { out.append(ch) }
    }
    return out + "\""
}
