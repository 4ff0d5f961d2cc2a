import CSQLite

/// `count(*)` and each column's `count(col)`, `min(col)` and `max(col)` by one scan of a table in Swift,
/// with SQLite's own rules, for `describe` where the load's figures (`ColumnStatistics`) are missing: a
/// table changed since its load, a plain table written by `sql`, the customer facts. SQLite evaluates
/// three aggregate functions per column and row (72 calls a row for the facts' 24 columns: 15.6 s for
/// `describe customers` at 10M orders); here each row's values are compared where they are.
///
/// The rules of `min` and `max`: NULL is skipped; integers and reals are compared by value (an integer
/// against a real exactly, as `sqlite3IntFloatCompare` does), every number before any text, every text
/// before any blob; texts and blobs byte by byte (the BINARY collation), the shorter first on a common
/// prefix; of equal values the first in the scan stays. Only for an ordinary table without a COLLATE
/// clause (a column of another collation orders text its own way): nil otherwise, and the caller asks
/// SQL.
enum ColumnScan {
    /// One cell of the row: its kind (1 integer, 2 real, 3 text, 4 blob), number or bytes, read once.
    struct Cell {
        var kind: UInt8
        var integer: Int64 = 0
        var real: Double = 0
        var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// A best value so far: kind 0 none, 1 integer, 2 real, 3 text, 4 blob.
    struct Extreme {
        var kind: UInt8 = 0
        var integer: Int64 = 0
        var real: Double = 0
        var bytes = ColumnTally.Bound()

        var value: Value {
            switch kind {
            case 1: return .integer(integer)
            case 2: return .real(real)
            case 3: return .text(bytes.text)
            case 4: return .blob(Array(UnsafeBufferPointer(start: bytes.bytes, count: bytes.count)))
            default: return .null
            }
        }

        /// The sign of `c` − this one, in SQLite's order.
        @inline(__always) func compare(_ c: Cell) -> Int {
            if c.kind == kind {
                switch kind {
                case 1: return c.integer < integer ? -1 : c.integer > integer ? 1 : 0
                case 2: return c.real < real ? -1 : c.real > real ? 1 : 0
                default: return bytes.compare(c.bytes)
                }
            }
            // Numbers before texts before blobs: ranks 1, 1, 2, 3.
            let a = c.kind <= 2 ? 1 : Int(c.kind) - 1, b = kind <= 2 ? 1 : Int(kind) - 1
            if a != b { return a - b }
            switch (c.kind, kind) {
            case (1, 1): return c.integer < integer ? -1 : c.integer > integer ? 1 : 0
            case (2, 2): return c.real < real ? -1 : c.real > real ? 1 : 0
            case (1, 2): return ColumnScan.compare(integer: c.integer, real: real)
            case (2, 1): return -ColumnScan.compare(integer: integer, real: c.real)
            default: return bytes.compare(c.bytes)
            }
        }

        /// This value as a cell (its bytes are the bound's, valid while it is unchanged).
        var cell: Cell {
            Cell(kind: kind, integer: integer, real: real, bytes: UnsafeRawBufferPointer(start: bytes.bytes, count: bytes.count))
        }

        @inline(__always) mutating func take(_ c: Cell) {
            kind = c.kind
            switch c.kind {
            case 1: integer = c.integer
            case 2: real = c.real
            default: bytes.set(c.bytes)
            }
        }
    }

    /// SQLite's `sqlite3IntFloatCompare` without long double: the sign of `integer` − `real`, exactly.
    static func compare(integer i: Int64, real r: Double) -> Int {
        if r < -9223372036854775808.0 { return 1 }
        if r >= 9223372036854775808.0 { return -1 }
        let y = Int64(r)
        if i < y { return -1 }
        if i > y { return 1 }
        let s = Double(i)
        return s < r ? -1 : s > r ? 1 : 0
    }

