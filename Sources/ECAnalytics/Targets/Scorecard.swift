import ECStore
import ECRender

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
        /// `notYet`: blank in the latest period while an earlier one has a figure (`f2_rate`, whose
        /// window has not elapsed for the latest period's new customers).
        case noData, notYet, noTarget, met, missed

        /// The words for this status under a target (direction-aware: "above the limit").
        public func text(for target: Target?) -> String {
            switch self {
            case .noData: return "no data"
            case .notYet: return "not yet known"
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
        var range: ClosedRange<Int>?
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
            range = range ?? result.dateRange
            let now = last[column], before = previous?[column] ?? .null
            let target = byKPI[name]
            var status: Status = now.doubleValue == nil ? .noData : .noTarget
            // A blank latest figure with an earlier one (f2_rate's window still open): say which is the latest known,
            // and why it is blank in the KPI's own words, rather than "no data".
            if now.doubleValue == nil, let known = data.last(where: { !$0[column].isNull }) {
                status = .notYet
                let why = result.table.notes.first { $0.hasPrefix("\(name): ") }.map { " (" + $0.dropFirst(name.count + 2) + ")" } ?? ""
                notes.append("\(name): blank for \(last[0].description)\(why); the latest \(grain.rawValue) with a figure is \(known[0].description): "
                             + CellFormatter(currency: settings.currency).text(known[column], format: display.format(currency: settings.currency)))
            }
            if let target, let v = now.doubleValue { status = target.comparison.holds(v, target.value) ? .met : .missed }
            lines.append(Line(kpi: name, objective: target?.objective, previous: before, current: now, display: display,
                              direction: direction, change: change(from: before, to: now, display: display),
                              target: target, status: status))
        }
        let labels = periods ?? ("previous", "latest")
        notes.insert("latest \(grain.rawValue) \(labels.1) against \(labels.0)", at: 0)
        if let range, let partial = partialLatest(grain: grain, range: range, weekStart: settings.weekStart) {
            notes.insert(partial.note + (try likeForLike(partial, engine: engine, currency: settings.currency)), at: 1)
        }
        notes.append("customer equity (active members, retention, repeat, F2, NPS, LTV/CAC) outlasts GMV: read them together")
        return Scorecard(grain: grain, lines: lines, periods: labels, notes: notes)
    }

    /// A latest period the data covers only in part (as_of before its end): its sums (GMV, revenue) and its
    /// rates over the period read low against the whole one before, so the note says how much of it the data
    /// covers, and `likeForLike` sets it against the same days of the period before.
    struct PartialPeriod {
        var note: String
        var label: String, start: Int, end: Int
        var before: String, beforeStart: Int, beforeEnd: Int
    }

    static func partialLatest(grain: TimeGrain, range: ClosedRange<Int>, weekStart: MetricSettings.WeekStart) -> PartialPeriod? {
        guard grain != .day else { return nil }
        let last = PeriodCalendar.period(of: range.upperBound, grain: grain, weekStart: weekStart)
        guard last.end > range.upperBound, last.start >= range.lowerBound else { return nil }
        let days = range.upperBound - last.start + 1
        let before = PeriodCalendar.period(of: last.start - 1, grain: grain, weekStart: weekStart)
        let note = "\(last.label) is partial: \(DayNumber.isoDate(last.start)) to \(DayNumber.isoDate(range.upperBound)), \(days) of its "
            + "\(last.end - last.start + 1) days; its sums (gmv, revenue) and rates over the \(grain.rawValue) read low against the whole "
            + "\(before.label), and so do its change and trend"
        return PartialPeriod(note: note, label: last.label, start: last.start, end: range.upperBound,
                             before: before.label, beforeStart: before.start, beforeEnd: min(before.end, before.start + days - 1))
    }

    /// "; like for like: gmv ¥4,913,846 against ¥4,268,150 in the same 46 days of 2024-Q3 (+15.1%)", with the statement
    /// that gives the earlier figure; empty when GMV cannot be computed for either span.
    static func likeForLike(_ p: PartialPeriod, engine: KPIEngine, currency: String) throws -> String {
        func gmv(_ from: Int, _ to: Int) throws -> Double? {
            try engine.run(KPIQuery(kpis: ["gmv"], from: DayNumber.isoDate(from), to: DayNumber.isoDate(to))).table.rows.first?.first?.doubleValue
        }
        guard let now = try gmv(p.start, p.end), let before = try gmv(p.beforeStart, p.beforeEnd) else { return "" }
        let money = { (v: Double) in CellFormatter(currency: currency).text(.real(v), format: .currency(code: currency)) }
        let change = before == 0 ? "" : String(format: " (%+.1f%%)", (now / before - 1) * 100)
        return "; like for like: gmv \(money(now)) against \(money(before)) in the same \(p.end - p.start + 1) days of \(p.before)\(change)"
            + " (kpi gmv, revenue from \(DayNumber.isoDate(p.beforeStart)) to \(DayNumber.isoDate(p.beforeEnd)))"
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
