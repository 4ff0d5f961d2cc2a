import CSQLite
import ECStore

/// The snapshot route: the order measures of a KPI query computed in one pass
/// over `OrderSnapshot` (orders in day order, customers numbered), written to
/// `temp.ecsh_kpi_measures`, then finished by the same SQL as the reference
/// route (spine of periods × groups, spend, traffic, NPS, formulas, order).
///
/// Per-customer state lives in arrays indexed by customer number (and
/// channel when split by channel), so distinct counts, activity stretches and
/// period-to-period retention are O(orders) with no sort. A `where` filter is
/// applied as the positions of each block's orders SQLite says it keeps
/// (`OrderPicks`), the pass visiting those alone, and a
/// column of `orders` the snapshot does not hold is read by row
/// (`OrderColumnCodes`); what a pass cannot hold takes the SQL route.
extension KPIEngine {
    static let measuresTable = "temp.ecsh_kpi_measures"

    /// Measures the snapshot pass computes (everything but f2_final and the other datasets).
    static let snapshotMeasures: [Measure] = [
        .gmv, .revenue, .orders, .units, .margin, .commission, .discounts, .mall_gmv,
        .customers, .new_customers, .returning_customers, .f2_new, .f2_converted,
        .ever_customers, .repeat_customers, .active_members, .previous_active, .retained,
    ]

    /// The cells of a query's total row (the same query over the whole range, `totalsQuery`),
    /// counted in the same read of the snapshot as the query's own rows; `run(_:counted:)`
    /// writes them instead of reading the snapshot a second time.
    struct CountedTotals {
        let pass: SnapshotPass
        let cells: [SnapshotCells]
        /// Its lifetime groups, summed from the query's (`SnapshotPass.canFoldLifetime`); nil: the
        /// total row counts its own (`runLifetime`) if it has lifetime measures.
        var lifetime: [LifetimeCounts]? = nil
    }

    /// Fills `temp.ecsh_kpi_measures` for the plan; nil when the plan needs the SQL route.
    /// With `totals` (the total row's plan), its cells are counted in the same read when they
    /// can be, and returned.
    func fillMeasuresFromSnapshot(_ plan: Plan, totals: Plan? = nil) throws -> (filled: Bool, totals: CountedTotals?) {
        guard canTakeSnapshot(plan) else { return (false, nil) }
        // Plan.make has made the facts and snapshot current (CustomerFacts.ensureCurrent).
        guard let snapshot = try OrderSnapshot.load(db, settings: settings, asOfDay: plan.asOfDay),
              snapshot.channelNames.count <= 64 else { return (false, nil) }
        var pass: SnapshotPass
        do { pass = try SnapshotPass(plan: plan, snapshot: snapshot, db: db) } catch is SnapshotPass.Declined { return (false, nil) }
        pass.segmentMembers = segmentMembers
        guard pass.comboCount <= 100_000, pass.slotCount <= SnapshotPass.maxSlots else { return (false, nil) }
        pass.shareKeys(stateBytes: stateBytes)
        let lifetime = plan.sources.contains(.lifetime)
        // A lifetime group is the first order's (its channel, or its key with a column of orders: `firstOrderKeys`).
        if lifetime, !pass.canCountLifetime { return (false, nil) }
        if let filter = plan.filter {
            guard let picks = try orderMasks.picks(filter, db: db, snapshot: snapshot) else { return (false, nil) }
            pass.picks = picks
        }
        var beside: SnapshotPass?
        // The total row's lifetime groups are counted beside only as sums of the query's (one group,
        // the same customers); else they are its own pass's (`runLifetime`), and so are its cells.
        if let totals, canTakeSnapshot(totals), totals.filter == plan.filter {
            var other = try SnapshotPass(plan: totals, snapshot: snapshot, db: db)
            other.picks = pass.picks
            other.segmentMembers = segmentMembers
            if pass.canCount(beside: other), !lifetime || pass.canFoldLifetime(into: other), pass.keyShares.count == 1 { beside = other }
        }
        let cells = try pass.run(settings: settings, beside: beside)
        let folded = lifetime ? try pass.runLifetime(foldingInto: beside) : nil
        return (true, beside.map { CountedTotals(pass: $0, cells: cells, lifetime: folded) })
    }

