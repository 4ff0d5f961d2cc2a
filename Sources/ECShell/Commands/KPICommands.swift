import Foundation
import ECStore
import ECLanguage
import ECAnalytics
import ECRender

/// `kpis`, `kpi`, `define kpi`, `drop kpi`.
extension Session {
    /// `kpis`: the catalogue, with derived KPIs after the built-ins.
    func listKPIs() throws {
        var rows: [[Value]] = KPICatalogue.all.map {
            [.text($0.name), .text($0.meaning), .text($0.formula), .text($0.needs.joined(separator: ", "))]
        }
        for (name, expr) in try DerivedKPIs.load(database).sorted(by: { $0.key < $1.key }) {
            rows.append([.text(name), .text("defined in this workspace"), .text(expr.description), .text("its parts")])
        }
        show(ResultTable(columns: ["kpi", "meaning", "formula", "needs"], rows: rows, formats: [.text, .text, .text, .text],
                         notes: ["explain NAME tells more; kpi NAME by month computes it"]), sql: nil)
    }

    /// Builds the analytics query from the parsed statement.
    func analyticsQuery(_ q: ECLanguage.KPIQuery) throws -> ECAnalytics.KPIQuery {
        let groupBy: [Grouping] = q.by.map { id in
            TimeGrain(rawValue: id.folded).map(Grouping.grain) ?? .dimension(name: id.name)
        }
        // The KPI SQL names orders `o`: a bare `customer_id` would be ambiguous beside the facts' own.
        let filter = try q.filter.map { try compileOrderPredicate($0, alias: "o") }
        noteFilter(q.filter)
        func bound(_ b: Located<DateBound>?) -> String? {
            switch b?.value {
            case .day(let d): return d.description
            case .month(let m): return m.description
            case nil: return nil
            }
        }
        let query = ECAnalytics.KPIQuery(kpis: q.kpis.map(\.folded), groupBy: groupBy, segments: try namedSegments(q.segments),
                                         orderFilter: filter, from: bound(q.from), to: bound(q.to),
                                         f2WindowDays: try q.within.map { try wholeNumber($0.value.days, "the window in days", at: $0.range, limit: 36_500) })
        noteSegments(q.segments)
        return query
    }

    /// `kpi A, B [by …] [for …] [where …] [from … to …] [chart]`
    func runKPI(_ q: ECLanguage.KPIQuery) throws {
        let settings = try metricSettings()
        let query = try analyticsQuery(q)
        let result: KPIResult
        do {
            result = try KPIEngine(database, settings: settings, route: ProcessInfo.processInfo.environment["ECSH_KPI_ROUTE"] == "sql" ? .sql : .auto).run(query)
        } catch let e as MetricsError {
            // Point at the KPI or dimension the message names, when it names one.
            let named = e.subject.flatMap { subject in (q.kpis + q.by).first { $0.folded == subject } }
            throw ShellError(e.message, at: named?.range ?? q.kpis.first?.range)
        }
        var table = result.table
        let grain = query.groupBy.lazy.compactMap { g -> TimeGrain? in if case .grain(let t) = g { return t } else { return nil } }.first
        if let grain, let range = result.dateRange {
            // Machine formats keep the labels as they are (they are keys); the note says which periods are partial.
            table = PeriodEdges.mark(table, grain: grain, range: range, weekStart: settings.weekStart)
        }
        if let grain, let filter = q.filter {
            table.notes += Self.dateFilterNotes(filter, grain: grain, from: q.from != nil, to: q.to != nil)
        }
        // The reference SQL computes the same numbers; say so when the snapshot route ran instead.
        let label = result.ranReferenceSQL ? "" : "-- reference SQL: the same numbers as the snapshot route that ran (ECSH_KPI_ROUTE=sql runs this)\n"
        show(table, sql: label + annotatedSQL(result.sql, result.bindings))
        // Charts are for people: only under the table view, never inside a machine format.
        if (q.chart || options.chart) && options.format == .table { try drawChart(table) }
    }

