import ECStore

/// Customer-lifecycle measures: stocks evaluated at each period end.
///
/// repeat_rate and active_members are computed from events (+1 when a
/// customer enters the count, −1 when they leave it) summed per period and
/// accumulated up to each period: one pass over the orders, however many
/// periods are shown.
extension KPIEngine.Plan {
    /// The period number an event day falls in (joined through the calendar).
    private func eventBucket(_ alias: String) -> (expression: String, join: String, bindings: [Value]) {
        if let g = grain?.rawValue {
            return ("ec.\(g)_no", " JOIN ecsh_calendar AS ec ON ec.day = \(alias).day", [])
        }
        return ("CASE WHEN \(alias).day >= ? THEN 0 ELSE -1 END", "", [.integer(Int64(startDay))])
    }

    /// Events bucketed per period, then accumulated onto the keys: `sum(delta)` up to each period.
    private func accumulate(events: String, columns: [(String, String)], d: [String], dList: String) -> [(String, SQLFragment)] {
        let (bucketSQL, join, bucketBindings) = eventBucket("e")
        let sums = columns.map { "sum(e.\($0.0)) AS \($0.0)" }.joined(separator: ", ")
        let buckets = SQLFragment("SELECT e.segment\(d.map { ", e." + $0 }.joined()), \(bucketSQL) AS period_no, \(sums)\n  FROM \(events) AS e\(join)\n  WHERE e.day <= ?\n  GROUP BY e.segment\(d.map { ", e." + $0 }.joined()), period_no",
                                  bucketBindings + [.integer(Int64(endDay))])
        let totals = columns.map { "sum(b.\($0.0)) AS \($0.1)" }.joined(separator: ", ")
        let on = d.map { " AND " + same("b.\($0)", "k.\($0)") }.joined()
        let acc = SQLFragment("SELECT k.segment, k.period_no\(d.map { ", k." + $0 }.joined()), \(totals)\n  FROM keys AS k JOIN \(events)_buckets AS b ON b.segment = k.segment\(on) AND b.period_no <= k.period_no\n  GROUP BY k.segment, k.period_no\(d.map { ", k." + $0 }.joined())")
        return [("\(events)_buckets", buckets), (events == "rp_events" ? "rp" : "ac", acc)]
    }

    /// Customers acquired in the group (first counted order in it), and those with a second order.
    func repeatCTEs(d: [String], dList: String) -> [(String, SQLFragment)] {
        let customers = SQLFragment("SELECT DISTINCT segment\(dList), customer_id, first_day, second_day FROM base WHERE is_first")
        let events = SQLFragment("""
            SELECT segment\(dList), first_day AS day, 1 AS ever, 0 AS rep FROM rp_customers
              UNION ALL
              SELECT segment\(dList), second_day AS day, 0 AS ever, 1 AS rep FROM rp_customers WHERE second_day IS NOT NULL
            """)
        return [("rp_customers", customers), ("rp_events", events)]
            + accumulate(events: "rp_events", columns: [("ever", "ever_customers"), ("rep", "repeat_customers")], d: d, dList: dList)
    }

    /// A customer is active from an order day until active_window days later;
    /// overlapping stretches merge, so each stretch gives one +1 and one −1.
    func activeCTEs(d: [String], dList: String) -> [(String, SQLFragment)] {
        let w = Value.integer(Int64(windowDays))
        let days = SQLFragment("SELECT DISTINCT segment\(dList), customer_id, day FROM base WHERE customer_id IS NOT NULL")
        let marks = SQLFragment("SELECT segment\(dList), day,\n         lag(day) OVER w AS previous, lead(day) OVER w AS next\n  FROM ac_days WINDOW w AS (PARTITION BY segment\(dList), customer_id ORDER BY day)")
        let events = SQLFragment("""
            SELECT segment\(dList), day, 1 AS delta FROM ac_marks WHERE previous IS NULL OR day - previous >= ?
              UNION ALL
              SELECT segment\(dList), day + ? AS day, -1 AS delta FROM ac_marks WHERE next IS NULL OR next - day >= ?
            """, [w, w, w])
        return [("ac_days", days), ("ac_marks", marks), ("ac_events", events)]
            + accumulate(events: "ac_events", columns: [("delta", "active_members")], d: d, dList: dList)
    }

    /// Customers active in the previous period, and those of them active again:
    /// one pass with `lead()` over each customer's active periods instead of a self-join.
    func retention(d: [String], dList: String) -> SQLFragment {
        SQLFragment("""
            SELECT segment, period_no + 1 AS period_no\(dList),
                     count(*) AS previous_active, \(portable ? "sum(CASE WHEN next_period_no = period_no + 1 THEN 1 ELSE 0 END)" : "sum(next_period_no IS period_no + 1)") AS retained
              FROM (SELECT segment, period_no\(dList),
                           lead(period_no) OVER (PARTITION BY segment\(dList), customer_id ORDER BY period_no) AS next_period_no
                    FROM (SELECT DISTINCT segment, period_no\(dList), customer_id FROM base WHERE period_no IS NOT NULL AND customer_id IS NOT NULL)\(alias("active_periods")))\(alias("marked"))
              GROUP BY segment, period_no + 1\(dList)
            """)
    }
}
