import ECStore

/// Which columns of a cohort table are shaded cells, which are shown beside
/// them, and which cell of each row is the CAC payback — shared by the terminal
/// heatmap, the HTML table and the SVG grid so all three agree.
///
/// Column 0 is the cohort label and column 1 its size. The offset columns are
/// the run from column 2 whose headers read as offsets ("M0", "Q3", "2"); the
/// columns after that run (such as `CAC` and `payback`) are extras, shown
/// plain and kept out of the colour scale. A table without offset-like
/// headers treats every column from 2 as an offset.
///
/// Payback: a column named `payback` whose text names an offset column
/// (`cohort margin cumulative` writes "M3" under the header "M3") marks that
/// cell of the row; "not yet" or NULL marks nothing.
public struct HeatmapLayout: Sendable, Equatable {
    /// The name of the column that holds each row's payback offset.
    public static let paybackColumn = "payback"

    public var offsetColumns: [Int]
    public var extraColumns: [Int]
    /// Row index → the offset column of its payback cell.
    public var paybackCells: [Int: Int]

    public init(_ table: ResultTable) {
        let n = table.columns.count
        let run = Self.offsetRun(table.columns)
        let end = run.isEmpty ? max(2, n) : run.upperBound
        offsetColumns = Array(2..<end)
        extraColumns = Array(end..<max(end, n))
        var cells: [Int: Int] = [:]
        if let p = table.columns.firstIndex(of: Self.paybackColumn), extraColumns.contains(p) {
            let byHeader = Dictionary(offsetColumns.map { (table.columns[$0], $0) }, uniquingKeysWith: { first, _ in first })
            for (r, row) in table.rows.enumerated() {
                if p < row.count, let label = row[p].textValue, let c = byHeader[label] { cells[r] = c }
            }
        }
        paybackCells = cells
        let offsets = offsetColumns
        let first = offsets.first
        let periodZero = first.map { c in Set(table.rows.compactMap { c < $0.count ? $0[c].doubleValue : nil }) } ?? []
        // …and only when the other cells have a spread of their own to show.
        let rest = Set(table.rows.flatMap { row in offsets.dropFirst().compactMap { $0 < row.count ? row[$0].doubleValue : nil } })
        let skips = rest.count > 1 && first.map { Self.isPeriodZero(table.columns[$0]) } == true && periodZero.count == 1
        scaleSkipsPeriodZero = skips
        scaleColumns = skips ? Array(offsets.dropFirst()) : offsets
    }

    /// "M0", "Q0", "0", "month 0": the offset of the acquisition period itself.
    static func isPeriodZero(_ header: String) -> Bool {
        TableShape.looksLikeOffset(header) && header.last == "0" && !header.dropLast().contains(where: \.isNumber)
    }

    /// The columns from 2 whose headers read as offsets, up to the first that does not (maybe empty).
    static func offsetRun(_ columns: [String]) -> Range<Int> {
        guard columns.count > 2 else { return 2..<2 }
        var end = 2
        while end < columns.count, TableShape.looksLikeOffset(columns[end]) { end += 1 }
        return 2..<end
    }

    /// The offset columns whose values set the colour scale: every one but a first
    /// period-0 column whose cells are all equal. Retention's period 0 is 100% by
    /// definition and later periods sit near 10–30%: with it on the scale, nearly
    /// every other cell got the same lightest shade (209 of 234 in the sample
    /// shop's export). Period-0 cells are still coloured (at the scale's end); a
    /// period 0 that varies (cumulative margin) stays on the scale.
    public var scaleColumns: [Int]

    /// Whether the period-0 column is left out of the scale (for the legend).
    public var scaleSkipsPeriodZero: Bool

    /// The colour scale of the shaded cells, from the scale columns' values.
    public func colorScale(_ table: ResultTable) -> ColorScale? {
        ColorScale(values: table.rows.flatMap { row in scaleColumns.compactMap { $0 < row.count ? row[$0].doubleValue : nil } })
    }

    /// True when the cell at row `r`, column `c` is that row's payback cell.
    public func isPayback(row r: Int, column c: Int) -> Bool { paybackCells[r] == c }

    /// The legend's words for a marked cell, after the marker ("◆ payback: …").
    public static let paybackLegend = "payback: the first offset where cumulative margin per customer reaches CAC"
}
