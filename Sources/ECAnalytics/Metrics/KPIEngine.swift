import ECStore

/// Runs KPI queries against the workspace.
///
/// Everything is one SQL statement (shown by `show sql`): counted orders are
/// tagged with their period through `ecsh_calendar`, aggregated per key
/// (segment, period, dimensions), and joined onto a spine of every period ×
/// group so that empty periods show 0 (counts, sums) or NULL (ratios).
///
/// Segments: the query computes one block of rows per segment (a leading
/// `segment` column, each block with its own total row); with two or more
/// segments and a grain or dimension, the blocks are then pivoted side by side
/// (`vip gmv`, `one_timers gmv`, …; `pivotingSegments`).
///
/// Order measures come from the snapshot route (`KPIEngine+Snapshot`) when
/// the query has no `where` filter and groups only by time, channel and
/// customer attributes; otherwise from the reference SQL over `orders`, which
/// is also what `show sql` prints.
///
/// Acquisition KPIs (new_customers, f2_rate, repeat_rate, cac) follow the
/// customer's first counted order: split by channel, a customer belongs to the
/// channel of that order. Activity KPIs (customers, returning_customers,
/// active_members, retention_rate) count the orders inside each group.
public struct KPIEngine {
    public let db: Database
    public let settings: MetricSettings
    /// How order measures are computed; `.auto` takes the snapshot when it can.
    public var route: Route = .auto

    public enum Route: Sendable { case auto, sql, snapshot }

    public init(_ db: Database, settings: MetricSettings, route: Route = .auto) {
        self.db = db
        self.settings = settings
        self.route = route
    }

    /// One resolved output column.
    struct Column {
        var name: String
        var expression: String
        var display: KPIDefinition.Display
        var additive: Bool
    }

    public func run(_ query: KPIQuery) throws -> KPIResult {
        guard !query.kpis.isEmpty else { throw MetricsError("name at least one KPI, e.g. kpi gmv by month; `kpis` lists them") }
        guard try db.tableExists("orders") else {
            throw MetricsError("KPIs need orders: load orders from 'file.csv'")
        }
        let derived = try DerivedKPIs.load(db)
        var columns: [Column] = []
        var measures: Set<Measure> = []
        var notes: [String] = []
        for name in query.kpis {
            let (cols, ms, note) = try resolve(name.lowercased(), derived: derived)
            columns += cols
            measures.formUnion(ms)
            if let note { notes.append(note) }
        }
        let plan = try Plan.make(query: query, measures: measures, engine: self)
        try checkData(plan)
        notes += try plan.notes(engine: self)
        // show sql prints the reference SQL over orders; the snapshot route computes the same
        // order measures in one pass and finishes with the same SQL over its measures table.
        let (sql, bindings) = plan.sql(columns: columns)
        var table: ResultTable
        if route != .sql, try fillMeasuresFromSnapshot(plan) {
            let fast = plan.sql(columns: columns, fromSnapshot: true)
            table = try db.query(fast.0, fast.1)
        } else {
            guard route != .snapshot else { throw MetricsError("this query cannot take the snapshot route") }
            if plan.needsBase { try CustomerFacts.ensureOrdersIndex(db) }
            table = try db.query(sql, bindings)
        }
        table.formats = plan.keyFormats + columns.map { $0.display.format(currency: settings.currency) }
        table.notes = notes
        if !plan.hasSegments, !table.columns.isEmpty { table = dropFirstColumn(table) }
        addTotals(&table, columns: columns, plan: plan)
        if plan.segments.count > 1, plan.grain != nil || !plan.dims.isEmpty { table = table.pivotingSegments(kpiColumnCount: columns.count, segments: plan.segments.map(\.name)) }
        return KPIResult(table: table, sql: sql, bindings: bindings)
    }

    /// The output columns and measures of a KPI, following derived formulas.
    func resolve(_ name: String, derived: [String: KPIExpression]) throws -> ([Column], Set<Measure>, String?) {
        if derived[name] != nil {
            try DerivedKPIs.checkCycles(from: name, in: derived)
            var ms: Set<Measure> = []
            let (sql, display, additive) = try compile(.ref(name), derived: derived, measures: &ms, top: true)
            return ([Column(name: name, expression: sql, display: display, additive: additive)], ms,
                    "\(name) = \(derived[name]!.description)")
        }
        guard let def = KPICatalogue.named(name) else {
            throw MetricsError("unknown KPI '\(name)'\(Self.suggestion(for: name, among: Self.allNames(derived: derived))); `kpis` lists them")
        }
        let cols = def.outputs.map { o in
            Column(name: o.name, expression: o.expression, display: o.display,
                   additive: def.kind == .additive || Self.additiveMeasures.contains(o.expression))
        }
        var note: String?
        if ["cac", "cpa", "roas", "mer"].contains(def.name) { note = "\(def.name) = \(def.formula)" }
        return (cols, def.measures, note)
    }

