import ECStore

extension KPIEngine {
    /// The days a KPI query covers: from `from` (or the first order) to `to` (or as_of),
    /// never past as_of. One definition for the engine and for the shell's marking of
    /// partial first and last periods.
    public static func dateRange(_ db: Database, settings: MetricSettings, from: String?, to: String?) throws -> ClosedRange<Int> {
        let asOf = try WorkspaceDates.asOfDay(db, settings: settings)
        let first = try WorkspaceDates.firstDay(db) ?? asOf
        var start = first, end = asOf
        if let f = from {
            guard let r = DayNumber.parseRange(f) else { throw MetricsError("from needs a date like 2024-01 or 2024-01-15; got '\(f)'") }
            start = r.lowerBound
        }
        if let t = to {
            guard let r = DayNumber.parseRange(t) else { throw MetricsError("to needs a date like 2024-12 or 2024-12-31; got '\(t)'") }
            end = min(r.upperBound, asOf)
        }
        guard start <= end else {
            throw MetricsError("the date range is empty: from \(DayNumber.isoDate(start)) to \(DayNumber.isoDate(end)) (as_of \(DayNumber.isoDate(asOf)))")
        }
        return start...end
    }
}
