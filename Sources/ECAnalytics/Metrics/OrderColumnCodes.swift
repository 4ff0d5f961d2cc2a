import CSQLite
import ECStore

/// A column of `orders` that a KPI groups by (`kpi gmv by category`) on the snapshot route, which
/// does not hold it: each order's value as a code by row (rowid − the snapshot's `low_rowid`), from
/// the codes the load kept (`OrderCodes`) or else read in one scan of `orders`, so the pass groups
/// by it as it groups by channel.
///
/// Codes number the values as SQL's GROUP BY tells them apart: NULL is 0, a text by its bytes, an
/// integer or a real by its value. A column holding both integers and reals (where SQL's 1 and 1.0
/// are one group) or blobs is left to the SQL route, as is one with more than `limit` values.
struct OrderColumnCodes {
    /// Code by row, a byte each (`limit` is at most 255); a row the scan did not reach reads 0 (no
    /// counted order has such a row).
    let codes: [UInt8]
    /// Values by code; `values[0]` is NULL.
    let values: [Value]

    static func read(_ db: Database, column: String, expression: String, snapshot: OrderSnapshot, limit: Int,
                     codes useCodes: Bool = true) throws -> OrderColumnCodes? {
        precondition(limit <= Int(UInt8.max), "codes by row are bytes")
        guard let low = try snapshot.rowBase(in: db) else { return nil }
        if useCodes, let kept = try OrderCodes.columns(db), let stored = try OrderCodes.read(db, column: column, among: kept),
           let codes = try fromStored(db, stored, expression: expression, low: low, limit: limit) {
            return codes
        }
        let s = try db.prepare("SELECT o.rowid - ?, \(expression) FROM orders AS o WHERE o.rowid >= ?")
        try s.bind([.integer(low), .integer(low)])
        var codes: [UInt8] = []
        codes.reserveCapacity(snapshot.rows)
        var numbering = ValueNumbering(limit: limit)
        while try s.step() {
            let r = s.int64(at: 0)
            guard r >= 0, r <= Int64(Int32.max) else { continue }
            guard let code = numbering.code(s, at: 1) else { return nil }
            let row = Int(r)
            if row >= codes.count { codes.append(contentsOf: repeatElement(0, count: row + 1 - codes.count)) }
            codes[row] = UInt8(code)
        }
        return OrderColumnCodes(codes: codes, values: numbering.values)
    }

    /// From the codes the build kept (`OrderCodes`): each code's value read from its first row, which must
    /// still hold the value the code stood for (`Stored.holds`); nil otherwise, and the caller scans.
    static func fromStored(_ db: Database, _ stored: OrderCodes.Stored, expression: String, low: Int64, limit: Int) throws -> OrderColumnCodes? {
        var codeOf = [UInt8](repeating: 0, count: 256)
        var numbering = ValueNumbering(limit: limit)
        var codeOfRow: [Int64: Int] = [:]
        for (code, row) in stored.rows.enumerated() where code >= 2 && row >= 0 { codeOfRow[Int64(row)] = code }
        var declined = false, seen = 0
        try OrderCodes.select(db, SQLFragment(expression), rows: Array(codeOfRow.keys), low: low) { s in
            guard let code = codeOfRow[s.int64(at: 0)] else { return }
            seen += 1
            // A row changed behind ecsh's back (`Stored.holds`): the scan reads the column as it is.
            guard stored.holds(s, at: 1, code: code), let group = numbering.code(s, at: 1) else { declined = true; return }
            codeOf[code] = UInt8(group)
        }
        if declined || seen != codeOfRow.count { return nil }
        let values = numbering.values
        var codes = [UInt8](repeating: 0, count: stored.codes.count)
        stored.codes.withUnsafeBufferPointer { byRow in
            codes.withUnsafeMutableBufferPointer { out in
                for r in 0..<byRow.count { out[r] = codeOf[Int(byRow[r])] }
            }
        }
        return OrderColumnCodes(codes: codes, values: values)
    }
}

/// Codes for a column's values as SQL's GROUP BY tells them apart: NULL is 0, a text by its bytes, an
/// integer or a real by its value; nil for a blob, for integers and reals in one column, and past `limit`
/// codes (NULL's included). Not `strict` (a customer attribute, as the facts dimensions read them): no
/// limit, and every value other than a text by its `Value`.
struct ValueNumbering {
    let limit: Int
    var strict = true
    /// Values by code; `values[0]` is NULL.
    private(set) var values: [Value] = [.null]
    private var texts = TextNumbering(), codeOfText: [Int32] = []
    private var numbers: [Value: Int32] = [:]
    private var sawInteger = false, sawReal = false

    init(limit: Int) { self.limit = limit }
    init(strict: Bool) { limit = .max; self.strict = strict }

    /// The code of the value in column `i` of the statement's row.
    mutating func code(_ s: Statement, at i: Int) -> Int32? {
        var code: Int32 = 0
        switch s.storageClass(at: i) {
        case SQLITE_NULL:
            code = 0
        case SQLITE_TEXT:
            let (k, isNew) = texts.add(s.bytes(at: i))
            if isNew { codeOfText.append(Int32(values.count)); values.append(s.value(at: i)) }
            code = codeOfText[Int(k)]
        case _ where !strict:
            let v = s.value(at: i)
            if let k = numbers[v] { code = k } else { code = Int32(values.count); numbers[v] = code; values.append(v) }
        case SQLITE_INTEGER, SQLITE_FLOAT:
            let v = s.value(at: i)
            if case .integer = v { sawInteger = true } else { sawReal = true }
            if sawInteger && sawReal { return nil }
            if let k = numbers[v] { code = k } else { code = Int32(values.count); numbers[v] = code; values.append(v) }
        default:
            return nil
        }
        return values.count > limit ? nil : code
    }
}
