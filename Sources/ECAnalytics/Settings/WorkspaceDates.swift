import ECStore

/// Dates of the loaded data that settings refer to.
public enum WorkspaceDates {
    /// The as_of day: the setting, or the last counted order's day.
    static func asOfDay(_ db: Database, settings: MetricSettings) throws -> Int {
        if let asOf = settings.asOf, let r = DayNumber.parseRange(asOf) { return r.lowerBound }
        // Without orders (spend or traffic on their own), the data ends with the last dated row loaded.
        if try !db.tableExists("orders") {
            var last: Int?
            for t in ["spend", "traffic", "nps"] where try db.tableExists(t) {
                if let d = try db.rememberedScalar("SELECT max(day) FROM \(quoteIdentifier(t))").intValue { last = max(last ?? Int(d), Int(d)) }
            }
            if let last { return last }
            throw MetricsError("no dated data yet: load orders from 'file.csv'")
        }
        // The snapshot was built from the same orders under the same rule (loads and SQL edits drop it).
        // Not on a server: its facts record the as_of they were built for, which is what is checked against this.
        if db.engine == .sqlite, let meta = try OrderSnapshot.meta(db), meta["counted"] == settings.countedDescription,
           let d = meta["as_of"].flatMap(Int.init) {
            return d
        }
        let counted = settings.countedCondition()
        if let d = try db.rememberedScalar("SELECT max(day) FROM orders WHERE \(counted.sql)", counted.bindings).intValue {
            return Int(d)
        }
        if let d = try db.rememberedScalar("SELECT max(day) FROM orders").intValue { return Int(d) }
        throw MetricsError("orders has no dates yet: load orders from 'file.csv'")
    }

    /// First day of any loaded dated dataset (orders, spend, traffic, nps).
    static func firstDay(_ db: Database) throws -> Int? {
        var best: Int?
        let meta = try OrderSnapshot.meta(db)
        for t in ["orders", "spend", "traffic", "nps"] where try db.tableExists(t) {
            if let d = try firstDay(of: t, db, meta: meta) { best = min(best ?? d, d) }
        }
        return best
    }

    /// First day of one dated table (every row of it, counted or not): the order snapshot's for orders, else the
    /// load's own count of the column while the table is as it left it (`ColumnStatistics`), else one query whose
    /// answer the connection remembers: the table has no index on day, and a statement asks this several times
    /// (0.5 s of a scorecard at 750k NPS responses).
    static func firstDay(of table: String, _ db: Database, meta: [String: String]?? = nil) throws -> Int? {
        let meta = try meta ?? OrderSnapshot.meta(db)
        if table == "orders", let d = meta?["orders_first_day"].flatMap(Int.init) { return d }
        return try edgeDay(of: table, db, last: false)
    }

    /// Last day of one dated table (every row of it, counted or not: a cancelled order on the quarter's last day
    /// shows the export runs to it), from the load's figures while the table is as it left it, else one query.
    public static func lastDay(of table: String, _ db: Database) throws -> Int? {
        guard try db.tableExists(table) else { return nil }
        return try edgeDay(of: table, db, last: true)
    }

    private static func edgeDay(of table: String, _ db: Database, last: Bool) throws -> Int? {
        let counted = try ColumnStatistics.current(db, dataset: table)?.figures["day"]
        let edge = try counted.map { last ? $0.max : $0.min }
            ?? db.rememberedScalar("SELECT \(last ? "max" : "min")(day) FROM \(quoteIdentifier(table))")
        return edge.intValue.map(Int.init)
    }
}
