import ECStore

/// Lifetime measures (`ltv`, `ltv_cac`, `payback`) on the snapshot route.
///
/// The reference SQL (`lifetimeCTEs`) joins every counted order of the customers acquired in each
/// group back to them by customer id: at 1M orders `kpi ltv` took 17 s and `kpi ltv by quarter`
/// 31 s, at 10M minutes. Here one read of the snapshot's blocks gives the same two relations, `lv`
/// (per group: the customers who reached month h, and their CM2 over month offsets 0…h) and, for
/// payback, `lv_curve` (per group and month offset: customers still observed, their cumulative CM2),
/// written to temporary tables that the rest of the query's SQL reads in place of the CTEs.
///
/// A customer belongs to the group of its first counted order (its period, and its first channel
/// when split by channel), as in the SQL: the period must be shown, and, unless the query reads
/// history, the first order on or after the range's start. Its orders count from the range's start
/// to as_of, at month offsets from the first order's month.
extension KPIEngine {
    static let lifetimeTable = "temp.ecsh_kpi_lifetime"
    static let curveTable = "temp.ecsh_kpi_curve"
}

extension SnapshotPass {
    /// Groups × month offsets the payback curve may hold; more take the SQL route.
    static let maxCurveCells = 8_000_000

    /// Month offsets the payback curve needs per group (0 through the largest last observed
    /// offset + 1); 0 when the query has no payback.
    var curveWidth: Int {
        guard plan.measures.contains(.payback_months), let first = slotStart.first else { return 0 }
        return max(0, monthNumber(plan.asOfDay) - monthNumber(first)) + 2
    }

    /// Whether this pass can count the plan's lifetime measures in bounded memory.
    var canCountLifetime: Bool {
        slotCount * comboCount <= Self.maxCurveCells && slotCount * comboCount * curveWidth <= Self.maxCurveCells
    }

    func monthNumber(_ day: Int) -> Int {
        PeriodCalendar.period(of: day, grain: .month, weekStart: plan.settings.weekStart).number
    }

    /// Creates `temp.ecsh_kpi_lifetime` and `temp.ecsh_kpi_curve` and returns their inserts.
    private func createLifetimeTables() throws -> (lifetime: Statement, curve: Statement) {
        let dimColumns = plan.dims.indices.map { ", d\($0 + 1)" }.joined()
        let marks = { (n: Int) in Array(repeating: "?", count: n).joined(separator: ",") }
        try db.execute("DROP TABLE IF EXISTS \(KPIEngine.lifetimeTable)")
        try db.execute("DROP TABLE IF EXISTS \(KPIEngine.curveTable)")
        try db.execute("CREATE TABLE \(KPIEngine.lifetimeTable) (segment, period_no\(dimColumns), ltv_customers, ltv_margin)")
        try db.execute("CREATE TABLE \(KPIEngine.curveTable) (segment, period_no\(dimColumns), month_offset, observed, margin)")
        return (try db.prepare("INSERT INTO \(KPIEngine.lifetimeTable) VALUES (\(marks(4 + plan.dims.count)))"),
                try db.prepare("INSERT INTO \(KPIEngine.curveTable) VALUES (\(marks(5 + plan.dims.count)))"))
    }

    /// Whether the lifetime groups of `totals` (this query's total row, counted beside: one group,
    /// no dimensions) are the sums of this pass's groups: the same customers acquired (from the
    /// range's start, no history read before it), observed to the same as_of over the same horizon.
    func canFoldLifetime(into totals: SnapshotPass) -> Bool {
        comboCount == 1 && totals.comboCount == 1 && totals.slotCount == 1 && plan.dims.isEmpty && totals.plan.dims.isEmpty
            && !plan.needsHistory && !totals.plan.needsHistory
            && plan.asOfDay == totals.plan.asOfDay && plan.horizonMonths == totals.plan.horizonMonths
            && plan.startDay == totals.plan.startDay && plan.endDay == totals.plan.endDay && plan.segments == totals.plan.segments
    }

    /// Writes lifetime groups counted by another pass (`runLifetime(foldingInto:)`), one per segment.
    func writeLifetime(counted: [LifetimeCounts]) throws {
        let (lifetime, curve) = try createLifetimeTables()
        for (segment, counts) in zip(plan.segments, counted) { try write(counts, segment: segment.name, lifetime: lifetime, curve: curve) }
    }

