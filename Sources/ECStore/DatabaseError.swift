import CSQLite

/// An error reported by SQLite, with the statement that caused it.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The SQLite result code (primary code in the low byte).
    public let code: Int32
    public let message: String
    /// The SQL being prepared or run, if any.
    public let sql: String?
    /// Byte offset into `sql` of the token SQLite blames, when it knows
    /// (`sqlite3_error_offset`, SQLite 3.38+).
    public let offset: Int?

    public init(code: Int32, message: String, sql: String? = nil, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.offset = offset
    }

    /// True when the statement was stopped by `Database.interrupt` or the progress check.
    public var isInterrupt: Bool { code & 0xff == SQLITE_INTERRUPT }
    /// What a step that runs outside SQLite throws when it sees Ctrl-C, as SQLite would.
    public static var interrupted: DatabaseError { DatabaseError(code: SQLITE_INTERRUPT, message: "interrupted") }
    /// The disk (or the connection's `PRAGMA max_page_count`) is full; SQLite has rolled the statement back
    /// (<https://www.sqlite.org/rescode.html#full>).
    public var isFull: Bool { code & 0xff == SQLITE_FULL }
    /// The file is not an SQLite database (or is encrypted).
    public var isNotADatabase: Bool { code & 0xff == SQLITE_NOTADB }
    /// The file is damaged ("database disk image is malformed").
    public var isCorrupt: Bool { code & 0xff == SQLITE_CORRUPT }
    /// The operating system failed a read or write (a full disk at open, a failing or network file system).
    public var isIOError: Bool { code & 0xff == SQLITE_IOERR }
    /// SQLite could not open the file (a missing folder, no permission).
    public var cannotOpen: Bool { code & 0xff == SQLITE_CANTOPEN }
    /// The workspace could not be written: the file, or its folder, is read-only for this process.
    public var isReadOnly: Bool { code & 0xff == SQLITE_READONLY }
    /// Another connection held a lock for longer than this one would wait.
    public var isBusy: Bool { code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED }

    public var description: String { message }
}

/// An error of the workspace that is not SQLite's own (missing file, bad input).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A workspace that cannot be opened for a reason SQLite does not give, with the way out.
public struct WorkspaceOpenError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let help: String
    public init(_ message: String, help: String) { self.message = message; self.help = help }
    public var description: String { message }
}