    /// The table's row count and each of `columns`' figures, or nil when the scan may not stand in for SQL.
    /// `splitFrom`: the rowid span from which the scan is split between two threads (`scanInTwo`).
    static func figures(_ db: Database, table: String, columns: [String],
                        splitFrom: Int64 = splitRows) throws -> (rows: Int, figures: [ColumnStatistics.Figures])? {
        guard db.engine == .sqlite, !columns.isEmpty else { return nil }
        // The table as unqualified names find it (temp first): an ordinary table whose text is all BINARY.
        let schema = try db.query("""
            SELECT type, sql, o FROM (SELECT 0 AS o, type, name, sql FROM temp.sqlite_schema UNION ALL SELECT 1, type, name, sql FROM main.sqlite_schema)
            WHERE name = ? AND type IN ('table', 'view') ORDER BY o LIMIT 1
            """, [.text(table)]).rows.first
        guard let schema, schema[0].textValue == "table", let sql = schema[1].textValue?.uppercased(),
              !sql.contains("COLLATE"), !sql.hasPrefix("CREATE VIRTUAL") else { return nil }
        let select = "SELECT \(columns.map(quoteIdentifier).joined(separator: ", ")) FROM \(quoteIdentifier(table))"
        let tally = Tally(columns.count)
        if schema[2].intValue == 1, !sql.contains("WITHOUT ROWID"), try scanInTwo(db, table: table, select: select, into: tally, from: splitFrom) {
            return tally.result(columns)
        }
        let statement = try db.prepare(select)
        while try statement.step() { tally.add(statement.handle) }
        return tally.result(columns)
    }

    /// Rows from which a scan is split between two threads (below, one thread: the second connection
    /// costs more than it saves).
    static let splitRows: Int64 = 200_000

    /// A big table of a workspace file scanned on two cores: the first half of its rowids on `db`'s
    /// connection, the second on a read-only connection of its own, then the two tallies merged (the
    /// first half's values first, so that of equal values the first in rowid order stays, as in one
    /// scan). False, with `tally` empty, where it does not apply or cannot be trusted: memory, a
    /// read-only workspace, inside a transaction (the other connection would not see its changes), a
    /// small table, a second connection that cannot read, or a commit by another connection while the
    /// halves were read (`PRAGMA data_version` changed: the halves may come from different states of
    /// the file).
    static func scanInTwo(_ db: Database, table: String, select: String, into tally: Tally, from rows: Int64 = splitRows) throws -> Bool {
        // Not on a read-only workspace: it may be open as immutable (ignoring its log), which a second
        // connection would not be.
        guard let path = db.path, !db.isReadOnly, sqlite3_get_autocommit(db.handle) != 0 else { return false }
        let t = quoteIdentifier(table)
        let span = try db.query("SELECT (SELECT min(rowid) FROM main.\(t)), (SELECT max(rowid) FROM main.\(t))").rows[0]
        guard let low = span[0].intValue, let high = span[1].intValue, high - low >= rows else { return false }
        let middle = low + (high - low) / 2
        let before = try db.scalar("PRAGMA data_version")
        var handle: OpaquePointer?
        var statement: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let handle,
              sqlite3_prepare_v2(handle, select + " WHERE rowid > ?1", -1, &statement, nil) == SQLITE_OK, let statement
        else {
            sqlite3_close_v2(handle)
            return false
        }
        sqlite3_bind_int64(statement, 1, middle)
        let later = Tally(tally.n)
        // The connection and its statement are the job's alone until it has ended.
        nonisolated(unsafe) let s = statement
        let job = BackgroundJob(name: "ecsh-scan") { [later] in
            var rc = sqlite3_step(s)
            while rc == SQLITE_ROW {
                later.add(s)
                rc = sqlite3_step(s)
            }
            return rc == SQLITE_DONE
        }
        do {
            let first = try db.prepare(select + " WHERE rowid <= ?1")
            first.bind(int64: middle, at: 1)
            while try first.step() { tally.add(first.handle) }
        } catch {
            sqlite3_interrupt(handle)
            _ = job.value()
            sqlite3_finalize(statement)
            sqlite3_close_v2(handle)
            throw error
        }
        let finished = job.value()
        sqlite3_finalize(statement)
        sqlite3_close_v2(handle)
        guard finished, try db.scalar("PRAGMA data_version") == before else {
            tally.reset()
            return false
        }
        tally.merge(later)
        return true
    }

