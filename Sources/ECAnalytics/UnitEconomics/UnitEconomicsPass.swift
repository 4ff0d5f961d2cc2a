import ECStore

/// Everything unit economics sums, gathered in one pass over the counted orders.
///
/// Orders fall into an *order group* (the channel they were placed in, the
/// customer's acquisition month, or the month they were placed in) for the
/// order-level sums, and their customer into a *curve group* (first channel or
/// acquisition month) for the cumulative margin and order curves over month
/// offsets. Curves are range additions, as in `CohortEngine`: an order at
/// offset k adds to every cell from k to the customer's last observed offset.
/// The pass keeps a few numbers per customer and per group, not the orders.
struct UnitEconomicsPass {
    /// The last offset: cells run over 0...periods.
    let periods: Int
    /// Order-level sums per order group.
    private(set) var sums: [OrderSums]
    /// Order-level sums over every order.
    private(set) var all = OrderSums()
    /// Customers per curve group; the last slot is the total curve.
    private(set) var sizes: [Int]
    /// Orders added (orders without a customer are not).
    private(set) var orders = 0

    private let curveGroup: [Int32]
    private let firstMonth: [Int32]
    private let lastOffset: [Int32]
    private let totalSlot: Int
    /// `[slot × (periods + 2) + offset]`: range additions and observed customers.
    private var margin: [Double]
    private var count: [Double]
    private var eligible: [Double]

    /// - Parameters:
    ///   - firstMonth: each customer's acquisition month index.
    ///   - curveGroup: each customer's curve group, 0..<curveGroups.
    ///   - lastMonth: the data's last month; later offsets are not observed.
    init(firstMonth: [Int32], curveGroup: [Int32], curveGroups: Int, orderGroups: Int, lastMonth: Int, periods: Int) {
        self.periods = periods
        self.firstMonth = firstMonth
        self.curveGroup = curveGroup
        totalSlot = curveGroups
        let width = periods + 2
        sums = Array(repeating: OrderSums(), count: orderGroups)
        var sizes = Array(repeating: 0, count: curveGroups + 1)
        var eligible = Array(repeating: 0.0, count: (curveGroups + 1) * width)
        var last = [Int32](repeating: 0, count: firstMonth.count)
        for c in firstMonth.indices {
            let offset = min(lastMonth - Int(firstMonth[c]), periods)
            last[c] = Int32(offset)
            func observe(_ slot: Int) {
                sizes[slot] += 1
                eligible[slot * width] += 1
                eligible[slot * width + offset + 1] -= 1
            }
            observe(Int(curveGroup[c]))
            observe(curveGroups)
        }
        self.sizes = sizes
        self.eligible = eligible
        margin = Array(repeating: 0, count: eligible.count)
        count = margin
        lastOffset = last
    }

    /// One order of customer `c` placed in month `month`.
    @inline(__always)
    mutating func add(customer c: Int, month: Int, orderGroup: Int,
                      amount: Double, discounts: Double, costs: Double, commission: Double) {
        let revenue = amount - discounts
        let cm2 = revenue - costs - commission
        sums[orderGroup].add(amount: amount, revenue: revenue, margin: cm2, commission: commission)
        all.add(amount: amount, revenue: revenue, margin: cm2, commission: commission)
        orders += 1
        let offset = month - Int(firstMonth[c]), last = Int(lastOffset[c])
        guard offset >= 0, offset <= last else { return }
        let width = periods + 2
        addRange(base: Int(curveGroup[c]) * width, from: offset, through: last, cm2)
        addRange(base: totalSlot * width, from: offset, through: last, cm2)
    }

    @inline(__always)
    private mutating func addRange(base: Int, from: Int, through: Int, _ cm2: Double) {
        margin[base + from] += cm2
        margin[base + through + 1] -= cm2
        count[base + from] += 1
        count[base + through + 1] -= 1
    }

    /// A curve group's curves (nil when it has no customers); `nil` slot: the total.
    func curve(_ group: Int?) -> CustomerCurve? {
        let slot = group ?? totalSlot
        guard sizes[slot] > 0 else { return nil }
        let base = slot * (periods + 2)
        var runningMargin = 0.0, runningOrders = 0.0, covered = 0.0
        var curve = CustomerCurve(size: sizes[slot], margin: [], orders: [])
        for k in 0...periods {
            runningMargin += margin[base + k]
            runningOrders += count[base + k]
            covered += eligible[base + k]
            curve.margin.append(covered > 0 ? runningMargin / covered : nil)
            curve.orders.append(covered > 0 ? runningOrders / covered : nil)
        }
        return curve
    }
}

