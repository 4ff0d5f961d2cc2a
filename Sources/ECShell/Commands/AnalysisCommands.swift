import ECStore
import ECLanguage
import ECAnalytics
import ECRender

/// `cohort`, `nps`, `nps compare`, `unit economics`.
extension Session {
    /// The counted orders, narrowed by segments and a `where` filter.
    func orderSelection(segments: [Identifier], filter: Expr?) throws -> OrderSelection {
        let settings = try metricSettings()
        // The segments compiled once, as a condition on the facts row and on customer_id.
        let facts = try factsCondition(segments)
        noteSegments(segments)
        noteFilter(filter)
        return OrderSelection(countedOrders: settings.countedCondition(),
                              customerFilter: try facts.map { try segmentCatalog.customerFilter(facts: $0) },
                              factsCondition: facts,
                              orderFilter: try filter.map { try compileOrderPredicate($0) },
                              aliasedOrderFilter: try filter.map { try compileOrderPredicate($0, alias: "o") })
    }

    /// The counted orders for an analysis that reads them; the customer facts and order
    /// snapshot are built first (once after a load, as the first KPI statement does), so the
    /// analysis reads the snapshot, narrowed by segments and a filter when it has them.
    func snapshotSelection(segments: [Identifier], filter: Expr?) throws -> OrderSelection {
        let selection = try orderSelection(segments: segments, filter: filter)
        try CustomerFacts.ensureCurrent(database, settings: try metricSettings())
        return selection
    }

    /// Maps a `by` word to a cohort grouping: a period, first_channel, or any customer attribute.
    func cohortGrouping(_ by: [Identifier]) throws -> CohortGrouping {
        guard let first = by.first else { return .period(.month) }
        if by.count > 1 { throw ShellError("cohorts group by one thing at a time", at: by[1].range) }
        if let unit = PeriodUnit(rawValue: first.folded) { return .period(unit) }
        let (attribute, attributes) = try customerAttribute(first, for: "cohorts")
        guard let attribute else {
            throw Diagnostic.unknownName("cohort grouping", first.name, at: first.range,
                                         among: PeriodUnit.allCases.map(\.rawValue) + attributes)
        }
        return .attribute(attribute)
    }

    /// A customer attribute by name — `first_channel` (or `channel`), or a column of the
    /// customer facts — or nil, with the attribute names to suggest from.
    func customerAttribute(_ name: Identifier, for what: String) throws -> (CustomerAttribute?, names: [String]) {
        if name.folded == "first_channel" || name.folded == "channel" { return (.firstChannel, []) }
        // Without orders there are no customer facts, but a column of the customers dataset is still each
        // customer's (`nps by region` for a survey team that has customers and answers only).
        if try !database.tableExists("orders"), try database.tableExists("customers") {
            let all = try database.columns(of: "customers").map(\.name)
            let columns = all.filter { $0.lowercased() != "customer_id" }
            if columns.count < all.count, let column = columns.first(where: { $0.lowercased() == name.folded }) {
                return (.column(column, of: "customers"), columns)
            }
        }
        try requireCustomerFacts(for: what, at: name.range)
        let attributes = try CustomerFacts.attributes(database).map(\.name)
        let match = attributes.first { $0.lowercased() == name.folded }
        // A column of the customers dataset comes from there, for every customer in it: the facts
        // hold only customers with a counted order, and an NPS respondent may have none.
        if let match, try database.tableExists("customers"),
           let column = try database.columns(of: "customers").map(\.name).first(where: { $0.lowercased() == match.lowercased() }),
           column.lowercased() != "customer_id" {
            return (.column(column, of: "customers"), attributes)
        }
        return (match.map { .column($0, of: "ecsh_customer_facts") }, attributes)
    }

