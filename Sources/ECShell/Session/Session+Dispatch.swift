import ECStore
import ECLanguage

/// Sends each parsed statement to its handler.
extension Session {
    func dispatch(_ statement: ShellStatement) throws {
        // Bounds a previous statement asked the server for may have changed since (another client's writes).
        database.forgetRemembered()
        switch statement.kind {
        case .sql(let raw): try runSQL(raw)
        case .tables: try listTables()
        case .rebuild: try rebuildDerivedData()
        case .describe(let name): try describeTable(name)
        case .head(let name, let rows): try head(name, rows: rows)
        case .load(let load): try runLoad(load)
        case .export(let path): try export(to: path)

        case .defineSegment(let name, let predicate): try defineSegment(name, predicate)
        case .segments: try listSegments()
        case .dropSegment(let name): try dropSegment(name)

        case .kpis: try listKPIs()
        case .kpi(let query): try runKPI(query)
        case .kpiTree(let query): try runKPITree(query)
        case .defineKPI(let name, let formula): try defineKPI(name, formula)
        case .dropKPI(let name): try dropKPI(name)
        case .target(let target): try setTarget(target)
        case .scorecard(let by): try scorecard(by: by)

        case .cohort(let query): try runCohort(query)
        case .nps(let query): try runNPS(query)
        case .npsCompare(let comparison): try compareNPS(comparison)
        case .unitEconomics(let query): try runUnitEconomics(query)
        case .predictLTV(let query): try predictLTV(query)
        case .predictAlive(let query): try predictAlive(query)
        case .predictValidate(let holdout, let model): try predictValidate(holdout: holdout, model: model)
        case .simulateTransition(let query): try simulateTransition(query)
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
}
