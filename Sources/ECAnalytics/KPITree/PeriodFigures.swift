import ECStore

/// The sums a KPI tree needs for one period, read straight from the order, traffic
/// and customer rows (one query per source), so the tree does not depend on the
/// KPI engine it is checked against.
struct PeriodFigures {
    var label: String
    var gmv = 0.0, discount = 0.0, points = 0.0, cogs = 0.0, shipping = 0.0, commission = 0.0
    var orders = 0.0, customers = 0.0, newCustomers = 0.0, mallGMV = 0.0
    var sessions: Double?
    /// Trailing window ending at the period's last day (`activeWindowDays`).
    var members = 0.0, newMembers = 0.0, memberOrders = 0.0, memberMargin = 0.0

    var revenue: Double { gmv - discount - points }
    var margin: Double { revenue - cogs - shipping - commission }
    var returningCustomers: Double { customers - newCustomers }
    var returningMembers: Double { members - newMembers }

    /// Reads the figures of `days` from the counted orders of `selection`.
    static func read(_ db: Database, selection: OrderSelection, settings: MetricSettings,
                     label: String, days: ClosedRange<Int>) throws -> PeriodFigures {
        var f = PeriodFigures(label: label)
        let present = Set(try db.query("SELECT name FROM pragma_table_info(?)", [.text(selection.table)]).rows
            .compactMap { row -> String? in if case .text(let s) = row[0] { return s.lowercased() } else { return nil } })
        func sum(_ column: String) -> String { present.contains(column) ? "coalesce(sum(\(column)), 0)" : "0" }
        let malls = settings.marketplaceChannels
        let mall = present.contains("channel") && !malls.isEmpty
            ? "coalesce(sum(CASE WHEN channel IN (\(malls.map { _ in "?" }.joined(separator: ","))) THEN amount ELSE 0 END), 0)"
            : "0"
        let totals = selection.select([sum("amount"), sum("discount"), sum("points"), sum("cogs"), sum("shipping"),
                                       sum("commission"), "count(*)", "count(DISTINCT customer_id)", mall])
        let inPeriod = SQLFragment(" AND day BETWEEN ? AND ?", [.integer(Int64(days.lowerBound)), .integer(Int64(days.upperBound))])
        // The mall channel names are bound after the select list's own bindings, before the WHERE's.
        let query = SQLFragment(totals.sql + inPeriod.sql,
                                (mall == "0" ? [] : malls.map { Value.text($0) }) + totals.bindings + inPeriod.bindings)
        let row = try db.query(query.sql, query.bindings).rows.first ?? []
        let n = row.map { $0.doubleValue ?? 0 }
        guard n.count == 9 else { throw MetricsError("kpi tree: unexpected result reading the orders") }
        (f.gmv, f.discount, f.points, f.cogs, f.shipping, f.commission) = (n[0], n[1], n[2], n[3], n[4], n[5])
        (f.orders, f.customers, f.mallGMV) = (n[6], n[7], n[8])

        let firsts = SQLFragment("SELECT customer_id, min(day) AS first FROM (") + selection.select(["customer_id", "day"])
            + SQLFragment(") GROUP BY customer_id")
        let newIn = { (range: ClosedRange<Int>) throws -> Double in
            let q = SQLFragment("SELECT count(*) FROM (") + firsts + SQLFragment(") WHERE first BETWEEN ? AND ?",
                [.integer(Int64(range.lowerBound)), .integer(Int64(range.upperBound))])
            return try db.scalar(q.sql, q.bindings).doubleValue ?? 0
        }
        f.newCustomers = try newIn(days)

        if try db.tableExists("traffic") {
            f.sessions = try db.scalar("SELECT sum(sessions) FROM traffic WHERE day BETWEEN ? AND ?",
                                       [.integer(Int64(days.lowerBound)), .integer(Int64(days.upperBound))]).doubleValue
        }

        let window = (days.upperBound - settings.activeWindowDays + 1)...days.upperBound
        let margin = ["amount", "discount", "points", "cogs", "shipping", "commission"].map(sum).joined(separator: " - ")
        let members = selection.select(["count(DISTINCT customer_id)", "count(*)", margin])
            + SQLFragment(" AND day BETWEEN ? AND ?", [.integer(Int64(window.lowerBound)), .integer(Int64(window.upperBound))])
        let m = (try db.query(members.sql, members.bindings).rows.first ?? []).map { $0.doubleValue ?? 0 }
        guard m.count == 3 else { throw MetricsError("kpi tree: unexpected result reading active members") }
        (f.members, f.memberOrders, f.memberMargin) = (m[0], m[1], m[2])
        f.newMembers = try newIn(window)
        return f
    }
}
