import CLibPQ
import Glibc

/// A connection to a PostgreSQL-wire server (PostgreSQL, Citus, Redshift, ...) through libpq.
///
/// Synchronous like the rest of the shell, but never stuck: every statement is sent with libpq's
/// asynchronous calls and waited for in slices of 100 ms, so that Ctrl-C (the `interruptFlag` the
/// SIGINT handler raises) cancels the server-side query with `PQcancel` and the statement fails
/// with `PostgresError.isCancelled` while the session goes on.
///
/// Values cross the wire as text, both ways: parameters are written as PostgreSQL reads literals
/// (a Double in its shortest round-trip form), results are decoded by column type into the same
/// `Value`s SQLite gives (integers, reals, text; booleans as 0/1; bytea as a blob), so that the
/// statements above see no difference.
public final class PostgresConnection {
    let handle: OpaquePointer
    public let interruptFlag: InterruptFlag

    /// Connects with a libpq connection string: a URI (`postgresql://user@host:5432/shop`,
    /// `postgres://…`) or `key=value` pairs; what it leaves out comes from the PG* environment
    /// variables and ~/.pgpass, as for psql.
    public init(_ conninfo: String, interruptFlag: InterruptFlag = .shared) throws {
        guard let conn = PQconnectdb(conninfo) else { throw PostgresError("libpq is out of memory", sqlState: "08001") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = Self.firstLine(String(cString: PQerrorMessage(conn)))
            PQfinish(conn)
            throw PostgresError("cannot connect to \(Self.redacted(conninfo)): \(message)", sqlState: "08001")
        }
        self.handle = conn
        self.interruptFlag = interruptFlag
        // Results in the same shape whoever configured the server: ISO dates, UTC, UTF-8, quiet notices.
        try execute("SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET client_min_messages = warning; SET extra_float_digits = 3")
    }

    deinit { PQfinish(handle) }

    /// The server's version as a number, e.g. 150018 for 15.18.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }
    /// The database, user, host and port in use, as libpq resolved them.
    public var databaseName: String { String(cString: PQdb(handle)) }
    public var userName: String { String(cString: PQuser(handle)) }
    public var host: String { String(cString: PQhost(handle)) }
    public var port: String { String(cString: PQport(handle)) }

    /// Runs SQL that returns no rows. Without bindings the text may hold several statements.
    public func execute(_ sql: String, _ bindings: [Value] = []) throws {
        _ = try run(sql, bindings)
    }

    /// Runs one statement and returns its rows.
    public func query(_ sql: String, _ bindings: [Value] = []) throws -> ResultTable {
        try run(sql, bindings)
    }

    /// The first column of the first row, or `.null`.
    public func scalar(_ sql: String, _ bindings: [Value] = []) throws -> Value {
        try query(sql, bindings).rows.first?.first ?? .null
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Rows changed by the last INSERT, UPDATE, DELETE or COPY (other statements leave it as it was),
    /// and by all of them since the connection opened: SQLite's `changes` and `total_changes`.
    public private(set) var lastChanges = 0
    public private(set) var totalChanges = 0

    /// Whether a transaction is open (or failed and not yet rolled back).
    public var isInTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    /// Notes the rows a command changed, as SQLite counts them: data changes only.
    func countChanges(_ result: OpaquePointer) {
        let status = String(cString: PQcmdStatus(result))
        guard ["INSERT", "UPDATE", "DELETE", "MERGE", "COPY"].contains(where: { status.hasPrefix($0 + " ") }),
              let n = Int(String(cString: PQcmdTuples(result))) else { return }
        lastChanges = n
        totalChanges += n
    }

    // MARK: Sending and waiting

    /// Runs one statement and hands its rows to `body` one at a time as the server sends them
    /// (libpq's single-row mode), so a result of a million rows is never held whole. If `body`
    /// throws, the statement is cancelled on the server and the error rethrown.
    public func forEachRow(_ sql: String, _ bindings: [Value] = [], _ body: ([Value]) throws -> Void) throws {
        try send(sql, bindings)
        PQsetSingleRowMode(handle)
        var failure: Error?
        while let result = try nextResult(sql: sql) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                guard failure == nil else { continue }
                do {
                    try body(Self.table(result).rows[0])
                } catch {
                    failure = error
                    cancel()
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                break
            default:
                if failure == nil { failure = Self.error(result, sql: sql) }
            }
        }
        if let failure { throw failure }
    }

