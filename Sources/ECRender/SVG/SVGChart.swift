import Foundation
import ECStore

/// Charts as SVG: a bar chart for a short single series, a line chart otherwise,
/// a coloured grid for a cohort matrix. Self-contained: no scripts, fonts or links.
public enum SVGChart {
    static let palette = ["#1f78c1", "#e4572e", "#29a36a", "#a05cc4", "#f2a541", "#555555"]
    static let width = 720.0, height = 320.0
    static let left = 80.0, right = 20.0, top = 30.0, bottom = 50.0

    /// The chart for a table, as an `<svg>` element. `standalone` adds the SVG
    /// namespace (required by browsers for a .svg file, not inside HTML).
    /// Summary rows (totals) are not plotted.
    public static func svg(for fullTable: ResultTable, standalone: Bool, formatter: CellFormatter = CellFormatter()) throws(ChartError) -> String {
        let table = fullTable.withoutSummaryRows
        switch TableShape(table) {
        case .heatmap: return heatmap(table, standalone: standalone, formatter: formatter)
        case .series(let columns):
            if columns.count == 1 && table.rows.count <= 24 {
                return bars(table, column: columns[0], standalone: standalone, formatter: formatter)
            }
            return linesByUnit(table, columns: Array(columns.prefix(palette.count)), standalone: standalone, formatter: formatter)
        case .plain:
            throw ChartError("nothing to chart: a chart needs a label column and a numeric column (like 'kpi gmv by month')")
        }
    }

    static func open(_ w: Double, _ h: Double, standalone: Bool) -> String {
        // The namespace is an identifier, not a link; nothing is fetched.
        let ns = standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : ""
        return "<svg\(ns) width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">\n"
    }

    static func label(_ row: [Value], formatter: CellFormatter) -> String {
        formatter.text(row.first ?? .null, format: .auto)
    }

    static func format(_ table: ResultTable, _ c: Int) -> ColumnFormat {
        c < table.formats.count ? table.formats[c] : .auto
    }

    /// The value axis: from 0 (or the minimum, when negative) to the maximum.
    static func axis(_ values: [Double]) -> (lo: Double, hi: Double) {
        let finite = values.filter(\.isFinite)
        let lo = min(0, finite.min() ?? 0)
        var hi = max(0, finite.max() ?? 1)
        if hi == lo { hi = lo + 1 }
        return (lo, hi)
    }

    /// The widest a character is drawn at font size 12 in the usual sans-serif faces (digits, `¥` and
    /// Latin letters are 6.7 units or less); a CJK character, two columns wide, takes two.
    static let columnWidth = 7.0

    /// The value labels at the bottom, middle and top of the axis.
    static func gridLabels(lo: Double, hi: Double, format: ColumnFormat, formatter: CellFormatter) -> [String] {
        (0...2).map { i in formatter.text(.real(lo + (hi - lo) * Double(i) / 2), format: format) }
    }

    /// The plot's left edge: wide enough for the longest value label (`¥9,000,000,000,000` needs 132
    /// units where 80 fit `¥39,091,114`), so no label runs off the picture and reads as a smaller number.
    static func leftEdge(_ labels: [String]) -> Double {
        max(left, (labels.map { Double(DisplayWidth.of($0)) }.max() ?? 0) * columnWidth + 10)
    }

    /// A label cut with `…` to fit `room` units, so neighbouring labels do not run into each other
    /// (the whole label is in the table, and in the bar's tooltip).
    static func fitted(_ text: String, room: Double) -> String {
        CellText.truncate(text, to: max(2, Int(room / columnWidth)))
    }

    /// Horizontal grid lines with value labels at the bottom, middle and top.
    static func grid(labels: [String], left: Double) -> String {
        var out = ""
        for (i, text) in labels.enumerated() {
            let y = top + (height - top - bottom) * (1 - Double(i) / 2)
            out += "<line x1=\"\(XMLText.number(left))\" y1=\"\(XMLText.number(y))\" x2=\"\(XMLText.number(width - right))\" y2=\"\(XMLText.number(y))\" stroke=\"#dddddd\"/>\n"
            out += "<text x=\"\(XMLText.number(left - 6))\" y=\"\(XMLText.number(y + 4))\" text-anchor=\"end\">\(XMLText.escape(text))</text>\n"
        }
        return out
    }

    /// The zero line when the axis runs from below 0 to above it (a negative margin month among positive
    /// ones): darker than the grid, with a `0` label unless a grid line is already at 0, so bars and points
    /// read as above or below zero, not above the lowest value. Empty when the axis starts or ends at 0.
    static func zeroLine(lo: Double, hi: Double, left: Double, format: ColumnFormat, formatter: CellFormatter) -> String {
        guard lo < 0, hi > 0 else { return "" }
        let y = top + (height - top - bottom) * (1 - (0 - lo) / (hi - lo))
        var out = "<line x1=\"\(XMLText.number(left))\" y1=\"\(XMLText.number(y))\" x2=\"\(XMLText.number(width - right))\" y2=\"\(XMLText.number(y))\" stroke=\"#555555\" class=\"zero\"/>\n"
        let onGrid = (0...2).contains { i in lo + (hi - lo) * Double(i) / 2 == 0 }
        if !onGrid {
            out += "<text x=\"\(XMLText.number(left - 6))\" y=\"\(XMLText.number(y + 4))\" text-anchor=\"end\">\(XMLText.escape(formatter.text(.real(0), format: format)))</text>\n"
        }
        return out
    }

