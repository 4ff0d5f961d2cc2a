import Foundation
import ECStore
import ECLanguage
import ECAnalytics
import ECRender

/// `target KPI OP VALUE [under "OBJECTIVE"]` and `scorecard [by GRAIN]`; the
/// targets and the scorecard's numbers live in ECAnalytics (`TargetStore`,
/// `Scorecard`), this file only reads statements and lays the result out.
extension Session {
    /// `target repeat_rate >= 35%`: stored in the workspace, shown by `scorecard`.
    func setTarget(_ t: TargetStatement) throws {
        guard KPIEngine.knows(t.kpi.folded, db: database) else {
            throw Diagnostic("unknown KPI '\(t.kpi.name)'", at: t.kpi.range,
                             help: KPIEngine.kpiHelp(for: t.kpi.name, among: try KPIEngine.allNames(db: database)))
        }
        guard let value = t.value.value.numberValue,
              let comparison = Target.Comparison(rawValue: t.comparison.value.rawValue) else {
            throw ShellError("a target is a number, e.g. 35% or 1200", at: t.value.range)
        }
        // A share is stored as a fraction: `repeat_rate >= 30` is 3,000%, a target no share can meet.
        if case .percent = t.value.value {} else if abs(value) > 1, KPIEngine.presentation(of: t.kpi.folded, db: database)?.display == .percent {
            let written = Expr(.literal(t.value.value), range: t.value.range).description
            throw ShellError("\(t.kpi.folded) is a share: \(written) reads as \(formatTarget(value, kpi: t.kpi.folded)), not \(written)%", at: t.value.range,
                             help: "write \(written)% (the same as \(Expr(.literal(.real(value / 100)), range: t.value.range).description)); a share is a fraction of 1")
        }
        try ensureBookkeeping()
        let target = Target(kpi: t.kpi.folded, comparison: comparison, value: value, objective: t.objective?.value)
        let text = "\(target.kpi) \(comparison.rawValue) \(formatTarget(value, kpi: target.kpi))"
        try TargetStore.save(target, text: text, db: database)
        var line = "target \(text) (\(comparison.direction.rawValue))"
        if let o = target.objective { line += ", a key result of \"\(o)\"" }
        say(line)
        if let kpiDirection = KPIEngine.presentation(of: target.kpi, db: database)?.direction,
           kpiDirection != .neutral, comparison.direction != .neutral, kpiDirection != comparison.direction {
            say("  note: for \(target.kpi) \(kpiDirection.rawValue); this target asks for the opposite")
        }
    }

