import ECStore

/// `scorecard [by GRAIN]`: the latest period of each KPI against the one before
/// and its target, grouped by objective (objectives → key results → status).
public struct Scorecard: Sendable {
    /// One KPI's line.
    public struct Line: Sendable {
        public var kpi: String
        public var objective: String?
        public var previous: Value
        public var current: Value
        public var display: KPIDefinition.Display
        public var direction: KPIDefinition.Direction
        /// Change on the previous period: points for rates and scores, percent otherwise.
        public var change: Change?
        public var target: Target?
        public var status: Status

        /// ▲, ▼, ＝ or – when either period is blank.
        public var trend: String {
            guard let now = current.doubleValue, let before = previous.doubleValue else { return "–" }
            return now > before ? "▲" : now < before ? "▼" : "＝"
        }

        /// Whether the move is good news, by the KPI's direction (nil: neutral or flat).
        public var trendIsGood: Bool? {
            guard let now = current.doubleValue, let before = previous.doubleValue, now != before else { return nil }
            switch direction {
            case .higherIsBetter: return now > before
            case .lowerIsBetter: return now < before
            case .neutral: return nil
            }
        }
    }

    public enum Change: Sendable, Equatable {
        case points(Double), percent(Double)
    }

    public enum Status: Sendable, Equatable {
        case noData, noTarget, met, missed

        /// The words for this status under a target (direction-aware: "above the limit").
        public func text(for target: Target?) -> String {
            switch self {
            case .noData: return "no data"
            case .noTarget: return "no target"
            case .met: return target?.comparison.wording.met ?? "on target"
            case .missed: return target?.comparison.wording.missed ?? "below target"
            }
        }
    }

    /// The KPIs every scorecard shows, in reading order (customer equity first after sales).
    public static let standardKPIs = ["gmv", "revenue", "active_members", "retention_rate", "repeat_rate", "f2_rate", "nps", "cac", "margin_rate"]
    /// The standard KPIs computed from orders alone.
    static let orderKPIs: Set<String> = ["gmv", "revenue", "active_members", "retention_rate", "repeat_rate", "f2_rate", "margin_rate"]

    public var grain: TimeGrain
    public var lines: [Line]
    /// The previous and latest period labels.
    public var periods: (previous: String, latest: String)
    public var notes: [String]

    /// Objectives in the order their first key result was set.
    public var objectives: [String] {
        var out: [String] = []
        for l in lines { if let o = l.objective, !out.contains(o) { out.append(o) } }
        return out
    }

    /// Computes the scorecard: the standard KPIs, then any other KPI with a target.
    public static func build(db: Database, settings: MetricSettings, grain: TimeGrain) throws -> Scorecard {
        let (targets, problems) = try TargetStore.load(db)
        let byKPI = Dictionary(targets.map { ($0.kpi, $0) }, uniquingKeysWith: { _, last in last })
        var names = standardKPIs
        for t in targets where !names.contains(t.kpi) { names.append(t.kpi) }
        let engine = KPIEngine(db, settings: settings)
        var lines: [Line] = []
        var notes = problems
        var periods: (String, String)?
        // The standard KPIs over orders alone in one statement: one read of the orders for all of them
        // (5.3 -> 3.1 s for the scorecard at 10M orders), their periods the orders'. If it cannot run,
        // each runs alone and says why it was skipped.
        let together = names.filter { orderKPIs.contains($0) }
        var shared: KPIResult?
        do { shared = try engine.run(KPIQuery(kpis: together, groupBy: [.grain(grain)])) } catch is MetricsError { shared = nil }
        for name in names {
            let result: KPIResult
            if let shared, together.contains(name) {
                result = shared
            } else {
                do {
                    result = try engine.run(KPIQuery(kpis: [name], groupBy: [.grain(grain)]))
                } catch let e as MetricsError {
                    notes.append("\(name): skipped (\(e.message))")
                    continue
                }
            }
            let data = result.table.rows.enumerated().filter { !result.table.summaryRows.contains($0.offset) }.map(\.element)
            guard let last = data.last, let column = result.table.columns.firstIndex(of: name),
                  let (display, direction) = KPIEngine.presentation(of: name, db: db) else { continue }
            let previous = data.count >= 2 ? data[data.count - 2] : nil
            periods = (previous?[0].description ?? "–", last[0].description)
            let now = last[column], before = previous?[column] ?? .null
            let target = byKPI[name]
            var status: Status = now.doubleValue == nil ? .noData : .noTarget
            if let target, let v = now.doubleValue { status = target.comparison.holds(v, target.value) ? .met : .missed }
            lines.append(Line(kpi: name, objective: target?.objective, previous: before, current: now, display: display,
                              direction: direction, change: change(from: before, to: now, display: display),
                              target: target, status: status))
        }
        let labels = periods ?? ("previous", "latest")
        notes.insert("latest \(grain.rawValue) \(labels.1) against \(labels.0); the latest period may still be in progress", at: 0)
        notes.append("customer equity (active members, retention, repeat, F2, NPS, LTV/CAC) outlasts GMV: read them together")
        return Scorecard(grain: grain, lines: lines, periods: labels, notes: notes)
    }

    /// Rates change in points (a retention of 24% → 25% is +1 pt), amounts in percent.
    static func change(from before: Value, to now: Value, display: KPIDefinition.Display) -> Change? {
        guard let now = now.doubleValue, let before = before.doubleValue else { return nil }
        switch display {
        case .percent: return .points((now - before) * 100)
        case .score: return .points(now - before)
        default: return before == 0 ? nil : .percent((now / before - 1) * 100)
        }
    }
}
