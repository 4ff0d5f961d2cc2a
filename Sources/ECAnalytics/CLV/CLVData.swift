import ECStore

/// Builds per-customer (x, t_x, T, m̄) histories from the orders table.
///
/// Follows docs/metrics.md "Predictive CLV": counted orders of a non-negative amount only (a refund row
/// is not a purchase; `refunds` counts those left out), orders on the
/// same calendar day merge into one purchase (their amounts add up), x is
/// purchases − 1, t_x runs from the first to the last purchase, T from the
/// first purchase to the calibration end, and m̄ is the mean value of the
/// repeat purchases only. Calibration includes orders on `calibrationEnd`.
public enum CLVData {
    /// Extracts one summary per customer whose first counted order is on or before `calibrationEnd`.
    ///
    /// - Parameters:
    ///   - countedOrders: a condition on the orders table (e.g. a status filter), ANDed in.
    ///   - calibrationEnd: last day of calibration, in days since 1970-01-01.
    ///   - unit: the time unit of t_x and T.
    ///   - segment: an optional condition on `customer_id`, ANDed in.
    ///   - holdoutEnd: when given, purchases in (calibrationEnd, holdoutEnd] are counted too.
    ///   - table: the orders table name.
    /// - Returns: summaries sorted by customer id. Missing amounts count as 0.
    public static func extract(db: Database, countedOrders: SQLFragment, calibrationEnd: Int, unit: CLVTimeUnit,
                               segment: SQLFragment? = nil, holdoutEnd: Int? = nil,
                               table: String = "orders") throws -> [CustomerSummary] {
        if let holdoutEnd, holdoutEnd <= calibrationEnd {
            throw CLVError.invalidInput("the holdout must end after the calibration end (day \(holdoutEnd) ≤ \(calibrationEnd))")
        }
        var conditions = [SQLFragment("day IS NOT NULL AND customer_id IS NOT NULL"),
                          SQLFragment("day <= ?", [.integer(Int64(holdoutEnd ?? calibrationEnd))]),
                          SQLFragment("(") + countedOrders + SQLFragment(")"),
                          // A refund row (negative amount) is not a purchase: docs/metrics.md.
                          SQLFragment("(amount IS NULL OR amount >= 0)")]
        if let segment { conditions.append(SQLFragment("(") + segment + SQLFragment(")")) }
        let filter = SQLFragment.joined(conditions, separator: " AND ")
        // One row per customer and purchase day, in order: the Swift side streams through it.
        // customer_id has TEXT affinity (workspace.md), so 42 and '42' are already one id;
        // grouping on the bare column lets an index on (customer_id, day) skip the sort.
        // The holdout's CM2 per customer (docs/metrics.md: revenue − cogs − shipping − commission), NULL costs as 0.
        let costColumns = CostField.allCases.map(\.rawValue)
        let present = Set(try db.columns(of: table).map { $0.name.lowercased() })
        let margin = holdoutEnd != nil && costColumns.allSatisfy(present.contains)
            ? "TOTAL(\(OrderMeasures.cm2SQL(nil)))" : "0"
        if db.engine != .sqlite {
            return try summariesInEngine(db: db, filter: filter, margin: margin == "0" ? "0" : "coalesce(sum(\(OrderMeasures.cm2SQL(nil))), 0)",
                                         calibrationEnd: calibrationEnd, unit: unit, holdout: holdoutEnd != nil, table: table)
        }
        let sql = """
            SELECT customer_id, day, TOTAL(amount), \(margin) FROM \(quoteIdentifier(table))
            WHERE \(filter.sql)
            GROUP BY customer_id, day ORDER BY customer_id, day
            """
        let statement = try db.prepare(sql)
        try statement.bind(filter.bindings)
        var summaries: [CustomerSummary] = []
        var builder: HistoryBuilder?
        while try statement.step() {
            let value = statement.value(at: 0)
            let id = value.textValue ?? value.description
            let day = Int(statement.int64(at: 1))
            let amount = statement.double(at: 2)
            let cm2 = statement.double(at: 3)
            if builder?.customerID != id {
                if let done = builder?.summary(calibrationEnd: calibrationEnd, unit: unit, holdout: holdoutEnd != nil) {
                    summaries.append(done)
                }
                builder = HistoryBuilder(customerID: id)
            }
            builder?.add(day: day, amount: amount, margin: cm2, inCalibration: day <= calibrationEnd)
        }
        if let done = builder?.summary(calibrationEnd: calibrationEnd, unit: unit, holdout: holdoutEnd != nil) {
            summaries.append(done)
        }
        return summaries
    }

