import ECStore

/// The sums a KPI tree needs for one period, read straight from the order, traffic
/// and customer rows (one query per source), so the tree does not depend on the
/// KPI engine it is checked against.
struct PeriodFigures {
    var label: String
    var gmv = 0.0, discount = 0.0, points = 0.0, cogs = 0.0, shipping = 0.0, commission = 0.0
    /// Net revenue and CM2, summed per order by the one definition (OrderMeasures).
    var revenue = 0.0, margin = 0.0
    var orders = 0.0, customers = 0.0, newCustomers = 0.0, mallGMV = 0.0
    var sessions: Double?
    /// Trailing window ending at the period's last day (`activeWindowDays`).
    var members = 0.0, newMembers = 0.0, memberOrders = 0.0, memberMargin = 0.0

    var returningCustomers: Double { customers - newCustomers }
    var returningMembers: Double { members - newMembers }

    /// Customers of `selection` by the day of their first counted order, read once per tree: grouping
    /// every order by customer took most of a tree's time (four times, at 1M orders 20–25 s in all).
    struct FirstDays {
        /// (day, customers whose first order is that day), in day order.
        var counts: [(day: Int, customers: Int)] = []

        init(_ db: Database, selection: OrderSelection) throws {
            // Guest orders (no customer_id) are no one's first order.
            let firsts = SQLFragment("SELECT min(day) AS first FROM (") + selection.select(["customer_id", "day"])
                + SQLFragment(") AS o WHERE customer_id IS NOT NULL GROUP BY customer_id")
            let q = SQLFragment("SELECT first, count(*) FROM (") + firsts + SQLFragment(") AS f WHERE first IS NOT NULL GROUP BY first ORDER BY first")
            counts = try db.query(q.sql, q.bindings).rows.compactMap { r in
                guard let d = r[0].intValue, let n = r[1].intValue else { return nil }
                return (Int(d), Int(n))
            }
        }

        /// No first days (no counted order).
        init() {}

        /// From each customer's first day (the snapshot's `first_day`), counted by day over `days`.
        init(firstDays: [Int32], days: ClosedRange<Int>) {
            var perDay = [Int](repeating: 0, count: days.count)
            for d in firstDays where days.contains(Int(d)) { perDay[Int(d) - days.lowerBound] += 1 }
            counts = perDay.enumerated().compactMap { i, n in n > 0 ? (days.lowerBound + i, n) : nil }
        }

        /// Customers whose first counted order falls in `range`.
        func customers(in range: ClosedRange<Int>) -> Double {
            Double(counts.reduce(0) { range.contains($1.day) ? $0 + $1.customers : $0 })
        }
    }

    /// Reads the figures of `days` from the counted orders of `selection`.
    static func read(_ db: Database, selection: OrderSelection, settings: MetricSettings,
                     label: String, days: ClosedRange<Int>, firstDays: FirstDays) throws -> PeriodFigures {
        var f = PeriodFigures(label: label)
        // Every canonical column exists in a loaded orders table (docs/workspace.md); money per
        // order comes from OrderMeasures, as in the KPI engine's reference SQL.
        func sum(_ expression: String) -> String { "coalesce(sum(\(expression)), 0)" }
        let malls = settings.marketplaces.condition("channel")
        let mall = "coalesce(sum(CASE WHEN \(malls.sql) THEN amount ELSE 0 END), 0)"
        let totals = selection.select([sum(OrderMeasures.gmvSQL(nil))] + CostField.allCases.map { sum(OrderMeasures.costSQL($0, nil)) }
                                      + ["count(*)", "count(DISTINCT customer_id)", mall,
                                         sum(OrderMeasures.revenueSQL(nil)), sum(OrderMeasures.cm2SQL(nil))])
        let inPeriod = SQLFragment(" AND day BETWEEN ? AND ?", [.integer(Int64(days.lowerBound)), .integer(Int64(days.upperBound))])
        // The mall channel names are bound after the select list's own bindings, before the WHERE's.
        let query = SQLFragment(totals.sql + inPeriod.sql,
                                malls.bindings + totals.bindings + inPeriod.bindings)
        let row = try db.query(query.sql, query.bindings).rows.first ?? []
        let n = row.map { $0.doubleValue ?? 0 }
        guard n.count == 11 else { throw MetricsError("kpi tree: unexpected result reading the orders") }
        (f.gmv, f.discount, f.points, f.cogs, f.shipping, f.commission) = (n[0], n[1], n[2], n[3], n[4], n[5])
        (f.orders, f.customers, f.mallGMV, f.revenue, f.margin) = (n[6], n[7], n[8], n[9], n[10])

        f.newCustomers = firstDays.customers(in: days)

        f.sessions = try sessions(db, days: days)

        let window = (days.upperBound - settings.activeWindowDays + 1)...days.upperBound
        let members = selection.select(["count(DISTINCT customer_id)", "count(*)", sum(OrderMeasures.cm2SQL(nil))])
            + SQLFragment(" AND day BETWEEN ? AND ?", [.integer(Int64(window.lowerBound)), .integer(Int64(window.upperBound))])
        let m = (try db.query(members.sql, members.bindings).rows.first ?? []).map { $0.doubleValue ?? 0 }
        guard m.count == 3 else { throw MetricsError("kpi tree: unexpected result reading active members") }
        (f.members, f.memberOrders, f.memberMargin) = (m[0], m[1], m[2])
        f.newMembers = firstDays.customers(in: window)
        return f
    }
}