    /// Counts every segment's lifetime groups and writes `temp.ecsh_kpi_lifetime` (and, for payback,
    /// `temp.ecsh_kpi_curve`), the relations `lv` and `lv_curve` of the query's SQL. With `totals`
    /// (`canFoldLifetime(into:)`), returns its groups, one per segment, as the sums of this pass's,
    /// for `writeLifetime(counted:)`; nil when they cannot be (then the total row counts its own).
    @discardableResult
    func runLifetime(foldingInto totals: SnapshotPass? = nil) throws -> [LifetimeCounts]? {
        let (lifetime, curve) = try createLifetimeTables()
        let start = plan.startDay, asOf = plan.asOfDay
        guard asOf >= dayBase else { return nil }
        var folded: [LifetimeCounts]? = totals == nil ? nil : []
        // Month numbers by day, from the first day a pass looks at through as_of.
        let months = (dayBase...max(asOf, dayBase)).map { Int32(monthNumber($0)) }
        let asOfMonth = months[asOf - dayBase]
        let firstDay = try snapshot.customerColumn("first_day", in: db)
        // The key of each customer's first order: its channel, or with a column of orders grouped by, its codes too.
        let firstKey = hasRowDims ? try firstOrderKeys() : try snapshot.customerColumn("first_channel", in: db)
        let width = curveWidth, h = Int32(plan.horizonMonths)
        // Hoisted: the plan's properties are computed (a set of sources built per call).
        let history = plan.needsHistory, end = plan.endDay
        for segment in plan.segments {
            let member = try members(of: segment)
            var counts = LifetimeCounts(groups: slotCount * comboCount, width: width)
            // Each customer's group (−1: not acquired in a shown period of this segment) and first
            // month, side by side: read at random once per order, one cache line for both.
            var group = [Int32](repeating: -1, count: 2 * snapshot.customers)
            for c in 0..<snapshot.customers where member.map({ $0[c] }) ?? true {
                let f = Int(firstDay[c])
                guard f >= dayBase, f <= end, f <= asOf, history || f >= start else { continue }
                let s = Int(slotOfDay[f - dayBase])
                guard shownSlots.contains(s) else { continue }
                let g = s * comboCount + combo(customer: c, channel: firstKey[c])
                group[2 * c] = Int32(g)
                group[2 * c + 1] = months[f - dayBase]
                counts.acquired(group: g, lastOffset: asOfMonth - months[f - dayBase], horizon: h)
            }
            // One buffer per column, refilled block after block.
            var m = MarginColumns()
            for block in snapshot.blocks {
                if block.firstDay > asOf { break }
                if block.lastDay < start { continue }
                try m.read(snapshot, block: block.index, in: db)
                let day = m.day, customer = m.customer
                for i in 0..<block.rows {
                    // Customers are at random: their state fetched a few orders ahead.
                    if i + Self.lookahead < block.rows, customer[i + Self.lookahead] >= 0 {
                        prefetchElement(group, 2 * Int(customer[i + Self.lookahead]))
                    }
                    let d = Int(day[i]), c = Int(customer[i])
                    if d > asOf { break }
                    guard d >= start, c >= 0, group[2 * c] >= 0 else { continue }
                    let firstMonth = group[2 * c + 1]
                    let cm2 = m.margin(i)
                    counts.order(group: Int(group[2 * c]), offset: months[d - dayBase] - firstMonth, lastOffset: asOfMonth - firstMonth,
                                 horizon: h, cm2: cm2)
                }
            }
            try write(counts, segment: segment.name, lifetime: lifetime, curve: curve)
            if let totals, folded != nil { folded = counts.folded(width: totals.curveWidth).map { folded! + [$0] } }
        }
        return folded
    }

    /// Each customer's first counted order's key (`orderKeys`), −1 for none: from one read of the
    /// blocks' customers, first-order flags, channels and rows, the first order being the one the
    /// blocks flag (the customer's first counted order, ties broken as the SQL breaks them).
    func firstOrderKeys() throws -> [Int32] {
        var keyOf = [Int32](repeating: -1, count: snapshot.customers)
        var customer: [Int32] = [], first: [UInt8] = [], channel: [Int32] = [], row: [Int32] = [], keys: [Int32] = []
        for block in snapshot.blocks {
            let b = block.index
            try snapshot.column(.customer, block: b, in: db, into: &customer)
            try snapshot.column(.first, block: b, in: db, into: &first)
            try snapshot.column(.channel, block: b, in: db, into: &channel)
            try snapshot.column(.row, block: b, in: db, into: &row)
            orderKeys(channel: channel, row: row, into: &keys)
            for i in 0..<block.rows where first[i] == 1 && customer[i] >= 0 { keyOf[Int(customer[i])] = keys[i] }
        }
        return keyOf
    }

    /// Whether each customer is in `segment` (nil: every customer, no segments asked for), from the
    /// engine's statement-wide `SegmentMembers` when the pass has one.
    func members(of segment: NamedSegment) throws -> [Bool]? {
        guard plan.hasSegments else { return nil }
        if let known = segmentMembers?.members(of: segment.predicate, customers: snapshot.customers) { return known }
        let m = try CustomerFacts.members(of: segment.predicate, customers: snapshot.customers, db)
        segmentMembers?.keep(m, of: segment.predicate)
        return m
    }

