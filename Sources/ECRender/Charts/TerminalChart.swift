import ECStore

/// The picture under a KPI series in the terminal (`kpi … chart`, `chart on`).
public enum TerminalChart {
    /// The most series grouped bars show before the picture turns to sparklines.
    public static let maxGroupedSeries = 6

    /// One series: bars. Several in one unit (the same column format, e.g. one
    /// KPI for several segments, or GMV and revenue): grouped bars on one scale,
    /// so the series compare by length. Several in different units (GMV and the
    /// repeat rate) or more than `maxGroupedSeries`: a sparkline each, since one
    /// scale would flatten the smaller ones. Summary rows are left out.
    public static func render(_ table: ResultTable, options: RenderOptions, to sink: TextSink) throws(ChartError) {
        guard case .series(let columns) = TableShape(table.withoutSummaryRows) else {
            throw ChartError("a chart needs a label column and a numeric column (like 'kpi gmv by month')")
        }
        func format(_ c: Int) -> ColumnFormat { c < table.formats.count ? table.formats[c] : .auto }
        if columns.count <= maxGroupedSeries, columns.allSatisfy({ format($0) == format(columns[0]) }) {
            try BarChartRenderer(options: options).render(table, valueColumns: columns, to: sink)
        } else {
            try SparklineRenderer(options: options).render(table, to: sink)
        }
    }
}
