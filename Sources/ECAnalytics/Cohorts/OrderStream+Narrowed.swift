import ECStore

/// The snapshot's orders narrowed by a `where` filter and segments, so that a cohort with either
/// reads the snapshot instead of every selected row through SQL (3.3 s against DuckDB's 0.7 s for
/// `cohort retention by month periods 12 where channel = 'amazon'` at 10M orders).
///
/// The filter picks orders as it does for a KPI (`OrderPicks`: SQLite evaluates the predicate on one
/// row per code when it names only columns kept as codes, on one row per distinct amount when it names
/// `amount` alone, else in one scan of `orders`), the segments as the customers' facts rows SQLite
/// keeps. A first pass over the blocks (over the orders the filter picks) finds what the facts hold
/// for every counted order but a narrowed selection changes: each customer's first and second day
/// and first label among the selected orders; the customers with none are left out and the rest
/// renumbered 0..<customers, in key order.
///
/// A customer whose selected orders of the first day disagree on the label gets the label of the
/// earliest by `ordered_at`, then order id (as the facts' `first_channel`), looked up by row.
///
/// Declined (nil: the SQL route answers) where the snapshot cannot tell what the SQL route would:
/// orders without a day among the counted ones, and money with NULL cost fields (the SQL route
/// counts both among the selected orders).
struct NarrowedOrders {
    /// Customer number by snapshot customer key; −1: no selected order.
    let number: [Int32]
    /// Per block, the positions of the selected orders in it (a block holds at most 65,536), so that
    /// the pass visits them alone: 2 bytes per selected order.
    let selected: [[UInt16]]
    let firstDay: [Int32]
    /// `Int32.max`: one selected order.
    let secondDay: [Int32]
    /// Empty without a label.
    let firstLabel: [Int32]
    /// The first and last day of a selected order, guests' included; nil when none is selected.
    let days: ClosedRange<Int>?

    var customers: Int { firstDay.count }

    /// Snapshot customer key by customer number (customers are numbered in key order).
    var keys: [Int32] { number.indices.filter { number[$0] >= 0 }.map { Int32($0) } }

    /// The customer numbers (−1: guest) of block `b`'s selected orders, in `selected[b]`'s order,
    /// into `numbers`; `customer`: the block's snapshot customer keys.
    func renumber(block b: Int, customer: [Int32], into numbers: inout [Int32]) {
        let positions = selected[b]
        numbers.removeAll(keepingCapacity: true)
        let ahead = SnapshotPass.lookahead
        for k in positions.indices {
            // Customers' numbers are read at random: fetched ahead.
            if k + ahead < positions.count, customer[Int(positions[k + ahead])] >= 0 {
                prefetchElement(number, Int(customer[Int(positions[k + ahead])]))
            }
            let c = Int(customer[Int(positions[k])])
            numbers.append(c < 0 ? -1 : number[c])
        }
    }

