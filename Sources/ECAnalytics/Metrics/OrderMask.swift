import ECStore

/// The orders a `where` filter keeps, as one bit per row of `orders` (rowid − the snapshot's
/// `low_rowid`), so that a KPI with a filter takes the snapshot route: SQLite evaluates the
/// predicate in one scan of `orders` (the same expression, so the same answer as the reference
/// SQL's), and the pass over the blocks skips the orders whose `row` bit is clear.
///
/// The snapshot and `orders` are of one input version (the stamp), so a row names the same order
/// in both; rows that `orders` holds outside the snapshot (not counted, before `low_rowid`) only
/// leave bits that no block asks for.
struct OrderMask: Sendable {
    private let bits: [UInt64]
    /// Orders the filter keeps (counted or not).
    let kept: Int

    /// Whether the order at `row` passes the filter.
    @inline(__always) func contains(_ row: Int32) -> Bool {
        let r = Int(row)
        return r >= 0 && r >> 6 < bits.count && bits[r >> 6] & (1 << UInt64(r & 63)) != 0
    }

    /// The rows of `orders AS o` where `filter` holds, or nil when the snapshot's rows no longer
    /// name the same orders (`OrderSnapshot.rowBase`).
    static func make(_ db: Database, filter: SQLFragment, snapshot: OrderSnapshot) throws -> OrderMask? {
        guard let low = try snapshot.rowBase(in: db) else { return nil }
        let s = try db.prepare("SELECT o.rowid - ? FROM orders AS o WHERE o.rowid >= ? AND (\(filter.sql))")
        try s.bind([.integer(low), .integer(low)] + filter.bindings)
        var bits: [UInt64] = []
        var kept = 0
        while try s.step() {
            let r = s.int64(at: 0)
            guard r <= Int64(Int32.max) else { continue }
            let word = Int(r >> 6)
            if word >= bits.count { bits.append(contentsOf: repeatElement(0, count: max(word + 1 - bits.count, bits.count))) }
            bits[word] |= 1 << UInt64(r & 63)
            kept += 1
        }
        return OrderMask(bits: bits, kept: kept)
    }
}

/// The last `where` filter's mask in one engine's statement: the total row's query (run apart
/// when it cannot be counted beside) has the same filter, and need not scan `orders` again.
final class OrderMasks: @unchecked Sendable {
    private var last: (filter: SQLFragment, mask: OrderMask)?

    /// An engine runs one statement in one read transaction: the snapshot cannot change in between.
    func mask(_ filter: SQLFragment, db: Database, snapshot: OrderSnapshot) throws -> OrderMask? {
        if let last, last.filter == filter { return last.mask }
        guard let mask = try OrderMask.make(db, filter: filter, snapshot: snapshot) else { return nil }
        last = (filter, mask)
        return mask
    }
}
