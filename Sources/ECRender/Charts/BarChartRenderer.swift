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

    /// Grouped bars for several series in one unit (e.g. one KPI for several
    /// segments): under each row's label one bar per series, numbered as in the
    /// legend on the header line (and coloured when colour is on), all on one
    /// scale so the series compare by length. Summary rows are left out.
    public func render(_ fullTable: ResultTable, valueColumns columns: [Int], to sink: TextSink) throws(ChartError) {
        let table = fullTable.withoutSummaryRows
        guard case .series(let numeric) = TableShape(table), !columns.isEmpty, columns.allSatisfy(numeric.contains) else {
            throw ChartError("a bar chart needs a label column and numeric columns (like 'kpi gmv by month for vip, one_timers')")
        }
        guard columns.count > 1 else { return try render(fullTable, valueColumn: columns[0], to: sink) }
        let formatter = options.cellFormatter
        let labels = table.rows.map { CellText.truncate(CellText.visible(formatter.text($0.first ?? .null, format: table.formats.first ?? .auto)), to: options.maxColumnWidth) }
        let largest = columns.flatMap { c in table.rows.compactMap { c < $0.count ? $0[c].doubleValue : nil } }.filter(\.isFinite).max() ?? 0
        let labelWidth = max(DisplayWidth.of(table.columns[0]), labels.map(DisplayWidth.of).max() ?? 0)
        let tagWidth = String(columns.count).count
        func tag(_ k: Int) -> String { CellText.pad(String(k + 1), to: tagWidth, right: true) }
        func colour(_ k: Int) -> String { Self.seriesColours[k % Self.seriesColours.count] }
        let legend = columns.enumerated().map { k, c in
            ANSIStyle.apply(colour(k), tag(k), when: options.color) + " " + table.columns[c]
        }.joined(separator: "  ")
        var out = ANSIStyle.apply(ANSIStyle.bold, CellText.pad(table.columns[0], to: labelWidth, right: false), when: options.color)
            + " " + String(repeating: " ", count: tagWidth) + " " + legend + "\n"
        for (r, row) in table.rows.enumerated() {
            for (k, c) in columns.enumerated() {
                let v = c < row.count ? row[c] : .null
                var bar = ""
                if let d = v.doubleValue, d.isFinite, d > 0, largest > 0 { bar = Self.bar(d / largest * Double(barWidth)) }
                let format = c < table.formats.count ? table.formats[c] : .auto
                out += CellText.pad(k == 0 ? labels[r] : "", to: labelWidth, right: false) + " "
                    + ANSIStyle.apply(colour(k), tag(k), when: options.color) + "│"
                    + ANSIStyle.apply(colour(k), bar, when: options.color) + (bar.isEmpty ? "" : " ") + formatter.text(v, format: format) + "\n"
            }
        }
        sink.write(out)
    }

    /// Cyan, magenta, yellow, green, blue, red.
    static let seriesColours = ["\u{1B}[36m", "\u{1B}[35m", "\u{1B}[33m", "\u{1B}[32m", "\u{1B}[34m", "\u{1B}[31m"]

    /// A bar `length` columns long, rounded to the nearest eighth.
    public static func bar(_ length: Double) -> String {
        let eighths = Int((max(0, length) * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
    }
}
