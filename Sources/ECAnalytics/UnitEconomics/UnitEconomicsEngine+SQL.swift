import ECStore

/// Unit economics computed in the engine (a PostgreSQL workspace), by the rules of
/// `UnitEconomicsPass`: order sums per group (orders after as_of not placed yet; guests in the
/// order-level sums except by cohort), and per customer-curve group the customers observed at each
/// month offset and their CM2 and orders as range additions from the order's offset to the
/// customer's last observed one, each reduced by SQL to a few rows per group and offset.
extension UnitEconomicsEngine {
    func figuresInEngine(query: UnitEconomicsQuery, lastMonth: Int, asOfDay: Int) throws -> UnitEconomicsFigures {
        let month = PeriodUnit.month.indexSQL(day: "o.day")
        // Each customer's orders are ranked (a sort of every order) only for the first order's channel.
        let rank = query.by == .channel
            ? "row_number() OVER (PARTITION BY o.customer_id ORDER BY o.day, o.ordered_at NULLS FIRST, o.order_id NULLS FIRST)" : "0"
        let orders = SQLFragment("""
            WITH o AS (
              SELECT o.customer_id, o.day, \(month) AS mon, o.channel, \(OrderMeasures.gmvSQL("o")) AS gmv,
                     \(OrderMeasures.revenueSQL("o")) AS revenue, \(OrderMeasures.cm2SQL("o")) AS cm2, \(OrderMeasures.commissionSQL("o")) AS commission,
                     \(rank) AS rn
              FROM \(quoteIdentifier(query.orders.table)) AS o WHERE o.day IS NOT NULL AND (
            """) + query.orders.condition + SQLFragment("""
            )
            ),
            c AS (
              SELECT customer_id, min(mon) AS first_mon, max(CASE WHEN rn = 1 THEN channel END) AS first_channel
              FROM o WHERE customer_id IS NOT NULL GROUP BY customer_id
            )
            """)
        func rows(_ tail: String, _ bindings: [Value] = []) throws -> [[Value]] {
            let q = orders + SQLFragment("\n" + tail, bindings)
            return try db.query(q.sql, q.bindings).rows
        }
        // The first month of any customer: the least month of customers' orders (`o` read once, not grouped).
        guard let firstMonth = try rows("SELECT min(mon) FROM o WHERE customer_id IS NOT NULL").first?.first?.intValue else { throw Self.noOrders }
        let periods = max(query.horizonMonths, lastMonth - Int(firstMonth))
        // The customer's curve group, and the order's group, as text keys.
        let curveKey: String
        let orderKey: String
        switch query.by {
        case .channel: curveKey = "c.first_channel"; orderKey = "o.channel"
        case .cohort: curveKey = "CAST(c.first_mon AS TEXT)"; orderKey = "CAST(c.first_mon AS TEXT)"
        case .month: curveKey = "CAST(c.first_mon AS TEXT)"; orderKey = "CAST(o.mon AS TEXT)"
        case .none: curveKey = "'all'"; orderKey = "'all'"
        }
        // NULL (an order or customer without a channel) is a group of its own, nil, never a text.
        func label(_ v: Value) -> String? {
            if v.isNull { return nil }
            switch query.by {
            case .cohort, .month: return Int(v.description).map(PeriodUnit.month.label(of:)) ?? v.description
            default: return v.textValue ?? v.description
            }
        }
        let last = "CASE WHEN ? - c.first_mon < ? THEN ? - c.first_mon ELSE ? END"
        let lastBindings: [Value] = [.integer(Int64(lastMonth)), .integer(Int64(periods)), .integer(Int64(lastMonth)), .integer(Int64(periods))]

        var figures = UnitEconomicsFigures(nullCounts: [], skipped: 0, guests: 0, sql: orders + SQLFragment("SELECT * FROM c"))
        // One statement, so the server reads and groups the orders once. Rows are (part, group, a, b, n1…n5):
        // part 0, order sums per group (by cohort only customers' orders count): orders, gmv, revenue, CM2,
        // commission; part 1, customers per curve group and last observed offset a; part 2, CM2 and orders
        // of each curve group from offset a through the customer's last observed offset b. NULLs are typed:
        // PostgreSQL takes an untyped NULL in the first two arms of a UNION for text.
        let guestFilter = query.by == .cohort ? " AND o.customer_id IS NOT NULL" : ""
        let statement = orders + SQLFragment("""

            SELECT 0, \(orderKey), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), count(*), sum(o.gmv), sum(o.revenue), sum(o.cm2), sum(o.commission)
              FROM o LEFT JOIN c ON c.customer_id = o.customer_id WHERE o.day <= ?\(guestFilter) GROUP BY 2
            UNION ALL
            SELECT 1, \(curveKey), \(last), CAST(NULL AS BIGINT), count(*), NULL, NULL, NULL, NULL FROM c WHERE ? - c.first_mon >= 0 GROUP BY 2, 3
            UNION ALL
            SELECT 2, \(curveKey), o.mon - c.first_mon, \(last), count(*), sum(o.cm2), NULL, NULL, NULL FROM o JOIN c ON c.customer_id = o.customer_id
              WHERE o.day <= ? AND o.mon - c.first_mon >= 0 AND o.mon - c.first_mon <= \(last) GROUP BY 2, 3, 4
            """, [.integer(Int64(asOfDay))] + lastBindings + [.integer(Int64(lastMonth))]
                + lastBindings + [.integer(Int64(asOfDay))] + lastBindings)
        let all = try db.query(statement.sql, statement.bindings).rows
        for r in all where r[0].intValue == 0 {
            let sums = OrderSums(orders: Int(r[4].intValue ?? 0), gmv: r[5].doubleValue ?? 0, revenue: r[6].doubleValue ?? 0,
                                 margin: r[7].doubleValue ?? 0, commission: r[8].doubleValue ?? 0)
            figures.sums[label(r[1])] = sums
            figures.all.orders += sums.orders
            figures.all.gmv += sums.gmv
            figures.all.revenue += sums.revenue
            figures.all.margin += sums.margin
            figures.all.commission += sums.commission
        }
        // Curves: customers observed per offset, and CM2 and orders from each order's offset to the customer's last.
        let width = periods + 2
        var sizes: [String?: Int] = [:]
        var eligible: [String?: [Double]] = [:], margin: [String?: [Double]] = [:], count: [String?: [Double]] = [:]
        let total: String? = "\u{0}total"
        for r in all where r[0].intValue == 1 {
            let n = r[4].doubleValue ?? 0, k = Int(r[2].intValue ?? 0)
            for key in [label(r[1]), total] {
                sizes[key, default: 0] += Int(n)
                eligible[key, default: Array(repeating: 0, count: width)][0] += n
                eligible[key, default: Array(repeating: 0, count: width)][k + 1] -= n
            }
        }
        for r in all where r[0].intValue == 2 {
            let from = Int(r[2].intValue ?? 0), through = Int(r[3].intValue ?? 0)
            let n = r[4].doubleValue ?? 0, m = r[5].doubleValue ?? 0
            for key in [label(r[1]), total] {
                margin[key, default: Array(repeating: 0, count: width)][from] += m
                margin[key, default: Array(repeating: 0, count: width)][through + 1] -= m
                count[key, default: Array(repeating: 0, count: width)][from] += n
                count[key, default: Array(repeating: 0, count: width)][through + 1] -= n
            }
        }
        for (key, size) in sizes where size > 0 {
            let e = eligible[key]!, m = margin[key] ?? Array(repeating: 0, count: width), c = count[key] ?? Array(repeating: 0, count: width)
            var runningMargin = 0.0, runningOrders = 0.0, covered = 0.0
            var curve = CustomerCurve(size: size, margin: [], orders: [])
            for k in 0...periods {
                runningMargin += m[k]
                runningOrders += c[k]
                covered += e[k]
                curve.margin.append(covered > 0 ? runningMargin / covered : nil)
                curve.orders.append(covered > 0 ? runningOrders / covered : nil)
            }
            if key == total { figures.totalCurve = curve } else { figures.curves[key] = curve }
        }
        // What the streaming route says about the rows: NULL costs among orders with a day, skipped and guest orders.
        let counts = SQLFragment("SELECT count(CASE WHEN day IS NULL THEN 1 END), count(CASE WHEN day IS NOT NULL AND customer_id IS NULL THEN 1 END)"
                                 + CostField.allCases.map { ", count(CASE WHEN day IS NOT NULL AND \(quoteIdentifier($0.rawValue)) IS NULL THEN 1 END)" }.joined()
                                 + " FROM \(quoteIdentifier(query.orders.table)) WHERE ") + query.orders.condition
        let c = try db.query(counts.sql, counts.bindings).rows.first?.map { Int($0.intValue ?? 0) } ?? []
        guard c.count == 2 + CostField.allCases.count else { throw Self.noOrders }
        figures.nullCounts = Array(c.dropFirst(2))
        figures.skipped = c[0] + (query.by == .cohort ? c[1] : 0)
        figures.guests = query.by == .cohort ? 0 : c[1]
        return figures
    }
}
