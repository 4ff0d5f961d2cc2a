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

    /// The positions (of `rows`) whose row passes, ascending, appended to `positions`.
    func pick(_ row: [Int32], rows: Int, into positions: inout [Int32]) {
        let rows = min(rows, row.count), start = positions.count
        var kept = start
        positions.append(contentsOf: repeatElement(0, count: rows))
        positions.withUnsafeMutableBufferPointer { out in
            for i in 0..<rows {
                // Written always, kept by the count: no branch on the bit.
                out[kept] = Int32(i)
                kept += contains(row[i]) ? 1 : 0
            }
        }
        positions.removeLast(positions.count - kept)
    }

    /// The rows of `orders AS o` where `filter` holds, or nil when the snapshot's rows no longer
    /// name the same orders (`OrderSnapshot.rowBase`).
    static func make(_ db: Database, filter: SQLFragment, snapshot: OrderSnapshot, codes useCodes: Bool = true) throws -> OrderMask? {
        guard let low = try snapshot.rowBase(in: db) else { return nil }
        if useCodes, let mask = try fromCodes(db, filter: filter, low: low) { return mask }
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
            var keep = [UInt64](repeating: 0, count: 256)
            for k in passes { keep[k] = 1 }
            // A word of 64 rows at a time, without a branch per row (a filter keeps rows at random).
            keep.withUnsafeBufferPointer { keep in
                columns[0].codes.withUnsafeBufferPointer { codes in
                    for w in bits.indices {
                        let base = w << 6
                        var word: UInt64 = 0
                        for j in 0..<min(64, n - base) { word |= keep[Int(codes[base + j])] << UInt64(j) }
                        bits[w] = word
                        count += word.nonzeroBitCount
                    }
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

/// Which orders of each snapshot block a `where` filter keeps, as their positions in the block, so
/// that a pass visits those alone (and fetches their customers' state ahead among them): from a mask
/// of rows (`OrderMask`), or, for a filter on `amount` alone, from a verdict per distinct amount
/// (`AmountVerdicts`), given as the pass reads the blocks, in the same read as its sums.
enum OrderPicks {
    case rows(OrderMask)
    case amounts(AmountVerdicts)

    /// The picks of `filter` (compiled for `orders AS o`), or nil when the snapshot's rows no longer
    /// name the same orders (`OrderSnapshot.rowBase`). Without `codes`, the mask of one scan of `orders`.
    static func make(_ db: Database, filter: SQLFragment, snapshot: OrderSnapshot, codes useCodes: Bool = true) throws -> OrderPicks? {
        guard let low = try snapshot.rowBase(in: db) else { return nil }
        if useCodes, let mask = try OrderMask.fromCodes(db, filter: filter, low: low) { return .rows(mask) }
        if useCodes, let verdicts = try AmountVerdicts.make(db, filter: filter, snapshot: snapshot, low: low) { return .amounts(verdicts) }
        return try OrderMask.make(db, filter: filter, snapshot: snapshot, codes: false).map { .rows($0) }
    }

    /// Every position of a full block, in order: what a pass without a filter visits.
    static let everyPosition = (0..<Int32(OrderSnapshot.blockSize)).map { $0 }

    /// The positions a pass visits in `block` and how many: those `picks` keeps (refilling `picked`,
    /// and `row` or `amount` as `pick` does), else every one.
    static func visit(_ picks: OrderPicks?, _ block: OrderSnapshot.Block, snapshot: OrderSnapshot, db: Database,
                      row: inout [Int32], amount: inout [Double], picked: inout [Int32]) throws -> (positions: [Int32], count: Int) {
        guard let picks else { return (everyPosition, block.rows) }
        try picks.pick(block, snapshot: snapshot, db: db, row: &row, amount: &amount, into: &picked)
        return (picked, picked.count)
    }

    /// Whether `pick` reads the block's amounts (into the pass's `amount` buffer, for its sums too).
    var readsAmount: Bool {
        if case .amounts = self { return true }
        return false
    }

    /// Whether `pick` reads the block's rows (into the pass's `row` buffer).
    var readsRow: Bool { !readsAmount }

    /// The positions of block `block`'s orders the filter keeps, ascending, into `positions`; `row`
    /// and `amount` are the pass's buffers, refilled with the block's column this reads (`readsRow`,
    /// `readsAmount`).
    func pick(_ block: OrderSnapshot.Block, snapshot: OrderSnapshot, db: Database,
              row: inout [Int32], amount: inout [Double], into positions: inout [Int32]) throws {
        positions.removeAll(keepingCapacity: true)
        switch self {
        case .rows(let mask):
            try snapshot.column(.row, block: block.index, in: db, into: &row)
            mask.pick(row, rows: block.rows, into: &positions)
        case .amounts(let verdicts):
            try snapshot.column(.amount, block: block.index, in: db, into: &amount)
            try verdicts.pick(amount, block: block, snapshot: snapshot, db: db, into: &positions)
        }
    }
}

/// A `where` filter on `amount` alone, evaluated by SQLite once per distinct amount instead of on every
/// row of `orders`: on a one-column temporary table of the same affinity as `orders.amount` (so each value
/// is stored, and compares, as it does in `orders`), for the amounts a block shows first, as a pass reaches
/// it. An amount past 2^53 (where a double no longer holds every integer `orders` may) is judged on its
/// row of `orders` instead. Only for a snapshot whose build saw every counted amount a number
/// (`amounts_not_numbers` = 0: SQL's answer on NULL or text depends on what the snapshot does not hold).
final class AmountVerdicts {
    let filter: SQLFragment
    /// The temporary column's type keyword (`affinityType` of `orders.amount`'s declared type).
    let affinity: String
    /// `orders`' rowid of snapshot row 0 (`OrderSnapshot.rowBase`).
    let low: Int64
    private var numbering = AmountNumbering()
    /// The verdict per amount number.
    private var keeps: [Bool] = []
    /// The same verdicts by bit pattern, for the probe per order.
    private var verdicts = VerdictTable([], [])
    /// The positions of a block's amounts not numbered before it or past 2^53, reused from block to block.
    private var misses: [Int] = []
    /// Distinct amounts judged at most; past them the rest of the pass reads a mask from one scan of
    /// `orders` (`fallback`), as the verdicts' tables would grow with every order (a shop whose amounts
    /// are all different, to the sen).
    let maxAmounts: Int
    private(set) var fallback: OrderMask?
    private var fallbackRows: [Int32] = []

    /// Distinct amounts judged by default (under 20 MB of tables: the numbering and the verdicts).
    static let defaultMaxAmounts = 1 << 18

    private init(filter: SQLFragment, affinity: String, low: Int64, maxAmounts: Int) {
        self.filter = filter
        self.affinity = affinity
        self.low = low
        self.maxAmounts = maxAmounts
    }

    /// The verdicts of `filter` when it names `amount` alone (`o."amount"`, as `fromCodes` finds names),
    /// the snapshot's build saw every amount a number, and the column has no collation; else nil.
    static func make(_ db: Database, filter: SQLFragment, snapshot: OrderSnapshot, low: Int64,
                     maxAmounts: Int = defaultMaxAmounts) throws -> AmountVerdicts? {
        guard OrderCodes.columnsNamed(in: filter.sql) == ["amount"], snapshot.fields["amounts_not_numbers"] == "0",
              let declared = try db.columns(of: "orders").first(where: { $0.name == "amount" })?.type,
              let schema = try db.scalar("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'orders'").textValue,
              !schema.uppercased().contains("COLLATE") else { return nil }
        return AmountVerdicts(filter: filter, affinity: OrderMask.affinityType(declared), low: low, maxAmounts: maxAmounts)
    }

    /// The positions of the block's orders (their `amount`s) the filter keeps, into `positions`.
    func pick(_ amount: [Double], block: OrderSnapshot.Block, snapshot: OrderSnapshot, db: Database,
              into positions: inout [Int32]) throws {
        if let fallback {
            try snapshot.column(.row, block: block.index, in: db, into: &fallbackRows)
            fallback.pick(fallbackRows, rows: block.rows, into: &positions)
            return
        }
        let start = positions.count
        // The state worked on as locals, swapped back after (a class's properties are checked for
        // exclusive access at every use).
        var numbering = AmountNumbering(), misses: [Int] = []
        swap(&numbering, &self.numbering)
        swap(&misses, &self.misses)
        defer {
            swap(&numbering, &self.numbering)
            swap(&misses, &self.misses)
        }
        misses.removeAll(keepingCapacity: true)
        // Every amount numbered so far has its verdict (`verdicts`): one probe per order, the new ones
        // (and those past 2^53, never numbered) set aside.
        let rows = min(block.rows, amount.count)
        var kept = positions.count
        positions.append(contentsOf: repeatElement(0, count: rows))
        verdicts.withTable { keys, states in
            let mask = keys.count - 1
            amount.withUnsafeBufferPointer { amount in
                positions.withUnsafeMutableBufferPointer { out in
                    for i in 0..<rows {
                        let bits = amount[i].bitPattern
                        var s = AmountNumbering.slot(bits, mask)
                        var state = states[s]
                        while state != 0 && keys[s] != bits {
                            s = (s &+ 1) & mask
                            state = states[s]
                        }
                        if state == 0 { misses.append(i); continue }
                        // Written always, kept by the count (no branch on the verdict: it is as
                        // likely one way as the other, order after order).
                        out[kept] = Int32(i)
                        kept += Int(state >> 1)
                    }
                }
            }
        }
        positions.removeLast(positions.count - kept)
        guard !misses.isEmpty else { return }
        for i in misses where abs(amount[i]) < 0x1p53 { numbering.number(amount[i]) }
        if numbering.values.count > maxAmounts {
            // Too many to judge one by one: this block and the rest from the scan's mask.
            guard let mask = try OrderMask.make(db, filter: filter, snapshot: snapshot, codes: false) else {
                throw MetricsError("the orders table changed while a statement read it; run the statement again")
            }
            fallback = mask
            numbering = AmountNumbering()
            keeps = []
            verdicts = VerdictTable([], [])
            positions.removeLast(positions.count - start)
            return try pick(amount, block: block, snapshot: snapshot, db: db, into: &positions)
        }
        if numbering.values.count > keeps.count {
            try judgeNew(numbering.values, db)
            verdicts = VerdictTable(numbering.values, keeps)
        }
        var row: [Int32] = []
        let before = positions.count
        for i in misses {
            let v = amount[i]
            if abs(v) < 0x1p53 {
                if keeps[numbering.number(v)] { positions.append(Int32(i)) }
            } else {
                if row.isEmpty { try snapshot.column(.row, block: block.index, in: db, into: &row) }
                if try judge(row: row[i], db) { positions.append(Int32(i)) }
            }
        }
        if positions.count > before { positions.sort() }
    }

    /// The verdicts of the amounts numbered since the last (in one query over a temporary table).
    private func judgeNew(_ values: [Double], _ db: Database) throws {
        let known = keeps.count, now = values.count
        let table = "temp.ecsh_mask_amounts"
        try db.execute("DROP TABLE IF EXISTS \(table)")
        try db.execute("CREATE TABLE \(table) (amount \(affinity))")
        defer { try? db.execute("DROP TABLE IF EXISTS \(table)") }
        let insert = try db.prepare("INSERT INTO \(table) (rowid, amount) VALUES (?, ?)")
        for i in known..<now {
            insert.reset()
            try insert.bind([.integer(Int64(i)), .real(values[i])])
            try insert.step()
        }
        keeps += repeatElement(false, count: now - known)
        let verdicts = try db.prepare("SELECT o.rowid FROM \(table) AS o WHERE (\(filter.sql))")
        try verdicts.bind(filter.bindings)
        while try verdicts.step() { keeps[Int(verdicts.int64(at: 0))] = true }
    }

    /// The verdict on the order at snapshot row `row`, from its row of `orders`.
    private func judge(row: Int32, _ db: Database) throws -> Bool {
        let s = try db.prepare("SELECT CASE WHEN (\(filter.sql)) THEN 1 ELSE 0 END FROM orders AS o WHERE o.rowid = ?")
        try s.bind(filter.bindings + [.integer(low + Int64(row))])
        return try s.step() && s.int64(at: 0) == 1
    }
}

extension OrderMask {
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

    /// The first slot of `bits` in a table of `mask` + 1 slots: the product's high bytes, which depend
    /// on every bit of the key (a yen amount's double has its low 40 bits zero, so the low and middle
    /// bits of the product hardly vary), brought down by a byte swap.
    @inline(__always) static func slot(_ bits: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15).byteSwapped) & mask
    }

    /// The number of `v`, numbering it when new.
    @discardableResult @inline(__always) mutating func number(_ v: Double) -> Int {
        let bits = v.bitPattern, mask = keys.count - 1
        var i = Self.slot(bits, mask)
        while numbers[i] != 0 {
            if keys[i] == bits { return Int(numbers[i]) - 1 }
            i = (i &+ 1) & mask
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
            while numbers[i] != 0 { i = (i &+ 1) & mask }
            keys[i] = v.bitPattern
            numbers[i] = Int32(k + 1)
        }
    }
}

/// Verdicts by a double's bit pattern, in an open-addressing table a quarter full at most (a probe per
/// order of a pass, in L1 cache for the few hundred amounts a shop has): per slot the key, and its state,
/// 0: empty, 1: the filter drops the amount, 2: it keeps it.
struct VerdictTable {
    private var keys: [UInt64]
    private var states: [UInt8]

    init(_ values: [Double], _ keeps: [Bool]) {
        var count = 64
        while count < 4 * values.count { count *= 2 }
        keys = [UInt64](repeating: 0, count: count)
        states = [UInt8](repeating: 0, count: count)
        let mask = count - 1
        for (v, keep) in zip(values, keeps) {
            var i = AmountNumbering.slot(v.bitPattern, mask)
            while states[i] != 0 { i = (i &+ 1) & mask }
            keys[i] = v.bitPattern
            states[i] = keep ? 2 : 1
        }
    }

    /// The slots (a power of two), for probes without a bounds check each: a key is in the slot
    /// `AmountNumbering.slot` gives or the first after it, cyclically, before an empty one.
    func withTable<R>(_ body: (UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try keys.withUnsafeBufferPointer { keys in try states.withUnsafeBufferPointer { states in try body(keys, states) } }
    }
}

/// The last `where` filter's picks in one engine's statement: the total row's query (run apart
/// when it cannot be counted beside) has the same filter, and need not scan `orders` again.
final class OrderMasks: @unchecked Sendable {
    private var last: (filter: SQLFragment, picks: OrderPicks)?

    /// An engine runs one statement in one read transaction: the snapshot cannot change in between.
    func picks(_ filter: SQLFragment, db: Database, snapshot: OrderSnapshot) throws -> OrderPicks? {
        if let last, last.filter == filter { return last.picks }
        guard let picks = try OrderPicks.make(db, filter: filter, snapshot: snapshot) else { return nil }
        last = (filter, picks)
        return picks
    }
}
