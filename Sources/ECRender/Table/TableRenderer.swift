import ECStore

/// Writes a result to a text sink in the format the options ask for.
///
/// The table view is for people (aligned, grouped numbers, truncated); the other
/// formats are exact and go through the machine writers.
public struct TableRenderer: Sendable {
    public var options: RenderOptions

    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// Writes `table` to `sink` in `options.format`.
    ///
    /// The table's notes (footnotes) go to `notes` when one is given, in every format,
    /// so a machine format's stream holds only the result; without one, the table
    /// view writes them under the table and the machine formats leave them out.
    public func render(_ table: ResultTable, to sink: TextSink, notes: TextSink? = nil) {
        let noteSink: TextSink? = notes ?? (options.format == .table ? sink : nil)
        switch options.format {
        case .table: renderAligned(table, to: sink, notes: noteSink)
        case .line: sink.write(LineWriter.text(table, formatter: options.cellFormatter))
        case .csv: sink.write(CSVWriter.text(table, header: options.headers))
        case .tsv: sink.write(TSVWriter.text(table, header: options.headers))
        case .json: sink.write(JSONWriter.text(table))
        // The notes are written to `noteSink` below, as for every machine format: never into the results.
        case .markdown: sink.write(MarkdownWriter.text(table, formatter: options.cellFormatter, withNotes: false))
        }
        if options.format != .table, let noteSink {
            let written = options.format == .csv || options.format == .tsv
                ? CSVWriter.notes(table, header: options.headers, tsv: options.format == .tsv) : []
            writeNotes(table.notes + written, to: noteSink)
        }
    }

    /// The rendering as a string; convenient for tests and one-off messages.
    public func string(_ table: ResultTable) -> String {
        let sink = StringSink()
        render(table, to: sink)
        return sink.text
    }

    private func renderAligned(_ table: ResultTable, to sink: TextSink, notes: TextSink?) {
        let color = options.color
        guard !table.columns.isEmpty else {
            sink.write(ANSIStyle.apply(ANSIStyle.dim, "(no columns)", when: color) + "\n")
            if let notes { writeNotes(table.notes, to: notes) }
            return
        }
        let layout = TableLayout(table, formatter: options.cellFormatter, maxRows: options.maxRows,
                                 maxColumnWidth: options.maxColumnWidth)
        let border = options.border
        if let screen = options.screenWidth, options.wide != .wrap, width(of: layout.widths, border) > screen {
            let tableWidth = width(of: layout.widths, border)
            if options.wide == .panels, let panels = panels(layout.widths, screen: screen, border) {
                return renderPanels(table, layout, panels, tableWidth: tableWidth, screenWidth: screen, to: sink, notes: notes)
            }
            return renderExpanded(table, layout, tableWidth: tableWidth, screenWidth: screen, to: sink, notes: notes)
        }
        sink.write(grid(table, layout) + hiddenRowsLine(layout))
        if let notes { writeNotes(footnotes(table, layout), to: notes) }
    }

    /// The drawn table: rules, header, rows, a rule above total rows.
    private func grid(_ table: ResultTable, _ layout: TableLayout) -> String {
        let color = options.color
        let border = options.border
        var out = ""
        if border.hasFrame { out += rule(border.top, layout.widths) }
        out += line(layout.headers.enumerated().map { c, h in
            ANSIStyle.apply(ANSIStyle.bold, CellText.pad(h, to: layout.widths[c], right: layout.rightAligned[c]), when: color)
        }, border)
        if !layout.rows.isEmpty || !border.hasFrame { out += rule(border.middle, layout.widths) }
        var previousWasSummary = false
        for (i, row) in layout.rows.enumerated() {
            // Totals sit under a rule so they are not read as one more period.
            if row.isSummary && !previousWasSummary && i > 0 { out += rule(border.middle, layout.widths) }
            previousWasSummary = row.isSummary
            out += line(row.cells.enumerated().map { c, text in
                let padded = CellText.pad(text, to: layout.widths[c], right: layout.rightAligned[c])
                if row.values[c].isNull { return ANSIStyle.apply(ANSIStyle.dim, padded, when: color) }
                if let tone = table.tones[row.index]?[c] {
                    return ANSIStyle.apply(tone == .good ? ANSIStyle.green : ANSIStyle.red, padded, when: color)
                }
                return row.isSummary ? ANSIStyle.apply(ANSIStyle.bold, padded, when: color) : padded
            }, border)
        }
        if border.hasFrame { out += rule(border.bottom, layout.widths) }
        return out
    }