    /// Whether the snapshot route may answer the plan: order measures (lifetime ones too:
    /// `runLifetime`, but not with a `where` filter, whose customers are acquired by a first
    /// order that passes it). A `where` filter is applied as the orders it keeps
    /// (`OrderPicks`); a column of `orders` other than channel is grouped by through its codes by
    /// row (`OrderColumnCodes`); `fillMeasuresFromSnapshot` still declines what a pass cannot hold.
    func canTakeSnapshot(_ plan: Plan) -> Bool {
        plan.needsBase && (plan.filter == nil || !plan.sources.contains(.lifetime))
    }
}

/// One pass of the snapshot route.
struct SnapshotPass {
    /// Periods a pass can count (a customer's last period is kept in 16 bits); more take the
    /// SQL route (day by day over 179 years).
    static let maxSlots = Int(UInt16.max) - 1

    let plan: KPIEngine.Plan
    let snapshot: OrderSnapshot
    let db: Database
    /// The orders a `where` filter keeps; nil: every order.
    var picks: OrderPicks?
    /// The statement's segments evaluated so far (the engine's), nil to evaluate them here.
    var segmentMembers: SegmentMembers?

    /// Dimension values: `codes[dim]` per customer (facts) or per channel; `values[dim][code]`.
    var dimValues: [[Value]] = []
    var customerCodes: [[Int32]?] = []
    /// Dimensions of the order rather than the customer: channel (from the blocks) or another column
    /// of `orders` (`rowCodes`, read by row). An order's key is Σ `orderRadix[j]` × its code in
    /// dimension j (0: NULL), minus 1: with channel alone, the channel (−1: NULL).
    var orderDims: [Int] = []
    var orderRadix: [Int] = []
    /// Per order dimension: codes by row for a column of `orders`, nil for channel.
    var rowCodes: [[UInt8]?] = []
    /// Distinct order keys + 1: the per-customer state's width (1 without order dimensions).
    var orderWidth = 1
    /// The order keys (key + 1, 0 ..< `orderWidth`) counted together, one read of the blocks each
    /// (`shareKeys`): one share of every key unless the state would not fit.
    var keyShares: [Range<Int>] = []
    var radix: [Int] = []
    var comboCount = 1
    /// Per customer and per order key + 1, their parts of a combination (`combo`); empty without
    /// dimensions of that kind.
    var customerPart: [Int32] = [], keyPart: [Int32] = []

    // Days and periods.
    let dayBase: Int
    let firstSlot: Int
    var slotOfDay: [Int32] = []
    var slotStart: [Int] = []
    var slotNumber: [Int] = []
    var shownSlots: ClosedRange<Int>

    init(plan: KPIEngine.Plan, snapshot: OrderSnapshot, db: Database) throws {
        self.plan = plan
        self.snapshot = snapshot
        self.db = db
        for (i, d) in plan.dims.enumerated() {
            if d.fromFacts, let (codes, values) = try Self.acquisitionCodes(d, snapshot: snapshot, db: db) {
                dimValues.append(values)
                customerCodes.append(codes)
            } else if d.fromFacts {
                let (codes, values) = try CustomerColumnCodes.read(db, column: d.name, expression: d.expression, snapshot: snapshot)
                dimValues.append(values)
                customerCodes.append(codes)
            } else {
                if d.name.lowercased() == "channel" {
                    dimValues.append([.null] + snapshot.channelNames.map { .text($0) })
                    rowCodes.append(nil)
                } else {
                    guard let column = try OrderColumnCodes.read(db, column: d.name, expression: d.expression, snapshot: snapshot,
                                                                 limit: Self.maxOrderDimValues) else { throw Declined() }
                    dimValues.append(column.values)
                    rowCodes.append(column.codes)
                }
                customerCodes.append(nil)
                orderDims.append(i)
                orderRadix.append(orderWidth)
                orderWidth *= dimValues[i].count
            }
            radix.append(comboCount)
            comboCount *= dimValues[i].count
        }
        // Day → period slot, from the earliest day any measure looks at to the end.
        let dataStart = snapshot.blocks.first?.firstDay ?? plan.startDay
        dayBase = min(plan.startDay, dataStart)
        func number(_ d: Int) -> Int {
            guard let g = plan.grain else { return d >= plan.startDay ? 0 : -1 }
            return PeriodCalendar.period(of: d, grain: g, weekStart: plan.settings.weekStart).number
        }
        let first = number(dayBase)
        firstSlot = first
        let days = max(0, plan.endDay - dayBase + 1)
        slotOfDay = [Int32](repeating: 0, count: days)
        for i in 0..<days {
            let n = number(dayBase + i)
            slotOfDay[i] = Int32(n - first)
            if n - first == slotNumber.count {
                slotNumber.append(n)
                slotStart.append(dayBase + i)
            }
        }
        let shownFirst = number(plan.startDay) - first
        shownSlots = shownFirst...max(shownFirst, slotNumber.count - 1)
        keyShares = [0..<orderWidth]
        // Combinations are counted in Int32 parts (and the engine takes at most 100,000 of them).
        guard comboCount <= Int(Int32.max) else { throw Declined() }
        (customerPart, keyPart) = Self.comboParts(customers: snapshot.customers, customerCodes: customerCodes, dimValues: dimValues,
                                                  radix: radix, orderRadix: orderRadix, orderWidth: orderWidth)
    }

