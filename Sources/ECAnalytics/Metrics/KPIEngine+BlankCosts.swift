import ECStore
import ECRender

extension KPIEngine {
    /// Why `cac` (and `ltv_cac`, `payback`, which divide by it) or `cpa` is blank on a row: no spend
    /// rows, or spend (¥500, or ¥0) with no new customer / no order to divide it by. A blank without a
    /// word reads as missing data; a month of spend that brought no customer is a finding.
    /// `running`/`fromSnapshot`: the statement's plan and route, so the figures are the rows' own.
    func blankCostNote(_ table: ResultTable, columns: [Column], running: Plan, fromSnapshot: Bool) throws -> String? {
        let perCustomer = columns.filter { ["cac", "ltv_cac", "payback"].contains($0.kpi) }.map(\.name)
        let perOrder = columns.filter { $0.kpi == "cpa" }.map(\.name)
        guard !perCustomer.isEmpty || !perOrder.isEmpty, running.measures.isSuperset(of: [.spend, .spend_rows]) else { return nil }
        let keyCount = table.columns.count - columns.count
        let blankRows = table.rows.indices.filter { i in
            table.columns.indices.contains { c in
                c >= keyCount && (perCustomer + perOrder).contains(table.columns[c]) && table.rows[i][c].isNull
            }
        }
        guard !blankRows.isEmpty else { return nil }
        let figures = ["spend_rows", "spend"] + (perCustomer.isEmpty ? [] : ["new_customers"]) + (perOrder.isEmpty ? [] : ["orders"])
        let (sql, bindings) = running.sql(columns: figures.map { Column(name: $0, expression: $0, display: .count, total: .none, kpi: $0) },
                                          fromSnapshot: fromSnapshot)
        let rows = try db.query(sql, bindings).rows
        guard rows.count == table.rows.count else { return nil }
        let money = Currency(code: settings.currency)
        // (what is missing, the columns it blanks) → the rows' labels, in table order.
        var found: [(String, [String], [String])] = []
        func add(_ reason: String, _ names: [String], _ label: String) {
            if let k = found.firstIndex(where: { $0.0 == reason }) { found[k].2.append(label) } else { found.append((reason, names, [label])) }
        }
        for i in blankRows {
            let row = rows[i], keys = table.rows[i][(running.hasSegments ? 0 : 1)..<keyCount].compactMap(\.textValue)
            guard Array(row[..<keyCount]) == Array(table.rows[i][..<keyCount]) else { return nil }
            let label = keys.isEmpty ? "the range" : keys.joined(separator: " ")
            if (row[keyCount].intValue ?? 0) == 0 {
                add("no spend rows", perCustomer + perOrder, label)
                continue
            }
            let spend = money.format(row[keyCount + 1].doubleValue ?? 0)
            if !perCustomer.isEmpty, (row[keyCount + 2].intValue ?? 0) == 0 { add("spend but no new customer", perCustomer, "\(label) (\(spend))") }
            if !perOrder.isEmpty, (row[keyCount + figures.count - 1].intValue ?? 0) == 0 { add("spend but no order", perOrder, "\(label) (\(spend))") }
        }
        guard !found.isEmpty else { return nil }
        let parts = found.map { reason, names, labels in
            names.joined(separator: ", ") + " blank (" + reason + "): " + labels.prefix(4).joined(separator: ", ")
                + (labels.count > 4 ? " and \(labels.count - 4) more" : "")
        }
        return parts.joined(separator: "; ") + " (nothing to divide by: a blank, not \(money.format(0)))"
    }

    /// Without `from`, the range starts at the first day of any loaded data: a spend or traffic file
    /// that starts before the orders adds periods with no orders (¥0 GMV, cvr 0, roas 0) that read as
    /// no sales, when the orders export may simply start later. Say where the orders begin.
    func earlyStartNote(plan: Plan, query: KPIQuery) throws -> String? {
        let ordersSide: Set<Measure.Source> = [.orders, .repeats, .active, .retention, .lifetime]
        guard query.from == nil, !plan.sources.isDisjoint(with: ordersSide), try db.tableExists("orders") else { return nil }
        guard let first = try WorkspaceDates.firstDay(of: "orders", db), first > plan.startDay else { return nil }
        let start = DayNumber.isoDate(plan.startDay), begin = DayNumber.isoDate(first)
        return "the range starts \(start), the first day of the spend, traffic or NPS rows, but the first order is on \(begin): "
            + "before it the rows show no orders, which may be the orders file starting later (from \(begin) keeps to the orders)"
    }

    /// The range ends at as_of, the last order's day unless set: spend or traffic rows after it (an ad export
    /// newer than the orders export) are in no period and no total, and `kpi spend` read ¥600 of a file's ¥2,200
    /// without a word. Say how much is left out and how to count it. Not when as_of is set (a chosen end).
    func lateEndNote(plan: Plan) throws -> String? {
        guard plan.endDay == plan.asOfDay else { return nil }
        return try lateEndNote(endDay: plan.endDay, sources: plan.sources)
    }

    /// `lateEndNote` for `unit economics`, which counts spend up to the last order's day (as_of) too: CAC over ¥100 of
    /// ¥1,700 spend said nothing of the rest.
    public func lateSpendNote(asOfDay: Int) throws -> String? {
        try lateEndNote(endDay: asOfDay, sources: [.spend])
    }

    /// The note on `sources`' rows after `endDay`, the last order's day; nil when as_of is set.
    private func lateEndNote(endDay: Int, sources: Set<Measure.Source>) throws -> String? {
        guard settings.asOf == nil, try db.tableExists("orders") else { return nil }
        var parts: [String] = []
        var last = endDay
        for (source, table, figure) in [(Measure.Source.spend, "spend", "spend"), (.traffic, "traffic", "sessions")] where sources.contains(source) {
            guard try db.tableExists(table) else { continue }
            let row = try db.query("SELECT count(*), sum(\(figure)), max(day) FROM \(quoteIdentifier(table)) WHERE day > ?",
                                   [.integer(Int64(endDay))]).rows[0]
            guard let rows = row[0].intValue, rows > 0, let end = row[2].intValue else { continue }
            let amount = table == "spend" ? Currency(code: settings.currency).format(row[1].doubleValue ?? 0)
                : "\(LoadSummary.grouped(Int(row[1].intValue ?? 0))) sessions"
            parts.append("\(table) has \(amount) in \(LoadSummary.grouped(Int(rows))) rows to \(DayNumber.isoDate(Int(end)))")
            last = max(last, Int(end))
        }
        guard !parts.isEmpty else { return nil }
        return parts.joined(separator: ", ") + " after \(DayNumber.isoDate(endDay)), the last order's day (as_of), where the range ends: "
            + "not counted here, which may be the orders file ending earlier (set as_of \(DayNumber.isoDate(last)) counts \(parts.count == 1 ? "it" : "them"); "
            + "the days after the last order then show no orders)"
    }
}