    /// The key columns of group or cell `g` (a slot × a combination of dimension values): the segment,
    /// period_no, then each dimension's value; the measures table's rows start with them too.
    func keyValues(group g: Int, segment: String) -> [Value] {
        var values: [Value] = [.text(segment), .integer(Int64(slotNumber[g / comboCount]))]
        var rest = g % comboCount
        for i in plan.dims.indices.reversed() {
            values.insert(dimValues[i][rest / radix[i]], at: 2)
            rest %= radix[i]
        }
        return values
    }

    private func write(_ counts: LifetimeCounts, segment: String, lifetime: Statement, curve: Statement) throws {
        for g in 0..<counts.customers.count where counts.customers[g] > 0 {
            lifetime.reset()
            try lifetime.bind(keyValues(group: g, segment: segment) + [.integer(Int64(counts.customers[g])), .real(counts.margin[g])])
            try lifetime.step()
        }
        let w = counts.width
        guard w > 0 else { return }
        for g in 0..<counts.customers.count {
            var observed: Int64 = 0, margin = 0.0
            var key: [Value]?
            for k in 0..<w where counts.hasEvent[g * w + k] {
                observed += Int64(counts.observedDelta[g * w + k])
                margin += counts.marginDelta[g * w + k]
                if key == nil { key = keyValues(group: g, segment: segment) }
                curve.reset()
                try curve.bind(key! + [.integer(Int64(k)), .integer(observed), .real(margin)])
                try curve.step()
            }
        }
    }
}

/// What the lifetime pass counts per group: customers who reached month h and their CM2 through
/// it; for payback, the curve's changes per month offset (a customer is observed from offset 0
/// through its last observed offset L, an order's CM2 counts from its offset through L), summed in
/// offset order when written, as the SQL's running sums over the same events.
struct LifetimeCounts {
    var customers: [Int32]
    var margin: [Double]
    let width: Int
    var observedDelta: [Int32]
    var marginDelta: [Double]
    var hasEvent: [Bool]

    init(groups: Int, width: Int) {
        customers = [Int32](repeating: 0, count: groups)
        margin = [Double](repeating: 0, count: groups)
        self.width = width
        observedDelta = [Int32](repeating: 0, count: groups * width)
        marginDelta = [Double](repeating: 0, count: groups * width)
        hasEvent = [Bool](repeating: false, count: groups * width)
    }

    /// A customer acquired in group `g`, observed through month offset `lastOffset` (≥ 0).
    mutating func acquired(group g: Int, lastOffset l: Int32, horizon h: Int32) {
        if l >= h { customers[g] += 1 }
        guard width > 0 else { return }
        event(g, 0) { $0.observedDelta[$1] += 1 }
        event(g, Int(l) + 1) { $0.observedDelta[$1] -= 1 }
    }

    /// A counted order of a customer of group `g`, at month offset `offset` of its first order.
    mutating func order(group g: Int, offset o: Int32, lastOffset l: Int32, horizon h: Int32, cm2: Double) {
        if l >= h, o <= h { margin[g] += cm2 }
        guard width > 0 else { return }
        event(g, Int(o)) { $0.marginDelta[$1] += cm2 }
        event(g, Int(l) + 1) { $0.marginDelta[$1] -= cm2 }
    }

    /// The sums of every group, as one group over curves `width` offsets wide; nil when an event
    /// lies past them (then the total row's own pass counts it).
    func folded(width w: Int) -> LifetimeCounts? {
        var total = LifetimeCounts(groups: 1, width: w)
        for g in customers.indices {
            total.customers[0] += customers[g]
            total.margin[0] += margin[g]
        }
        guard width > 0 || w > 0 else { return total }
        for g in customers.indices {
            for k in 0..<width where hasEvent[g * width + k] {
                guard k < w else { return nil }
                total.hasEvent[k] = true
                total.observedDelta[k] += observedDelta[g * width + k]
                total.marginDelta[k] += marginDelta[g * width + k]
            }
        }
        return total
    }

    private mutating func event(_ g: Int, _ k: Int, _ change: (inout LifetimeCounts, Int) -> Void) {
        let i = g * width + k
        hasEvent[i] = true
        change(&self, i)
    }
}

/// The customers of each segment a statement's passes have evaluated (SQLite scans the customer facts
/// for each: about 0.5 s at 5M customers), so that the order pass, the lifetime pass and the total
/// row's two evaluate a segment once. An engine runs one statement in one read transaction: the facts
/// cannot change in between.
final class SegmentMembers: @unchecked Sendable {
    private var known: [(predicate: SQLFragment, members: [Bool])] = []

    func members(of predicate: SQLFragment, customers: Int) -> [Bool]? {
        known.first { $0.predicate == predicate && $0.members.count == customers }?.members
    }

    func keep(_ members: [Bool], of predicate: SQLFragment) {
        known.append((predicate, members))
    }

    /// Drops what it knows: a new statement evaluates afresh (the facts may have changed since).
    func forget() { known = [] }
}
