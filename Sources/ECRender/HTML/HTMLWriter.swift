import ECStore

/// One self-contained HTML page for a result: inline CSS, no scripts, no links.
///
/// The page is XHTML-clean (every element closed, text escaped) so it can be
/// checked with an XML parser. A cohort matrix gets coloured cells, its payback
/// cells outlined (see `HeatmapLayout`); a series gets an inline SVG chart above
/// the table. Values use the people's formatting.
public enum HTMLWriter {
    static let style = """
    body { font-family: -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", sans-serif; margin: 2em; color: #222222; }
    h1 { font-size: 1.2em; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { border: 1px solid #cccccc; padding: 0.3em 0.6em; }
    th { background: #f3f3f3; text-align: left; }
    th.num, td.num { text-align: right; }
    td.null { color: #999999; }
    tr.summary td { font-weight: bold; border-top: 2px solid #888888; }
    p.note { color: #555555; font-size: 0.9em; }
    td.payback { outline: 3px solid #e4572e; outline-offset: -3px; font-weight: bold; }
    span.payback { display: inline-block; width: 1.4em; height: 1em; outline: 3px solid #e4572e; outline-offset: -3px; vertical-align: middle; }
    figure { margin: 0 0 1.5em 0; }
    h2 { font-size: 1.05em; margin-top: 2em; }
    pre.statement { background: #f6f6f6; padding: 0.4em 0.6em; }
    """

    /// The page as text.
    public static func page(_ table: ResultTable, title: String = "ecsh result", formatter: CellFormatter = CellFormatter()) -> String {
        head(title) + "<h1>\(XMLText.escape(title))</h1>\n" + section(table, formatter: formatter) + "</body>\n</html>\n"
    }

    /// One page for a whole run (`ecsh -o report.html`, `report to 'file.html'`): per result,
    /// a heading, the statement that made it, its chart and its table.
    public static func report(_ entries: [(statement: String, table: ResultTable)], title: String,
                              formatter: CellFormatter = CellFormatter()) -> String {
        var out = head(title) + "<h1>\(XMLText.escape(title))</h1>\n"
        if entries.isEmpty { out += "<p class=\"note\">no results</p>\n" }
        for (i, entry) in entries.enumerated() {
            out += "<section>\n<h2>\(i + 1). \(XMLText.escape(heading(entry.table)))</h2>\n"
            out += "<pre class=\"statement\">ecsh&gt; \(XMLText.escape(entry.statement))</pre>\n"
            out += section(entry.table, formatter: formatter) + "</section>\n"
        }
        return out + "</body>\n</html>\n"
    }

    /// "gmv, repeat_rate by month": what a result shows, from its columns.
    static func heading(_ table: ResultTable) -> String {
        guard table.columns.count > 1, let first = table.columns.first else { return table.columns.first ?? "result" }
        return table.columns.dropFirst().prefix(6).joined(separator: ", ") + (table.columns.count > 7 ? ", …" : "") + " by " + first
    }

    static func head(_ title: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
            + "<title>\(XMLText.escape(title))</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n"
    }

    /// A result's chart (for a series), table and notes.
    static func section(_ table: ResultTable, formatter: CellFormatter) -> String {
        let shape = TableShape(table.withoutSummaryRows)
        var out = ""
        if case .series = shape, let svg = try? SVGChart.svg(for: table, standalone: false, formatter: formatter) {
            out += "<figure>\n" + svg + "</figure>\n"
        }
        out += tableElement(table, heatmap: shape == .heatmap, formatter: formatter)
        for note in table.notes { out += "<p class=\"note\">\(XMLText.escape(note))</p>\n" }
        return out
    }

    static func tableElement(_ table: ResultTable, heatmap: Bool, formatter: CellFormatter) -> String {
        let n = table.columns.count
        let formats = (0..<n).map { $0 < table.formats.count ? table.formats[$0] : ColumnFormat.auto }
        let numeric = (0..<n).map { c in
            CellFormatter.isNumericColumn(table.rows.lazy.map { c < $0.count ? $0[c] : .null }, format: formats[c])
        }
        var scale: ColorScale?
        var isRatio = false
        let layout = heatmap ? HeatmapLayout(table) : nil
        let offsets = Set(layout?.offsetColumns ?? [])
        if let layout {
            let numbers = table.rows.flatMap { row in layout.offsetColumns.compactMap { $0 < row.count ? row[$0].doubleValue : nil } }
            scale = layout.colorScale(table)
            isRatio = numbers.allSatisfy { $0 >= 0 && $0 <= 1 }
        }
        var out = "<table>\n<thead>\n<tr>"
        for c in 0..<n { out += "<th\(numeric[c] ? " class=\"num\"" : "")>\(XMLText.escape(table.columns[c]))</th>" }
        out += "</tr>\n</thead>\n<tbody>\n"
        for (r, row) in table.rows.enumerated() {
            out += table.summaryRows.contains(r) ? "<tr class=\"summary\">" : "<tr>"
            for c in 0..<n {
                let v = c < row.count ? row[c] : .null
                if v.isNull {
                    // An empty heatmap cell is "not yet", not zero: leave it blank.
                    out += offsets.contains(c) ? "<td></td>" : "<td class=\"null\">\(XMLText.escape(formatter.nullText))</td>"
                    continue
                }
                var format = formats[c]
                if offsets.contains(c) && isRatio && format == .auto { format = .percent(places: 0) }
                let payback = layout?.isPayback(row: r, column: c) == true
                let classes = (numeric[c] ? ["num"] : []) + (payback ? ["payback"] : [])
                var attributes = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                if offsets.contains(c), let scale, let d = v.doubleValue {
                    let (bg, fg) = scale.htmlColor(d)
                    attributes += " style=\"background: \(bg); color: \(fg)\""
                }
                if payback { attributes += " title=\"payback\"" }
                out += "<td\(attributes)>\(XMLText.escape(formatter.text(v, format: format)))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if layout?.paybackCells.isEmpty == false {
            out += "<p class=\"note\"><span class=\"payback\"></span> \(XMLText.escape("outlined cell = " + HeatmapLayout.paybackLegend))</p>\n"
        }
        return out
    }
}
