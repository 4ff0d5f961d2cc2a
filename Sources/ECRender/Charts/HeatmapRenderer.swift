import ECStore

/// A cohort matrix drawn in the terminal: one row per cohort, one cell per offset,
/// each cell shaded by its value, with a legend.
///
/// Input: column 0 is the cohort label, column 1 its size, then the offset
/// columns (retention ratios 0...1, or amounts such as margin per customer);
/// columns after the offsets, such as CAC and payback, are printed plain beside
/// the cells and stay out of the scale (see `HeatmapLayout`). NULL cells (not
/// yet elapsed) stay blank. With colour, cells get a background from light to
/// dark blue; without colour each value is preceded by a shade character ░▒▓█, so
/// the picture survives pipes, logs and NO_COLOR. The payback cell of each row
/// (the offset named in its `payback` column) carries `paybackMarker` after its
/// value, with a legend line, in both modes.
public struct HeatmapRenderer: Sendable {
    public var options: RenderOptions

    /// Marks the cell where cumulative margin per customer first covers CAC: a milestone, as on a Gantt chart.
    public static let paybackMarker: Character = "◆"

    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    public func render(_ table: ResultTable, to sink: TextSink) throws(ChartError) {
        guard table.columns.count >= 3 else {
            throw ChartError("a heatmap needs a label column, a size column and at least one offset column; got \(table.columns.count) columns")
        }
        let layout = HeatmapLayout(table)
        let offsets = layout.offsetColumns, extras = layout.extraColumns
        func value(_ row: [Value], _ c: Int) -> Value { c < row.count ? row[c] : .null }
        let numbers = table.rows.flatMap { row in offsets.compactMap { value(row, $0).doubleValue } }
        guard let scale = layout.colorScale(table) ?? ColorScale(values: numbers) else {
            throw ChartError("the heatmap has no numbers in its offset columns; check the cohort query")
        }
        // Ratios read as percentages unless the columns say otherwise.
        let isRatio = numbers.allSatisfy { $0 >= 0 && $0 <= 1 }
        let formatter = options.cellFormatter
        func columnFormat(_ c: Int) -> ColumnFormat { c < table.formats.count ? table.formats[c] : .auto }
        func cellFormat(_ c: Int) -> ColumnFormat {
            let f = columnFormat(c)
            return offsets.contains(c) && f == .auto && isRatio ? .percent(places: 0) : f
        }
        func text(_ v: Value, _ c: Int) -> String {
            v.isNull ? "" : CellText.visible(formatter.text(v, format: cellFormat(c)))
        }
        let labels = table.rows.map { CellText.truncate(text(value($0, 0), 0), to: options.maxColumnWidth) }
        let sizes = table.rows.map { text(value($0, 1), 1) }
        let labelWidth = max(DisplayWidth.of(table.columns[0]), labels.map(DisplayWidth.of).max() ?? 0)
        let sizeWidth = max(DisplayWidth.of(table.columns[1]), sizes.map(DisplayWidth.of).max() ?? 0)
        var valueWidth = offsets.map { DisplayWidth.of(table.columns[$0]) }.max() ?? 1
        for row in table.rows { for c in offsets { valueWidth = max(valueWidth, DisplayWidth.of(text(value(row, c), c))) } }
        let extraWidths = extras.map { c in
            table.rows.reduce(DisplayWidth.of(table.columns[c])) { max($0, DisplayWidth.of(text(value($1, c), c))) }
        }
        let extraIsNumber = extras.map { c in CellFormatter.isNumericColumn(table.rows.lazy.map { value($0, c) }, format: columnFormat(c)) }
        let color = options.color
        // A cell is " v " with colour, or "s v" (shade, space, value) without; a marker
        // takes the last space with colour and one more column without.
        let markerWidth = layout.paybackCells.isEmpty || color ? 0 : 1
        let cellWidth = valueWidth + 2 + markerWidth

        var out = CellText.pad(table.columns[0], to: labelWidth, right: false) + "  "
            + CellText.pad(table.columns[1], to: sizeWidth, right: true)
        for c in offsets { out += " " + CellText.pad(table.columns[c], to: cellWidth, right: true) }
        for (k, c) in extras.enumerated() { out += "  " + CellText.pad(table.columns[c], to: extraWidths[k], right: extraIsNumber[k]) }
        out = ANSIStyle.apply(ANSIStyle.bold, out, when: color) + "\n"
        let lineWidth = labelWidth + 2 + sizeWidth + offsets.count * (cellWidth + 1) + extraWidths.reduce(0) { $0 + $1 + 2 }
        for (r, row) in table.rows.enumerated() {
            // Averages and totals sit under a rule, as in the table view.
            if table.summaryRows.contains(r) && (r == 0 || !table.summaryRows.contains(r - 1)) {
                out += String(repeating: "─", count: lineWidth) + "\n"
            }
            var line = CellText.pad(labels[r], to: labelWidth, right: false) + "  "
                + CellText.pad(sizes[r], to: sizeWidth, right: true)
            for c in offsets {
                line += " "
                guard let d = value(row, c).doubleValue else {
                    line += String(repeating: " ", count: cellWidth)
                    continue
                }
                let shown = CellText.pad(text(value(row, c), c), to: valueWidth, right: true)
                let mark = layout.isPayback(row: r, column: c) ? String(Self.paybackMarker) : " "
                if color {
                    let (index, dark) = scale.terminalColor(d)
                    line += ANSIStyle.background(index, darkText: dark) + " " + shown + mark + ANSIStyle.reset
                } else {
                    line += String(scale.shade(d)) + " " + shown + (markerWidth > 0 ? mark : "")
                }
            }
            for (k, c) in extras.enumerated() {
                line += "  " + CellText.pad(text(value(row, c), c), to: extraWidths[k], right: extraIsNumber[k])
            }
            // Blank trailing cells (offsets not yet reached) leave no trailing spaces.
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        out += legend(scale, isRatio: isRatio) + (layout.scaleSkipsPeriodZero ? " (period 0 is left out of the scale)" : "") + "\n"
        if !layout.paybackCells.isEmpty { out += "\(Self.paybackMarker) " + HeatmapLayout.paybackLegend + "\n" }
        sink.write(out)
        for note in table.notes { sink.write(ANSIStyle.apply(ANSIStyle.dim, CellText.visible(note), when: color) + "\n") }
    }

    /// "scale: ░ 10%–32% ▒ 32%–55% …", one entry per shade or colour step.
    private func legend(_ scale: ColorScale, isRatio: Bool) -> String {
        func label(_ d: Double) -> String {
            isRatio ? NumberText.fixed(d * 100, places: 0) + "%" : NumberText.upTo(d, places: 2)
        }
        if options.color {
            let steps = ColorScale.terminalSteps.count
            let swatches = ColorScale.terminalSteps.enumerated().map { i, index in
                ANSIStyle.background(index, darkText: i < 3) + "  " + ANSIStyle.reset
            }.joined()
            let b = scale.bounds(count: steps)
            return "scale: \(label(b[0])) " + swatches + " \(label(b[steps]))"
        }
        let b = scale.bounds(count: ColorScale.shades.count)
        let entries = ColorScale.shades.enumerated().map { i, s in "\(s) \(label(b[i]))–\(label(b[i + 1]))" }
        return "scale: " + entries.joined(separator: "  ")
    }
}
