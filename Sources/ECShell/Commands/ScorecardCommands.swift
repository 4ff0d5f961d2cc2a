import Foundation
import ECStore
import ECLanguage
import ECAnalytics
import ECRender

/// `target KPI OP VALUE` and `scorecard [by GRAIN]`.
extension Session {
    /// `target repeat_rate >= 35%`: stored in the workspace, shown by `scorecard`.
    func setTarget(_ t: TargetStatement) throws {
        let known = KPICatalogue.all.map(\.name) + Array(try DerivedKPIs.load(database).keys)
        guard known.contains(t.kpi.folded) else {
            throw Diagnostic.unknownName("KPI", t.kpi.name, at: t.kpi.range, among: known)
        }
        guard let value = t.value.value.numberValue else {
            throw ShellError("a target is a number, e.g. 35% or 1200", at: t.value.range)
        }
        try ensureBookkeeping()
        let text = "\(t.kpi.folded) \(t.comparison.value.rawValue) \(formatTarget(value, kpi: t.kpi.folded))"
        try database.execute("INSERT OR REPLACE INTO ecsh_targets (kpi, op, value, definition) VALUES (?, ?, ?, ?)",
                             [.text(t.kpi.folded), .text(t.comparison.value.rawValue), .real(value), .text(text)])
        say("target \(text)")
    }

    /// The customer-equity KPIs of the scorecard, in reading order.
    static let scorecardKPIs = ["gmv", "revenue", "active_members", "retention_rate", "repeat_rate", "f2_rate", "nps", "cac", "margin_rate"]

    /// `scorecard [by GRAIN]`: the latest complete period against the one before and the targets.
    func scorecard(by: Identifier?) throws {
        try requireTable("orders", for: "the scorecard", load: "orders", at: by?.range)
        let grainWord = by?.folded ?? "quarter"
        guard let grain = TimeGrain(rawValue: grainWord) else {
            throw Diagnostic.unknownName("time grain", by!.name, at: by!.range, among: TimeGrain.allCases.map(\.rawValue))
        }
        var targets: [String: (op: String, value: Double)] = [:]
        if try database.tableExists("ecsh_targets") {
            for r in try database.query("SELECT kpi, op, value FROM ecsh_targets").rows {
                targets[r[0].textValue!] = (r[1].textValue!, r[2].doubleValue!)
            }
        }
        let settings = try metricSettings()
        let engine = KPIEngine(database, settings: settings)
        var rows: [[Value]] = []
        var notes: [String] = []
        var periodLabels: (String, String)?
        let formatter = CellFormatter(currency: settings.currency)
        for name in Self.scorecardKPIs + targets.keys.filter({ !Self.scorecardKPIs.contains($0) }).sorted() {
            let result: KPIResult
            do {
                result = try engine.run(ECAnalytics.KPIQuery(kpis: [name], groupBy: [.grain(grain)]))
            } catch let e as MetricsError {
                notes.append("\(name): skipped (\(e.message))")
                continue
            }
            let data = result.table.withoutSummaryRows.rows
            guard data.count >= 1, let column = result.table.columns.firstIndex(of: name) else { continue }
            let current = data[data.count - 1]
            let previous = data.count >= 2 ? data[data.count - 2] : nil
            periodLabels = (previous?[0].description ?? "–", current[0].description)
            let now = current[column].doubleValue
            let before = previous?[column].doubleValue
            let format = KPICatalogue.named(name)?.format(currency: settings.currency) ?? .auto
            let isRate: Bool = { if case .percent = format { return true } else { return name == "nps" } }()
            // Rates change in points (a retention of 24% → 25% is +1 pt), amounts in percent.
            var change: Value = .null
            if let now, let before {
                if isRate {
                    let points = isPercent(format) ? (now - before) * 100 : now - before
                    change = .text(String(format: "%+.1f pt", points))
                } else if before != 0 {
                    change = .text(String(format: "%+.1f%%", (now / before - 1) * 100))
                }
            }
            let trend = now == nil || before == nil ? "–" : (now! > before! ? "▲" : now! < before! ? "▼" : "＝")
            var targetText: Value = .null, status: Value = .text(now == nil ? "no data" : "no target")
            if let t = targets[name] {
                targetText = .text("\(t.op) \(formatTarget(t.value, kpi: name))")
                if let now { status = .text(meets(now, t.op, t.value) ? "on target" : "below target") }
            }
            let shown = { (v: Value?) -> Value in v.map { $0.isNull ? .null : .text(formatter.text($0, format: format)) } ?? .null }
            rows.append([.text(name), shown(previous?[column]), shown(current[column]), change, .text(trend), targetText, status])
        }
        let labels = periodLabels ?? ("previous", "latest")
        notes.insert("latest \(grain.rawValue) \(labels.1) against \(labels.0); the latest period may still be in progress", at: 0)
        notes.append("customer equity (active members, retention, repeat, F2, NPS, LTV/CAC) outlasts GMV: read them together")
        show(ResultTable(columns: ["kpi", labels.0, labels.1, "change", "trend", "target", "status"], rows: rows,
                         formats: Array(repeating: .text, count: 7), notes: notes), sql: nil)
    }

    private func isPercent(_ f: ColumnFormat) -> Bool {
        if case .percent = f { return true }
        return false
    }

    private func meets(_ v: Double, _ op: String, _ t: Double) -> Bool {
        switch op {
        case ">=": return v >= t
        case ">": return v > t
        case "<=": return v <= t
        case "<": return v < t
        case "=": return abs(v - t) < 1e-9
        default: return abs(v - t) >= 1e-9
        }
    }

    func formatTarget(_ v: Double, kpi: String) -> String {
        if KPICatalogue.named(kpi)?.kind == .ratio && abs(v) <= 1 { return String(format: "%.1f%%", v * 100) }
        return String(format: v == v.rounded() ? "%.0f" : "%.2f", v)
    }
}
