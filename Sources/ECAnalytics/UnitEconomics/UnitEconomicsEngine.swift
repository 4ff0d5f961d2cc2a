import ECStore

/// Computes CAC, AOV, contribution margin, historical LTV(h), LTV/CAC and payback per group.
///
/// LTV and orders per customer come from cumulative cohort matrices
/// (`CohortEngine`), so LTV(h) is exactly the cohort margin curve at offset h
/// and only cohorts at least h months old count; order-level figures (AOV,
/// CM2 per order, GMV, commission) are summed over the group's orders.
public struct UnitEconomicsEngine {
    public let db: Database

    public init(_ db: Database) { self.db = db }

    public func run(_ query: UnitEconomicsQuery) throws -> UnitEconomics {
        guard query.horizonMonths >= 0 else { throw StoreError("the horizon must be 0 months or more (got \(query.horizonMonths))") }
        // Read once: the order sums below and every cohort curve use these rows
        // (ordered_at breaks first-day ties for the first channel, as in `cohort`).
        let rows = try OrderRows.read(db: db, selection: query.orders, numberColumns: ["amount"] + CostField.allCases.map(\.rawValue),
                                      labelColumns: [SQLFragment("channel")], withOrderedAt: query.by == .channel)
        guard let lastDay = try query.orders.lastDay(in: db), rows.count > 0 else {
            throw StoreError("no counted orders for unit economics; load orders or loosen the filters")
        }
        let spans = rows.customerSpans()
        let month = PeriodUnit.month
        let firstMonth = spans.firstDay.map { month.index(ofDay: Int($0)) }
        let span = month.index(ofDay: lastDay) - (firstMonth.min() ?? 0)
        let periods = max(query.horizonMonths, span)

        // Order-level sums per group.
        var sums: [String: OrderSums] = [:]
        var all = OrderSums()
        for row in 0..<rows.count {
            let key: String
            switch query.by {
            case .channel:
                let label = rows.labels[0][row]
                key = label >= 0 ? rows.labelNames[0][Int(label)] : CustomerAttribute.noValue
            case .cohort: key = month.label(of: firstMonth[Int(rows.customer[row])])
            case .month: key = month.label(of: month.index(ofDay: Int(rows.day[row])))
            case .none: key = "all"
            }
            let amount = rows.numbers[0][row]
            let revenue = amount - rows.numbers[1][row] - rows.numbers[2][row]
            let margin = revenue - rows.numbers[3][row] - rows.numbers[4][row] - rows.numbers[5][row]
            sums[key, default: OrderSums()].add(amount: amount, revenue: revenue, margin: margin, commission: rows.numbers[5][row])
            all.add(amount: amount, revenue: revenue, margin: margin, commission: rows.numbers[5][row])
        }

        // Customer-level curves from cohort matrices.
        let grouping: CohortGrouping
        switch query.by {
        case .channel: grouping = .attribute(.firstChannel)
        case .cohort, .month: grouping = .period(.month)
        case .none: grouping = .all
        }
        let curves = try customerCurves(query: query, grouping: grouping, periods: periods, rows: rows)
        let spend = try spendByGroup(query: query)
        var notes: [String] = []

        var groups = Set(sums.keys).union(curves.keys)
        if query.by == .none { groups = ["all"] }
        var result: [UnitEconomicsRow] = groups.sorted { a, b in
            a == CustomerAttribute.noValue ? false : (b == CustomerAttribute.noValue ? true : a < b)
        }.map { key in
            makeRow(group: key, sums: sums[key] ?? OrderSums(), curve: curves[key], spend: spend.byGroup[key],
                    horizon: query.horizonMonths, isMall: query.by == .channel ? query.mallChannels.contains(key) : nil)
        }
        var total: UnitEconomicsRow?
        if query.by != .none && query.includeTotal {
            let overall = try customerCurves(query: query, grouping: .all, periods: periods, rows: rows)
            total = makeRow(group: "total", sums: all, curve: overall["all"], spend: spend.total,
                            horizon: query.horizonMonths, isMall: nil)
        } else if query.by == .none {
            result = [makeRow(group: "all", sums: all, curve: curves["all"], spend: spend.total, horizon: query.horizonMonths, isMall: nil)]
        }

        notes.append(contentsOf: describe(query: query))
        notes.append(contentsOf: spend.notes)
        var missing: [CostField: Int] = [:]
        for (i, field) in CostField.allCases.enumerated() { missing[field] = rows.nullCounts[i + 1] }
        if let note = ContributionMargin.missingNote(nullCounts: missing, orders: rows.count) { notes.append(note) }
        var mallDependence: Double?
        if query.by == .channel, all.gmv > 0 {
            let mallGMV = result.filter { $0.isMall == true }.reduce(0) { $0 + $1.gmv }
            mallDependence = mallGMV / all.gmv
            let share = (mallDependence! * 1000).rounded() / 10
            notes.append("mall dependence = GMV through mall channels (\(query.mallChannels.sorted().joined(separator: ", "))) / total GMV = \(share)%")
            notes.append("commission burden = commission / GMV of the orders placed through the channel")
        }
        if result.contains(where: { $0.newCustomers > 0 && $0.ltv == nil }) {
            notes.append("LTV(\(query.horizonMonths)) is empty where no cohort is \(query.horizonMonths) months old yet")
        }
        return UnitEconomics(query: query, rows: result, total: total, mallDependence: mallDependence, notes: notes,
                             missingCostFields: CostField.allCases.filter { (missing[$0] ?? 0) > 0 }, sql: rows.sql)
    }

