import ECStore

/// Whether a spend or traffic file covers the months of the orders it is divided into.
///
/// An ad-platform export of one quarter beside two years of orders is the usual case: a ratio over
/// the range (`kpi cac`, `roas`, `cvr`, a total row, `unit economics`'s CAC) then puts the orders
/// and new customers of every month over the spend or sessions of the months the file has, and
/// comes out too low (cac, cpa) or too high (roas, mer, cvr) with nothing said. ecsh cannot tell
/// a month without spend rows from a month without spend, so the number stays as defined and a
/// note says which orders fall outside the file's months, with the range that keeps to them.
enum DataCoverage {
    /// What falls outside the file's months: counted orders (cpa, roas, cvr) or customers acquired (cac).
    enum Counted { case orders, newCustomers }

    /// The days of the dataset's first and last rows, and the months they cover (from the first row's month's
    /// first day to the last row's month's last day); nil when the table is missing or empty.
    private static func coveredMonths(_ db: Database, table: String) throws -> (rows: ClosedRange<Int>, months: ClosedRange<Int>)? {
        guard try db.tableExists(table) else { return nil }
        let row = try db.query("SELECT min(day), max(day) FROM \(quoteIdentifier(table))").rows.first
        guard let first = row?[0].intValue.map(Int.init), let last = row?[1].intValue.map(Int.init), first <= last else { return nil }
        let months = PeriodUnit.month
        return (first...last, DayNumber.firstOfMonth(index: months.index(ofDay: first))...(DayNumber.firstOfMonth(index: months.index(ofDay: last) + 1) - 1))
    }

    /// The note, or nil when every counted order (or first order) of `range` falls in a month from the
    /// dataset's first row to its last (a monthly export dated the 1st covers its whole month).
    /// `table`: the spend or traffic table, named so in the note; `kpis`: the figures affected, as the
    /// note names them; `orders`: the orders table and the condition of the orders counted.
    static func note(_ db: Database, table: String, range: ClosedRange<Int>, kpis: String, counting: Counted,
                     orders: (table: String, counted: SQLFragment)) throws -> String? {
        guard try db.tableExists(orders.table), let covered = try coveredMonths(db, table: table) else { return nil }
        return try note(db, table: table, covered: covered, range: range, kpis: kpis, counting: counting, orders: orders)
    }

    /// The note for the range from the first counted order to `lastDay` (`unit economics`). The load's own figures
    /// give the orders' first day at once: when it and `lastDay` fall in the file's months nothing can fall outside,
    /// and the orders are not read; else the first counted day is read in day order (the first row that counts ends it).
    static func note(_ db: Database, table: String, through lastDay: Int, kpis: String, counting: Counted,
                     orders: (table: String, counted: SQLFragment)) throws -> String? {
        guard try db.tableExists(orders.table), let covered = try coveredMonths(db, table: table) else { return nil }
        let least = try ColumnStatistics.current(db, dataset: orders.table)?.figures(of: "day")?.min.intValue.map(Int.init)
        guard lastDay > covered.months.upperBound || (least.map { $0 < covered.months.lowerBound } ?? true) else { return nil }
        let first = SQLFragment("SELECT day FROM \(quoteIdentifier(orders.table)) WHERE day IS NOT NULL AND (") + orders.counted
            + SQLFragment(") ORDER BY day LIMIT 1")
        guard let firstDay = try db.scalar(first.sql, first.bindings).intValue.map(Int.init), firstDay <= lastDay else { return nil }
        return try note(db, table: table, covered: covered, range: firstDay...lastDay, kpis: kpis, counting: counting, orders: orders)
    }

    private static func note(_ db: Database, table: String, covered: (rows: ClosedRange<Int>, months: ClosedRange<Int>),
                             range: ClosedRange<Int>, kpis: String, counting: Counted,
                             orders: (table: String, counted: SQLFragment)) throws -> String? {
        let (first, last) = (covered.rows.lowerBound, covered.rows.upperBound)
        let (coveredStart, coveredEnd) = (covered.months.lowerBound, covered.months.upperBound)
        guard range.lowerBound < coveredStart || range.upperBound > coveredEnd else { return nil }
        let source = SQLFragment(counting == .orders
            ? "SELECT day FROM \(quoteIdentifier(orders.table)) WHERE ("
            : "SELECT min(day) AS day FROM \(quoteIdentifier(orders.table)) WHERE customer_id IS NOT NULL AND (") + orders.counted
            + SQLFragment(counting == .orders ? ")" : ") GROUP BY customer_id")
        let outside = SQLFragment("SELECT count(*) FROM (") + source
            + SQLFragment(") AS x WHERE day BETWEEN ? AND ? AND (day < ? OR day > ?)",
                          [range.lowerBound, range.upperBound, coveredStart, coveredEnd].map { .integer(Int64($0)) })
        let count = try db.scalar(outside.sql, outside.bindings).intValue ?? 0
        guard count > 0 else { return nil }
        let keep = (max(range.lowerBound, coveredStart), min(range.upperBound, coveredEnd))
        let way = keep.0 <= keep.1
            ? "from \(DayNumber.isoDate(keep.0)) to \(DayNumber.isoDate(keep.1)) keeps to its months"
            : "no day of the range falls in its months"
        let what = counting == .orders ? (count == 1 ? "counted order" : "counted orders")
            : (count == 1 ? "customer acquired" : "customers acquired")
        return "\(table) has rows from \(DayNumber.isoDate(first)) to \(DayNumber.isoDate(last)) only: \(count) \(what) "
            + "from \(DayNumber.isoDate(range.lowerBound)) to \(DayNumber.isoDate(range.upperBound)) fall\(count == 1 ? "s" : "") "
            + "in months without \(table) rows; in \(kpis) over the range \(count == 1 ? "it counts" : "they count") "
            + "with no \(table) of \(count == 1 ? "its" : "their") own (\(way))"
    }
}
