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
    static func figures(_ db: Database, table: String, columns: [String]) throws -> (rows: Int, figures: [ColumnStatistics.Figures])? {
        guard db.engine == .sqlite, !columns.isEmpty else { return nil }
        // The table as unqualified names find it (temp first): an ordinary table whose text is all BINARY.
        let schema = try db.query("""
            SELECT type, sql FROM (SELECT 0 AS o, type, name, sql FROM temp.sqlite_schema UNION ALL SELECT 1, type, name, sql FROM main.sqlite_schema)
            WHERE name = ? AND type IN ('table', 'view') ORDER BY o LIMIT 1
            """, [.text(table)]).rows.first
        guard let schema, schema[0].textValue == "table", let sql = schema[1].textValue?.uppercased(),
              !sql.contains("COLLATE"), !sql.hasPrefix("CREATE VIRTUAL") else { return nil }
        let statement = try db.prepare("SELECT \(columns.map(quoteIdentifier).joined(separator: ", ")) FROM \(quoteIdentifier(table))")
        let s = statement.handle
        let n = columns.count
        // Raw memory: no copy-on-write check or exclusivity check per cell.
        let nonNull = UnsafeMutablePointer<Int>.allocate(capacity: n)
        nonNull.initialize(repeating: 0, count: n)
        let low = UnsafeMutablePointer<Extreme>.allocate(capacity: n)
        low.initialize(repeating: Extreme(), count: n)
        let high = UnsafeMutablePointer<Extreme>.allocate(capacity: n)
        high.initialize(repeating: Extreme(), count: n)
        var rows = 0
        defer {
            for k in 0..<n { low[k].bytes.free(); high[k].bytes.free() }
            nonNull.deallocate(); low.deallocate(); high.deallocate()
        }
        while try statement.step() {
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
        }
        return (rows, (0..<n).map { ColumnStatistics.Figures(field: columns[$0], nonNull: nonNull[$0], min: low[$0].value, max: high[$0].value) })
    }
}
