extension ColumnFormat {
    /// A percent format with two decimals when some rate shown with it is under 10% (a CVR of 0.25% beside
    /// one of 0.15%: at one decimal both read 0.2%), the format as it is otherwise. One rule for every table
    /// of rates (`kpi`, `scorecard`, `cohort` retention, `unit economics`); changes (`_change`, points)
    /// follow their rate in the scorecard only. CSV, TSV and JSON write the unrounded ratio either way.
    public func finer(forRates values: [Value]) -> ColumnFormat {
        guard case .percent(let places) = self, places < 2 else { return self }
        let small = values.contains { v in
            guard let d = v.doubleValue, d.isFinite else { return false }
            return d != 0 && abs(d) < 0.1
        }
        return small ? .percent(places: 2) : self
    }
}

extension ResultTable {
    /// Each percent column per `ColumnFormat.finer(forRates:)`, except the columns named in `skipping`
    /// (a change of a rate is not a rate: `revenue_change` keeps one decimal).
    public func formatsWithFinerSmallPercents(skipping: (String) -> Bool = { _ in false }) -> [ColumnFormat] {
        formats.enumerated().map { c, format in
            guard c < columns.count, !skipping(columns[c]) else { return format }
            return format.finer(forRates: rows.map { c < $0.count ? $0[c] : .null })
        }
    }
}
