import CSQLite

/// A prepared SQLite statement; finalized when released.
public final class Statement {
    public let sql: String
    let handle: OpaquePointer
    unowned let database: Database

    init(database: Database, sql: String) throws {
        var stmt: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let rc = sql.withCString { sqlite3_prepare_v2(database.handle, $0, -1, &stmt, &tail) }
        guard rc == SQLITE_OK, let stmt else {
            throw database.error(code: rc, sql: sql)
        }
        self.sql = sql
        self.handle = stmt
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// True when the statement cannot change the database.
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public var columnNames: [String] {
        (0..<Int32(columnCount)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    /// Binds values to parameters 1...n, replacing earlier bindings.
    public func bind(_ values: [Value]) throws {
        for (i, v) in values.enumerated() { try bind(v, at: Int32(i + 1)) }
    }

    public func bind(_ value: Value, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let i): rc = sqlite3_bind_int64(handle, index, i)
        case .real(let d): rc = sqlite3_bind_double(handle, index, d)
        case .text(let s):
            var s = s
            rc = s.withUTF8 { buf in
                buf.withMemoryRebound(to: CChar.self) { ecsh_bind_text(handle, index, $0.baseAddress, Int32(buf.count)) }
            }
        case .blob(let b):
            rc = b.withUnsafeBytes { ecsh_bind_blob(handle, index, $0.baseAddress, Int32($0.count)) }
        }
        guard rc == SQLITE_OK else { throw database.error(code: rc, sql: sql) }
    }

    /// Hot-path binders that avoid building a `Value`.
    @inline(__always) public func bindNull(at index: Int32) { sqlite3_bind_null(handle, index) }
    @inline(__always) public func bind(int64 v: Int64, at index: Int32) { sqlite3_bind_int64(handle, index, v) }
    @inline(__always) public func bind(double v: Double, at index: Int32) { sqlite3_bind_double(handle, index, v) }
    /// Binds UTF-8 bytes as text (SQLite copies them).
    @inline(__always) public func bind(utf8 bytes: UnsafeBufferPointer<UInt8>, at index: Int32) {
        bytes.withMemoryRebound(to: CChar.self) {
            _ = ecsh_bind_text(handle, index, $0.baseAddress, Int32($0.count))
        }
    }

    /// Binds UTF-8 bytes as text that SQLite reads in place, without a copy: the bytes must stay where
    /// they are, unchanged, until the statement has stepped and the parameter is bound again (or
    /// `clearBindings`). For bulk writes from one stable array.
    @inline(__always) public func bind(stableUTF8 bytes: UnsafeBufferPointer<UInt8>, at index: Int32) {
        bytes.withMemoryRebound(to: CChar.self) {
            _ = ecsh_bind_text_static(handle, index, $0.baseAddress, Int32($0.count))
        }
    }

    /// Binds text without building a `Value`.
    @inline(__always) public func bind(text: String, at index: Int32) {
        var text = text
        text.withUTF8 { bind(utf8: $0, at: index) }
    }

    /// Binds column `column` of `other`'s current row, whatever its type (SQLite copies it).
    @inline(__always) public func bind(columnOf other: Statement, _ column: Int, at index: Int32) {
        sqlite3_bind_value(handle, index, sqlite3_column_value(other.handle, Int32(column)))
    }

    /// Advances to the next row; false when done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(code: rc, sql: sql)
        }
    }

    public func reset() { sqlite3_reset(handle) }
    public func clearBindings() { sqlite3_clear_bindings(handle) }

    /// The value of column `i` in the current row.
    public func value(at i: Int) -> Value {
        let c = Int32(i)
        switch sqlite3_column_type(handle, c) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, c))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, c))
        case SQLITE_TEXT:
            guard let p = sqlite3_column_text(handle, c) else { return .null }
            let n = Int(sqlite3_column_bytes(handle, c))
            return .text(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
        case SQLITE_BLOB:
            let n = Int(sqlite3_column_bytes(handle, c))
            guard n > 0, let p = sqlite3_column_blob(handle, c) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
        default: return .null
        }
    }

    /// The storage class of column `i` in the current row.
    public enum Kind { case null, integer, real, text, blob }
    @inline(__always) public func value(kindAt i: Int) -> Kind {
        switch sqlite3_column_type(handle, Int32(i)) {
        case SQLITE_INTEGER: return .integer
        case SQLITE_FLOAT: return .real
        case SQLITE_TEXT: return .text
        case SQLITE_BLOB: return .blob
        default: return .null
        }
    }

    @inline(__always) public func int64(at i: Int) -> Int64 { sqlite3_column_int64(handle, Int32(i)) }
    @inline(__always) public func double(at i: Int) -> Double { sqlite3_column_double(handle, Int32(i)) }
    @inline(__always) public func isNull(at i: Int) -> Bool { sqlite3_column_type(handle, Int32(i)) == SQLITE_NULL }
    /// The storage class of column `i` of the current row (`SQLITE_NULL`, `SQLITE_TEXT`, …).
    @inline(__always) public func storageClass(at i: Int) -> Int32 { sqlite3_column_type(handle, Int32(i)) }

    /// The bytes of a blob or text column, valid until the next step, reset or finalize.
    @inline(__always) public func bytes(at i: Int) -> UnsafeRawBufferPointer {
        let c = Int32(i)
        let p = sqlite3_column_blob(handle, c)
        let n = Int(sqlite3_column_bytes(handle, c))
        return UnsafeRawBufferPointer(start: n > 0 ? p : nil, count: n)
    }

    /// Binds raw bytes as a blob (SQLite copies them).
    public func bind(bytes: UnsafeRawBufferPointer, at index: Int32) throws {
        let rc = bytes.baseAddress == nil ? sqlite3_bind_zeroblob(handle, index, 0)
            : ecsh_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count))
        guard rc == SQLITE_OK else { throw database.error(code: rc, sql: sql) }
    }

    /// All remaining rows.
    public func allRows() throws -> [[Value]] {
        var rows: [[Value]] = []
        let n = columnCount
        while try step() { rows.append((0..<n).map { value(at: $0) }) }
        return rows
    }
}
