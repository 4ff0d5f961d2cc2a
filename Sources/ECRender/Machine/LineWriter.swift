import ECStore

/// One `column = value` per line and a blank line between rows, like sqlite3's `.mode line`.
///
/// For results too wide for the terminal (`unit economics by channel`, `head orders`):
/// nothing is cut and nothing wraps mid-cell. Column names are right-aligned so the
/// `=` signs line up; values are formatted as in the table view (¥, %, grouping), and
/// NULL shows as the table's null text.
public enum LineWriter {
    /// The whole table in line mode.
    public static func text(_ table: ResultTable, formatter: CellFormatter) -> String {
        let names = table.columns.map(CellText.visible)
        let width = names.map(DisplayWidth.of).max() ?? 0
        let formats = table.columns.indices.map { $0 < table.formats.count ? table.formats[$0] : ColumnFormat.auto }
        var out = ""
        for (r, row) in table.rows.enumerated() {
            if r > 0 { out += "\n" }
            for c in table.columns.indices {
                let value = c < row.count ? row[c] : .null
                out += CellText.pad(names[c], to: width, right: true) + " = "
                    + CellText.visible(formatter.text(value, format: formats[c])) + "\n"
            }
        }
        return out
    }
}