    /// The table's own notes, and one on cut cells: a cut cell otherwise reads as the whole value.
    private func footnotes(_ table: ResultTable, _ layout: TableLayout, cutTo width: Int? = nil) -> [String] {
        var footnotes = table.notes
        if layout.cutCells > 0 {
            let n = layout.cutCells
            footnotes.append("\(NumberText.grouped(Int64(n))) cell\(n == 1 ? "" : "s") cut to \(width ?? options.maxColumnWidth) characters with … "
                             + "(set maxwidth 0 to show whole cells, or set format line)")
        }
        return footnotes
    }

    /// Under the rows: how many were hidden (maxrows), or how many there are.
    private func hiddenRowsLine(_ layout: TableLayout) -> String {
        let color = options.color
        if layout.hiddenRows > 0 {
            let hidden = NumberText.grouped(Int64(layout.hiddenRows))
            let total = NumberText.grouped(Int64(layout.dataRowCount))
            let noun = layout.hiddenRows == 1 ? "row" : "rows"
            let message = "… \(hidden) more \(noun) hidden, \(total) in all "
                + "(set maxrows 0 to show all, or \(options.exportHint))"
            return ANSIStyle.apply(ANSIStyle.dim, message, when: color) + "\n"
        } else if showsRowCount(layout.dataRowCount) {
            let noun = layout.dataRowCount == 1 ? "row" : "rows"
            return ANSIStyle.apply(ANSIStyle.dim, "\(NumberText.grouped(Int64(layout.dataRowCount))) \(noun)", when: color) + "\n"
        }
        return ""
    }

    /// Characters a drawn table takes across: its cells, a space either side, and the lines between.
    private func width(of widths: [Int], _ border: TableBorder) -> Int {
        let cells = widths.reduce(0, +) + 2 * widths.count
        let lines = max(0, widths.count - 1) * DisplayWidth.of(border.vertical)
        return cells + lines + (border.hasFrame ? 2 * DisplayWidth.of(border.vertical) : -1)
    }

    /// The columns of each panel, each led by column 0, packed in order as long as they fit;
    /// nil when a column does not fit beside the first (then blocks), or there is nothing to split.
    private func panels(_ widths: [Int], screen: Int, _ border: TableBorder) -> [[Int]]? {
        guard widths.count > 2 else { return nil }
        var panels: [[Int]] = []
        var current = [0]
        for c in 1..<widths.count {
            if width(of: (current + [c]).map { widths[$0] }, border) <= screen {
                current.append(c)
                continue
            }
            guard current.count > 1, width(of: [widths[0], widths[c]], border) <= screen else { return nil }
            panels.append(current)
            current = [0, c]
        }
        panels.append(current)
        return panels
    }

    /// A table wider than the terminal in panels of its columns, one under the other, each led by
    /// the first column (the period, channel or segment the rows are about), as R and pandas
    /// print wide frames: every panel is a whole table that reads across, with its totals.
    private func renderPanels(_ table: ResultTable, _ layout: TableLayout, _ panels: [[Int]], tableWidth: Int, screenWidth: Int,
                              to sink: TextSink, notes: TextSink?) {
        var out = ""
        for (p, columns) in panels.enumerated() {
            if p > 0 { out += "\n" }
            var part = ResultTable(columns: columns.map { table.columns[$0] },
                                   rows: table.rows.map { row in columns.map { $0 < row.count ? row[$0] : .null } },
                                   formats: columns.map { $0 < table.formats.count ? table.formats[$0] : .auto },
                                   summaryRows: table.summaryRows)
            for (r, tones) in table.tones {
                var kept: [Int: CellTone] = [:]
                for (i, c) in columns.enumerated() { if let tone = tones[c] { kept[i] = tone } }
                if !kept.isEmpty { part.tones[r] = kept }
            }
            out += grid(part, TableLayout(part, formatter: options.cellFormatter, maxRows: options.maxRows,
                                          maxColumnWidth: options.maxColumnWidth))
        }
        out += hiddenRowsLine(layout)
        sink.write(out)
        var footnotes = footnotes(table, layout)
        footnotes.append("columns in \(panels.count) panels, each led by \(table.columns[0]): the table is \(tableWidth) characters wide, "
                         + "the terminal \(screenWidth) (set wide blocks for one row per block, set wide wrap for the whole table)")
        if let notes { writeNotes(footnotes, to: notes) }
    }