    var slotCount: Int { slotNumber.count }

    /// Thrown by `init` when the pass cannot hold what the plan asks (the SQL route answers).
    struct Declined: Error {}

    /// Creates `temp.ecsh_kpi_measures` and returns its insert statement.
    func createMeasuresTable() throws -> Statement {
        try db.execute("DROP TABLE IF EXISTS \(KPIEngine.measuresTable)")
        let dimColumns = plan.dims.indices.map { ", d\($0 + 1)" }.joined()
        let measureColumns = KPIEngine.snapshotMeasures.map { ", \($0.rawValue)" }.joined()
        try db.execute("CREATE TABLE \(KPIEngine.measuresTable) (segment, period_no\(dimColumns), lines, seen_range\(measureColumns))")
        let marks = Array(repeating: "?", count: 4 + plan.dims.count + KPIEngine.snapshotMeasures.count).joined(separator: ",")
        return try db.prepare("INSERT INTO \(KPIEngine.measuresTable) VALUES (\(marks))")
    }

    /// Whether `other` (the same query over the whole range, for the total row) can be
    /// counted in this pass's read: the same orders (range, segments), one cell per period.
    func canCount(beside other: SnapshotPass) -> Bool {
        other.plan.startDay == plan.startDay && other.plan.endDay == plan.endDay
            && other.plan.segments == plan.segments
            && other.comboCount == 1 && other.slotCount < Int(UInt8.max)
    }

    /// Counts every segment's cells in one read of the snapshot each and writes them to the
    /// measures table. With `beside` (see `canCount(beside:)`), its cells are counted in the
    /// same read and returned, one per segment, for `write` once this pass's rows are used.
    func run(settings: MetricSettings, beside: SnapshotPass? = nil) throws -> [SnapshotCells] {
        let insert = try createMeasuresTable()
        // Every customer's first and second days (8 bytes a customer), read only for the measures that look at them.
        let readsDays = [plan, beside?.plan].contains { $0.map { !$0.measures.isDisjoint(with: Self.dayMeasures) } ?? false }
        // The blocks' channels and first-order flags, read only when something counts by them (4 and 1
        // of the 13 to 21 bytes an order a pass reads): order dimensions, mall GMV, first orders.
        let columns = ScanColumns(
            channel: !orderDims.isEmpty || beside.map { !$0.orderDims.isEmpty } == true
                || [plan, beside?.plan].contains { $0?.measures.contains(.mall_gmv) == true },
            first: [plan, beside?.plan].contains { $0.map { !$0.measures.isDisjoint(with: Self.firstOrderMeasures) } ?? false })
        let customers = readsDays ? CustomerDays(first: try snapshot.customerColumn("first_day", in: db),
                                                 second: try snapshot.customerColumn("second_day", in: db))
            : CustomerDays(first: [], second: [])
        let malls = settings.marketplaces
        let isMall = snapshot.channelNames.map(malls.contains)
        var besideCells: [SnapshotCells] = []
        // The narrowest per-state store for the pass's slots (`SeenSlots`), a bit each with one period;
        // the total row's range has one or two.
        func count<A: SeenSlots>(_: A.Type, member: [Bool]?) throws -> (SnapshotCells, SnapshotCells?) {
            guard let beside else {
                // A read of the blocks per share of the order keys (`keyShares`; one, mostly), into one set of cells.
                var cells: SnapshotCells?
                for keys in keyShares {
                    let tally = Tally<A>(self, customers: customers, isMall: isMall, keys: keys, cells: cells)
                    try scan(tally, NoTally(), member: member, columns: columns, keys: keyShares.count > 1 ? keys : nil)
                    cells = tally.finish()
                }
                return (cells!, nil)
            }
            precondition(keyShares.count == 1, "a total row is counted beside one read of every key")
            let tally = Tally<A>(self, customers: customers, isMall: isMall)
            if beside.slotCount <= SeenBits.maxSlots {
                let other = Tally<SeenBits>(beside, customers: customers, isMall: isMall)
                try scan(tally, other, member: member, columns: columns)
                return (tally.finish(), other.finish())
            }
            let other = Tally<PlainBuffer<UInt8>>(beside, customers: customers, isMall: isMall)
            try scan(tally, other, member: member, columns: columns)
            return (tally.finish(), other.finish())
        }
        for segment in plan.segments {
            let member = try members(of: segment)
            let counted: (SnapshotCells, SnapshotCells?)
            switch slotCount {
            case ...SeenBits.maxSlots: counted = try count(SeenBits.self, member: member)
            case ...PlainBuffer<UInt8>.maxSlots: counted = try count(PlainBuffer<UInt8>.self, member: member)
            default: counted = try count(PlainBuffer<UInt16>.self, member: member)
            }
            try write(counted.0, segment: segment.name, insert: insert)
            if let other = counted.1 { besideCells.append(other) }
        }
        return besideCells
    }

