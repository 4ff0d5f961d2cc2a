/// An error reported by a PostgreSQL-wire server or by libpq, with the statement that caused it.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The server's first line ("relation \"x\" does not exist"), or libpq's for a connection failure.
    public let message: String
    /// The five-character SQLSTATE, when the server sent one
    /// (<https://www.postgresql.org/docs/current/errcodes-appendix.html>).
    public let sqlState: String?
    /// The server's DETAIL and HINT lines, when it sent them.
    public let detail: String?
    public let hint: String?
    /// The SQL being run, if any.
    public let sql: String?
    /// 1-based character position in `sql` the server blames, when it says.
    public let position: Int?

    public init(_ message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
                sql: String? = nil, position: Int? = nil) {
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.sql = sql
        self.position = position
    }

    /// The statement was cancelled (Ctrl-C through `PQcancel`, or `statement_timeout`): SQLSTATE 57014.
    public var isCancelled: Bool { sqlState == "57014" }
    /// The disk is full on the server (53100) or the server is out of memory (53200).
    public var isFull: Bool { sqlState == "53100" || sqlState == "53200" }
    /// The transaction is read-only (25006), e.g. on a hot standby.
    public var isReadOnly: Bool { sqlState == "25006" }
    /// The server could not be reached or the connection was lost (class 08; libpq's own
    /// connection failures are given 08001 or 08006 here).
    public var isConnection: Bool { sqlState?.hasPrefix("08") ?? false }

    public var description: String { message }
}