    static let additiveMeasures: Set<String> = ["gmv", "revenue", "orders", "units", "margin", "commission", "new_customers", "spend", "sessions"]

    /// Compiles a derived formula to SQL over the measure columns.
    func compile(_ e: KPIExpression, derived: [String: KPIExpression], measures: inout Set<Measure>, top: Bool = false)
        throws -> (String, KPIDefinition.Display, Bool) {
        switch e {
        case .number(let v):
            return (String(v), .decimal, true)
        case .negate(let x):
            let (s, d, a) = try compile(x, derived: derived, measures: &measures)
            return ("(-(\(s)))", d, a)
        case .binary(let op, let l, let r):
            let (ls, ld, la) = try compile(l, derived: derived, measures: &measures)
            let (rs, rd, ra) = try compile(r, derived: derived, measures: &measures)
            switch op {
            case .divide:
                return ("(1.0 * (\(ls)) / NULLIF((\(rs)), 0))", ld == rd ? .percent : .decimal, false)
            case .multiply:
                return ("((\(ls)) * (\(rs)))", ld == .decimal ? rd : ld, false)
            case .add, .subtract:
                return ("((\(ls)) \(op.rawValue) (\(rs)))", ld, la && ra)
            }
        case .ref(let n):
            if let d = derived[n] {
                return try compile(d, derived: derived, measures: &measures)
            }
            guard let def = KPICatalogue.named(n) else { throw MetricsError("unknown KPI '\(n)' in a derived formula") }
            guard def.outputs.count == 1 else {
                throw MetricsError("\(n) shows several columns and cannot be used in a formula")
            }
            measures.formUnion(def.measures)
            return ("(\(def.outputs[0].expression))", def.display, def.kind == .additive)
        }
    }

    /// Fails with what to load when a KPI needs a dataset that is not there.
    func checkData(_ plan: Plan) throws {
        let sources = Set(plan.measures.map(\.source))
        let names = plan.kpiNames.joined(separator: ", ")
        if sources.contains(.spend), try !db.tableExists("spend") {
            throw MetricsError("\(names) needs ad spend: load spend from 'file.csv'")
        }
        if sources.contains(.traffic), try !db.tableExists("traffic") {
            throw MetricsError("\(names) needs traffic (sessions): load traffic from 'file.csv'")
        }
        if sources.contains(.nps), try !db.tableExists("nps") {
            throw MetricsError("\(names) needs survey answers: load nps from 'file.csv'")
        }
    }

    func dropFirstColumn(_ t: ResultTable) -> ResultTable {
        ResultTable(columns: Array(t.columns.dropFirst()), rows: t.rows.map { Array($0.dropFirst()) },
                    formats: Array(t.formats.dropFirst()), notes: t.notes, summaryRows: t.summaryRows)
    }

    /// Appends a total row per segment: sums of additive columns, NULL elsewhere.
    func addTotals(_ t: inout ResultTable, columns: [Column], plan: Plan) {
        guard plan.grain != nil || !plan.dims.isEmpty, columns.contains(where: \.additive) else { return }
        let keyCount = t.columns.count - columns.count
        let segmentIndex: Int? = plan.hasSegments ? 0 : nil
        var out: [[Value]] = []
        var summary: Set<Int> = []
        var i = 0
        while i < t.rows.count {
            var j = i
            while j < t.rows.count, segmentIndex.map({ t.rows[j][$0] == t.rows[i][$0] }) ?? true { j += 1 }
            let block = t.rows[i..<j]
            out += block
            if block.count > 1 {
                var total: [Value] = Array(repeating: .null, count: t.columns.count)
                if let s = segmentIndex { total[s] = t.rows[i][s] }
                total[segmentIndex == nil ? 0 : 1] = .text("total")
                for (c, col) in columns.enumerated() where col.additive {
                    let values = block.map { $0[keyCount + c] }
                    if values.allSatisfy({ if case .integer = $0 { true } else { $0.isNull } }) {
                        total[keyCount + c] = .integer(values.reduce(0) { $0 + ($1.intValue ?? 0) })
                    } else {
                        total[keyCount + c] = .real(values.reduce(0.0) { $0 + ($1.doubleValue ?? 0) })
                    }
                }
                summary.insert(out.count)
                out.append(total)
            }
            i = j
        }
        t.rows = out
        t.summaryRows = summary
    }

    /// Names the user can type: built-ins and derived.
    static func allNames(derived: [String: KPIExpression]) -> [String] {
        KPICatalogue.all.map(\.name) + derived.keys.sorted()
    }

    /// "; did you mean 'aov'?" for a near miss, "" otherwise.
    public static func suggestion(for name: String, among names: [String]) -> String {
        let best = names.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, name.count / 3) else { return "" }
        return "; did you mean '\(best.0)'?"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var prev = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return a.isEmpty ? b.count : prev[b.count]
    }
}