    /// Counted orders of a negative amount (refund rows) up to `through`, and their amounts' sum: what
    /// `extract` leaves out of the histories.
    public static func refunds(db: Database, countedOrders: SQLFragment, through day: Int, segment: SQLFragment? = nil,
                               table: String = "orders") throws -> (rows: Int, amount: Double) {
        var conditions = [SQLFragment("day IS NOT NULL AND customer_id IS NOT NULL AND amount < 0"),
                          SQLFragment("day <= ?", [.integer(Int64(day))]),
                          SQLFragment("(") + countedOrders + SQLFragment(")")]
        if let segment { conditions.append(SQLFragment("(") + segment + SQLFragment(")")) }
        let filter = SQLFragment.joined(conditions, separator: " AND ")
        let row = try db.query("SELECT count(*), coalesce(sum(amount), 0) FROM \(quoteIdentifier(table)) WHERE \(filter.sql)",
                               filter.bindings).rows.first
        return (Int(row?[0].intValue ?? 0), row?[1].doubleValue ?? 0)
    }
}

extension CLVData {
    /// The same summaries computed by the engine (a PostgreSQL server): purchase days per customer,
    /// then one row per customer, so only per-customer rows cross the wire. The rules are
    /// `HistoryBuilder`'s: calibration purchases up to `calibrationEnd`, the first of them opens the
    /// history, the repeat value sums the others; purchases after it are the holdout's.
    static func summariesInEngine(db: Database, filter: SQLFragment, margin: String, calibrationEnd: Int, unit: CLVTimeUnit,
                                  holdout: Bool, table: String) throws -> [CustomerSummary] {
        let c = Value.integer(Int64(calibrationEnd))
        let sql = SQLFragment("""
            WITH d AS (
              SELECT customer_id, day, coalesce(sum(amount), 0) AS amount, \(margin) AS margin,
                     row_number() OVER (PARTITION BY customer_id ORDER BY day) AS k
              FROM \(quoteIdentifier(table)) WHERE \(filter.sql)
              GROUP BY customer_id, day
            )
            SELECT customer_id, min(CASE WHEN day <= ? THEN day END), max(CASE WHEN day <= ? THEN day END),
                   count(CASE WHEN day <= ? THEN 1 END), sum(CASE WHEN day <= ? AND k > 1 THEN amount ELSE 0 END),
                   count(CASE WHEN day > ? THEN 1 END), sum(CASE WHEN day > ? THEN amount ELSE 0 END),
                   sum(CASE WHEN day > ? THEN margin ELSE 0 END)
            FROM d GROUP BY customer_id HAVING min(day) <= ?
            ORDER BY customer_id COLLATE "C"
            """, filter.bindings + Array(repeating: c, count: 8))
        // Streamed row by row: the summaries are the only per-customer data ecsh keeps.
        var summaries: [CustomerSummary] = []
        try db.forEachRow(sql.sql, sql.bindings) { r in
            guard let first = r[1].intValue, let last = r[2].intValue else { return }
            let x = Int(r[3].intValue ?? 1) - 1
            let id = r[0].textValue ?? r[0].description
            summaries.append(CustomerSummary(customerID: id, x: x, tx: Double(last - first) / unit.days,
                                             T: Double(Int64(calibrationEnd) - first) / unit.days,
                                             monetaryMean: x > 0 ? (r[4].doubleValue ?? 0) / Double(x) : nil,
                                             holdoutPurchases: holdout ? Int(r[5].intValue ?? 0) : nil,
                                             holdoutValue: holdout ? r[6].doubleValue ?? 0 : nil,
                                             holdoutMargin: holdout ? r[7].doubleValue ?? 0 : nil))
        }
        return summaries
    }
}

/// Accumulates one customer's purchase days while the query streams.
private struct HistoryBuilder {
    let customerID: String
    var firstDay: Int?
    var lastDay = 0
    var purchases = 0
    var repeatValue = 0.0
    var holdoutPurchases = 0
    var holdoutValue = 0.0
    var holdoutMargin = 0.0

    init(customerID: String) { self.customerID = customerID }