/// Month index by day over a range of days: a table instead of civil-date arithmetic per order.
struct MonthTable {
    let firstDay: Int
    private let months: [Int32]

    init(days: ClosedRange<Int>) {
        firstDay = days.lowerBound
        months = days.count > 20_000 ? [] : days.map { Int32(PeriodUnit.month.index(ofDay: $0)) }
    }

    @inline(__always) func month(ofDay day: Int) -> Int {
        let i = day - firstDay
        return i >= 0 && i < months.count ? Int(months[i]) : PeriodUnit.month.index(ofDay: day)
    }
}

/// How unit economics labels its groups and puts orders and customers into them.
///
/// By channel: orders by the channel they were placed in, customers by their
/// first order's channel (channel numbers, then one group for NULL). By
/// cohort: both by acquisition month. By month: orders by the month they were
/// placed in, customers by acquisition month. Otherwise one group.
struct UnitEconomicsGroups {
    let by: UnitEconomicsGrouping
    let firstMonth: Int
    /// Labels of order groups (curve groups use the same numbering).
    let labels: [String]
    /// Curve group per customer.
    let curveGroup: [Int32]
    private let noChannel: Int32

    /// - Parameters:
    ///   - months: every month an order falls in.
    ///   - firstChannel: per customer, the first order's channel number (−1: NULL); used by channel.
    init(by: UnitEconomicsGrouping, months: ClosedRange<Int>, customerMonths: [Int32], channelNames: [String], firstChannel: [Int32]) {
        self.by = by
        firstMonth = months.lowerBound
        noChannel = Int32(channelNames.count)
        switch by {
        case .channel:
            labels = channelNames + [CustomerAttribute.noValue]
            curveGroup = firstChannel.map { [noChannel] in $0 >= 0 ? $0 : noChannel }
        case .cohort, .month:
            labels = months.map(PeriodUnit.month.label(of:))
            curveGroup = customerMonths.map { [first = Int32(months.lowerBound)] in $0 - first }
        case .none:
            labels = ["all"]
            curveGroup = Array(repeating: 0, count: customerMonths.count)
        }
    }

    @inline(__always) func orderGroup(customer c: Int, month: Int, channel: Int32) -> Int {
        switch by {
        case .channel: return Int(channel >= 0 ? channel : noChannel)
        case .cohort: return Int(curveGroup[c])
        case .month: return month - firstMonth
        case .none: return 0
        }
    }
}

/// One pass with its group labels and what the read noticed.
struct UnitEconomicsRead {
    var pass: UnitEconomicsPass
    var labels: [String]
    /// NULLs per cost field, `CostField` order.
    var nullCounts: [Int]
    /// Orders without customer_id or day.
    var skipped: Int
    /// The reference query over the orders (for `show sql`).
    var sql: SQLFragment
}

extension UnitEconomicsEngine {
    static var noOrders: StoreError { StoreError("no counted orders for unit economics; load orders or loosen the filters") }

    /// `SELECT customer_id, day, amount, <cost fields>, channel[, ordered_at] FROM orders WHERE …`
    /// (ordered_at breaks first-day ties for the first channel, as in `cohort`).
    private func referenceQuery(_ query: UnitEconomicsQuery) -> SQLFragment {
        OrderRows.referenceQuery(selection: query.orders, numberColumns: ["amount"] + CostField.allCases.map(\.rawValue),
                                 labelColumns: [SQLFragment("channel")], withOrderedAt: query.by == .channel)
    }

    private static func makePass(_ groups: UnitEconomicsGroups, customerMonths: [Int32], lastMonth: Int,
                                 horizon: Int) -> UnitEconomicsPass {
        let span = lastMonth - Int(customerMonths.min() ?? Int32(lastMonth))
        return UnitEconomicsPass(firstMonth: customerMonths, curveGroup: groups.curveGroup, curveGroups: groups.labels.count,
                                 orderGroups: groups.labels.count, lastMonth: lastMonth, periods: max(horizon, span))
    }

