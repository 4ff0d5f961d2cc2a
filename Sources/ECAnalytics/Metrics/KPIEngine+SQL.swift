import ECStore

extension KPIEngine.Plan {
    /// The whole query as one SQL statement with its bindings, laid out for reading.
    /// `fromSnapshot`: the order measures come from `temp.ecsh_kpi_measures` (the snapshot route).
    func sql(columns: [KPIEngine.Column], fromSnapshot: Bool = false) -> (String, [Value]) {
        var ctes: [(String, SQLFragment)] = []
        let d = dims.indices.map { "d\($0 + 1)" }
        let dList = d.map { ", " + $0 }.joined()
        let src = sources
        func dayInt(_ v: Int) -> Value { .integer(Int64(v)) }

        let snapshotTable = KPIEngine.measuresTable
        if fromSnapshot {
            if src.contains(.orders) {
                let names = Measure.allCases.filter { measures.contains($0) && $0.source == .orders && $0 != .f2_final }
                ctes.append(("oa", SQLFragment("SELECT segment, period_no\(dList)\(names.map { ", " + $0.rawValue }.joined()) FROM \(snapshotTable) WHERE lines > 0")))
            }
        } else {
            if needsBase { ctes.append(("base", base())) }
            if src.contains(.orders) { ctes.append(("oa", ordersAggregate(dList: dList))) }
        }
        if src.contains(.spend) { ctes.append(("sp", datasetAggregate(table: "spend", column: "spend", measure: "spend", alias: "s"))) }
        if src.contains(.traffic) { ctes.append(("tr", datasetAggregate(table: "traffic", column: "sessions", measure: "sessions", alias: "t"))) }
        if src.contains(.nps) { ctes.append(("np", npsAggregate())) }

        // The spine: every period × every group, so empty periods show up.
        let periods: SQLFragment
        if let grain {
            let g = grain.rawValue, label = PeriodCalendar.labelColumn(grain)
            periods = SQLFragment("SELECT DISTINCT \(label) AS period, \(g)_no AS period_no, \(g)_start AS period_start, \(g)_end AS period_end\n  FROM ecsh_calendar WHERE day BETWEEN ? AND ?", [dayInt(startDay), dayInt(endDay)])
        } else {
            periods = SQLFragment("SELECT 'all' AS period, 0 AS period_no, ? AS period_start, ? AS period_end", [dayInt(startDay), dayInt(endDay)])
        }
        ctes.append(("periods", periods))
        var combos: [SQLFragment] = []
        if dims.isEmpty {
            combos = segments.map { SQLFragment("SELECT ? AS segment", [.text($0.name)]) }
        } else {
            if src.contains(.orders) {
                combos.append(SQLFragment("SELECT DISTINCT segment\(dList) FROM oa WHERE period_no IN (SELECT period_no FROM periods)"))
            } else if needsBase, fromSnapshot {
                combos.append(SQLFragment("SELECT DISTINCT segment\(dList) FROM \(snapshotTable) WHERE seen_range > 0"))
            } else if needsBase {
                combos.append(SQLFragment("SELECT DISTINCT segment\(dList) FROM base WHERE day BETWEEN ? AND ?", [dayInt(startDay), dayInt(endDay)]))
            }
            if src.contains(.spend) { combos.append(SQLFragment("SELECT DISTINCT segment\(dList) FROM sp WHERE period_no IN (SELECT period_no FROM periods)")) }
            if src.contains(.traffic) { combos.append(SQLFragment("SELECT DISTINCT segment\(dList) FROM tr WHERE period_no IN (SELECT period_no FROM periods)")) }
        }
        ctes.append(("combos", SQLFragment.joined(combos, separator: "\n  UNION ")))
        ctes.append(("keys", SQLFragment("SELECT c.segment, p.period, p.period_no, p.period_start, p.period_end\(d.map { ", c." + $0 }.joined())\n  FROM periods AS p CROSS JOIN combos AS c")))

        if fromSnapshot {
            let stocks: [(Measure.Source, String, String)] = [(.repeats, "rp", "ever_customers, repeat_customers"),
                                                              (.active, "ac", "active_members"), (.retention, "rt", "previous_active, retained")]
            for (source, name, columns) in stocks where src.contains(source) {
                ctes.append((name, SQLFragment("SELECT segment, period_no\(dList), \(columns) FROM \(snapshotTable)")))
            }
            // Lifetime groups counted by the snapshot pass (`runLifetime`), as `lifetimeCTEs` gives them.
            if src.contains(.lifetime) {
                ctes.append(("lv", SQLFragment("SELECT segment, period_no\(dList), ltv_customers, ltv_margin FROM \(KPIEngine.lifetimeTable)")))
                if measures.contains(.payback_months) {
                    ctes.append(("lv_curve", SQLFragment("SELECT segment, period_no\(dList), month_offset, observed, margin FROM \(KPIEngine.curveTable)")))
                }
            }
        } else {
            if src.contains(.repeats) { ctes += repeatCTEs(d: d, dList: dList) }
            if src.contains(.active) { ctes += activeCTEs(d: d, dList: dList) }
            if src.contains(.retention) { ctes.append(("rt", retention(d: d, dList: dList))) }
            if src.contains(.lifetime) { ctes += lifetimeCTEs(d: d, dList: dList) }
        }

        // One row per key with every measure; missing groups read as 0 (sessions: blank).
        var select = ["k.segment", "k.period", "k.period_no", "k.period_start", "k.period_end"] + d.map { "k." + $0 }
        var joins: [String] = []
        var bindings: [Value] = []
        let joinOn = { (x: String) in
            "\(x).segment = k.segment AND \(x).period_no = k.period_no" + d.map { " AND " + same("\(x).\($0)", "k.\($0)") }.joined()
        }
        let aliasOf: [Measure.Source: String] = [.orders: "oa", .repeats: "rp", .active: "ac", .retention: "rt", .lifetime: "lv",
                                                  .spend: "sp", .traffic: "tr", .nps: "np"]
        for s in Measure.Source.allCases where src.contains(s) {
            joins.append("LEFT JOIN \(aliasOf[s]!) ON \(joinOn(aliasOf[s]!))")
        }
        for m in Measure.allCases where measures.contains(m) {
            if m == .f2_final {
                // A row is final when the window of its latest possible first order has elapsed:
                // the period's end for a time grain, the cohort month's end when split by cohort
                // (the same rule for every grouping; without either, the elapsed buyers of the range).
                var conditions: [String] = []
                if grain != nil {
                    conditions.append("k.period_end + ? <= ?")
                    bindings += [dayInt(f2Days), dayInt(asOfDay)]
                }
                for (k, dim) in dims.enumerated() where dim.fromFacts && dim.name.lowercased() == "cohort" {
                    conditions.append("(SELECT cp.\"end\" FROM ecsh_periods AS cp WHERE cp.grain = 'month' AND cp.label = k.d\(k + 1)) + ? <= ?")
                    bindings += [dayInt(f2Days), dayInt(asOfDay)]
                }
                select.append(conditions.isEmpty ? "\(trueSQL) AS f2_final" : "(" + conditions.joined(separator: " AND ") + ") AS f2_final")
            } else if let column = lifetimeColumn(m, dims: d) {
                select.append(column.sql)
                bindings += column.bindings
            } else if m == .sessions {
                // A period or channel without traffic rows has no sessions data, not 0 sessions (a shop is
                // visited every day it sells): blank, so its cvr and sessions_change are blank too.
                select.append("tr.sessions AS sessions")
            } else {
                select.append("coalesce(\(aliasOf[m.source]!).\(m.rawValue), 0) AS \(m.rawValue)")
            }
        }
        ctes.append(("measures", SQLFragment("SELECT " + select.joined(separator: ",\n         ") + "\n  FROM keys AS k\n  " + joins.joined(separator: "\n  "), bindings)))

        // The answer.
        var out = ["segment"]
        if let g = grain { out.append("period AS \(quoteIdentifier(g.rawValue))") }
        out += zip(d, dims).map { "\($0) AS \(quoteIdentifier($1.name))" }
        out += columns.map { c in
            c.expression.replacingOccurrences(of: ", keys_dims", with: dList) + " AS " + quoteIdentifier(c.name)
        }
        var order = SQLFragment("CASE segment")
        for (i, s) in segments.enumerated() { order = order + SQLFragment(" WHEN ? THEN \(i)", [.text(s.name)]) }
        // The missing key (∅) last, as nps, cohort, unit economics and predict list it, on every engine (SQLite
        // sorts NULL first, PostgreSQL last); text byte by byte (whatever a server's collation), as SQLite orders it.
        let collate = portable ? " COLLATE \"C\"" : ""
        order = order + SQLFragment(" END, period_no" + zip(d, dims).map { ", \($0)\($1.isText ? collate : "") NULLS LAST" }.joined())

        var text = "WITH\n"
        var all: [Value] = []
        for (i, (name, f)) in ctes.enumerated() {
            // With one constant period, base is read once (by oa): let SQLite fold it into the
            // aggregate instead of writing every order to a temporary table first (~0.2 s per 1M orders).
            let hint = name == "base" && periodIsConstant ? "NOT MATERIALIZED " : ""
            text += "\(name) AS \(hint)(\n  \(f.sql)\n)\(i == ctes.count - 1 ? "" : ",")\n"
            all += f.bindings
        }
        text += "SELECT " + out.joined(separator: ",\n       ") + "\nFROM measures\nORDER BY " + order.sql
        all += order.bindings
        return (text, all)
    }