    mutating func add(day: Int, amount: Double, margin: Double, inCalibration: Bool) {
        guard inCalibration else {
            holdoutPurchases += 1
            holdoutValue += amount
            holdoutMargin += margin
            return
        }
        if firstDay == nil { firstDay = day } else { repeatValue += amount }
        lastDay = day
        purchases += 1
    }

    /// nil for a customer whose first purchase is after calibration (not yet acquired).
    func summary(calibrationEnd: Int, unit: CLVTimeUnit, holdout: Bool) -> CustomerSummary? {
        guard let firstDay else { return nil }
        let x = purchases - 1
        return CustomerSummary(customerID: customerID, x: x,
                               tx: Double(lastDay - firstDay) / unit.days,
                               T: Double(calibrationEnd - firstDay) / unit.days,
                               monetaryMean: x > 0 ? repeatValue / Double(x) : nil,
                               holdoutPurchases: holdout ? holdoutPurchases : nil,
                               holdoutValue: holdout ? holdoutValue : nil,
                               holdoutMargin: holdout ? holdoutMargin : nil)
    }
}

extension CLVData {
    /// Each customer's CM2 and GMV over counted orders up to `through`, by facts `customer_key` (arrays of `keys`
    /// entries): what a group's own margin in `predict ltv` is summed from. Counted orders as the KPI engine's
    /// `margin` and `gmv` take them (refund rows included, missing cost fields and NULL costs as 0), so over
    /// every customer the sums are the shop's ratio but for orders with no customer.
    public static func marginByCustomer(db: Database, countedOrders: SQLFragment, through day: Int, keys: Int,
                                        facts: String, table: String = "orders") throws -> (cm2: [Double], gmv: [Double]) {
        let present = Set(try db.columns(of: table).map { $0.name.lowercased() })
        let filter = SQLFragment("customer_id IS NOT NULL AND day <= ? AND (", [.integer(Int64(day))]) + countedOrders + SQLFragment(")")
        // Summed per customer id first, so the counted condition reads only the orders' columns.
        let sql = SQLFragment("""
            SELECT f.customer_key, s.cm2, s.gmv FROM (
              SELECT customer_id, coalesce(sum(\(OrderMeasures.cm2SQL(columns: present))), 0) AS cm2, coalesce(sum(amount), 0) AS gmv
              FROM \(quoteIdentifier(table)) WHERE \(filter.sql) GROUP BY customer_id
            ) s JOIN \(facts) f ON f.customer_id = s.customer_id
            """, filter.bindings)
        var cm2 = Array(repeating: 0.0, count: keys), gmv = Array(repeating: 0.0, count: keys)
        try db.forEachRow(sql.sql, sql.bindings) { r in
            guard let k = r[0].intValue, k >= 0, Int(k) < keys else { return }
            cm2[Int(k)] += r[1].doubleValue ?? 0
            gmv[Int(k)] += r[2].doubleValue ?? 0
        }
        return (cm2, gmv)
    }
}

/// Where the purchases lie: the first and last purchase days and the last counted day (a refund row may come later).
public struct PurchaseDays: Sendable, Equatable {
    public var first: Int
    public var last: Int
    public var lastCounted: Int

    public init(first: Int, last: Int, lastCounted: Int) {
        (self.first, self.last, self.lastCounted) = (first, last, lastCounted)
    }
}

extension CLVData {
    /// The day by which `needed` customers had made a repeat purchase (a counted order of a non-negative amount on a
    /// later day than their first), or nil when fewer ever did: a calibration period ending before it has too few
    /// repeat buyers to fit, one ending on it or later has enough. The same purchases `extract` reads.
    public static func dayOfRepeatBuyer(_ needed: Int, db: Database, countedOrders: SQLFragment, table: String = "orders") throws -> Int? {
        let sql = SQLFragment("""
            WITH p AS (
              SELECT DISTINCT customer_id, day FROM \(quoteIdentifier(table))
              WHERE day IS NOT NULL AND customer_id IS NOT NULL AND (amount IS NULL OR amount >= 0) AND (
            """) + countedOrders + SQLFragment("""
            )), d AS (SELECT day, row_number() OVER (PARTITION BY customer_id ORDER BY day) AS k FROM p)
            SELECT day FROM d WHERE k = 2 ORDER BY day LIMIT 1 OFFSET ?
            """, [.integer(Int64(max(needed, 1) - 1))])
        return try db.query(sql.sql, sql.bindings).rows.first?[0].intValue.map(Int.init)
    }
}
