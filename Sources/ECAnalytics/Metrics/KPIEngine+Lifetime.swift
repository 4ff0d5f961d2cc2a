import ECStore

/// Lifetime measures (`ltv`, `ltv_cac`, `payback`): the customers acquired in
/// each group, followed over month offsets after their first counted order.
///
/// A period's LTV(h) is the cumulative CM2 of its new customers' counted orders
/// in month offsets 0...h, divided by the number of those customers, counting
/// only customers whose month h has been reached by as_of (the cohort rule of
/// `unit economics` and `cohort margin cumulative`). A period is final, and
/// shown, when every customer it can hold has reached month h: the same rule
/// for every grouping, as for f2_rate. Payback is the first month offset at
/// which the cumulative CM2 per observed customer reaches the group's CAC.
///
/// The customers' orders are read up to as_of, also after the range shown:
/// LTV of January's customers includes what they bought in March.
extension KPIEngine.Plan {
    /// The month number (`ecsh_calendar.month_no`) of as_of, as SQL.
    private var asOfMonthSQL: SQLFragment {
        SQLFragment("(SELECT month_no FROM ecsh_calendar WHERE day = ?)", [.integer(Int64(asOfDay))])
    }

    func lifetimeCTEs(d: [String], dList: String) -> [(String, SQLFragment)] {
        let h = Value.integer(Int64(horizonMonths))
        let cList = d.map { ", c." + $0 }.joined()
        // New customers of each group: their first counted order is the group's.
        let customers = SQLFragment("SELECT DISTINCT b.segment, b.period_no\(d.map { ", b." + $0 }.joined()), b.customer_id, fm.month_no AS first_month, ")
            + asOfMonthSQL + SQLFragment(" - fm.month_no AS last_offset\n  FROM base AS b JOIN ecsh_calendar AS fm ON fm.day = b.first_day\n  WHERE b.is_first AND b.period_no IS NOT NULL AND b.customer_id IS NOT NULL")
        // Their counted orders up to as_of, at month offsets from the first order.
        var orders = SQLFragment("SELECT c.segment, c.period_no\(cList), c.customer_id, c.last_offset, om.month_no - c.first_month AS month_offset, \(OrderMeasures.cm2SQL()) AS cm2\n  FROM orders AS o JOIN lv_customers AS c ON c.customer_id = o.customer_id JOIN ecsh_calendar AS om ON om.day = o.day\n  WHERE ")
            + settings.countedCondition(alias: "o") + SQLFragment(" AND o.day BETWEEN ? AND ?", [.integer(Int64(startDay)), .integer(Int64(asOfDay))])
        if let filter { orders = orders + SQLFragment(" AND (") + filter + SQLFragment(")") }
        var ctes: [(String, SQLFragment)] = [("lv_customers", customers), ("lv_orders", orders)]
        // LTV(h): customers who reached month h, and their CM2 through it.
        let value = SQLFragment("""
            SELECT c.segment, c.period_no\(cList), count(*) AS ltv_customers, coalesce(sum(v.cm2), 0) AS ltv_margin
              FROM lv_customers AS c
              LEFT JOIN (SELECT segment, customer_id, sum(cm2) AS cm2 FROM lv_orders WHERE month_offset <= ? GROUP BY segment, customer_id) AS v
                ON v.segment = c.segment AND v.customer_id = c.customer_id
              WHERE c.last_offset >= ?
              GROUP BY c.segment, c.period_no\(cList)
            """, [h, h])
        if portable {
            // PostgreSQL plans the join onto the per-customer sums as a nested loop that re-aggregates
            // them for every customer (its estimates through CTEs are one row): the same sums, grouped
            // straight from the orders (each carries its customer's group and last offset).
            let keys = "segment, period_no\(dList)"
            let n = SQLFragment("SELECT \(keys), count(*) AS ltv_customers FROM lv_customers WHERE last_offset >= ? GROUP BY \(keys)", [h])
            let m = SQLFragment("SELECT \(keys), sum(cm2) AS ltv_margin FROM lv_orders WHERE month_offset <= ? AND last_offset >= ? GROUP BY \(keys)", [h, h])
            let on = d.map { " AND " + same("m.\($0)", "n.\($0)") }.joined()
            let joined = SQLFragment("SELECT n.segment, n.period_no\(d.map { ", n." + $0 }.joined()), n.ltv_customers, coalesce(m.ltv_margin, 0) AS ltv_margin\n  FROM lv_n AS n LEFT JOIN lv_m AS m ON m.segment = n.segment AND m.period_no = n.period_no\(on)")
            ctes += [("lv_n", n), ("lv_m", m), ("lv", joined)]
        } else {
            ctes.append(("lv", value))
        }
        if measures.contains(.payback_months) {
            // The cumulative CM2 curve per observed customer at each month offset, as range additions
            // (an order at offset o counts from o to its customer's last observed offset L; a customer
            // is observed from 0 to L): +/− events summed in offset order, O(orders), not customers × offsets.
            let key = "segment, period_no\(dList)"
            let events = SQLFragment("""
                SELECT \(key), month_offset AS k, cm2 AS dm, 0 AS dn FROM lv_orders
                  UNION ALL SELECT \(key), last_offset + 1, -cm2, 0 FROM lv_orders
                  UNION ALL SELECT \(key), 0, 0, 1 FROM lv_customers
                  UNION ALL SELECT \(key), last_offset + 1, 0, -1 FROM lv_customers
                """)
            let curve = SQLFragment("""
                SELECT \(key), k AS month_offset,
                         sum(sum(dn)) OVER (PARTITION BY \(key) ORDER BY k) AS observed,
                         sum(sum(dm)) OVER (PARTITION BY \(key) ORDER BY k) AS margin
                  FROM lv_events GROUP BY \(key), k
                """)
            ctes += [("lv_events", events), ("lv_curve", curve)]
        }
        return ctes
    }

