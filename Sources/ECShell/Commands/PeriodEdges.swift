import ECStore
import ECAnalytics
import ECRender

/// Partial first and last periods of a KPI table by week, month, quarter or year.
///
/// `kpi customers by week from 2024-12-01 to 2024-12-31` starts with a week
/// that holds one day (Sunday 1 December) and ends with one that holds two;
/// read as full weeks they look like collapses. The label of such a period
/// gets a `*` and a footnote says how many of its days are in the range.
enum PeriodEdges {
    /// The table with partial edge periods marked (`2024-W48*`) in the rows people read (table,
    /// line, Markdown, HTML), and a note for each; unchanged when both edges are whole or the grain
    /// is a day. The machine rows (CSV, TSV, JSON, and `export` to them, whatever the session's
    /// format) keep the labels as they are: they are keys.
    /// `labelOf` names a period by its first day when the table labels periods its own way
    /// (NPS labels a week by its Monday, `2024-12-02`, where KPIs write `2024-W49`).
    static func mark(_ table: ResultTable, grain: TimeGrain, range: ClosedRange<Int>,
                     weekStart: MetricSettings.WeekStart, labelOf: ((Int) -> String)? = nil) -> ResultTable {
        guard grain != .day, let column = table.columns.firstIndex(of: PeriodCalendar.labelColumn(grain)) else { return table }
        var first = PeriodCalendar.period(of: range.lowerBound, grain: grain, weekStart: weekStart)
        var last = PeriodCalendar.period(of: range.upperBound, grain: grain, weekStart: weekStart)
        if let labelOf { first.label = labelOf(first.start); last.label = labelOf(last.start) }
        var partial: [(label: String, from: Int, to: Int, days: Int)] = []
        if first.start < range.lowerBound {
            partial.append((first.label, range.lowerBound, min(first.end, range.upperBound), first.end - first.start + 1))
        }
        if last.end > range.upperBound, last.label != first.label || partial.isEmpty {
            partial.append((last.label, max(last.start, range.lowerBound), range.upperBound, last.end - last.start + 1))
        }
        guard !partial.isEmpty else { return table }
        var marked = table
        let labels = Set(partial.map(\.label))
        marked.machineRows = table.rawRows
        for r in marked.rows.indices where !marked.summaryRows.contains(r) && column < marked.rows[r].count {
            if case .text(let label) = marked.rows[r][column], labels.contains(label) { marked.rows[r][column] = .text(label + "*") }
        }
        for p in partial {
            let inRange = p.to - p.from + 1
            marked.notes.append("* \(p.label) is partial: \(DayNumber.isoDate(p.from)) to \(DayNumber.isoDate(p.to)), "
                                + "\(inRange) of its \(p.days) days in the range; compare it with whole \(grain.rawValue)s with care")
        }
        return marked
    }
}

extension Session {
    /// `nps by week|month|quarter` and `nps compare by` one: partial first and last periods of the
    /// survey (its first to its last response day) are marked as for `kpi`. NPS weeks start on Monday.
    func markNPSPeriods(_ table: ResultTable, _ grouping: NPSGrouping) throws -> ResultTable {
        guard case .period(let unit) = grouping, let grain = TimeGrain(rawValue: unit.rawValue) else { return table }
        let edges = try database.query("SELECT min(day), max(day) FROM nps WHERE day IS NOT NULL").rows.first ?? []
        guard edges.count == 2, let first = edges[0].intValue, let last = edges[1].intValue else { return table }
        let from = Int(first), to = Int(last)
        guard from <= to else { return table }
        return PeriodEdges.mark(table, grain: grain, range: from...to, weekStart: .monday, labelOf: { unit.label(of: unit.index(ofDay: $0)) })
    }
}