    /// Maps the `by` word of `nps` and `nps compare` to a grouping: a period, a column of
    /// the responses (other than score, date and customer), or a customer attribute, in that order.
    func npsGrouping(_ by: Identifier) throws -> NPSGrouping {
        if let unit = PeriodUnit(rawValue: by.folded) { return .period(unit) }
        let columns = try database.columns(of: "nps").map(\.name)
            .filter { !["score", "responded_at", "day", "customer_id"].contains($0.lowercased()) }
        if let column = columns.first(where: { $0.lowercased() == by.folded }) { return .responseColumn(column) }
        let (attribute, attributes) = try customerAttribute(by, for: "NPS by a customer attribute")
        guard let attribute else {
            throw Diagnostic.unknownName("NPS grouping", by.name, at: by.range,
                                         among: PeriodUnit.allCases.map(\.rawValue) + columns + ["first_channel"] + attributes,
                                         note: "group by week, month or quarter, a column of nps, or a customer attribute")
        }
        return .attribute(attribute)
    }

    func requireTable(_ name: String, for what: String, load role: String, at range: SourceRange?) throws {
        guard try database.tableExists(name) else {
            throw ShellError("\(what) needs \(role == "spend" ? "ad spend" : role)", at: range,
                             help: "load \(role) from '\(role).csv'")
        }
    }

    /// `cohort [metric] [cumulative] [by …] [mode …] [periods N] [for …] [where …]`
    func runCohort(_ q: ECLanguage.CohortQuery) throws {
        try requireTable("orders", for: "a cohort table", load: "orders", at: nil)
        let measure = CohortMeasure(rawValue: q.metric?.value.rawValue ?? "retention") ?? .retention
        let mode = q.mode?.value ?? .on
        let periods = q.periods?.value ?? 12
        guard periods >= 1 && periods <= 120 else {
            throw ShellError("periods must be between 1 and 120", at: q.periods?.range)
        }
        let query = ECAnalytics.CohortQuery(
            measure: measure, cumulative: q.cumulative, grouping: try cohortGrouping(q.by), mode: mode,
            periods: periods - 1, orders: try snapshotSelection(segments: q.segments, filter: q.filter),
            asOfDay: try KPIEngine.dateRange(database, settings: try metricSettings(), from: nil, to: nil).upperBound)
        var matrix = try CohortEngine(database).run(query)
        let weekStart = try metricSettings().weekStart
        if query.unit == .week, weekStart != .monday {
            // Cohort weeks are Monday weeks whatever the setting: say so, as `kpi new_customers by week` counts other weeks.
            matrix.notes.append("cohort weeks run Monday to Sunday: week_start \(weekStart.rawValue) applies to kpi … by week, "
                                + "so its new_customers by week differ from these cohort sizes")
        }
        if q.filter != nil {
            // `kpi … where` keeps customers' first orders; here the filter picks the orders first, so a customer
            // acquired outside it joins a later cohort. Both are useful (an Amazon cohort by first Amazon order).
            matrix.notes.append("where picks the orders first: each customer's cohort is the period of their first counted order "
                                + "among the rows it keeps, so a customer first acquired outside the filter joins a later cohort "
                                + "(kpi new_customers … where keeps first orders as they are); for the customers' own cohorts, "
                                + "narrow by customers instead: cohort … for SEGMENT")
        }
        let table = matrix.toResultTable(currency: try metricSettings().currency)
        lastSQL = "-- the rows ecsh reads for this cohort table; it computes the cells from them (docs/metrics.md, Cohorts)\n"
            + annotatedSQL(matrix.sql.sql, matrix.sql.bindings)
        if out.isTerminal && options.format == .table && redirect == nil {
            var ro = RenderOptions()
            ro.color = colorEnabled
            ro.currency = try metricSettings().currency
            do {
                try HeatmapRenderer(options: ro).render(table, to: out)
                record(table)
                return
            } catch {}
        }
        show(table, sql: lastSQL)
    }

