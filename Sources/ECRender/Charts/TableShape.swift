import ECStore

/// What a result looks like, so the writers can pick a fitting picture.
public enum TableShape: Sendable, Equatable {
    /// A cohort matrix: label, size, then two or more offset columns of numbers.
    case heatmap
    /// A series: a label column and one or more numeric columns (one point per row).
    case series(valueColumns: [Int])
    /// Anything else: shown as a table only.
    case plain

    /// Classifies a table. A heatmap needs a numeric second column and at least
    /// two more numeric columns whose headers are offsets (numbers, maybe prefixed
    /// "m"/"+"/"month "), so a KPI table with three columns is not taken for one.
    /// Columns after the offsets (a cohort's CAC and payback) do not matter.
    public init(_ table: ResultTable) {
        let n = table.columns.count
        guard n >= 2, !table.rows.isEmpty else { self = .plain; return }
        let numeric = (0..<n).map { c in
            CellFormatter.isNumericColumn(table.rows.lazy.map { c < $0.count ? $0[c] : .null },
                                          format: c < table.formats.count ? table.formats[c] : .auto)
        }
        let offsets = HeatmapLayout.offsetRun(table.columns)
        if n >= 4, numeric[1], offsets.count >= 2, offsets.allSatisfy({ numeric[$0] || Self.allNull(table, $0) }) {
            self = .heatmap
            return
        }
        let values = (1..<n).filter { numeric[$0] }
        self = values.isEmpty ? .plain : .series(valueColumns: values)
    }

    private static func allNull(_ table: ResultTable, _ c: Int) -> Bool {
        table.rows.allSatisfy { c >= $0.count || $0[c].isNull }
    }

    static func looksLikeOffset(_ name: String) -> Bool {
        var s = Substring(name.lowercased())
        for prefix in ["month ", "week ", "quarter ", "period ", "m", "w", "q", "+"] where s.hasPrefix(prefix) {
            s = s.dropFirst(prefix.count)
            break
        }
        return !s.isEmpty && s.allSatisfy(\.isNumber)
    }
}
