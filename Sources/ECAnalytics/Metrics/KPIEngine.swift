import ECStore
import ECLanguage

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
/// it can hold the query (a `where` filter is a mask of the orders it keeps,
/// `OrderMask`; a column of `orders` is read by row, `OrderColumnCodes`; not
/// with lifetime KPIs); otherwise from the reference SQL over `orders`, which
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
    /// The `where` filter's order mask, shared with the total row's query (`OrderMasks`).
    let orderMasks = OrderMasks()
    /// The segments' customers, shared by the statement's passes (`SegmentMembers`).
    let segmentMembers = SegmentMembers()
    /// The NPS answers per segment and day, shared with the total row's query (`NPSDayCounts`).
    let npsDays = NPSDayCounts()
    /// Bytes of per-customer state a read of the snapshot keeps at most (`SnapshotPass.shareKeys`).
    var stateBytes = SnapshotPass.defaultStateBytes

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
        var total: KPIDefinition.TotalRule
        /// The KPI the column belongs to (`sales` has eight columns).
        var kpi: String
    }

    /// Runs one statement. What the engine keeps between a statement's passes (segment members, NPS
    /// counts per day) is for that statement only: an engine that runs several (a scorecard) reads
    /// each afresh.
    public func run(_ query: KPIQuery) throws -> KPIResult {
        segmentMembers.forget()
        npsDays.forget()
        return try run(query, counted: nil)
    }

    /// `counted`: the query is a total row's, whose cells the snapshot pass of the query it
    /// totals has counted already (`CountedTotals`).
    func run(_ query: KPIQuery, counted: CountedTotals?) throws -> KPIResult {
        let (columns, measures, resolvedNotes) = try resolveAll(query)
        var notes = resolvedNotes
        // NPS answers counted once for the rows and the total row (not on the reference route), by a scan that
        // checks their scores too.
        let countsNPSDays = route != .sql && db.engine == .sqlite && measures.contains { $0.source == .nps }
        try checkData(measures: measures, kpis: query.kpis, scores: !countsNPSDays)
        let plan = try counted?.pass.plan ?? Plan.make(query: query, measures: measures, engine: self)
        notes += try plan.notes(engine: self)
        // show sql prints the reference SQL over orders; the snapshot route computes the same
        // order measures in one pass and finishes with the same SQL over its measures table.
        let (sql, bindings) = plan.sql(columns: columns)
        var running = plan
        if countsNPSDays {
            do { running.npsDays = try npsDays.table(for: plan, in: db, members: segmentMembers) } catch let e as StoreError {
                throw MetricsError(e.message, about: query.kpis.first)
            }
        }
        var table: ResultTable
        var ranSQL = false
        var filled = false, countedTotals: CountedTotals?
        // A PostgreSQL workspace has no snapshot: the reference SQL runs in the engine.
        if route != .sql, db.engine == .sqlite, plan.hasOrders {
            if let counted {
                try counted.pass.write(counted: counted.cells)
                if plan.sources.contains(.lifetime) {
                    if let folded = counted.lifetime { try counted.pass.writeLifetime(counted: folded) } else { try counted.pass.runLifetime() }
                }
                filled = true
            } else {
                let totals = canTakeSnapshot(plan) ? totalsPlan(columns: columns, query: query, plan: plan) : nil
                (filled, countedTotals) = try fillMeasuresFromSnapshot(plan, totals: totals)
            }
        }
        if filled {
            let fast = running.sql(columns: columns, fromSnapshot: true)
            table = try db.query(fast.0, fast.1)
        } else {
            guard route != .snapshot else { throw MetricsError("this query cannot take the snapshot route") }
            if plan.needsBase { try CustomerFacts.ensureOrdersIndex(db) }
            let (runSQL, runBindings) = running.npsDays == nil ? (sql, bindings) : running.sql(columns: columns)
            table = try db.query(runSQL, runBindings)
            ranSQL = true
        }
        table.formats = plan.keyFormats + columns.map { $0.display.format(currency: settings.currency) }
        table.notes = notes
        if let note = try blankCostNote(table, columns: columns, running: running, fromSnapshot: filled) { table.notes.append(note) }
        if counted == nil, let note = try earlyStartNote(plan: plan, query: query) { table.notes.append(note) }
        if counted == nil, let note = try lateEndNote(plan: plan) { table.notes.append(note) }
        if !plan.hasSegments, !table.columns.isEmpty { table = dropFirstColumn(table) }
        try addTotals(&table, columns: columns, plan: plan, query: query, counted: countedTotals)
        if plan.segments.count > 1, plan.grain != nil || !plan.dims.isEmpty { table = table.pivotingSegments(kpiColumnCount: columns.count, segments: plan.segments.map(\.name)) }
        // Rates under 10% get two decimals; a change (revenue_change, `repeaters cvr_change`) keeps one.
        table.formats = table.formatsWithFinerSmallPercents { $0.hasSuffix("_change") }
        return KPIResult(table: table, sql: sql, bindings: bindings, ranReferenceSQL: ranSQL, dateRange: plan.startDay...plan.endDay)
    }

    /// Every KPI's output columns, the measures they need and the notes on their formulas.
    func resolveAll(_ query: KPIQuery) throws -> ([Column], Set<Measure>, [String]) {
        guard !query.kpis.isEmpty else { throw MetricsError("name at least one KPI, e.g. kpi gmv by month; `kpis` lists them") }
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
        return (columns, measures, notes)
    }

    /// The output columns and measures of a KPI, following derived formulas.
    func resolve(_ name: String, derived: [String: KPIExpression]) throws -> ([Column], Set<Measure>, String?) {
        if let formula = derived[name] {
            var ms: Set<Measure> = []
            let compiled = try Self.compile(.ref(name), derived: derived, measures: &ms)
            return ([Column(name: name, expression: compiled.sql, display: compiled.display ?? .decimal,
                            total: compiled.total, kpi: name)], ms, "\(name) = \(formula.description)")
        }
        guard let def = KPICatalogue.named(name) else {
            if let problem = DerivedKPIs.problem(with: name, db: db) {
                throw MetricsError("the stored formula of '\(name)' cannot be read (\(problem)); define it again", about: name)
            }
            // "…; did you mean 'aov'? `kpis` lists them": the question ends the suggestion, so no "?;".
            let near = Self.kpiSuggestion(for: name, among: Self.allNames(derived: derived))
            throw MetricsError("unknown KPI '\(name)'" + (near.isEmpty ? "; `kpis` lists them" : near + " `kpis` lists them"),
                              about: name)
        }
        let cols = def.outputs.map { o in
            Column(name: o.name, expression: o.expression, display: o.display, total: o.total, kpi: def.name)
        }
        var note: String?
        // Vendors name spend ratios inconsistently: print the formula in force.
        if def.datasets.contains(.spend), def.measures.count > 1 { note = "\(def.name) = \(def.formula)" }
        return (cols, def.measures, note)
    }

    /// Fails with what to load when a KPI reads a dataset that is not there
    /// (the datasets come from the KPIs' measures, as the catalogue declares them).
    /// `scores`: check the NPS answers' scores here (else the statement's scan of them does: `NPSDayCounts`).
    func checkData(measures: Set<Measure>, kpis: [String], scores: Bool) throws {
        let names = kpis.map { $0.lowercased() }.joined(separator: ", ")
        let needed = Set(measures.map(\.source.dataset))
        for dataset in DatasetRole.allCases where needed.contains(dataset) {
            guard try !db.tableExists(dataset.rawValue) else { continue }
            throw MetricsError("\(names) needs \(dataset.missingMessage)", about: kpis.first)
        }
        // Scores outside 0..10 are data errors for `kpi nps` as for `nps`, not detractors.
        if needed.contains(.nps), scores {
            do { try NPSEngine.checkScores(db) } catch let e as StoreError { throw MetricsError(e.message, about: kpis.first) }
        }
    }

    func dropFirstColumn(_ t: ResultTable) -> ResultTable {
        ResultTable(columns: Array(t.columns.dropFirst()), rows: t.rows.map { Array($0.dropFirst()) },
                    formats: Array(t.formats.dropFirst()), notes: t.notes, summaryRows: t.summaryRows)
    }

    /// Names the user can type: built-ins and derived.
    static func allNames(derived: [String: KPIExpression]) -> [String] {
        KPICatalogue.all.map(\.name) + derived.keys.sorted()
    }

    /// "; did you mean 'aov'?" for a near miss, "" otherwise (ecsh's one did-you-mean).
    public static func suggestion(for name: String, among names: [String]) -> String {
        didYouMean(name, among: names).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// For an unknown KPI: a near miss (`aovv` → aov), else ecsh's name for what analysts
    /// call it otherwise (`cm2` → margin, `churn` → churn_rate, `売上` → revenue or gmv).
    static func kpiSuggestion(for name: String, among names: [String]) -> String {
        kpiHelp(for: name, among: names).map { "; " + $0 } ?? ""
    }

    /// "did you mean 'margin'?" for an unknown KPI (see `kpiSuggestion`), nil when nothing fits.
    public static func kpiHelp(for name: String, among names: [String]) -> String? {
        let kpis = didYouMean(name, among: names).map { [$0] } ?? KPICatalogue.kpis(calledOtherwise: name)
        guard !kpis.isEmpty else { return nil }
        return "did you mean " + kpis.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
}