    /// `measures` columns computed from other sources' columns: whether a row's LTV is final,
    /// and the payback offset against the row's CAC (spend / new customers).
    func lifetimeColumn(_ m: Measure, dims d: [String]) -> (sql: String, bindings: [Value])? {
        switch m {
        case .ltv_final:
            // Final when the latest month a customer of the row can be acquired in is h months before as_of.
            var conditions: [String] = []
            var bindings: [Value] = []
            if grain != nil {
                conditions.append("(SELECT month_no FROM ecsh_calendar WHERE day = k.period_end) + ? <= " + asOfMonthSQL.sql)
                bindings += [.integer(Int64(horizonMonths))] + asOfMonthSQL.bindings
            }
            for (i, dim) in dims.enumerated() where dim.fromFacts && dim.name.lowercased() == "cohort" {
                conditions.append("(SELECT cp.no FROM ecsh_periods AS cp WHERE cp.grain = 'month' AND cp.label = k.d\(i + 1)) + ? <= " + asOfMonthSQL.sql)
                bindings += [.integer(Int64(horizonMonths))] + asOfMonthSQL.bindings
            }
            return (conditions.isEmpty ? "\(trueSQL) AS ltv_final" : "coalesce(" + conditions.joined(separator: " AND ") + ", \(falseSQL)) AS ltv_final", bindings)
        case .payback_months:
            let on = d.map { " AND " + same("cv.\($0)", "k.\($0)") }.joined()
            return ("(SELECT min(cv.month_offset) FROM lv_curve AS cv WHERE cv.segment = k.segment AND cv.period_no = k.period_no\(on)"
                    + " AND cv.observed > 0 AND cv.margin >= cv.observed * (1.0 * sp.spend / NULLIF(coalesce(oa.new_customers, 0), 0))) AS payback_months", [])
        default:
            return nil
        }
    }
}