    /// Writes cells counted beside another pass (`run(settings:beside:)`), one per segment.
    func write(counted: [SnapshotCells]) throws {
        let insert = try createMeasuresTable()
        for (segment, cells) in zip(plan.segments, counted) { try write(cells, segment: segment.name, insert: insert) }
    }

    /// Measures counted on a customer's first order (`Tally.wantsFirsts`), which reads the customer's
    /// first and second days, as returning customers read the first.
    static let firstOrderMeasures: Set<Measure> = [.new_customers, .f2_new, .f2_converted, .ever_customers, .repeat_customers]
    static let dayMeasures = firstOrderMeasures.union([.returning_customers])

    /// Every customer's first and second counted day (Int32.max: none), by customer number; empty
    /// when no measure asked for reads them.
    struct CustomerDays {
        let first: [Int32], second: [Int32]
    }

    /// One block's order values that sums need (empty when no tally sums money or units).
    struct BlockNumbers {
        var amount: [Double] = [], discounts: [Double] = [], commission: [Double] = [], costs: [Double] = [], units: [Double] = []
    }

    /// Orders ahead whose customers' state is prefetched (`Tally.prefetch`): orders are in day order,
    /// customers at random, so each order's state is a likely cache miss at millions of customers.
    static let lookahead = 16

    /// Which of the optional columns a scan reads: decided from the plans, as asking the generic
    /// tallies through `OrderTally` made the compiler copy a per-customer store once per block.
    struct ScanColumns {
        let channel: Bool, first: Bool
    }

