import ECStore

/// The orders a `where` filter keeps, as one bit per row of `orders` (rowid − the snapshot's
/// `low_rowid`), so that a KPI with a filter takes the snapshot route: SQLite evaluates the
/// predicate (the same expression, so the same answer as the reference SQL's) on one row per code
/// when it names only columns the load kept as codes (`fromCodes`), else in one scan of `orders`,
/// and the pass over the blocks skips the orders whose `row` bit is clear.
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
    static func make(_ db: Database, filter: SQLFragment, snapshot: OrderSnapshot, codes useCodes: Bool = true) throws -> OrderMask? {
        guard let low = try snapshot.rowBase(in: db) else { return nil }
        if useCodes, let mask = try fromCodes(db, filter: filter, low: low) { return mask }
        if useCodes, let mask = try fromAmounts(db, filter: filter, snapshot: snapshot) { return mask }
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

    /// The mask from the codes of the columns the filter names (`OrderCodes`), nil when one of them
    /// is not kept or they combine in too many ways: SQLite evaluates the filter on one row of `orders`
    /// per code (per combination of codes, over several columns), and every row with a code it keeps
    /// passes. The filter names nothing but those columns, and holds no function, so its answer on a
    /// row depends on their values alone.
    static func fromCodes(_ db: Database, filter: SQLFragment, low: Int64) throws -> OrderMask? {
        let names = OrderCodes.columnsNamed(in: filter.sql)
        guard !names.isEmpty, names.count <= 3, let kept = try OrderCodes.columns(db) else { return nil }
        var columns: [OrderCodes.Stored] = []
        for name in names {
            guard let c = try OrderCodes.read(db, column: name, among: kept) else { return nil }
            columns.append(c)
        }
        let n = columns.map(\.codes.count).min() ?? 0
        // A key per row: the codes side by side, a byte each (0: no row in some column).
        func key(_ r: Int) -> Int {
            var k = 0
            for (j, c) in columns.enumerated() {
                let code = Int(c.codes[r])
                if code == 0 { return 0 }
                k |= code << (8 * j)
            }
            return k
        }
        // Each key that occurs, with its first row.
        var first: [Int: Int32] = [:]
        if columns.count == 1 {
            for (code, row) in columns[0].rows.enumerated() where code > 0 && row >= 0 { first[code] = row }
        } else {
            for r in 0..<n {
                let k = key(r)
                if k != 0 && first[k] == nil {
                    first[k] = Int32(r)
                    if first.count > OrderCodes.maxCombinations { return nil }
                }
            }
        }
        // The keys whose row the filter keeps, each row checked to hold its codes' values still.
        var passes = Set<Int>()
        let keyOfRow = Dictionary(uniqueKeysWithValues: first.map { (Int64($1), $0) })
        let list = SQLFragment("CASE WHEN (") + filter + SQLFragment(") THEN 1 ELSE 0 END, "
                                                                      + names.map { "o." + quoteIdentifier($0) }.joined(separator: ", "))
        var seen = 0, changed = false
        try OrderCodes.select(db, list, rows: Array(keyOfRow.keys), low: low) { s in
            guard let k = keyOfRow[s.int64(at: 0)] else { return }
            seen += 1
            for (j, c) in columns.enumerated() where !c.holds(s, at: 2 + j, code: (k >> (8 * j)) & 0xFF) { changed = true }
            if s.int64(at: 1) == 1 { passes.insert(k) }
        }
        // A row gone or changed behind ecsh's back: the scan reads `orders` as it is.
        if changed || seen != keyOfRow.count { return nil }
        var bits = [UInt64](repeating: 0, count: (n + 63) / 64)
        var count = 0
        if columns.count == 1 {
            var keep = [Bool](repeating: false, count: 256)
            for k in passes { keep[k] = true }
            columns[0].codes.withUnsafeBufferPointer { codes in
                for r in 0..<n where keep[Int(codes[r])] {
                    bits[r >> 6] |= 1 << UInt64(r & 63)
                    count += 1
                }
            }
        } else if !passes.isEmpty {
            for r in 0..<n where passes.contains(key(r)) {
                bits[r >> 6] |= 1 << UInt64(r & 63)
                count += 1
            }
        }
        return OrderMask(bits: bits, kept: count)
    }
}

extension OrderMask {
    /// Distinct amounts past this many are left to the scan (each is a row SQLite evaluates the filter on).
    static let maxAmounts = 1 << 18

