import ECStore

/// Computes CAC, AOV, contribution margin, historical LTV(h), LTV/CAC and payback per group.
///
/// One pass over the counted orders (`UnitEconomicsPass`, fed by `OrderStream`: the order
/// snapshot block by block, or rows read with SQL for filtered selections) sums the
/// order-level figures (AOV, CM2 per order, GMV, commission) per group and
/// builds each group's cumulative CM2 and orders curves per customer over month
/// offsets, the same curves as `cohort margin cumulative` and `cohort orders
/// cumulative` (the tests compare them): LTV(h) is the curve at offset h, so
/// only cohorts at least h months old count.
public struct UnitEconomicsEngine {
    public let db: Database

    public init(_ db: Database) { self.db = db }

    public func run(_ query: UnitEconomicsQuery) throws -> UnitEconomics {
        guard query.horizonMonths >= 0 else { throw StoreError("the horizon must be 0 months or more (got \(query.horizonMonths))") }
        guard let lastDay = try query.asOfDay ?? query.orders.lastCountedDay(in: db) else { throw Self.noOrders }
        let lastMonth = PeriodUnit.month.index(ofDay: lastDay)
        let read = db.engine == .sqlite ? try pass(query: query, lastMonth: lastMonth, asOfDay: lastDay).figures
            : try figuresInEngine(query: query, lastMonth: lastMonth, asOfDay: lastDay)
        guard read.all.orders > 0 else { throw Self.noOrders }
        let sums = read.sums, curves = read.curves
        let all = read.all
        let spend = try spendByGroup(query: query, asOfDay: lastDay)
        var notes: [String] = []

        var groups = Set(sums.keys).union(curves.keys)
        // Spend of a group no order has (an ad platform's channel name, `google`, beside orders of `own`) is a row of
        // its own: left out, the rows' spend fell short of the total's with nothing said.
        let spendOnly = query.by == .none ? [] : CohortEngine.groupNames(Set(spend.byGroup.keys).subtracting(groups))
        groups.formUnion(spendOnly)
        if query.by == .none { groups = ["all"] }
        // Names in order, the group without a channel (nil, a NULL key) last.
        var result: [UnitEconomicsRow] = CohortEngine.groupNames(groups).map { key in
            makeRow(group: key, sums: sums[key] ?? OrderSums(), curve: curves[key], spend: spend.byGroup[key],
                    horizon: query.horizonMonths, isMall: query.by == .channel ? key.map(query.mallChannels.contains) : nil)
        }
        var total: UnitEconomicsRow?
        if query.by != .none && query.includeTotal {
            total = makeRow(group: "total", sums: all, curve: read.totalCurve, spend: spend.total,
                            horizon: query.horizonMonths, isMall: nil)
        } else if query.by == .none {
            result = [makeRow(group: "all", sums: all, curve: curves["all"], spend: spend.total, horizon: query.horizonMonths, isMall: nil)]
        }

        notes.append(contentsOf: describe(query: query))
        notes.append(contentsOf: spend.notes)
        if let table = query.spendTable,
           let note = try DataCoverage.note(db, table: table, through: lastDay, kpis: "CAC, LTV/CAC and payback", counting: .newCustomers,
                                            orders: (query.orders.table, query.orders.condition)) {
            notes.append(note)
        }
        if query.by == .channel && !spendOnly.isEmpty {
            let listed = spendOnly.map { g in
                (g ?? "without a channel") + " \(LoadSummary.grouped(Int((spend.byGroup[g] ?? 0).rounded())))"
            }.joined(separator: ", ")
            notes.append("spend in channels without orders: \(listed); their CAC is empty (no customer's first order came through them); "
                         + "when their ads bring customers to another channel, load that spend with the orders' channel name")
        }
        var missing: [CostField: Int] = [:]
        for (i, field) in CostField.allCases.enumerated() { missing[field] = read.nullCounts[i] }
        if let note = ContributionMargin.missingNote(nullCounts: missing, orders: all.orders) { notes.append(note) }
        if read.skipped > 0 { notes.append("\(read.skipped) orders without customer_id or day were skipped") }
        if read.guests > 0 {
            notes.append("\(read.guests) guest orders (no customer_id) count in orders, AOV, CM2 per order and GMV share, not in customers, CAC or LTV")
        }
        var mallDependence: Double?
        if query.by == .channel, all.gmv > 0 {
            let mallGMV = result.filter { $0.isMall == true }.reduce(0) { $0 + $1.gmv }
            mallDependence = mallGMV / all.gmv
            let share = (mallDependence! * 1000).rounded() / 10
            notes.append("mall dependence = GMV through mall channels (\(query.mallChannels.described)) / total GMV = \(share)%")
            notes.append("commission burden = commission / GMV of the orders placed through the channel")
        }
        if result.contains(where: { $0.newCustomers > 0 && $0.ltv == nil }) {
            notes.append("LTV(\(query.horizonMonths)) is empty where no cohort is \(Self.months(query.horizonMonths)) old yet")
        }
        return UnitEconomics(query: query, rows: result, total: total, mallDependence: mallDependence, notes: notes,
                             missingCostFields: CostField.allCases.filter { (missing[$0] ?? 0) > 0 }, sql: read.sql)
    }