    /// `scorecard [by GRAIN]`: objectives → key results → status, then the other KPIs.
    func scorecard(by: Identifier?) throws {
        try requireTable("orders", for: "the scorecard", load: "orders", at: by?.range)
        var grain = TimeGrain.quarter
        if let by {
            guard let g = TimeGrain(rawValue: by.folded) else {
                throw Diagnostic.unknownName("time grain", by.name, at: by.range, among: TimeGrain.allCases.map(\.rawValue))
            }
            grain = g
        }
        let settings = try metricSettings()
        let card = try Scorecard.build(db: database, settings: settings, grain: grain)
        let formatter = CellFormatter(currency: settings.currency)
        let objectives = card.objectives
        var rows: [[Value]] = []
        // CSV, TSV and JSON get the numbers (0.242, not "24.2%"; a change of rates in points as the
        // difference of the ratios, 0.044; any other change as a ratio, 0.542 for +54.2%).
        var machineRows: [[Value]] = []
        var tones: [Int: [Int: CellTone]] = [:]
        func add(_ line: Scorecard.Line, indent: String) {
            // A rate under 10% shows two decimals, and so does its change in points (cvr 1.58% → 1.55% is
            // -0.03 pt; at one decimal it read 1.6%, 1.6%, -0.0 pt).
            let format = line.display.format(currency: settings.currency).finer(forRates: [line.previous, line.current])
            let shown = { (v: Value) -> Value in v.isNull ? .null : .text(formatter.text(v, format: format)) }
            var change: Value = .null, rawChange: Value = .null
            switch line.change {
            case .points(let p):
                change = .text(Self.pointsChange(p, before: line.previous, now: line.current, format: format))
                if let now = line.current.doubleValue, let before = line.previous.doubleValue { rawChange = .real(now - before) }
            case .percent(let p): change = .text(String(format: "%+.1f%%", p)); rawChange = .real(p / 100)
            case nil: break
            }
            let target: Value = line.target.map { .text("\($0.comparison.rawValue) \(formatTarget($0.value, kpi: line.kpi))") } ?? .null
            var rowTones: [Int: CellTone] = [:]
            if let good = line.trendIsGood { rowTones[4] = good ? .good : .bad }
            if line.status == .met { rowTones[6] = .good } else if line.status == .missed { rowTones[6] = .bad }
            if !rowTones.isEmpty { tones[rows.count] = rowTones }
            rows.append([.text(indent + line.kpi), shown(line.previous), shown(line.current), change, .text(line.trend), target,
                         .text(line.status.text(for: line.target))])
            machineRows.append([rows[rows.count - 1][0], line.previous, line.current, rawChange] + rows[rows.count - 1][4...])
        }
        for objective in objectives {
            let results = card.lines.filter { $0.objective == objective }
            let met = results.filter { $0.status == .met }.count
            rows.append([.text(objective), "", "", "", "", "", .text("\(met) of \(results.count) key results met")])
            machineRows.append(rows[rows.count - 1])
            tones[rows.count - 1] = [6: met == results.count ? .good : .bad]
            for line in results { add(line, indent: "  ") }
        }
        let others = card.lines.filter { $0.objective == nil }
        if !objectives.isEmpty, !others.isEmpty {
            rows.append([.text("other KPIs")] + Array(repeating: Value.text(""), count: 6))
            machineRows.append(rows[rows.count - 1])
        }
        for line in others { add(line, indent: objectives.isEmpty ? "" : "  ") }
        var notes = card.notes
        if !objectives.isEmpty { notes.insert("objectives first, each with its key results (targets set with `under`)", at: 1) }
        var table = ResultTable(columns: ["kpi", card.periods.previous, card.periods.latest, "change", "trend", "target", "status"],
                                rows: rows, formats: Array(repeating: .text, count: 7), notes: notes)
        table.tones = tones
        table.machineRows = machineRows
        show(table, sql: nil)
    }

    /// A change in points as the difference of the two figures as printed (24.2% → 28.7% is +4.5 pt, though
    /// 24.22% → 28.66% is +4.44): a reader checks it by subtracting what the row shows. `points` when either
    /// figure is not a percent or a score.
    static func pointsChange(_ points: Double, before: Value, now: Value, format: ColumnFormat) -> String {
        let places: Int, scale: Double
        switch format {
        case .percent(let p): (places, scale) = (p, 100)
        case .decimal(let p): (places, scale) = (p, 1)
        default: return String(format: "%+.1f pt", points)
        }
        // The figure as NumberText.fixed prints it ("%.Nf"), read back.
        func printed(_ v: Value) -> Double? { v.doubleValue.flatMap { Double(String(format: "%.\(places)f", $0 * scale)) } }
        guard let b = printed(before), let n = printed(now) else { return String(format: "%+.\(places)f pt", points) }
        let difference = Double(String(format: "%.\(places)f", n - b)) ?? n - b
        return String(format: "%+.\(places)f pt", difference == 0 ? 0 : difference)
    }

    /// A target in its KPI's display: `cac <= 3000` reads ¥3,000, `roas >= 1` reads 1.00, `f2_rate >= 25%` reads 25.0%.
    func formatTarget(_ v: Double, kpi: String) -> String {
        let settings = (try? metricSettings()) ?? MetricSettings()
        let display = KPIEngine.presentation(of: kpi, db: database)?.display ?? .decimal
        if display == .count { return CellFormatter(currency: settings.currency).text(.real(v), format: .decimal(places: v == v.rounded() ? 0 : 2)) }
        return CellFormatter(currency: settings.currency).text(.real(v), format: display.format(currency: settings.currency))
    }
}