    /// The mask from the snapshot's `amount` column, for a filter that names `amount` alone (`o."amount"`,
    /// as `fromCodes` finds names); nil when it names another column, the build saw an amount that is not
    /// a number (`amounts_not_numbers`: NULL, text), one is past 2^53 (a double's exact integers), or there
    /// are more than `maxAmounts` distinct ones. SQLite evaluates the filter once per distinct amount, on a
    /// one-column temporary table of the same affinity as `orders.amount` (so each value is stored, and
    /// compares, as it does in `orders`), and every snapshot order whose amount it keeps sets its row's
    /// bit, in one pass over the blocks. Orders outside the snapshot (not counted) get no bit: no pass
    /// asks for them.
    static func fromAmounts(_ db: Database, filter: SQLFragment, snapshot: OrderSnapshot) throws -> OrderMask? {
        guard OrderCodes.columnsNamed(in: filter.sql) == ["amount"], snapshot.fields["amounts_not_numbers"] == "0",
              let declared = try db.columns(of: "orders").first(where: { $0.name == "amount" })?.type,
              let schema = try db.scalar("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'orders'").textValue,
              !schema.uppercased().contains("COLLATE") else { return nil }
        let table = "temp.ecsh_mask_amounts"
        try db.execute("DROP TABLE IF EXISTS \(table)")
        try db.execute("CREATE TABLE \(table) (amount \(affinityType(declared)))")
        defer { try? db.execute("DROP TABLE IF EXISTS \(table)") }
        let insert = try db.prepare("INSERT INTO \(table) (rowid, amount) VALUES (?, ?)")
        let verdicts = try db.prepare("SELECT o.rowid FROM \(table) AS o WHERE o.rowid >= ? AND (\(filter.sql))")
        // One pass: each block's amounts numbered by bit pattern (in order of appearance), the filter
        // evaluated on the amounts new in the block, then a bit per kept order's row.
        var numbering = AmountNumbering(), keeps: [Bool] = [], codes: [Int32] = []
        var amount: [Double] = [], row: [Int32] = []
        var bits = [UInt64](repeating: 0, count: 1), count = 0
        for block in snapshot.blocks {
            try snapshot.column(.amount, block: block.index, in: db, into: &amount)
            try snapshot.column(.row, block: block.index, in: db, into: &row)
            codes.removeAll(keepingCapacity: true)
            for v in amount {
                guard abs(v) < 0x1p53 else { return nil }
                codes.append(Int32(numbering.number(v)))
            }
            let known = keeps.count, now = numbering.values.count
            if now > known {
                guard now <= maxAmounts else { return nil }
                for i in known..<now {
                    insert.reset()
                    try insert.bind([.integer(Int64(i)), .real(numbering.values[i])])
                    try insert.step()
                }
                keeps += repeatElement(false, count: now - known)
                verdicts.reset()
                try verdicts.bind([.integer(Int64(known))] + filter.bindings)
                while try verdicts.step() { keeps[Int(verdicts.int64(at: 0))] = true }
            }
            for i in 0..<block.rows where keeps[Int(codes[i])] {
                let r = Int(row[i])
                guard r >= 0 else { continue }
                if r >> 6 >= bits.count { bits.append(contentsOf: repeatElement(0, count: max(r >> 6 + 1 - bits.count, bits.count))) }
                bits[r >> 6] |= 1 << UInt64(r & 63)
                count += 1
            }
        }
        return OrderMask(bits: bits, kept: count)
    }

    /// The type keyword of the affinity SQLite gives a column declared `declared` (its five rules, in order),
    /// so that a temporary column stores and compares values as the declared one does.
    static func affinityType(_ declared: String) -> String {
        let t = declared.uppercased()
        if t.contains("INT") { return "INTEGER" }
        if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") { return "TEXT" }
        if t.contains("BLOB") || t.isEmpty { return "BLOB" }
        if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") { return "REAL" }
        return "NUMERIC"
    }
}

/// Distinct doubles numbered 0, 1, … by bit pattern, in an open-addressing table that holds each key
/// beside its number (a lookup per order of a pass: one memory access, where a `Dictionary` hashes
/// through `Hasher`).
struct AmountNumbering {
    private(set) var values: [Double] = []
    /// Per slot: the key's bit pattern and its number + 1 (0: empty).
    private var keys = [UInt64](repeating: 0, count: 1 << 10)
    private var numbers = [Int32](repeating: 0, count: 1 << 10)

    @inline(__always) private static func slot(_ bits: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The number of `v`, numbering it when new.
    @discardableResult @inline(__always) mutating func number(_ v: Double) -> Int {
        let bits = v.bitPattern, mask = keys.count - 1
        var i = Self.slot(bits, mask)
        while numbers[i] != 0 {
            if keys[i] == bits { return Int(numbers[i]) - 1 }
            i = (i + 1) & mask
        }
        let k = values.count
        values.append(v)
        keys[i] = bits
        numbers[i] = Int32(k + 1)
        if values.count * 2 > keys.count { grow() }
        return k
    }

    private mutating func grow() {
        let count = keys.count * 2, mask = count - 1
        keys = [UInt64](repeating: 0, count: count)
        numbers = [Int32](repeating: 0, count: count)
        for (k, v) in values.enumerated() {
            var i = Self.slot(v.bitPattern, mask)
            while numbers[i] != 0 { i = (i + 1) & mask }
            keys[i] = v.bitPattern
            numbers[i] = Int32(k + 1)
        }
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