    static func bars(_ table: ResultTable, column c: Int, standalone: Bool, formatter: CellFormatter) -> String {
        let values = table.rows.map { c < $0.count ? $0[c].doubleValue : nil }
        let (lo, hi) = axis(values.compactMap { $0 })
        let labels = gridLabels(lo: lo, hi: hi, format: format(table, c), formatter: formatter)
        let left = leftEdge(labels)
        let plotW = width - left - right, plotH = height - top - bottom
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / (hi - lo)) }
        let slot = plotW / Double(max(1, values.count))
        var out = open(width, height, standalone: standalone)
        out += "<title>\(XMLText.escape(table.columns[c]))</title>\n"
        out += grid(labels: labels, left: left)
        out += zeroLine(lo: lo, hi: hi, left: left, format: format(table, c), formatter: formatter)
        let labelEvery = max(1, values.count / 12)
        for (i, v) in values.enumerated() {
            let x = left + slot * Double(i)
            if let v, v.isFinite {
                let y0 = y(max(0, v)), y1 = y(min(0, v))
                out += "<rect x=\"\(XMLText.number(x + slot * 0.15))\" y=\"\(XMLText.number(y0))\" width=\"\(XMLText.number(slot * 0.7))\" height=\"\(XMLText.number(y1 - y0))\" fill=\"\(palette[0])\"><title>\(XMLText.escape(label(table.rows[i], formatter: formatter) + ": " + formatter.text(.real(v), format: format(table, c))))</title></rect>\n"
            }
            if i % labelEvery == 0 {
                out += "<text x=\"\(XMLText.number(x + slot / 2))\" y=\"\(XMLText.number(height - bottom + 16))\" text-anchor=\"middle\">\(XMLText.escape(fitted(label(table.rows[i], formatter: formatter), room: slot * Double(labelEvery) - 6)))</text>\n"
            }
        }
        out += "<text x=\"\(XMLText.number(left))\" y=\"16\" font-weight=\"bold\">\(XMLText.escape(table.columns[c]))</text>\n"
        return out + "</svg>\n"
    }

    /// Series in one unit share one chart; series in different units (`gmv, repeat_rate`)
    /// get a chart each, stacked (small multiples), so a percentage is not drawn as a
    /// flat line at ¥0 on a yen axis.
    static func linesByUnit(_ table: ResultTable, columns: [Int], standalone: Bool, formatter: CellFormatter) -> String {
        var groups: [[Int]] = []
        for c in columns {
            if let g = groups.firstIndex(where: { format(table, $0[0]) == format(table, c) }) { groups[g].append(c) } else { groups.append([c]) }
        }
        guard groups.count > 1 else { return lines(table, columns: columns, standalone: standalone, formatter: formatter) }
        var out = open(width, height * Double(groups.count), standalone: standalone)
        for (k, group) in groups.enumerated() {
            // A nested <svg> keeps each chart's own coordinates and axis.
            let chart = lines(table, columns: group, standalone: false, formatter: formatter, colorOffset: columns.firstIndex(of: group[0]) ?? 0)
            out += chart.replacingOccurrences(of: "<svg ", with: "<svg y=\"\(Int(height) * k)\" ", options: .anchored)
        }
        return out + "</svg>\n"
    }

    static func lines(_ table: ResultTable, columns: [Int], standalone: Bool, formatter: CellFormatter, colorOffset: Int = 0) -> String {
        let all = columns.flatMap { c in table.rows.compactMap { c < $0.count ? $0[c].doubleValue : nil } }
        let (lo, hi) = axis(all)
        let labels = gridLabels(lo: lo, hi: hi, format: format(table, columns[0]), formatter: formatter)
        let left = leftEdge(labels)
        let plotW = width - left - right, plotH = height - top - bottom
        let n = table.rows.count
        func x(_ i: Int) -> Double { left + (n > 1 ? plotW * Double(i) / Double(n - 1) : plotW / 2) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / (hi - lo)) }
        var out = open(width, height, standalone: standalone)
        out += "<title>\(XMLText.escape(columns.map { table.columns[$0] }.joined(separator: ", ")))</title>\n"
        out += grid(labels: labels, left: left)
        out += zeroLine(lo: lo, hi: hi, left: left, format: format(table, columns[0]), formatter: formatter)
        for (k, c) in columns.enumerated() {
            // A NULL breaks the line rather than dropping to zero.
            var path = "", pen = false
            for (i, row) in table.rows.enumerated() {
                guard c < row.count, let v = row[c].doubleValue, v.isFinite else { pen = false; continue }
                path += (pen ? " L" : (path.isEmpty ? "M" : " M")) + "\(XMLText.number(x(i))) \(XMLText.number(y(v)))"
                pen = true
            }
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(palette[(k + colorOffset) % palette.count])\" stroke-width=\"2\"/>\n"
            // Dots keep isolated points (between NULLs) visible on short series.
            if n <= 60 {
                for (i, row) in table.rows.enumerated() {
                    guard c < row.count, let v = row[c].doubleValue, v.isFinite else { continue }
                    out += "<circle cx=\"\(XMLText.number(x(i)))\" cy=\"\(XMLText.number(y(v)))\" r=\"3\" fill=\"\(palette[(k + colorOffset) % palette.count])\"><title>\(XMLText.escape(label(row, formatter: formatter) + " " + table.columns[c] + ": " + formatter.text(row[c], format: format(table, c))))</title></circle>\n"
                }
            }
            out += "<text x=\"\(XMLText.number(left + 140 * Double(k)))\" y=\"16\" fill=\"\(palette[(k + colorOffset) % palette.count])\" font-weight=\"bold\">\(XMLText.escape(table.columns[c]))</text>\n"
        }
        let labelEvery = max(1, n / 8)
        let room = n > 1 ? plotW * Double(labelEvery) / Double(n - 1) - 6 : plotW
        for i in stride(from: 0, to: n, by: labelEvery) {
            out += "<text x=\"\(XMLText.number(x(i)))\" y=\"\(XMLText.number(height - bottom + 16))\" text-anchor=\"middle\">\(XMLText.escape(fitted(label(table.rows[i], formatter: formatter), room: room)))</text>\n"
        }
        return out + "</svg>\n"
    }

    /// The cohort grid: one coloured cell per offset; a row's payback cell gets an
    /// outline and the grid a legend line (see `HeatmapLayout`).
    static func heatmap(_ table: ResultTable, standalone: Bool, formatter: CellFormatter) -> String {
        let layout = HeatmapLayout(table)
        let offsets = layout.offsetColumns
        let numbers = table.rows.flatMap { row in offsets.compactMap { $0 < row.count ? row[$0].doubleValue : nil } }
        let scale = layout.colorScale(table)
        let isRatio = numbers.allSatisfy { $0 >= 0 && $0 <= 1 }
        let cellW = 56.0, cellH = 24.0, labelW = 110.0, headH = 24.0, legendH = layout.paybackCells.isEmpty ? 0.0 : 24.0
        let gridH = headH + cellH * Double(table.rows.count)
        // The legend line is about 560 units wide at font size 12.
        let w = max(labelW + cellW * Double(offsets.count) + 10, legendH > 0 ? 560 : 0), h = gridH + legendH + 10
        var out = open(w, h, standalone: standalone)
        for (k, c) in offsets.enumerated() {
            out += "<text x=\"\(XMLText.number(labelW + cellW * (Double(k) + 0.5)))\" y=\"16\" text-anchor=\"middle\">\(XMLText.escape(table.columns[c]))</text>\n"
        }
        var outlines = ""
        for (r, row) in table.rows.enumerated() {
            let y = headH + cellH * Double(r)
            out += "<text x=\"4\" y=\"\(XMLText.number(y + 16))\">\(XMLText.escape(label(row, formatter: formatter)))</text>\n"
            for (k, c) in offsets.enumerated() {
                guard c < row.count, let v = row[c].doubleValue, let scale else { continue }
                let (bg, fg) = scale.htmlColor(v)
                let text = isRatio ? NumberText.fixed(v * 100, places: 0) + "%" : formatter.text(row[c], format: format(table, c))
                let x = labelW + cellW * Double(k)
                out += "<rect x=\"\(XMLText.number(x))\" y=\"\(XMLText.number(y))\" width=\"\(XMLText.number(cellW - 1))\" height=\"\(XMLText.number(cellH - 1))\" fill=\"\(bg)\"/>\n"
                out += "<text x=\"\(XMLText.number(x + cellW / 2))\" y=\"\(XMLText.number(y + 16))\" text-anchor=\"middle\" fill=\"\(fg)\">\(XMLText.escape(text))</text>\n"
                // Outlines go on top, after every cell, so a later neighbour cannot cover them.
                if layout.isPayback(row: r, column: c) { outlines += paybackOutline(x: x, y: y, width: cellW - 1, height: cellH - 1) }
            }
        }
        out += outlines
        if legendH > 0 {
            out += paybackOutline(x: 4, y: gridH + 6, width: 20, height: 14)
            out += "<text x=\"30\" y=\"\(XMLText.number(gridH + 17))\">\(XMLText.escape("outlined cell = " + HeatmapLayout.paybackLegend))</text>\n"
        }
        return out + "</svg>\n"
    }

    /// The payback outline: drawn inside the cell so it does not spill onto neighbours.
    static func paybackOutline(x: Double, y: Double, width: Double, height: Double) -> String {
        "<rect x=\"\(XMLText.number(x + 1.5))\" y=\"\(XMLText.number(y + 1.5))\" width=\"\(XMLText.number(width - 3))\" height=\"\(XMLText.number(height - 3))\" fill=\"none\" stroke=\"\(palette[1])\" stroke-width=\"3\"/>\n"
    }
}