    /// The row count and each column's non-NULL count, least and greatest value of the rows added.
    /// Raw memory: no copy-on-write check or exclusivity check per cell.
    final class Tally: @unchecked Sendable {
        let n: Int
        private(set) var rows = 0
        private let nonNull: UnsafeMutablePointer<Int>
        private let low: UnsafeMutablePointer<Extreme>
        private let high: UnsafeMutablePointer<Extreme>

        init(_ n: Int) {
            self.n = n
            nonNull = .allocate(capacity: n)
            nonNull.initialize(repeating: 0, count: n)
            low = .allocate(capacity: n)
            low.initialize(repeating: Extreme(), count: n)
            high = .allocate(capacity: n)
            high.initialize(repeating: Extreme(), count: n)
        }

        deinit {
            for k in 0..<n { low[k].bytes.free(); high[k].bytes.free() }
            nonNull.deallocate(); low.deallocate(); high.deallocate()
        }

        /// Back to no rows.
        func reset() {
            for k in 0..<n { low[k].bytes.free(); high[k].bytes.free(); low[k] = Extreme(); high[k] = Extreme() }
            nonNull.update(repeating: 0, count: n)
            rows = 0
        }

        /// The row `s` has stepped to (columns 0..<n).
        @inline(__always) func add(_ s: OpaquePointer) {
            rows += 1
            for k in 0..<n {
                // One call into the connection per cell: its value, read without the connection's mutex
                // (this thread alone steps the statement); three calls per text cell were most of the scan.
                guard let v = sqlite3_column_value(s, Int32(k)) else { continue }
                var c: Cell
                switch sqlite3_value_type(v) {
                case SQLITE_INTEGER: c = Cell(kind: 1, integer: sqlite3_value_int64(v))
                case SQLITE_FLOAT: c = Cell(kind: 2, real: sqlite3_value_double(v))
                case let t where t == SQLITE_TEXT || t == SQLITE_BLOB:
                    let p = sqlite3_value_blob(v)
                    let count = Int(sqlite3_value_bytes(v))
                    c = Cell(kind: t == SQLITE_TEXT ? 3 : 4, bytes: UnsafeRawBufferPointer(start: count > 0 ? p : nil, count: count))
                default: continue
                }
                take(c, k)
            }
        }

        /// One non-NULL value of column `k`.
        @inline(__always) private func take(_ c: Cell, _ k: Int) {
            if nonNull[k] == 0 {
                low[k].take(c)
                high[k].take(c)
            } else if low[k].compare(c) < 0 {
                low[k].take(c)
            } else if high[k].compare(c) > 0 {
                high[k].take(c)
            }
            nonNull[k] += 1
        }

        /// `later`'s rows added after these: its extremes replace these only where strictly beyond them.
        func merge(_ later: Tally) {
            rows += later.rows
            for k in 0..<n where later.nonNull[k] > 0 {
                if nonNull[k] == 0 {
                    low[k].take(later.low[k].cell)
                    high[k].take(later.high[k].cell)
                } else {
                    if low[k].compare(later.low[k].cell) < 0 { low[k].take(later.low[k].cell) }
                    if high[k].compare(later.high[k].cell) > 0 { high[k].take(later.high[k].cell) }
                }
                nonNull[k] += later.nonNull[k]
            }
        }

        func result(_ columns: [String]) -> (rows: Int, figures: [ColumnStatistics.Figures]) {
            (rows, (0..<n).map { ColumnStatistics.Figures(field: columns[$0], nonNull: nonNull[$0], min: low[$0].value, max: high[$0].value) })
        }
    }
}
