import ECStore

/// Cohorts computed in the engine (a PostgreSQL workspace): the same range additions as the
/// streaming route, each reduced by SQL to a count or a sum per (cohort, offset[, last offset]),
/// so only a few rows per cohort and offset cross the wire; `assemble` then makes the matrix.
///
/// Per customer (counted orders of the selection, up to the last day, with a customer and a day):
/// the first period is the period of the first order; the cohort is that period, the first
/// order's label (by day, then ordered_at, then order_id) or a customer attribute; the last
/// observed offset is min(last period − first period, periods).
extension CohortEngine {
    func runInEngine(_ query: CohortQuery) throws -> CohortMatrix {
        let unit = query.unit
        let n = query.periods
        guard let lastDay = try query.asOfDay ?? query.orders.lastCountedDay(in: db) else { throw Self.noOrders }
        let selection = try query.orders.through(day: lastDay, in: db)
        let lastPeriod = unit.index(ofDay: lastDay)
        let period = unit.indexSQL(day: "o.day")
        var label = "CAST(NULL AS TEXT)"
        var labelBindings: [Value] = []
        if case .attribute(let attribute) = query.grouping, case .firstOrder(let expression) = attribute.source {
            label = "CAST((\(expression.sql)) AS TEXT)"
            labelBindings = expression.bindings
        }
        let value: String
        switch query.measure {
        case .revenue: value = OrderMeasures.revenueSQL("o")
        case .margin: value = OrderMeasures.cm2SQL("o")
        default: value = "1"
        }
        // Each customer's orders are ranked (a sort of every order) only when the first order's label
        // or the second order's period is asked for; retention by period needs neither.
        let ranked = label != "CAST(NULL AS TEXT)" || (query.countsCustomers && query.effectiveMode == .cumulative)
        let rank = ranked ? "row_number() OVER (PARTITION BY o.customer_id ORDER BY o.day, o.ordered_at NULLS FIRST, o.order_id NULLS FIRST)" : "0"
        let orders = SQLFragment("SELECT o.customer_id, o.day, \(period) AS per, \(value) AS v, \(label) AS lab, \(rank) AS rn\n"
                                 + "    FROM \(quoteIdentifier(selection.table)) AS o\n    WHERE o.customer_id IS NOT NULL AND o.day IS NOT NULL AND (",
                                 labelBindings) + selection.condition + SQLFragment(")")
        var cohort = "0"
        var lookup = SQLFragment("")
        switch query.grouping {
        case .all: cohort = "'all'"
        case .period: cohort = "CAST(f.first_per AS TEXT)"
        case .attribute(let attribute):
            switch attribute.source {
            case .firstOrder: cohort = "f.first_label"
            case .lookup:
                lookup = SQLFragment(",\n  attr AS (SELECT customer_id, max(CAST(value AS TEXT)) AS value FROM (") + (try attribute.lookupQuery(orders: nil))
                    + SQLFragment(") AS a (customer_id, value) GROUP BY customer_id)")
                cohort = "(SELECT attr.value FROM attr WHERE attr.customer_id = f.customer_id)"
            }
        }
        let head = SQLFragment("WITH o AS (\n    ") + orders + SQLFragment("\n  ),\n  f AS (\n    SELECT customer_id, min(per) AS first_per, "
            + "max(CASE WHEN rn = 1 THEN lab END) AS first_label, max(CASE WHEN rn = 2 THEN per END) AS second_per, max(per) AS latest_per\n"
            + "    FROM o GROUP BY customer_id\n  )") + lookup
            + SQLFragment(",\n  c AS (\n    SELECT customer_id, first_per, second_per, latest_per, \(cohort) AS cohort,\n"
                          + "           CASE WHEN ? - first_per < ? THEN ? - first_per ELSE ? END AS last_k\n    FROM f\n  )\n",
                          [.integer(Int64(lastPeriod)), .integer(Int64(n)), .integer(Int64(lastPeriod)), .integer(Int64(n))])
        // One statement, so the server reads and groups the orders once: part 0 gives the cohorts, their
        // sizes and the customers observed at each offset; part 1 the range additions of the measure,
        // as (cohort, a, b, value) rows whose meaning `cells` says.
        let m = Value.integer(Int64(n))
        var cells: String
        var bindings: [Value] = []
        if query.countsCustomers {
            switch query.effectiveMode {
            case .on:
                cells = "SELECT 1, c.cohort, o.per - c.first_per, CAST(NULL AS BIGINT), count(DISTINCT o.customer_id) FROM o JOIN c ON c.customer_id = o.customer_id"
                    + " WHERE o.per - c.first_per <= ? GROUP BY c.cohort, o.per - c.first_per"
                bindings = [m]
            case .onOrAfter:
                cells = "SELECT 1, cohort, CASE WHEN latest_per - first_per < last_k THEN latest_per - first_per ELSE last_k END, CAST(NULL AS BIGINT), count(*) FROM c GROUP BY 2, 3"
            case .cumulative:
                cells = "SELECT 1, cohort, second_per - first_per, last_k, count(*) FROM c WHERE second_per IS NOT NULL GROUP BY 2, 3, 4"
            }
        } else {
            let through = query.cumulative ? "c.last_k" : "o.per - c.first_per"
            cells = "SELECT 1, c.cohort, o.per - c.first_per, \(through), sum(o.v) FROM o JOIN c ON c.customer_id = o.customer_id"
                + " WHERE o.per - c.first_per <= ? GROUP BY c.cohort, o.per - c.first_per, \(through)"
            bindings = [m]
        }
        let statement = head + SQLFragment("SELECT 0, cohort, last_k, CAST(NULL AS BIGINT), count(*) FROM c GROUP BY cohort, last_k\nUNION ALL\n" + cells, bindings)
        let all = try db.query(statement.sql, statement.bindings).rows
        let observed = all.filter { $0[0].intValue == 0 }.map { Array($0.dropFirst()) }
        let additions = all.filter { $0[0].intValue == 1 }.map { Array($0.dropFirst()) }

        // Cohorts, their sizes and the customers observed at each offset.
        // A NULL cohort (customers without a value) is a key of its own, never a text.
        func key(_ v: Value) -> String? { v.isNull ? nil : v.description }
        var index: [String?: Int] = [:]
        var keys: [String?] = []
        for r in observed where index[key(r[0])] == nil {
            index[key(r[0])] = 0
            keys.append(key(r[0]))
        }
        keys = order(keys, grouping: query.grouping)
        for (i, k) in keys.enumerated() { index[k] = i }
        guard !keys.isEmpty else { throw Self.noOrders }
        var eligible = Array(repeating: Array(repeating: 0.0, count: n + 2), count: keys.count)
        var totals = eligible
        var sizes = Array(repeating: 0, count: keys.count)
        for r in observed {
            let c = index[key(r[0])]!, last = Int(r[1].intValue ?? 0), count = r[3].doubleValue ?? 0
            sizes[c] += Int(count)
            eligible[c][0] += count
            eligible[c][last + 1] -= count
        }
        func addRange(_ c: Int, _ from: Int, _ through: Int, _ v: Double) {
            guard from <= through, from >= 0 else { return }
            totals[c][from] += v
            totals[c][through + 1] -= v
        }
        var notes: [String] = []
        for r in additions {
            let c = index[key(r[0])]!, a = Int(r[1].intValue ?? 0), v = r[3].doubleValue ?? 0
            if query.countsCustomers {
                switch query.effectiveMode {
                case .on: addRange(c, a, a, v)
                case .onOrAfter: addRange(c, 0, a, v)
                case .cumulative: addRange(c, a, Int(r[2].intValue ?? 0), v)
                }
            } else {
                addRange(c, a, Int(r[2].intValue ?? 0), v)
            }
        }
        // What the streaming route says about orders it could not use and costs it counted as 0.
        let fields: [CostField] = query.measure == .margin ? CostField.allCases : query.measure == .revenue ? [.discount, .points] : []
        let counts = SQLFragment("SELECT count(*), count(CASE WHEN customer_id IS NULL OR day IS NULL THEN 1 END)"
                                 + fields.map { ", count(CASE WHEN day IS NOT NULL AND \(quoteIdentifier($0.rawValue)) IS NULL THEN 1 END)" }.joined()
                                 + " FROM \(quoteIdentifier(selection.table)) WHERE ") + selection.condition
        let c = try db.query(counts.sql, counts.bindings).rows.first?.map { Int($0.intValue ?? 0) } ?? []
        var missing: [CostField: Int] = [:]
        for (i, field) in fields.enumerated() where c.count > 2 + i && c[2 + i] > 0 { missing[field] = c[2 + i] }
        let visited = (c.first ?? 0) - (c.count > 1 ? c[1] : 0)
        if let note = ContributionMargin.missingNote(nullCounts: missing, orders: visited) { notes.append(note) }
        if c.count > 1, c[1] > 0 { notes.append("\(c[1]) orders without customer_id or day were skipped") }
        let labels: [String?]
        if case .period(let u) = query.grouping { labels = keys.map { k in k.map { Int($0).map(u.label(of:)) ?? $0 } } } else { labels = keys }
        return try assemble(query: query, labels: labels, sizes: sizes, eligible: eligible, totals: totals, notes: notes,
                            lastPeriod: lastPeriod, lastDay: lastDay, sql: head + SQLFragment("SELECT * FROM c"),
                            missingCostFields: fields.filter { missing[$0] != nil })
    }

    /// Cohort keys in display order: periods in time order; names sorted, customers without a value last.
    private func order(_ keys: [String?], grouping: CohortGrouping) -> [String?] {
        if case .period = grouping { return keys.sorted { (Int($0 ?? "") ?? 0) < (Int($1 ?? "") ?? 0) } }
        return Self.groupNames(keys)
    }
}
