import CSQLite

/// A connection to the SQLite workspace: a file, or memory.
///
/// Files are opened in WAL mode with foreign keys on. Every statement runs
/// with a progress handler that watches `interruptFlag`, so Ctrl-C can stop
/// a long query without killing the session.
public final class Database {
    /// The file path, or nil for an in-memory workspace.
    public let path: String?
    let handle: OpaquePointer
    public let interruptFlag: InterruptFlag

    /// Opens (creating if needed) a workspace.
    /// - Parameter path: a file path; nil or ":memory:" for memory.
    public init(path: String? = nil, interruptFlag: InterruptFlag = .shared) throws {
        let target = path.flatMap { $0 == ":memory:" ? nil : $0 } ?? ":memory:"
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(target, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: rc, message: "cannot open workspace '\(target)': \(message)")
        }
        self.handle = db
        self.path = target == ":memory:" ? nil : target
        self.interruptFlag = interruptFlag
        sqlite3_extended_result_codes(db, 1)
        let context = Unmanaged.passUnretained(interruptFlag).toOpaque()
        sqlite3_progress_handler(db, 4000, { ctx in
            guard let ctx else { return 0 }
            return Unmanaged<InterruptFlag>.fromOpaque(ctx).takeUnretainedValue().isRaised ? 1 : 0
        }, context)
        do {
            if self.path != nil {
                // Fails on a file that is not a database: report it now, not later.
                try execute("PRAGMA journal_mode = WAL")
            }
            try execute("PRAGMA foreign_keys = ON")
        } catch {
            sqlite3_close_v2(db)
            throw error
        }
    }

    deinit { sqlite3_close_v2(handle) }

    /// Builds an error from the connection's current state.
    func error(code: Int32, sql: String?) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(handle))
        let off = sqlite3_error_offset(handle)
        return DatabaseError(code: code, message: message, sql: sql, offset: off >= 0 ? Int(off) : nil)
    }

    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs one or more statements that return no rows of interest.
    public func execute(_ sql: String, _ bindings: [Value] = []) throws {
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
        let stmt = try prepare(sql)
        try stmt.bind(bindings)
        let columns = stmt.columnNames
        return ResultTable(columns: columns, rows: try stmt.allRows())
    }

    /// The first column of the first row, or `.null`.
    public func scalar(_ sql: String, _ bindings: [Value] = []) throws -> Value {
        let stmt = try prepare(sql)
        try stmt.bind(bindings)
        return try stmt.step() ? stmt.value(at: 0) : .null
    }

    /// Runs `body` inside a savepoint: all of it commits, or none of it.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let name = "ecsh_tx_\(savepointDepth)"
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        try execute("SAVEPOINT \(name)")
        do {
            let result = try body()
            try execute("RELEASE \(name)")
            return result
        } catch {
            // ROLLBACK TO undoes the work; RELEASE then ends the savepoint.
            try? execute("ROLLBACK TO \(name)")
            try? execute("RELEASE \(name)")
            throw error
        }
    }
    private var savepointDepth = 0

    /// Names of user tables (not SQLite's or ecsh's bookkeeping), sorted.
    public func tableNames() throws -> [String] {
        try query("""
            SELECT name FROM sqlite_schema
            WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'ecsh_%'
            ORDER BY name
            """).rows.compactMap { $0[0].textValue }
    }

    /// Column names and declared types of a table, in order.
    public func columns(of table: String) throws -> [(name: String, type: String)] {
        try query("SELECT name, type FROM pragma_table_info(?)", [.text(table)]).rows.map {
            ($0[0].textValue ?? "", $0[1].textValue ?? "")
        }
    }

    public func tableExists(_ name: String) throws -> Bool {
        try scalar("SELECT count(*) FROM sqlite_schema WHERE name = ? AND type IN ('table','view')", [.text(name)]).intValue ?? 0 > 0
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE; other statements leave it as it was
    /// (<https://www.sqlite.org/c3ref/changes.html>), so compare `totalChanges` to know whether one ran.
    public var changes: Int { Int(sqlite3_changes64(handle)) }
    /// Rows changed by every INSERT, UPDATE and DELETE (triggers included) since the connection opened.
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

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