    /// The one read over the blocks for one segment, counting into `tally` and `other` (a `Tally`,
    /// or `NoTally`: a generic parameter rather than an optional, which cost a copy of the whole
    /// tally per order to unwrap).
    /// `keys`: the share of the order keys (key + 1) counted in this read; nil: every order.
    func scan<A: OrderTally, B: OrderTally>(_ tally: A, _ other: B, member: [Bool]?, columns: ScanColumns, keys share: Range<Int>? = nil) throws {
        let end = Int32(plan.endDay), start = Int32(plan.startDay)
        let history = tally.history || other.history
        let needsNumbers = tally.needsNumbers || other.needsNumbers
        let needsUnits = tally.wantsUnits || other.wantsUnits
        let needsDetail = tally.wantsDetail || other.wantsDetail
        // One buffer per column, refilled block after block.
        var day: [Int32] = [], customer: [Int32] = [], channel: [Int32] = [], first: [UInt8] = [], row: [Int32] = [], keys: [Int32] = []
        var numbers = BlockNumbers()
        // The positions of the orders the pass visits in a block: those the filter keeps, else all.
        var picked: [Int32] = []
        // Not read: every order has no channel (−1) and is not a first order.
        if !columns.channel { channel = [Int32](repeating: -1, count: OrderSnapshot.blockSize) }
        if !columns.first { first = [UInt8](repeating: 0, count: OrderSnapshot.blockSize) }
        for block in snapshot.blocks {
            if block.firstDay > plan.endDay { break }
            if !history, block.lastDay < plan.startDay { continue }
            let b = block.index
            let (positions, n) = try OrderPicks.visit(picks, block, snapshot: snapshot, db: db, row: &row, amount: &numbers.amount, picked: &picked)
            if n == 0 { continue }
            try snapshot.column(.day, block: b, in: db, into: &day)
            try snapshot.column(.customer, block: b, in: db, into: &customer)
            if columns.channel { try snapshot.column(.channel, block: b, in: db, into: &channel) }
            if columns.first { try snapshot.column(.first, block: b, in: db, into: &first) }
            if hasRowDims, picks?.readsRow != true { try snapshot.column(.row, block: b, in: db, into: &row) }
            // The order keys: the channel, unless a column of orders is grouped by too.
            if hasRowDims { orderKeys(channel: channel, row: row, into: &keys) }
            let key = hasRowDims ? keys : channel
            if needsNumbers {
                if picks?.readsAmount != true { try snapshot.column(.amount, block: b, in: db, into: &numbers.amount) }
                if needsDetail {
                    try snapshot.column(.discounts, block: b, in: db, into: &numbers.discounts)
                    try snapshot.column(.commission, block: b, in: db, into: &numbers.commission)
                    try snapshot.column(.costs, block: b, in: db, into: &numbers.costs)
                }
                if needsUnits { try snapshot.column(.units, block: b, in: db, into: &numbers.units) }
            }
            for j in 0..<n {
                // The per-customer state a few visited orders ahead, loaded while these are counted.
                if j + Self.lookahead < n {
                    let a = Int(positions[j + Self.lookahead])
                    if share?.contains(Int(key[a]) + 1) != false {
                        let ahead = Int(customer[a]), aheadFirst = first[a] == 1
                        tally.prefetch(customer: ahead, channel: key[a], isFirst: aheadFirst)
                        other.prefetch(customer: ahead, channel: key[a], isFirst: aheadFirst)
                        if let member { prefetchElement(member, ahead) }
                    }
                }
                let i = Int(positions[j])
                let d = day[i]
                if d > end { break }
                if !history, d < start { continue }
                // Another share's order (`keyShares`): counted in another read.
                if let share, !share.contains(Int(key[i]) + 1) { continue }
                let c = Int(customer[i])
                if let member, c < 0 || !member[c] { continue }
                tally.add(day: d, customer: c, channel: channel[i], key: key[i], isFirst: first[i] == 1, row: i, numbers)
                other.add(day: d, customer: c, channel: channel[i], key: key[i], isFirst: first[i] == 1, row: i, numbers)
            }
        }
    }

    /// Rows of `temp.ecsh_kpi_measures` for the shown periods and every combination seen.
    func write(_ cells: SnapshotCells, segment: String, insert: Statement) throws {
        let combos = comboCount
        var seen = [Bool](repeating: false, count: combos)
        for cell in 0..<cells.count where cells.lines(cell) > 0 { seen[cell % combos] = true }
        // Stocks (repeat, active) are sums of events up to each period.
        var stocks = SnapshotCells.Event.allCases.map { _ in [Int64](repeating: 0, count: combos) }
        let integerUnits = snapshot.integerUnits
        for s in 0..<slotCount {
            for k in 0..<combos {
                for e in SnapshotCells.Event.allCases { stocks[e.rawValue][k] += Int64(cells[e, s * combos + k]) }
            }
            guard shownSlots.contains(s) else { continue }
            for k in 0..<combos where seen[k] {
                let cell = s * combos + k
                var values = keyValues(group: cell, segment: segment)
                values += [.integer(Int64(cells.lines(cell))), .integer(Int64(cells.inRange(cell)))]
                for measure in KPIEngine.snapshotMeasures {
                    switch measure {
                    case .units where integerUnits: values.append(.integer(Int64(cells[.units, cell])))
                    case .previous_active:
                        values.append(.integer(s > 0 ? Int64(cells[.customers, cell - combos]) : 0))
                    default:
                        if let e = SnapshotCells.Event(measure) { values.append(.integer(stocks[e.rawValue][k])) }
                        else if let x = SnapshotCells.Sum(measure) { values.append(.real(cells[x, cell])) }
                        else if let x = SnapshotCells.Count(measure) { values.append(.integer(Int64(cells[x, cell]))) }
                        else { values.append(.null) }
                    }
                }
                insert.reset()
                try insert.bind(values)
                try insert.step()
            }
        }
    }
}
