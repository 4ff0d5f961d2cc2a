import ECStore

/// One-line trend pictures (▁▂▃▄▅▆▇█) for KPI series.
public struct SparklineRenderer: Sendable {
    public var options: RenderOptions

    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// The sparkline for a series: eight levels from its minimum to its maximum;
    /// missing values are a space; a flat series sits at the middle level.
    public static func line(_ values: [Double?]) -> String {
        let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return String(repeating: " ", count: values.count) }
        return String(values.map { v -> Character in
            guard let v, v.isFinite else { return " " }
            if hi == lo { return levels[3] }
            return levels[min(7, Int((v - lo) / (hi - lo) * 8))]
        })
    }

    /// One line per numeric column: name, sparkline, first → last, min and max.
    /// Summary rows (totals) are not part of the series and are left out.
    public func render(_ fullTable: ResultTable, to sink: TextSink) throws(ChartError) {
        let table = fullTable.withoutSummaryRows
        guard case .series(let columns) = TableShape(table) else {
            throw ChartError("a sparkline needs a label column and a numeric column (like 'kpi gmv by month')")
        }
        let formatter = options.cellFormatter
        let nameWidth = columns.map { DisplayWidth.of(table.columns[$0]) }.max() ?? 0
        var out = ""
        for c in columns {
            let format = c < table.formats.count ? table.formats[c] : .auto
            let values = table.rows.map { c < $0.count ? $0[c] : .null }
            let numbers = values.map(\.doubleValue)
            let present = values.filter { !$0.isNull }
            let line = ANSIStyle.apply("\u{1B}[36m", Self.line(numbers), when: options.color)
            var summary = ""
            if let first = present.first, let last = present.last {
                let lo = present.min { ($0.doubleValue ?? 0) < ($1.doubleValue ?? 0) }!
                let hi = present.max { ($0.doubleValue ?? 0) < ($1.doubleValue ?? 0) }!
                summary = "  \(formatter.text(first, format: format)) → \(formatter.text(last, format: format))"
                    + "  (min \(formatter.text(lo, format: format)), max \(formatter.text(hi, format: format)))"
            }
            out += CellText.pad(table.columns[c], to: nameWidth, right: false) + "  " + line + summary + "\n"
        }
        sink.write(out)
    }
}
