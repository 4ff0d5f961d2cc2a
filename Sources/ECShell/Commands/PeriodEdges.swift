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
    /// The table with partial edge periods marked (`2024-W48*`) in people's formats, and a
    /// note for each; unchanged when both edges are whole or the grain is a day.
    static func mark(_ table: ResultTable, grain: TimeGrain, range: ClosedRange<Int>,
                     weekStart: MetricSettings.WeekStart, starLabels: Bool) -> ResultTable {
        guard grain != .day, let column = table.columns.firstIndex(of: PeriodCalendar.labelColumn(grain)) else { return table }
        let first = PeriodCalendar.period(of: range.lowerBound, grain: grain, weekStart: weekStart)
        let last = PeriodCalendar.period(of: range.upperBound, grain: grain, weekStart: weekStart)
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
        if starLabels {
            for r in marked.rows.indices where !marked.summaryRows.contains(r) && column < marked.rows[r].count {
                if case .text(let label) = marked.rows[r][column], labels.contains(label) { marked.rows[r][column] = .text(label + "*") }
            }
        }
        for p in partial {
            let inRange = p.to - p.from + 1
            marked.notes.append("* \(p.label) is partial: \(DayNumber.isoDate(p.from)) to \(DayNumber.isoDate(p.to)), "
                                + "\(inRange) of its \(p.days) days in the range; compare it with whole \(grain.rawValue)s with care")
        }
        return marked
    }
}