    /// `nps [by X] [for SEG]`
    func runNPS(_ q: NPSQuery) throws {
        try requireTable("nps", for: "NPS", load: "nps", at: nil)
        let engine = NPSEngine(database)
        let segment = try factsCondition(q.segments)
        noteSegments(q.segments, respondents: true)
        if q.by.count > 1 { throw ShellError("nps groups by one thing at a time", at: q.by[1].range) }
        let table: ResultTable
        if let by = q.by.first {
            let grouping = try npsGrouping(by)
            table = try markNPSPeriods(try engine.summary(by: grouping, segment: segment, orders: try npsOrders()), grouping)
        } else {
            table = try engine.summary(segment: segment)
        }
        show(table, sql: nil)
    }

    /// The counted orders, for NPS groups taken from first orders; nil without orders.
    private func npsOrders() throws -> OrderSelection? {
        try database.tableExists("orders") ? try orderSelection(segments: [], filter: nil) : nil
    }

    /// `nps compare A, B`: two segments, the difference, z and p.
    /// `nps compare by X [for SEG]`: each group against the rest, or each period against the one before.
    func compareNPS(_ comparison: NPSComparison) throws {
        switch comparison {
        case .segments(let a, let b):
            try requireTable("nps", for: "NPS", load: "nps", at: a.range)
            let groups = try [a, b].map { id -> NPSEngine.Group in
                NPSEngine.Group(label: id.name, condition: try customerFilter([id], everyone: true)!, segment: try factsCondition([id]))
            }
            noteSegments([a, b], respondents: true)
            show(try NPSEngine(database).compare(a: groups[0], b: groups[1]), sql: nil)
        case .by(let by, let segments):
            try requireTable("nps", for: "NPS", load: "nps", at: by.range)
            let grouping = try npsGrouping(by)
            let table = try NPSEngine(database).compare(by: grouping, segment: try factsCondition(segments), orders: try npsOrders())
            noteSegments(segments, respondents: true)
            show(try markNPSPeriods(table, grouping), sql: nil)
        }
    }

    /// `unit economics [by channel|cohort|month] [horizon N months]`
    func runUnitEconomics(_ q: ECLanguage.UnitEconomicsQuery) throws {
        try requireTable("orders", for: "unit economics", load: "orders", at: nil)
        var by = UnitEconomicsGrouping.none
        if let first = q.by.first {
            guard let g = UnitEconomicsGrouping(rawValue: first.folded) else {
                throw Diagnostic.unknownName("unit economics grouping", first.name, at: first.range,
                                             among: UnitEconomicsGrouping.allCases.map(\.rawValue))
            }
            by = g
        }
        let settings = try metricSettings()
        // Without `horizon`, the ltv_horizon setting's, as `kpi ltv` uses it.
        var horizon = settings.ltvHorizonMonths
        if let h = q.horizon {
            guard h.value.unit == .month || h.value.unit == .year else {
                throw ShellError("the horizon is counted in months", at: h.range, help: "e.g. horizon 12 months")
            }
            horizon = try wholeNumber(h.value.unit == .year ? h.value.amount * 12 : h.value.amount, "the horizon in months",
                                      at: h.range, limit: 1_200)
        }
        let query = ECAnalytics.UnitEconomicsQuery(by: by, horizonMonths: horizon,
                                                   orders: try snapshotSelection(segments: [], filter: nil),
                                                   mallChannels: settings.marketplaces,
                                                   asOfDay: try KPIEngine.dateRange(database, settings: settings, from: nil, to: nil).upperBound)
        var result = try UnitEconomicsEngine(database).run(query)
        if let day = query.asOfDay, let note = try KPIEngine(database, settings: settings).lateSpendNote(asOfDay: day) { result.notes.append(note) }
        show(result.toResultTable(currency: settings.currency),
             sql: "-- the rows ecsh reads for unit economics; it computes the table from them (docs/metrics.md, Margin and unit economics)\n"
                + annotatedSQL(result.sql.sql, result.sql.bindings))
    }
}
