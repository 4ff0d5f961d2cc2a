import ECStore
import ECAnalytics
import ECLanguage

/// Sends each parsed statement to its handler.
extension Session {
    func dispatch(_ statement: ShellStatement) throws {
        // Bounds a previous statement asked the server for may have changed since (another client's writes).
        database.forgetRemembered()
        // A statement that computes a result without SQL of its own (nps, kpi tree, scorecard, …) must not
        // leave an earlier statement's SQL to `show sql`, as if it were its own.
        if Self.computesResult(statement.kind) { lastSQL = nil }
        switch statement.kind {
        case .sql(let raw): try runSQL(raw)
        case .tables: try listTables()
        case .rebuild: try rebuildDerivedData()
        case .describe(let name): try describeTable(name)
        case .head(let name, let rows): try head(name, rows: rows)
        case .load(let load): try runLoad(load)
        case .export(let path, let bom): try export(to: path, bom: bom)

        case .defineSegment(let name, let predicate): try defineSegment(name, predicate)
        case .segments: try reading { try listSegments() }
        case .dropSegment(let name): try dropSegment(name)

        case .kpis: try listKPIs()
        case .kpi(let query): try reading { try runKPI(query) }
        case .kpiTree(let query): try reading { try runKPITree(query) }
        case .defineKPI(let name, let formula): try defineKPI(name, formula)
        case .dropKPI(let name): try dropKPI(name)
        case .target(let target): try setTarget(target)
        case .scorecard(let by): try reading { try scorecard(by: by) }

        case .cohort(let query): try reading { try followingCustomers("cohorts") { try runCohort(query) } }
        case .nps(let query): try reading { try runNPS(query) }
        case .npsCompare(let comparison): try reading { try compareNPS(comparison) }
        case .unitEconomics(let query): try reading { try followingCustomers("unit economics") { try runUnitEconomics(query) } }
        case .predictLTV(let query): try reading { try followingCustomers("predictions") { try predictLTV(query) } }
        case .predictAlive(let query): try reading { try followingCustomers("predictions") { try predictAlive(query) } }
        case .predictValidate(let holdout, let model): try reading { try followingCustomers("predictions") { try predictValidate(holdout: holdout, model: model) } }
        case .simulateTransition(let query): try reading { try simulateTransition(query) }
        case .assume(let name, let value): try assume(name, value)

        case .explain(let topic): try explain(topic, at: statement.range)
        case .tutorial(let step): try tutorial(step)
        case .answer(let text): try answer(text)
        case .help(let topic): try help(topic)

        case .set(let s): try set(s)
        case .showSettings: try showSettings()
        case .showSQL: showSQL()
        case .timer(let on): options.timer = on; say("timer \(on ? "on" : "off")")
        case .chart(let on): options.chart = on; say("charts \(on ? "on" : "off")")
        case .run(let path): try runNested(path)
        case .quit: quitRequested = true
        }
    }

    /// Cohorts, unit economics and predictions follow customers. On a workspace whose counted orders all lack a
    /// customer key (a file without a customer column, or one ecsh did not recognise) they failed with "no counted
    /// orders" or "no customers … check the order filter, segment and calibration date", which hid the cause: the
    /// statement's error names it instead, with the way out. Looked at only when the statement has failed.
    func followingCustomers(_ what: String, _ body: () throws -> Void) throws {
        do { try body() } catch {
            let counted = (try? metricSettings())?.countedCondition() ?? SQLFragment("TRUE")
            guard try database.tableExists("orders"),
                  let row = try? database.query("SELECT count(*), count(customer_id) FROM orders WHERE \(counted.sql)", counted.bindings).rows.first,
                  let orders = row[0].intValue, orders > 0, row[1].intValue == 0 else { throw error }
            throw ShellError("\(what) follow customers, and none of the \(grouped(Int(orders))) counted orders has a customer key (all are guest orders)",
                             help: "load the orders again naming the column that holds the customer: load orders from 'FILE' map customer_id = \"Header\" "
                                 + "(order KPIs such as kpi gmv, orders, aov need none)")
        }
    }

    /// Whether `show sql` after this statement is about it: true for every statement that shows a result
    /// or reads data; false for those that change how results show or run others (set, timer, export, run, …).
    static func computesResult(_ kind: StatementKind) -> Bool {
        switch kind {
        case .showSQL, .set, .showSettings, .timer, .chart, .help, .quit, .run, .export, .assume, .load, .rebuild,
             .target, .defineKPI, .dropKPI, .dropSegment, .answer:
            return false
        default:
            return true
        }
    }

    /// Runs a statement that reads the workspace (KPIs, cohorts, NPS, unit economics, CLV) in one
    /// read transaction: all its queries see the state committed when it began, even when another
    /// process commits a load while it runs (reading the facts before that commit and the order
    /// snapshot after it would give numbers that belong to neither state). Derived data is brought
    /// up to date first, outside, where it may wait for another writer; what the statement still
    /// writes (the period calendar) goes to `temp` when the workspace is being written.
    func reading(_ body: () throws -> Void) throws {
        guard database.engine == .sqlite, !database.isInTransaction else { return try body() }
        if try database.tableExists("orders") {
            // A workspace the facts cannot be built for says why from the statement itself, if it needs them.
            do { try CustomerFacts.ensureCurrent(database, settings: try metricSettings()) } catch is MetricsError {}
        }
        do {
            try database.readTransaction {
                snapshotTaken?()
                try body()
            }
        } catch let e as DatabaseError where e.isBusy && !database.interruptFlag.isRaised {
            // It had to write to the workspace after all, while another process wrote: once more,
            // without the read transaction, waiting for the other writer as any write does.
            try body()
        }
    }
}
