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
    private let sizes: [Int]

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
            // Observed through as_of's month; a customer acquired after as_of is not acquired yet.
            let offset = max(-1, min(lastMonth - Int(firstMonth[c]), periods))
            last[c] = Int32(offset)
            func observe(_ slot: Int) {
                guard offset >= 0 else { return }
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

    /// Per customer, the last month offset observed (what `add` reads beside the first month and curve group).
    var lastOffsets: [Int32] { lastOffset }

    /// One order of customer `c` placed in month `month`.
    @inline(__always)
    mutating func add(customer c: Int, month: Int, orderGroup: Int,
                      amount: Double, discounts: Double, costs: Double, commission: Double) {
        let revenue = OrderMeasures.revenue(amount: amount, discounts: discounts)
        let cm2 = OrderMeasures.cm2(amount: amount, discounts: discounts, costs: costs, commission: commission)
        sums[orderGroup].add(amount: amount, revenue: revenue, margin: cm2, commission: commission)
        all.add(amount: amount, revenue: revenue, margin: cm2, commission: commission)
        guard c >= 0 else { return }  // a guest order: order-level sums only, no customer curve
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
    let labels: [String?]
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
            labels = channelNames + [nil]
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
/// What unit economics are computed from, whichever route read it: order sums and customer
/// curves by group label, the total curve, and what the read left out.
struct UnitEconomicsFigures {
    var sums: [String?: OrderSums] = [:]
    var all = OrderSums()
    var curves: [String?: CustomerCurve] = [:]
    var totalCurve: CustomerCurve?
    var nullCounts: [Int]
    var skipped: Int
    var guests: Int
    var sql: SQLFragment
}

struct UnitEconomicsRead {
    var pass: UnitEconomicsPass
    var labels: [String?]
    /// NULLs per cost field, `CostField` order.
    var nullCounts: [Int]
    /// Orders without customer_id or day, left out.
    var skipped: Int
    /// Guest orders counted in the order-level columns only.
    var guests: Int
    /// The reference query over the orders (for `show sql`).
    var sql: SQLFragment

    var figures: UnitEconomicsFigures {
        var f = UnitEconomicsFigures(all: pass.all, totalCurve: pass.curve(nil), nullCounts: nullCounts, skipped: skipped, guests: guests, sql: sql)
        for (g, label) in labels.enumerated() {
            if pass.sums[g].orders > 0 { f.sums[label] = pass.sums[g] }
            if let curve = pass.curve(g) { f.curves[label] = curve }
        }
        return f
    }
}

extension UnitEconomicsEngine {
    static var noOrders: StoreError { StoreError("no counted orders for unit economics; load orders or loosen the filters") }

    /// The pass over the counted orders: the order snapshot block by block when it holds
    /// them (nothing per order is kept), else rows read with SQL (filtered selections).
    func pass(query: UnitEconomicsQuery, lastMonth: Int, asOfDay: Int) throws -> UnitEconomicsRead {
        // The first channel needs the channel label (ties on the first day broken by ordered_at, as in `cohort`).
        let stream = try OrderStream(db, selection: query.orders, money: true,
                                     label: query.by == .channel ? SQLFragment("channel") : nil)
        guard let days = stream.days else { throw Self.noOrders }
        let monthOf = PeriodTable(.month, days: days)
        let customerMonths = stream.firstDay.map { Int32(monthOf.index(ofDay: Int($0))) }
        let months = monthOf.index(ofDay: days.lowerBound)...max(lastMonth, monthOf.index(ofDay: days.upperBound))
        let groups = UnitEconomicsGroups(by: query.by, months: months, customerMonths: customerMonths,
                                         channelNames: stream.labelNames, firstChannel: stream.firstLabel)
        let span = lastMonth - Int(customerMonths.min() ?? Int32(lastMonth))
        var pass = UnitEconomicsPass(firstMonth: customerMonths, curveGroup: groups.curveGroup, curveGroups: groups.labels.count,
                                     orderGroups: groups.labels.count, lastMonth: lastMonth,
                                     periods: max(query.horizonMonths, span))
        // Guest orders count in the order-level columns (orders, AOV, GMV share), never in customer ones;
        // by cohort every order group is a customer's cohort, so guests have none.
        // What `add` reads per customer, prefetched a few orders ahead: copies of the pass's arrays taken
        // here, since reading them through the `pass` being changed would retain them on every order.
        let lastOffsets = pass.lastOffsets, curveGroups = groups.curveGroup
        let visit = try stream.forEach(includingGuests: query.by != .cohort, prefetch: { c in
            prefetchElement(customerMonths, c)
            prefetchElement(lastOffsets, c)
            prefetchElement(curveGroups, c)
        }) { order in
            // Orders after as_of are not placed yet.
            guard order.day <= asOfDay else { return }
            let month = monthOf.index(ofDay: order.day)
            pass.add(customer: order.customer, month: month,
                     orderGroup: groups.orderGroup(customer: order.customer, month: month, channel: order.label),
                     amount: order.amount, discounts: order.discounts, costs: order.costs, commission: order.commission)
        }
        return UnitEconomicsRead(pass: pass, labels: groups.labels, nullCounts: stream.nullCounts, skipped: visit.skipped,
                                 guests: visit.guests, sql: stream.sql)
    }
}