    private func makeRow(group: String?, sums: OrderSums, curve: CustomerCurve?, spend: Double?,
                         horizon h: Int, isMall: Bool?) -> UnitEconomicsRow {
        let newCustomers = curve?.size ?? 0
        let cac = AcquisitionCost.cac(spend: spend, newCustomers: newCustomers)
        let ltv = curve.flatMap { h < $0.margin.count ? $0.margin[h] : nil }
        var payback: CohortMatrix.Payback?
        var recovered: Recovery?
        if let cac, let curve {
            payback = curve.margin.firstIndex { ($0 ?? -.infinity) >= cac }.map { .offset($0) } ?? .notYet
            // How far off: the cumulative margin at the last offset any cohort reaches, against CAC.
            if payback == .notYet, cac > 0, let last = curve.margin.lastIndex(where: { $0 != nil }), let m = curve.margin[last] {
                recovered = Recovery(share: m / cac, months: last)
            }
        }
        return UnitEconomicsRow(
            group: group, newCustomers: newCustomers, spend: spend, cac: cac, orders: sums.orders,
            aov: sums.orders > 0 ? sums.revenue / Double(sums.orders) : nil,
            marginPerOrder: sums.orders > 0 ? sums.margin / Double(sums.orders) : nil,
            ordersPerCustomer: curve.flatMap { h < $0.orders.count ? $0.orders[h] : nil },
            ltv: ltv, ltvToCAC: ltv.flatMap { l in cac.flatMap { $0 > 0 ? l / $0 : nil } },
            payback: payback, recovered: recovered, gmv: sums.gmv, commission: sums.commission, isMall: isMall)
    }

    /// Spend per group label and in total (AcquisitionCost: up to as_of); nil total when there is no spend table.
    private func spendByGroup(query: UnitEconomicsQuery, asOfDay: Int) throws -> (byGroup: [String?: Double], total: Double?, notes: [String]) {
        guard let name = query.spendTable, try db.tableExists(name) else {
            return ([:], nil, ["no spend loaded: CAC, LTV/CAC and payback are empty"])
        }
        let split: AcquisitionCost.Split
        switch query.by {
        case .channel: split = .channel
        case .cohort, .month: split = .period(.month)
        case .none: split = .all
        }
        let spend = try AcquisitionCost.spend(db, table: name, split: split, asOfDay: asOfDay)
        return (spend.byLabel, spend.total, [])
    }

    /// "1 month", "12 months".
    static func months(_ n: Int) -> String { n == 1 ? "1 month" : "\(n) months" }

    private func describe(query: UnitEconomicsQuery) -> [String] {
        let h = query.horizonMonths
        var lines: [String] = []
        switch query.by {
        case .channel:
            lines.append("CAC (blended) = the channel's spend up to as_of / new customers whose first counted order came through the channel (spend without a channel: the ∅ row)")
            lines.append("orders, AOV, CM2 per order, GMV: orders placed through the channel")
        case .cohort:
            lines.append("CAC (blended) = spend in the acquisition month / customers acquired that month; orders: all orders of the cohort")
        case .month:
            lines.append("CAC (blended) = spend in the month / customers acquired that month; orders: orders placed that month")
        case .none:
            lines.append("CAC (blended) = total spend up to as_of / all customers")
        }
        lines.append("AOV = net revenue (amount − discount − points) / orders; " + ContributionMargin.formula)
        lines.append("LTV(\(h)) = cumulative CM2 per customer over month offsets 0..\(h) from the first order, cohorts at least \(Self.months(h)) old (historical LTV: observed margin; predict ltv gives the predicted CLV, a model)")
        lines.append("LTV/CAC ≥ 3 is a rule of thumb for a healthy business, not a law")
        lines.append("payback = first month offset where cumulative CM2 per customer ≥ CAC (\"not yet\" when not reached in the data)")
        return lines
    }
}

/// Order-level sums of one group.
struct OrderSums {
    var orders = 0
    var gmv = 0.0, revenue = 0.0, margin = 0.0, commission = 0.0

    mutating func add(amount: Double, revenue: Double, margin: Double, commission: Double) {
        orders += 1
        gmv += amount
        self.revenue += revenue
        self.margin += margin
        self.commission += commission
    }
}

/// One group's cohort curves over month offsets.
struct CustomerCurve {
    var size: Int
    var margin: [Double?]
    var orders: [Double?]
}