    /// `FROM … JOIN ecsh_calendar` pieces that put a day into its period.
    func bucket(day: String, calendar: String) -> (select: SQLFragment, join: String) {
        if let grain {
            let g = grain.rawValue, label = PeriodCalendar.labelColumn(grain)
            return (SQLFragment("\(calendar).\(label) AS period, \(calendar).\(g)_no AS period_no, \(calendar).\(g)_start AS period_start, \(calendar).\(g)_end AS period_end"),
                    " JOIN ecsh_calendar AS \(calendar) ON \(calendar).day = \(day)")
        }
        let s = Value.integer(Int64(startDay)), e = Value.integer(Int64(endDay))
        return (SQLFragment("CASE WHEN \(day) >= ? THEN 'all' END AS period, CASE WHEN \(day) >= ? THEN 0 ELSE -1 END AS period_no, ? AS period_start, ? AS period_end", [s, s, s, e]), "")
    }

    /// Counted orders in scope, one block per segment, with what the measures need.
    func base() -> SQLFragment {
        var (periodSelect, calJoin) = bucket(day: "o.day", calendar: "cal")
        var periodCondition = SQLFragment("")
        if let grain {
            // Periods outside, orders inside through the day index: rows come out period by period.
            periodSelect = SQLFragment("p.label AS period, p.no AS period_no, p.start AS period_start, p.\"end\" AS period_end")
            calJoin = ""
            periodCondition = SQLFragment("p.grain = ? AND p.start <= ? AND ", [.text(grain.rawValue), .integer(Int64(endDay))])
            if !needsHistory { periodCondition = periodCondition + SQLFragment("p.\"end\" >= ? AND ", [.integer(Int64(startDay))]) }
        }
        var ordersFrom = SQLFragment("ecsh_periods AS p JOIN orders AS o ON o.day BETWEEN p.start AND p.\"end\"")
        if periodIsConstant {
            // One constant period and a plain day range: no join, so SQLite plans it like a simple
            // filtered scan (the WHERE below already keeps o.day within start…end).
            periodSelect = SQLFragment("'all' AS period, 0 AS period_no, ? AS period_start, ? AS period_end",
                                       [.integer(Int64(startDay)), .integer(Int64(endDay))])
            calJoin = ""
            ordersFrom = SQLFragment("orders AS o")
        } else if grain == nil {
            // One pseudo-period for the whole range (and one for the history before it, when needed),
            // joined like the calendar periods so the orders are read through the day index.
            periodSelect = SQLFragment("p.label AS period, p.no AS period_no, p.start AS period_start, p.\"end\" AS period_end")
            calJoin = ""
            var periods = SQLFragment("SELECT 'all' AS label, 0 AS no, ? AS start, ? AS \"end\"", [.integer(Int64(startDay)), .integer(Int64(endDay))])
            if needsHistory {
                periods = periods + SQLFragment(" UNION ALL SELECT NULL, -1, ?, ?", [.integer(Int64.min / 2), .integer(Int64(startDay) - 1)])
            }
            ordersFrom = SQLFragment("(") + periods + SQLFragment(") AS p JOIN orders AS o ON o.day BETWEEN p.start AND p.\"end\"")
        }
        var inputs: [String] = []
        if !measures.isDisjoint(with: [.gmv, .mall_gmv]) { inputs.append("\(OrderMeasures.gmvSQL()) AS amount") }
        if measures.contains(.revenue) { inputs.append("\(OrderMeasures.revenueSQL()) AS net") }
        if measures.contains(.units) { inputs.append("o.quantity AS quantity") }
        if measures.contains(.margin) {
            inputs.append("\(OrderMeasures.cm2SQL()) AS cm2")
        }
        if measures.contains(.commission) { inputs.append("\(OrderMeasures.commissionSQL()) AS commission") }
        if measures.contains(.discounts) { inputs.append("\(OrderMeasures.discountsSQL()) AS discounts") }
        var mall = SQLFragment("")
        if measures.contains(.mall_gmv) {
            mall = SQLFragment(", CASE WHEN ") + settings.marketplaces.condition("o.channel") + SQLFragment(" THEN o.amount ELSE 0 END AS mall_amount")
        }
        if needsFacts { inputs += ["o.order_id = f.first_order_id AS is_first", "f.first_day AS first_day", "f.second_day AS second_day"] }
        // In SQLite the facts are a view joining three tables; as the right side of a LEFT JOIN a view that is
        // a join is copied whole first, so the tables are joined here, the customers columns as `fa`, the scores as `fs`.
        let split = needsFacts && factAttributes != nil
        let attributes = factAttributes ?? []
        let score = "f." + quoteIdentifier("nps")
        let dimSelect = dims.enumerated().map { i, d in
            let column = d.fromFacts && split ? attributes.first { "f." + quoteIdentifier($0) == d.expression } : nil
            let scored = d.fromFacts && split && d.expression == score
            return ", \(column.map { "fa." + quoteIdentifier($0) } ?? (scored ? "fs.nps" : d.expression)) AS d\(i + 1)"
        }.joined()
        var factJoin = needsFacts ? " LEFT JOIN ecsh_customer_facts AS f ON f.customer_id = o.customer_id" : ""
        if split {
            factJoin = " LEFT JOIN \(CustomerFacts.baseTable) AS f ON f.customer_id = o.customer_id"
            if dims.contains(where: { d in d.fromFacts && d.expression == score }) {
                factJoin += " LEFT JOIN \(CustomerFacts.scoresTable) AS fs ON fs.customer_key = f.customer_key"
            }
            if dims.contains(where: { d in attributes.contains { "f." + quoteIdentifier($0) == d.expression } }) {
                factJoin += " LEFT JOIN \(CustomerFacts.attributesTable) AS fa ON fa.customer_key = f.customer_key"
            }
        }
        let counted = settings.countedCondition(alias: "o")
        var blocks: [SQLFragment] = []
        for s in segments {
            var f = SQLFragment("SELECT ? AS segment, ", [.text(s.name)]) + periodSelect
                + SQLFragment("\(dimSelect), o.customer_id AS customer_id, o.day AS day" + inputs.map { ", " + $0 }.joined()) + mall
                + SQLFragment("\n  FROM ") + ordersFrom + SQLFragment("\(calJoin)\(factJoin)\n  WHERE ") + periodCondition + counted
                + SQLFragment(" AND o.day <= ?", [.integer(Int64(endDay))])
            if !needsHistory { f = f + SQLFragment(" AND o.day >= ?", [.integer(Int64(startDay))]) }
            if let filter { f = f + SQLFragment(" AND (") + filter + SQLFragment(")") }
            if hasSegments {
                f = f + SQLFragment(" AND o.customer_id IN (SELECT customer_id FROM ecsh_customer_facts WHERE ") + s.predicate + SQLFragment(")")
            }
            blocks.append(f)
        }
        return SQLFragment.joined(blocks, separator: "\n  UNION ALL\n  ")
    }