    /// Sends one statement (several without bindings), with numbers typed as SQLite would take them.
    private func send(_ sql: String, _ bindings: [Value]) throws {
        let sent: Int32
        if bindings.isEmpty {
            sent = PQsendQuery(handle, sql)
        } else {
            // Numbers go with their types (int8, float8) so that a bare `$1 AS period_start` or `first_day + $2`
            // is a number, as SQLite takes it; text is left for the server to infer from its context.
            let types: [Oid] = bindings.map { v in
                switch v {
                case .integer: return 20
                case .real: return 701
                default: return 0
                }
            }
            sent = Self.withParameters(bindings) { values, lengths, formats in
                PQsendQueryParams(handle, sql, Int32(bindings.count), types, values, lengths, formats, 0)
            }
        }
        guard sent == 1 else { throw connectionError(sql: sql) }
    }

    /// Sends the statement, waits for every result, and returns the last one's rows (a
    /// multi-statement text returns the last statement's). Throws the first error.
    private func run(_ sql: String, _ bindings: [Value]) throws -> ResultTable {
        try send(sql, bindings)
        var table = ResultTable(columns: [], rows: [])
        var failure: PostgresError?
        while let result = try nextResult(sql: sql) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
                table = Self.table(result)
                countChanges(result)
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                table = ResultTable(columns: [], rows: [])
                countChanges(result)
            case PGRES_COPY_IN:
                // A COPY FROM STDIN sent through `execute` has no data: end it so the connection is usable.
                PQputCopyEnd(handle, "COPY FROM STDIN needs data: use copyIn")
            default:
                if failure == nil { failure = Self.error(result, sql: sql) }
            }
        }
        if let failure { throw failure }
        return table
    }

    /// Waits for the next result of the statement in flight (nil when there are no more), in
    /// slices of 100 ms, cancelling the query on the server if the interrupt flag is raised.
    ///
    /// A ROLLBACK is never cancelled: it is what runs after Ctrl-C stopped the statement before it
    /// (the flag is still raised then), and a cancelled ROLLBACK left the session in an aborted
    /// transaction ("current transaction is aborted") whenever the cancel reached the server in time.
    func nextResult(sql: String) throws -> OpaquePointer? {
        var cancelled = sql.hasPrefix("ROLLBACK")
        while PQisBusy(handle) == 1 {
            if interruptFlag.isRaised && !cancelled {
                cancelled = true
                cancel()
            }
            var fd = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&fd, 1, 100)
            if ready < 0 && errno != EINTR { throw connectionError(sql: sql) }
            if ready > 0 && PQconsumeInput(handle) == 0 { throw connectionError(sql: sql) }
        }
        return PQgetResult(handle)
    }

    /// Asks the server to cancel the statement in flight (over a separate connection, as libpq does).
    func cancel() {
        guard let token = PQgetCancel(handle) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(token, &buffer, Int32(buffer.count))
        PQfreeCancel(token)
    }

    func connectionError(sql: String?) -> PostgresError {
        PostgresError(Self.firstLine(String(cString: PQerrorMessage(handle))), sqlState: "08006", sql: sql)
    }

    // MARK: Values

    /// Calls `body` with libpq's parallel parameter arrays: text for numbers and text (NULL for
    /// `.null`), binary for blobs. The arrays outlive the call only as long as `body` runs.
    static func withParameters<T>(_ bindings: [Value],
                                  _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> T) -> T {
        var buffers: [UnsafeMutablePointer<CChar>?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for value in bindings {
            let bytes: [UInt8]?
            var format: Int32 = 0
            switch value {
            case .null: bytes = nil
            case .integer(let i): bytes = Array(String(i).utf8)
            case .real(let d): bytes = Array(literal(d).utf8)
            case .text(let s): bytes = Array(s.utf8)
            case .blob(let b): bytes = b; format = 1
            }
            if let bytes {
                let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
                for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b) }
                p[bytes.count] = 0
                buffers.append(p)
                lengths.append(Int32(bytes.count))
            } else {
                buffers.append(nil)
                lengths.append(0)
            }
            formats.append(format)
        }
        defer { for p in buffers { p?.deallocate() } }
        let values = buffers.map { $0.map { UnsafePointer($0) } }
        return values.withUnsafeBufferPointer { v in
            lengths.withUnsafeBufferPointer { l in
                formats.withUnsafeBufferPointer { f in body(v.baseAddress, l.baseAddress, f.baseAddress) }
            }
        }
    }

    /// A Double as PostgreSQL reads it back exactly (shortest round-trip digits; the specials by name).
    static func literal(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        return "\(d)"
    }

    /// Decodes a result's rows by column type (type OIDs from PostgreSQL's pg_type.dat).
    static func table(_ result: OpaquePointer) -> ResultTable {
        let columnCount = Int(PQnfields(result)), rowCount = Int(PQntuples(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        let types = (0..<columnCount).map { PQftype(result, Int32($0)) }
        var rows: [[Value]] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<Int32(rowCount) {
            var row: [Value] = []
            row.reserveCapacity(columnCount)
            for c in 0..<Int32(columnCount) {
                if PQgetisnull(result, r, c) == 1 { row.append(.null); continue }
                let text = String(cString: PQgetvalue(result, r, c))
                row.append(decode(text, type: types[Int(c)]))
            }
            rows.append(row)
        }
        return ResultTable(columns: columns, rows: rows)
    }

    static func decode(_ text: String, type: Oid) -> Value {
        switch type {
        case 16: return .integer(text == "t" ? 1 : 0)                       // bool
        case 20, 21, 23, 26: return Int64(text).map(Value.integer) ?? .text(text)   // int8, int2, int4, oid
        case 700, 701: return Double(text).map(Value.real) ?? .text(text)           // float4, float8
        case 1700:                                                                  // numeric
            // Whole numbers stay integers (sum() of integers is numeric in PostgreSQL, an integer in SQLite).
            if !text.contains("."), !text.contains("e"), let i = Int64(text) { return .integer(i) }
            return Double(text).map(Value.real) ?? .text(text)
        case 17: return .blob(byteaBytes(text))                                     // bytea, hex format
        default: return .text(text)
        }
    }

    /// bytea's hex output (`\x0a1b…`, the default since PostgreSQL 9.0) as bytes.
    static func byteaBytes(_ text: String) -> [UInt8] {
        let hex = Array(text.utf8.dropFirst(2))
        func nibble(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : (c >= 65 ? c - 55 : c - 48) }
        return stride(from: 0, to: hex.count - 1, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) }
    }

    static func error(_ result: OpaquePointer, sql: String) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let p = PQresultErrorField(result, code) else { return nil }
            return String(cString: p)
        }
        let primary = field(Int32(UInt8(ascii: "M"))) ?? firstLine(String(cString: PQresultErrorMessage(result)))
        return PostgresError(primary, sqlState: field(Int32(UInt8(ascii: "C"))), detail: field(Int32(UInt8(ascii: "D"))),
                             hint: field(Int32(UInt8(ascii: "H"))), sql: sql,
                             position: field(Int32(UInt8(ascii: "P"))).flatMap { Int($0) })
    }

    static func firstLine(_ message: String) -> String {
        let trimmed = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? message
        return trimmed.hasPrefix("ERROR:  ") ? String(trimmed.dropFirst(8)) : trimmed
    }

    /// A connection string with any password replaced by `***`, for messages.
    static func redacted(_ conninfo: String) -> String {
        var text = conninfo
        // URI form: scheme://user:password@host
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
           let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        // key=value form, and password= in a URI's query string
        if let r = text.range(of: "password=") {
            let end = text[r.upperBound...].firstIndex(where: { $0 == " " || $0 == "&" }) ?? text.endIndex
            text.replaceSubrange(r.upperBound..<end, with: "***")
        }
        return "'\(text)'"
    }
}
