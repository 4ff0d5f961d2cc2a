import ECStore

extension ResultTable {
    /// The table without its totals/averages rows: charts plot the periods only,
    /// a "Total" bar would dwarf them.
    public var withoutSummaryRows: ResultTable {
        guard !summaryRows.isEmpty else { return self }
        let kept = rows.indices.filter { !summaryRows.contains($0) }.map { rows[$0] }
        return ResultTable(columns: columns, rows: kept, formats: formats, notes: notes)
    }
}