    /// The narrowing of `selection` over the snapshot `snapshot` (which holds its counted orders unnarrowed).
    static func make(_ db: Database, snapshot: OrderSnapshot, selection: OrderSelection,
                     money: Bool, withLabel: Bool) throws -> NarrowedOrders? {
        guard snapshot.fields["without_day"] == "0", let costNulls = snapshot.costNulls,
              !money || costNulls.allSatisfy({ $0 == 0 }) else { return nil }
        var picks: OrderPicks?
        if let filter = selection.orderFilter {
            let aliased = selection.aliasedOrderFilter
            guard let p = try OrderPicks.make(db, filter: aliased ?? filter, snapshot: snapshot, codes: aliased != nil) else { return nil }
            picks = p
        }
        var member: [Bool]?
        if let segments = selection.customerFilter {
            // On the facts row itself when the caller has the condition (no set of ids to build and probe).
            let condition = selection.factsCondition ?? segments
            do { member = try CustomerFacts.members(of: condition, customers: snapshot.customers, db) } catch is MetricsError { return nil }
        }
        let n = snapshot.customers
        // Per customer, side by side (one cache line for both): the first and the second day of a
        // selected order, `Int32.max` for none.
        var span = [Int32](repeating: .max, count: 2 * n)
        var label = [Int32](repeating: -1, count: withLabel ? n : 0)
        // Customers whose first day's selected orders disagree on the label (`breakTies`).
        var tied = [Bool](repeating: false, count: withLabel ? n : 0), ties = 0
        var low = Int32.max, high = Int32.min
        precondition(OrderSnapshot.blockSize <= 1 << 16, "positions in a block are 16 bits")
        var selected: [[UInt16]] = []
        var day: [Int32] = [], customer: [Int32] = [], row: [Int32] = [], channel: [Int32] = [], amount: [Double] = []
        // The positions the filter keeps in a block, else all.
        var picked: [Int32] = []
        for block in snapshot.blocks {
            let b = block.index
            let (candidates, count) = try OrderPicks.visit(picks, block, snapshot: snapshot, db: db, row: &row, amount: &amount, picked: &picked)
            var positions: [UInt16] = []
            defer { selected.append(positions) }
            if count == 0 { continue }
            try snapshot.column(.day, block: b, in: db, into: &day)
            try snapshot.column(.customer, block: b, in: db, into: &customer)
            if withLabel { try snapshot.column(.channel, block: b, in: db, into: &channel) }
            let ahead = SnapshotPass.lookahead
            for j in 0..<count {
                if j + ahead < count, customer[Int(candidates[j + ahead])] >= 0 {
                    let k = Int(customer[Int(candidates[j + ahead])])
                    prefetchElement(span, 2 * k)
                    if withLabel { prefetchElement(label, k) }
                    if let member { prefetchElement(member, k) }
                }
                let i = Int(candidates[j])
                let c = Int(customer[i])
                // Guest orders are outside every segment (`customer_id IN (…)` is not true for NULL).
                if let member, c < 0 || !member[c] { continue }
                positions.append(UInt16(i))
                let d = day[i]
                low = min(low, d)
                high = max(high, d)
                guard c >= 0 else { continue }
                let first = span[2 * c]
                if d < first {
                    span[2 * c + 1] = first
                    span[2 * c] = d
                    if withLabel { label[c] = channel[i]; tied[c] = false }
                } else {
                    if d == first, withLabel, label[c] != channel[i], !tied[c] { tied[c] = true; ties += 1 }
                    span[2 * c + 1] = min(span[2 * c + 1], d)
                }
            }
        }
        if ties > 0 {
            guard try breakTies(db, snapshot: snapshot, selected: selected, tied: tied, span: span, label: &label) else { return nil }
        }
        // The selected customers numbered in key order.
        var number = [Int32](repeating: -1, count: n)
        var firstDay: [Int32] = [], secondDay: [Int32] = [], firstLabel: [Int32] = []
        for c in 0..<n where span[2 * c] != .max {
            number[c] = Int32(firstDay.count)
            firstDay.append(span[2 * c])
            secondDay.append(span[2 * c + 1])
            if withLabel { firstLabel.append(label[c]) }
        }
        return NarrowedOrders(number: number, selected: selected, firstDay: firstDay, secondDay: secondDay,
                              firstLabel: firstLabel, days: low <= high ? Int(low)...Int(high) : nil)
    }

    /// Gives each tied customer the label of their first day's selected order that comes first by
    /// `ordered_at`, then `order_id` (`TieBreak`, as the facts' first order), then row; false
    /// (decline) when `orders` no longer numbers its rows as the snapshot does.
    private static func breakTies(_ db: Database, snapshot: OrderSnapshot, selected: [[UInt16]], tied: [Bool],
                                  span: [Int32], label: inout [Int32]) throws -> Bool {
        guard let low = try snapshot.rowBase(in: db) else { return false }
        // The tied customers' candidates: (customer, row, label).
        var candidates: [(customer: Int32, row: Int32, label: Int32)] = []
        var day: [Int32] = [], customer: [Int32] = [], row: [Int32] = [], channel: [Int32] = []
        for block in snapshot.blocks where !selected[block.index].isEmpty {
            let b = block.index
            try snapshot.column(.day, block: b, in: db, into: &day)
            try snapshot.column(.customer, block: b, in: db, into: &customer)
            try snapshot.column(.row, block: b, in: db, into: &row)
            try snapshot.column(.channel, block: b, in: db, into: &channel)
            for p in selected[b] {
                let i = Int(p), c = Int(customer[i])
                guard c >= 0, tied[c], day[i] == span[2 * c] else { continue }
                candidates.append((customer[i], row[i], channel[i]))
            }
        }
        let tieBreak = try TieBreak(db)
        var best: [Int32: (key: ([UInt8]?, [UInt8]?), row: Int32)] = [:]
        for k in candidates {
            let key = try tieBreak.key(of: low + Int64(k.row))
            if let b = best[k.customer] {
                // Equal keys: the earlier row, as SQL reads `orders` in rowid order.
                let before = CustomerFacts.precedes(key, b.key) || (!CustomerFacts.precedes(b.key, key) && k.row < b.row)
                if !before { continue }
            }
            best[k.customer] = (key, k.row)
            label[Int(k.customer)] = k.label
        }
        return true
    }
}
