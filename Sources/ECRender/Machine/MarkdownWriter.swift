import Foundation
import ECStore

/// A GitHub-flavoured Markdown pipe table, for pasting into reports.
///
/// Cells use the people's formatting (grouped numbers, percents, currency); NULL
/// is an empty cell. Text (a channel, a segment name, a note) is shown as it is, never as
/// markup: `\`, `|`, `*`, `_`, `` ` ``, `~`, `[`, `]`, `<`, `>` and `&` get a backslash
/// (CommonMark lets any ASCII punctuation be escaped so,
/// <https://spec.commonmark.org/0.31.2/#backslash-escapes>), so `<script>` or `a|b` cannot add
/// HTML, emphasis, a link or a column; line breaks become `<br>` so a cell stays on its line. Numeric columns are right-aligned (`---:`). Cells are padded
/// to line up in a monospaced editor; summary rows are bold. In an exported file, notes
/// follow the table as a paragraph; on standard output they are notes like any other
/// and go to standard error (docs/language.md, "Output"). All rows are written (no truncation).
public enum MarkdownWriter {
    /// The whole table as Markdown text, with its notes as a paragraph under it when `withNotes`.
    public static func text(_ table: ResultTable, formatter: CellFormatter = CellFormatter(), withNotes: Bool = true) -> String {
        guard !table.columns.isEmpty else { return "" }
        var plain = formatter
        plain.nullText = ""
        var escaped = table
        escaped.columns = table.columns.map(escape)
        escaped.rows = table.rows.map { row in
            row.map { if case .text(let s) = $0 { return .text(escape(s)) } else { return $0 } }
        }
        var layout = TableLayout(escaped, formatter: plain, maxRows: 0, maxColumnWidth: nil)
        for r in layout.rows.indices where layout.rows[r].isSummary {
            layout.rows[r].cells = layout.rows[r].cells.map { $0.isEmpty ? $0 : "**" + $0 + "**" }
        }
        var widths = layout.widths
        for row in layout.rows {
            for (c, text) in row.cells.enumerated() { widths[c] = max(widths[c], DisplayWidth.of(text), 3) }
        }
        for c in widths.indices { widths[c] = max(widths[c], 3) }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { c, t in CellText.pad(t, to: widths[c], right: layout.rightAligned[c]) }
                .joined(separator: " | ") + " |\n"
        }
        var out = line(layout.headers)
        out += "| " + widths.indices.map { c in
            layout.rightAligned[c] ? String(repeating: "-", count: widths[c] - 1) + ":" : String(repeating: "-", count: widths[c])
        }.joined(separator: " | ") + " |\n"
        for row in layout.rows { out += line(row.cells) }
        if withNotes, !table.notes.isEmpty {
            out += "\n" + table.notes.map(escape).joined(separator: "<br>\n") + "\n"
        }
        return out
    }

    /// The characters that start or end inline markup in GitHub-flavoured Markdown (a list item,
    /// a heading or a code block cannot start inside a table cell).
    static let markup: Set<Unicode.Scalar> = ["\\", "|", "*", "_", "`", "~", "[", "]", "<", ">", "&"]

    /// Cell text safe inside a pipe table, shown literally. A `_` between two letters or digits
    /// (`repeat_rate`) is left alone: it cannot open or close emphasis there.
    static func escape(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        func isAlphanumeric(_ i: Int) -> Bool {
            guard scalars.indices.contains(i) else { return false }
            return scalars[i].properties.isAlphabetic || scalars[i].properties.numericType != nil
        }
        var out = ""
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            if scalar == "\r" || scalar == "\n" {
                if scalar == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                out += "<br>"
            } else {
                if markup.contains(scalar) && !(scalar == "_" && isAlphanumeric(i - 1) && isAlphanumeric(i + 1)) { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
            i += 1
        }
        return out
    }
}