    /// The pass over the order snapshot, block by block (nothing per order is kept);
    /// nil when the snapshot lacks what the pass needs.
    func passOverSnapshot(_ snapshot: OrderSnapshot, query: UnitEconomicsQuery, lastMonth: Int) throws -> UnitEconomicsRead? {
        guard let nulls = snapshot.costNulls, let first = snapshot.blocks.first, let last = snapshot.blocks.last else { return nil }
        let table = MonthTable(days: first.firstDay...last.lastDay)
        let customerMonths = try snapshot.customerColumn("first_day", in: db).map { Int32(table.month(ofDay: Int($0))) }
        let months = table.month(ofDay: first.firstDay)...max(lastMonth, table.month(ofDay: last.lastDay))
        let groups = UnitEconomicsGroups(by: query.by, months: months, customerMonths: customerMonths, channelNames: snapshot.channelNames,
                                         firstChannel: query.by == .channel ? try snapshot.customerColumn("first_channel", in: db) : [])
        var pass = Self.makePass(groups, customerMonths: customerMonths, lastMonth: lastMonth, horizon: query.horizonMonths)
        var skipped = Int(snapshot.fields["without_day"] ?? "") ?? 0
        for block in snapshot.blocks {
            let b = block.index
            let day: [Int32] = try snapshot.column(.day, block: b, in: db)
            let customer: [Int32] = try snapshot.column(.customer, block: b, in: db)
            let channel: [Int32] = query.by == .channel ? try snapshot.column(.channel, block: b, in: db) : []
            let amount: [Double] = try snapshot.column(.amount, block: b, in: db)
            let discounts: [Double] = try snapshot.column(.discounts, block: b, in: db)
            let costs: [Double] = try snapshot.column(.costs, block: b, in: db)
            let commission: [Double] = try snapshot.column(.commission, block: b, in: db)
            for i in 0..<block.rows {
                let c = Int(customer[i])
                guard c >= 0 else { skipped += 1; continue }
                let month = table.month(ofDay: Int(day[i]))
                pass.add(customer: c, month: month, orderGroup: groups.orderGroup(customer: c, month: month, channel: channel.isEmpty ? -1 : channel[i]),
                         amount: amount[i], discounts: discounts[i], costs: costs[i], commission: commission[i])
            }
        }
        return UnitEconomicsRead(pass: pass, labels: groups.labels, nullCounts: nulls, skipped: skipped, sql: referenceQuery(query))
    }

    /// The pass over orders read with SQL (filtered selections, or no snapshot).
    func passOverRows(query: UnitEconomicsQuery, lastMonth: Int) throws -> UnitEconomicsRead {
        let rows = try OrderRows(db: db, selection: query.orders, numberColumns: ["amount"] + CostField.allCases.map(\.rawValue),
                                 labelColumns: [SQLFragment("channel")], withOrderedAt: query.by == .channel)
        guard let firstDay = rows.day.min(), let lastDay = rows.day.max() else { throw Self.noOrders }
        let table = MonthTable(days: Int(firstDay)...Int(lastDay))
        let spans = rows.customerSpans()
        let customerMonths = spans.firstDay.map { Int32(table.month(ofDay: Int($0))) }
        let months = table.month(ofDay: Int(firstDay))...max(lastMonth, table.month(ofDay: Int(lastDay)))
        let groups = UnitEconomicsGroups(by: query.by, months: months, customerMonths: customerMonths, channelNames: rows.labelNames[0],
                                         firstChannel: spans.firstRow.map { rows.labels[0][Int($0)] })
        var pass = Self.makePass(groups, customerMonths: customerMonths, lastMonth: lastMonth, horizon: query.horizonMonths)
        let n = rows.numbers
        for row in 0..<rows.count {
            let c = Int(rows.customer[row])
            let month = table.month(ofDay: Int(rows.day[row]))
            pass.add(customer: c, month: month, orderGroup: groups.orderGroup(customer: c, month: month, channel: rows.labels[0][row]),
                     amount: n[0][row], discounts: n[1][row] + n[2][row], costs: n[3][row] + n[4][row], commission: n[5][row])
        }
        return UnitEconomicsRead(pass: pass, labels: groups.labels, nullCounts: Array(rows.nullCounts.dropFirst()),
                                 skipped: rows.skipped, sql: rows.sql)
    }
}
