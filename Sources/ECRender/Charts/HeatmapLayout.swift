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
    }

    /// The columns from 2 whose headers read as offsets, up to the first that does not (maybe empty).
    static func offsetRun(_ columns: [String]) -> Range<Int> {
        guard columns.count > 2 else { return 2..<2 }
        var end = 2
        while end < columns.count, TableShape.looksLikeOffset(columns[end]) { end += 1 }
        return 2..<end
    }

    /// True when the cell at row `r`, column `c` is that row's payback cell.
    public func isPayback(row r: Int, column c: Int) -> Bool { paybackCells[r] == c }

    /// The legend's words for a marked cell, after the marker ("◆ payback: …").
    public static let paybackLegend = "payback: the first offset where cumulative margin per customer reaches CAC"
}
