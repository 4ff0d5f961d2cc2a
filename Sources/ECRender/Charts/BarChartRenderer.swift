import ECStore

/// Horizontal bars in the terminal, one per row: label, bar, value.
///
/// Bars are drawn with full blocks and eighth blocks (▏▎▍▌▋▊▉) so lengths are
/// exact to 1/8 of a column. Lengths are proportional to the largest value;
/// negative values and NULL get no bar, only their value. Summary rows are left out.
public struct BarChartRenderer: Sendable {
    public var options: RenderOptions
    /// Columns the longest bar takes.
    public var barWidth: Int

    public init(options: RenderOptions = RenderOptions(), barWidth: Int = 40) {
        self.options = options
        self.barWidth = max(1, barWidth)
    }

    /// Draws column `valueColumn` (default: the first numeric column) against column 0.
    public func render(_ fullTable: ResultTable, valueColumn: Int? = nil, to sink: TextSink) throws(ChartError) {
        let table = fullTable.withoutSummaryRows
        guard case .series(let numeric) = TableShape(table), let c = valueColumn ?? numeric.first,
              numeric.contains(c) else {
            throw ChartError("a bar chart needs a label column and a numeric column (like 'kpi gmv by month')")
        }
        let format = c < table.formats.count ? table.formats[c] : .auto
        let formatter = options.cellFormatter
        let labels = table.rows.map { CellText.truncate(CellText.visible(formatter.text($0.first ?? .null, format: table.formats.first ?? .auto)), to: options.maxColumnWidth) }
        let values = table.rows.map { c < $0.count ? $0[c] : .null }
        let largest = values.compactMap(\.doubleValue).filter(\.isFinite).max() ?? 0
        let labelWidth = max(DisplayWidth.of(table.columns[0]), labels.map(DisplayWidth.of).max() ?? 0)
        var out = ANSIStyle.apply(ANSIStyle.bold, CellText.pad(table.columns[0], to: labelWidth, right: false) + "  " + table.columns[c], when: options.color) + "\n"
        for (r, v) in values.enumerated() {
            var bar = ""
            if let d = v.doubleValue, d.isFinite, d > 0, largest > 0 {
                bar = Self.bar(d / largest * Double(barWidth))
            }
            let shownBar = ANSIStyle.apply("\u{1B}[36m", bar, when: options.color)
            out += CellText.pad(labels[r], to: labelWidth, right: false) + " │" + shownBar
                + (bar.isEmpty ? "" : " ") + formatter.text(v, format: format) + "\n"
        }
        sink.write(out)
    }

    /// A bar `length` columns long, rounded to the nearest eighth.
    public static func bar(_ length: Double) -> String {
        let eighths = Int((max(0, length) * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
    }
}