    func ordersAggregate(dList: String) -> SQLFragment {
        var aggs: [String] = []
        var b: [Value] = []
        let m = measures
        if m.contains(.gmv) { aggs.append("sum(amount) AS gmv") }
        if m.contains(.revenue) { aggs.append("sum(net) AS revenue") }
        if m.contains(.orders) { aggs.append("count(*) AS orders") }
        if m.contains(.units) { aggs.append("sum(quantity) AS units") }
        if m.contains(.margin) { aggs.append("sum(cm2) AS margin") }
        if m.contains(.commission) { aggs.append("sum(commission) AS commission") }
        if m.contains(.discounts) { aggs.append("sum(discounts) AS discounts") }
        if m.contains(.mall_gmv) { aggs.append("sum(mall_amount) AS mall_gmv") }
        if m.contains(.customers) { aggs.append("count(DISTINCT customer_id) AS customers") }
        if m.contains(.new_customers) { aggs.append("count(DISTINCT CASE WHEN is_first THEN customer_id END) AS new_customers") }
        if m.contains(.returning_customers) { aggs.append("count(DISTINCT CASE WHEN first_day < period_start THEN customer_id END) AS returning_customers") }
        if m.contains(.f2_new) {
            // Only customers whose window has elapsed by as_of.
            aggs.append("count(DISTINCT CASE WHEN is_first AND first_day + ? <= ? THEN customer_id END) AS f2_new")
            aggs.append("count(DISTINCT CASE WHEN is_first AND first_day + ? <= ? AND second_day - first_day <= ? THEN customer_id END) AS f2_converted")
            let n = Value.integer(Int64(f2Days)), a = Value.integer(Int64(asOfDay))
            b += [n, a, n, a, n]
        }
        // Group only by columns that vary: sorting on constant keys (the one segment, the one
        // period) costs about a third of the whole query on a million orders.
        var keys = (hasSegments ? ["segment"] : []) + (periodIsConstant ? [] : ["period_no"]) + dims.indices.map { "d\($0 + 1)" }
        if keys.isEmpty { keys = ["segment"] }
        // SQLite takes the other selected columns from any row of the group; standard SQL groups by them.
        if portable { keys = ["segment", "period_no"] + dims.indices.map { "d\($0 + 1)" } }
        return SQLFragment("SELECT segment, period_no\(dList),\n         " + aggs.joined(separator: ",\n         ")
                           + "\n  FROM base WHERE period_no IS NOT NULL GROUP BY " + keys.joined(separator: ", "), b)
    }

