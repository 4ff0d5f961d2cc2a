import ECStore

/// Bars either side of a zero axis, one per row: losses to the left, gains to
/// the right (`simulate transition`'s cumulative cash flow, which starts below
/// zero and crosses it at payback). `BarChartRenderer` draws only positive
/// values, so a series that changes sign needs its own picture.
///
/// Both sides share one scale (the largest magnitude). Bars are whole
/// columns: there are no left-growing eighth blocks to make the negative side exact.
public struct DivergingBarRenderer: Sendable {
    public var options: RenderOptions
    /// Columns each side of the axis.
    public var halfWidth: Int

    public init(options: RenderOptions = RenderOptions(), halfWidth: Int = 20) {
        self.options = options
        self.halfWidth = max(1, halfWidth)
    }

    /// Draws column `valueColumn` against column 0; `marks` adds a word after a row's value (e.g. "pays back").
    public func render(_ fullTable: ResultTable, valueColumn c: Int, marks: [Int: String] = [:], to sink: TextSink) throws(ChartError) {
        let table = fullTable.withoutSummaryRows
        guard c > 0, c < table.columns.count, !table.rows.isEmpty else {
            throw ChartError("a diverging bar chart needs a label column and a numeric column")
        }
        let formatter = options.cellFormatter
        let format = c < table.formats.count ? table.formats[c] : .auto
        let labels = table.rows.map { CellText.visible(formatter.text($0.first ?? .null, format: table.formats.first ?? .auto)) }
        let values = table.rows.map { c < $0.count ? $0[c].doubleValue : nil }
        let largest = values.compactMap { $0 }.filter(\.isFinite).map(abs).max() ?? 0
        let labelWidth = max(DisplayWidth.of(table.columns[0]), labels.map(DisplayWidth.of).max() ?? 0)
        var out = ANSIStyle.apply(ANSIStyle.bold, CellText.pad(table.columns[0], to: labelWidth, right: false) + "  "
                                  + table.columns[c] + " (left of │ below zero)", when: options.color) + "\n"
        for (r, value) in values.enumerated() {
            var length = 0
            if let v = value, v.isFinite, largest > 0 { length = Int((abs(v) / largest * Double(halfWidth)).rounded()) }
            let negative = (value ?? 0) < 0
            let left = String(repeating: " ", count: halfWidth - (negative ? length : 0))
                + ANSIStyle.apply("\u{1B}[31m", negative ? String(repeating: "█", count: length) : "", when: options.color)
            let right = ANSIStyle.apply("\u{1B}[32m", negative ? "" : String(repeating: "█", count: length), when: options.color)
                + String(repeating: " ", count: halfWidth - (negative ? 0 : length))
            let text = formatter.text(value.map(Value.real) ?? .null, format: format)
            out += CellText.pad(labels[r], to: labelWidth, right: false) + " " + left + "│" + right + " " + text
                + (marks[r].map { "  ← " + $0 } ?? "") + "\n"
        }
        sink.write(out)
    }
}