    /// Per group: cohort size, the cumulative CM2-per-customer curve, and orders per customer by offset.
    private func customerCurves(query: UnitEconomicsQuery, grouping: CohortGrouping,
                                periods: Int, rows: OrderRows) throws -> [String: CustomerCurve] {
        let engine = CohortEngine(db)
        let margin = try engine.run(CohortQuery(measure: .margin, cumulative: true, grouping: grouping, periods: periods,
                                                orders: query.orders, offsetUnit: .month, spendTable: nil), rows: rows)
        let orders = try engine.run(CohortQuery(measure: .orders, cumulative: true, grouping: grouping, periods: periods,
                                                orders: query.orders, offsetUnit: .month, spendTable: nil), rows: rows)
        var curves: [String: CustomerCurve] = [:]
        for (m, o) in zip(margin.rows, orders.rows) {
            curves[m.label] = CustomerCurve(size: m.size, margin: m.cells, orders: o.cells)
        }
        return curves
    }

    private func makeRow(group: String, sums: OrderSums, curve: CustomerCurve?, spend: Double?,
                         horizon h: Int, isMall: Bool?) -> UnitEconomicsRow {
        let newCustomers = curve?.size ?? 0
        let cac = spend.flatMap { newCustomers > 0 ? $0 / Double(newCustomers) : nil }
        let ltv = curve.flatMap { h < $0.margin.count ? $0.margin[h] : nil }
        var payback: CohortMatrix.Payback?
        if let cac, let curve {
            payback = curve.margin.firstIndex { ($0 ?? -.infinity) >= cac }.map { .offset($0) } ?? .notYet
        }
        return UnitEconomicsRow(
            group: group, newCustomers: newCustomers, spend: spend, cac: cac, orders: sums.orders,
            aov: sums.orders > 0 ? sums.revenue / Double(sums.orders) : nil,
            marginPerOrder: sums.orders > 0 ? sums.margin / Double(sums.orders) : nil,
            ordersPerCustomer: curve.flatMap { h < $0.orders.count ? $0.orders[h] : nil },
            ltv: ltv, ltvToCAC: ltv.flatMap { l in cac.flatMap { $0 > 0 ? l / $0 : nil } },
            payback: payback, gmv: sums.gmv, commission: sums.commission, isMall: isMall)
    }

    /// Spend per group label and in total; nil when there is no spend table.
    private func spendByGroup(query: UnitEconomicsQuery) throws -> (byGroup: [String: Double], total: Double?, notes: [String]) {
        guard let name = query.spendTable, try db.tableExists(name) else {
            return ([:], nil, ["no spend loaded: CAC, LTV/CAC and payback are empty"])
        }
        let table = quoteIdentifier(name)
        var byGroup: [String: Double] = [:]
        var notes: [String] = []
        let total = try db.scalar("SELECT sum(spend) FROM \(table)").doubleValue
        switch query.by {
        case .channel:
            for row in try db.query("SELECT channel, sum(spend) FROM \(table) GROUP BY channel").rows {
                guard let amount = row[1].doubleValue else { continue }
                if row[0].isNull { notes.append("spend without a channel (\(amount)) counts only in the total") }
                else { byGroup[row[0].description] = amount }
            }
        case .cohort, .month:
            for row in try db.query("SELECT day, sum(spend) FROM \(table) WHERE day IS NOT NULL GROUP BY day").rows {
                guard let day = row[0].intValue, let amount = row[1].doubleValue else { continue }
                let label = PeriodUnit.month.label(of: PeriodUnit.month.index(ofDay: Int(day)))
                byGroup[label, default: 0] += amount
            }
        case .none:
            if let total { byGroup["all"] = total }
        }
        return (byGroup, total, notes)
    }

    private func describe(query: UnitEconomicsQuery) -> [String] {
        let h = query.horizonMonths
        var lines: [String] = []
        switch query.by {
        case .channel:
            lines.append("CAC (blended) = the channel's spend / new customers whose first counted order came through the channel")
            lines.append("orders, AOV, CM2 per order, GMV: orders placed through the channel")
        case .cohort:
            lines.append("CAC (blended) = spend in the acquisition month / customers acquired that month; orders: all orders of the cohort")
        case .month:
            lines.append("CAC (blended) = spend in the month / customers acquired that month; orders: orders placed that month")
        case .none:
            lines.append("CAC (blended) = total spend / all customers")
        }
        lines.append("AOV = net revenue (amount − discount − points) / orders; " + ContributionMargin.formula)
        lines.append("LTV(\(h)) = cumulative CM2 per customer over month offsets 0..\(h) from the first order, cohorts at least \(h) months old (historical)")
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
