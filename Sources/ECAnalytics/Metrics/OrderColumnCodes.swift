import CSQLite
import ECStore

/// A column of `orders` that a KPI groups by (`kpi gmv by category`) on the snapshot route, which
/// does not hold it: each order's value as a code by row (rowid − the snapshot's `low_rowid`), read
/// in one scan of `orders`, so the pass groups by it as it groups by channel.
///
/// Codes number the values as SQL's GROUP BY tells them apart: NULL is 0, a text by its bytes, an
/// integer or a real by its value. A column holding both integers and reals (where SQL's 1 and 1.0
/// are one group) or blobs is left to the SQL route, as is one with more than `limit` values.
struct OrderColumnCodes {
    /// Code by row; a row the scan did not reach reads 0 (no counted order has such a row).
    let codes: [Int32]
    /// Values by code; `values[0]` is NULL.
    let values: [Value]

    static func read(_ db: Database, expression: String, snapshot: OrderSnapshot, limit: Int) throws -> OrderColumnCodes? {
        guard let low = try snapshot.rowBase(in: db) else { return nil }
        let s = try db.prepare("SELECT o.rowid - ?, \(expression) FROM orders AS o WHERE o.rowid >= ?")
        try s.bind([.integer(low), .integer(low)])
        var codes: [Int32] = []
        codes.reserveCapacity(snapshot.rows)
        var values: [Value] = [.null]
        var texts = TextNumbering(), codeOfText: [Int32] = []
        var numbers: [Value: Int32] = [:]
        var sawInteger = false, sawReal = false
        while try s.step() {
            let r = s.int64(at: 0)
            guard r >= 0, r <= Int64(Int32.max) else { continue }
            var code: Int32 = 0
            switch s.storageClass(at: 1) {
            case SQLITE_NULL:
                code = 0
            case SQLITE_TEXT:
                let (k, isNew) = texts.add(s.bytes(at: 1))
                if isNew { codeOfText.append(Int32(values.count)); values.append(s.value(at: 1)) }
                code = codeOfText[Int(k)]
            case SQLITE_INTEGER, SQLITE_FLOAT:
                let v = s.value(at: 1)
                if case .integer = v { sawInteger = true } else { sawReal = true }
                if sawInteger && sawReal { return nil }
                if let k = numbers[v] { code = k } else { code = Int32(values.count); numbers[v] = code; values.append(v) }
            default:
                return nil
            }
            if values.count > limit { return nil }
            let row = Int(r)
            if row >= codes.count { codes.append(contentsOf: repeatElement(0, count: row + 1 - codes.count)) }
            codes[row] = code
        }
        return OrderColumnCodes(codes: codes, values: values)
    }
}
