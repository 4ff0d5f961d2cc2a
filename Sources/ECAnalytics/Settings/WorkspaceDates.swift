import ECStore

/// Dates of the loaded data that settings refer to.
enum WorkspaceDates {
    /// The as_of day: the setting, or the last counted order's day.
    static func asOfDay(_ db: Database, settings: MetricSettings) throws -> Int {
        if let asOf = settings.asOf, let r = DayNumber.parseRange(asOf) { return r.lowerBound }
        let counted = settings.countedCondition()
        if let d = try db.scalar("SELECT max(day) FROM orders WHERE \(counted.sql)", counted.bindings).intValue {
            return Int(d)
        }
        if let d = try db.scalar("SELECT max(day) FROM orders").intValue { return Int(d) }
        throw MetricsError("orders has no dates yet: load orders from 'file.csv'")
    }

    /// First day of any loaded dated dataset (orders, spend, traffic, nps).
    static func firstDay(_ db: Database) throws -> Int? {
        var best: Int?
        for t in ["orders", "spend", "traffic", "nps"] where try db.tableExists(t) {
            if let d = try db.scalar("SELECT min(day) FROM \(quoteIdentifier(t))").intValue {
                best = min(best ?? Int(d), Int(d))
            }
        }
        return best
    }
}