    /// A table wider than the terminal, one row per block (`name │ value` lines), as psql's
    /// `\x auto` does: the terminal would otherwise wrap every line into an unreadable grid.
    /// The same cells as the table (formatted, cut, coloured), the same rows (maxrows), and a note.
    private func renderExpanded(_ table: ResultTable, _ drawn: TableLayout, tableWidth: Int, screenWidth: Int,
                                to sink: TextSink, notes: TextSink?) {
        let color = options.color
        let nameWidth = drawn.headers.map(DisplayWidth.of).max() ?? 0
        // A value has the screen's width beside its name, not only a table column's.
        let room = options.maxColumnWidth == 0 ? 0 : max(options.maxColumnWidth, screenWidth - nameWidth - 3)
        let layout = TableLayout(table, formatter: options.cellFormatter, maxRows: options.maxRows, maxColumnWidth: room)
        let v = options.border.vertical
        var out = ""
        var record = 0
        for row in layout.rows {
            record += 1
            let title = row.isSummary ? "[ \(row.cells.first ?? "total") ]" : "[ row \(NumberText.grouped(Int64(record))) ]"
            out += ANSIStyle.apply(ANSIStyle.dim, "─" + title + String(repeating: "─", count: max(2, nameWidth + 2 - DisplayWidth.of(title))), when: color) + "\n"
            for (c, text) in row.cells.enumerated() {
                var value = text
                if row.values[c].isNull {
                    value = ANSIStyle.apply(ANSIStyle.dim, text, when: color)
                } else if let tone = table.tones[row.index]?[c] {
                    value = ANSIStyle.apply(tone == .good ? ANSIStyle.green : ANSIStyle.red, text, when: color)
                } else if row.isSummary {
                    value = ANSIStyle.apply(ANSIStyle.bold, text, when: color)
                }
                let name = ANSIStyle.apply(ANSIStyle.bold, CellText.pad(layout.headers[c], to: nameWidth, right: false), when: color)
                out += name + " " + v + " " + value + "\n"
            }
        }
        out += hiddenRowsLine(layout)
        sink.write(out)
        var footnotes = footnotes(table, layout, cutTo: room)
        footnotes.append("one row per block: the table is \(tableWidth) characters wide, the terminal \(screenWidth) "
                         + "(set wide wrap for the whole table, or set pager on to scroll it sideways)")
        if let notes { writeNotes(footnotes, to: notes) }
    }

    private func showsRowCount(_ count: Int) -> Bool {
        switch options.rowCount {
        case .always: return true
        case .never: return false
        case .automatic: return count >= 10 || count == 0
        }
    }

    private func writeNotes(_ notes: [String], to sink: TextSink) {
        for note in notes {
            sink.write(ANSIStyle.apply(ANSIStyle.dim, CellText.visible(note), when: options.color) + "\n")
        }
    }

    /// One line of cells, each already padded to its column width.
    private func line(_ cells: [String], _ border: TableBorder) -> String {
        let v = border.vertical
        if border.hasFrame { return v + " " + cells.joined(separator: " " + v + " ") + " " + v + "\n" }
        return " " + cells.joined(separator: " " + v + " ") + "\n"
    }

    private func rule(_ r: TableBorder.Rule, _ widths: [Int]) -> String {
        // Without a frame the last cell has no trailing space, so its rule is one shorter.
        let last = widths.count - 1
        let segments = widths.enumerated().map { c, w in
            String(repeating: r.fill, count: w + (c == last && !options.border.hasFrame ? 1 : 2))
        }
        return r.left + segments.joined(separator: r.cross) + r.right + "\n"
    }
}