    /// Spend or traffic per period (and per channel when split by channel).
    func datasetAggregate(table: String, column: String, measure: String, alias: String) -> SQLFragment {
        let (p, join) = bucket(day: "\(alias).day", calendar: "cal")
        let channel = dims.isEmpty ? "" : ", \(alias).channel AS d1"
        return SQLFragment("SELECT '' AS segment, ") + p + SQLFragment("\(channel), sum(\(alias).\(quoteIdentifier(column))) AS \(measure), count(*) AS \(measure)_rows\n  FROM \(quoteIdentifier(table)) AS \(alias)\(join)\n  WHERE \(alias).day BETWEEN ? AND ?\n  GROUP BY \(portable ? "period, period_no, period_start, period_end" : "period_no")\(dims.isEmpty ? "" : ", d1")",
            [.integer(Int64(startDay)), .integer(Int64(endDay))])
    }

    /// NPS answers per segment and period: counted from `nps` (the reference SQL), or summed from the
    /// statement's counts per day when `npsDays` names them (`NPSDayCounts`).
    func npsAggregate() -> SQLFragment {
        let (p, join) = bucket(day: "n.day", calendar: "cal")
        let blocks = segments.enumerated().map { i, s in
            let range: [Value] = [.integer(Int64(startDay)), .integer(Int64(endDay))]
            var f = SQLFragment("SELECT ? AS segment, ", [.text(s.name)]) + p
            if let npsDays {
                f = f + SQLFragment(", sum(n.responses) AS nps_responses, sum(n.promoters) AS nps_promoters, sum(n.detractors) AS nps_detractors\n  FROM \(npsDays) AS n\(join)\n  WHERE n.slot = ? AND n.day BETWEEN ? AND ?", [.integer(Int64(i))] + range)
            } else {
                f = f + SQLFragment(", count(*) AS nps_responses, \(NPSSummary.promoterSQL("n.score")) AS nps_promoters, \(NPSSummary.detractorSQL("n.score")) AS nps_detractors\n  FROM nps AS n\(join)\n  WHERE n.day BETWEEN ? AND ?", range)
                if hasSegments { f = f + SQLFragment(" AND ") + respondentConditions[i] }
            }
            return f + SQLFragment(portable ? " GROUP BY period, period_no, period_start, period_end" : " GROUP BY period_no")
        }
        return SQLFragment.joined(blocks, separator: "\n  UNION ALL\n  ")
    }
}
