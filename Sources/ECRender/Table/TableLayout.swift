import ECStore

/// The cells of a table as display text, with column widths and alignment worked out.
///
/// Shared by the aligned table and the Markdown writer, which both show
/// formatted values lined up for a reader.
struct TableLayout {
    /// One shown row: its cells' text and whether it is a total/average row.
    struct Row {
        var cells: [String]
        var values: [Value]
        var isSummary: Bool
        /// The row's index in the table (for its cell tones).
        var index: Int
    }

    var headers: [String]
    var rows: [Row]
    var widths: [Int]
    var rightAligned: [Bool]
    /// Data rows left out because of `maxRows`.
    var hiddenRows: Int
    /// Data rows (not totals) in the whole result.
    var dataRowCount: Int
    /// Cells (and headers) cut with "…" to fit `maxColumnWidth`.
    var cutCells = 0

    /// Lays out `table`, keeping at most `maxRows` data rows (0 = all) and every summary row.
    /// Cells wider than `maxColumnWidth` are cut (nil or 0: never).
    init(_ table: ResultTable, formatter: CellFormatter, maxRows: Int, maxColumnWidth: Int?) {
        let columnCount = table.columns.count
        let formats = (0..<columnCount).map { $0 < table.formats.count ? table.formats[$0] : ColumnFormat.auto }
        let dataIndices = table.rows.indices.filter { !table.summaryRows.contains($0) }
        let summaryIndices = table.rows.indices.filter { table.summaryRows.contains($0) }
        let shownData = maxRows > 0 ? Array(dataIndices.prefix(maxRows)) : dataIndices
        hiddenRows = dataIndices.count - shownData.count
        dataRowCount = dataIndices.count

        var cut = 0
        func fit(_ text: String) -> String {
            let clean = CellText.visible(text)
            guard let limit = maxColumnWidth, limit > 0, DisplayWidth.of(clean) > limit else { return clean }
            cut += 1
            return CellText.truncate(clean, to: limit)
        }
        headers = table.columns.map(fit)
        rightAligned = (0..<columnCount).map { c in
            CellFormatter.isNumericColumn(dataIndices.lazy.map { cell(table.rows[$0], c) }, format: formats[c])
        }
        rows = (shownData + summaryIndices).map { r in
            let values = (0..<columnCount).map { cell(table.rows[r], $0) }
            let cells = values.enumerated().map { c, v in fit(formatter.text(v, format: formats[c])) }
            return Row(cells: cells, values: values, isSummary: table.summaryRows.contains(r), index: r)
        }
        cutCells = cut
        widths = headers.map(DisplayWidth.of)
        for row in rows {
            for (c, text) in row.cells.enumerated() { widths[c] = max(widths[c], DisplayWidth.of(text)) }
        }
    }

}

private func cell(_ row: [Value], _ c: Int) -> Value { c < row.count ? row[c] : .null }