    /// `where ordered_at <= '2024-02-20'` filters the orders, not the periods: the axis still runs to
    /// as_of (or from the data's first day), and the periods past the bound read as periods without sales.
    /// Say so, and that `to` (or `from`) narrows the axis. Only comparisons joined by `and` bound the orders.
    static func dateFilterNotes(_ filter: Expr, grain: TimeGrain, from: Bool, to: Bool) -> [String] {
        var upper: [String] = [], lower: [String] = []
        func text(_ e: Expr) -> String? {
            switch e.kind {
            case .literal(.string(let s)): return s
            case .literal(.date(let d)): return d.description
            case .literal(.month(let m)): return m.description
            default: return nil
            }
        }
        func isDate(_ e: Expr) -> Bool {
            if case .identifier(let id) = e.kind { return ["ordered_at", "day"].contains(id.name.lowercased()) }
            return false
        }
        func walk(_ e: Expr) {
            switch e.kind {
            case .binary(.and, let a, let b): walk(a); walk(b)
            case .binary(let op, let a, let b) where isDate(a) || isDate(b):
                guard let value = text(isDate(a) ? b : a) else { return }
                let below: Bool
                switch op {
                case .less, .lessOrEqual: below = isDate(a)
                case .greater, .greaterOrEqual: below = !isDate(a)
                default: return
                }
                if below { upper.append(value) } else { lower.append(value) }
            case .between(let x, let low, let high, negated: false) where isDate(x):
                if let l = text(low) { lower.append(l) }
                if let h = text(high) { upper.append(h) }
            default: return
            }
        }
        walk(filter)
        let unit = grain.rawValue + "s"
        var notes: [String] = []
        if let bound = upper.first, !to {
            notes.append("where bounds the orders at '\(bound)', not the \(unit): those after it run on to as_of with no orders; "
                         + "`to \(bound)` ends the \(unit) there")
        }
        if let bound = lower.first, !from {
            notes.append("where bounds the orders from '\(bound)', not the \(unit): those before it start at the data's first day with no orders; "
                         + "`from \(bound)` starts the \(unit) there")
        }
        return notes
    }

    /// SQL for `show sql` that runs as it is in the workspace's own shell (`SQLFragment.runnable`).
    func annotatedSQL(_ sql: String, _ bindings: [Value]) -> String {
        SQLFragment.runnable(sql, bindings, in: database)
    }

    /// Bars (one series or several in one unit) or sparklines under a KPI table.
    func drawChart(_ table: ResultTable) throws {
        var ro = RenderOptions()
        ro.color = colorEnabled
        do {
            try TerminalChart.render(table, options: ro, to: results)
        } catch {
            say("(no chart: \(error))")
        }
    }

    /// `define kpi NAME = EXPR`
    func defineKPI(_ name: Identifier, _ formula: Expr) throws {
        let expr = try KPIExpression(formula)
        let known = Set(KPICatalogue.all.map(\.name)).union(try DerivedKPIs.load(database).keys)
        for ref in expr.references where !known.contains(ref) && ref != name.folded {
            throw Diagnostic("unknown KPI '\(ref)'", at: formula.range, help: KPIEngine.kpiHelp(for: ref, among: known.sorted()))
        }
        do {
            let note = try DerivedKPIs.define(name.folded, expr, db: database)
            say("defined kpi \(name.folded) = \(expr.description)")
            if let note { say("  note: \(note)") }
        } catch let e as MetricsError {
            throw ShellError(e.message, at: formula.range)
        }
    }

    /// `drop kpi NAME`
    func dropKPI(_ name: Identifier) throws {
        if let user = try DerivedKPIs.users(of: name.folded, db: database).first {
            throw ShellError("kpi '\(user.name)' uses '\(name.folded)' (\(user.name) = \(user.formula))", at: name.range,
                             help: "drop kpi \(user.name) first, or redefine it")
        }
        // Its target goes with it: left behind, scorecard would skip it, or (a KPI that shadowed a
        // built-in) hold the built-in to a target set for another formula.
        let target: String? = try database.transaction {
            guard try DerivedKPIs.drop(name.folded, db: database) else {
                throw Diagnostic.unknownName("defined KPI", name.name, at: name.range,
                                             among: Array(try DerivedKPIs.load(database).keys))
            }
            return try TargetStore.remove(kpi: name.folded, db: database)
        }
        say("dropped kpi \(name.folded)" + (target.map { " and its target (\($0))" } ?? ""))
    }
}
