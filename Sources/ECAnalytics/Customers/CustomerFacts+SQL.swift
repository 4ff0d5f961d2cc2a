import Foundation
import ECStore

/// The customer facts built by one SQL statement, in the engine: what a PostgreSQL workspace uses
/// (no order crosses the wire; the server sorts each customer's orders with a window), and a
/// second, independent formula for the facts an SQLite workspace builds in Swift
/// (`CustomerFactsSQLTests` checks the two agree column for column).
///
/// The rules are the Swift build's: counted orders up to as_of with a customer id; the first
/// order is the earliest by (day, ordered_at, order_id) with NULLs first and text compared byte
/// by byte (`COLLATE "C"` on PostgreSQL, SQLite's default); the second day is the day of the
/// second order in that order; NPS is the latest answer by (day, responded_at), NULLs last; the
/// customers dataset's other columns are joined by customer_id. `customer_key` numbers customers
/// by id. No order snapshot is written: statements on such a workspace take the SQL route.
extension CustomerFacts {
    /// Rebuilds the facts with `factsSQL` and stamps them (a `stamp` and a `meta` entry in
    /// `ecsh_snapshot`, so that `ensureCurrent` knows when they are current).
    public static func rebuildInEngine(_ db: Database, settings: MetricSettings) throws {
        guard try db.tableExists("orders") else {
            throw MetricsError("customer facts need orders: load orders from 'file.csv'")
        }
        let asOf = try WorkspaceDates.asOfDay(db, settings: settings)
        let started = Date.timeIntervalSinceReferenceDate
        try db.during("building the customer facts") { try db.transaction {
            try OrderSnapshot.invalidate(db)
            let build = try factsSQL(db, settings: settings, asOf: asOf)
            try db.execute("CREATE TABLE \(db.derivedSchema).\(table) AS\n" + build.sql, build.bindings)
            try db.execute("CREATE UNIQUE INDEX ecsh_customer_facts_id ON \(db.derivedSchema).\(table)(customer_id)")
            try db.execute("ANALYZE \(db.derivedSchema).\(table)")
            let blob = db.engine == .postgresql ? "TEXT" : "BLOB"
            try db.execute("CREATE TABLE \(db.derivedSchema).\(OrderSnapshot.table) (name TEXT PRIMARY KEY, data \(blob) NOT NULL)")
            let customers = try db.scalar("SELECT count(*) FROM \(table)").intValue ?? 0
            let meta = "customers=\(customers)\nas_of=\(asOf)\ncounted=\(settings.countedDescription)\nbuilt_by=sql"
            try db.execute("INSERT INTO \(db.derivedSchema).\(OrderSnapshot.table) (name, data) VALUES ('meta', ?)", [.text(meta)])
            try OrderSnapshot.writeStamp(db, seconds: Date.timeIntervalSinceReferenceDate - started)
        } }
    }

    /// Whether facts built in the engine are there and current for these settings.
    static func engineFactsCurrent(_ db: Database, settings: MetricSettings) throws -> Bool {
        let asOf = try WorkspaceDates.asOfDay(db, settings: settings)
        guard let meta = try OrderSnapshot.meta(db) else { return false }
        return meta["as_of"] == String(asOf) && meta["counted"] == settings.countedDescription
    }

    /// The SELECT that computes the facts table, with its bindings.
    static func factsSQL(_ db: Database, settings: MetricSettings, asOf: Int) throws -> SQLFragment {
        let pg = db.engine == .postgresql
        let bytes = pg ? " COLLATE \"C\"" : ""
        func date(_ day: String) -> String {
            pg ? "to_char(DATE '1970-01-01' + CAST(\(day) AS integer), 'YYYY-MM-DD')" : "date(\(day) * 86400, 'unixepoch')"
        }
        func month(_ day: String) -> String {
            pg ? "to_char(DATE '1970-01-01' + CAST(\(day) AS integer), 'YYYY-MM')" : "strftime('%Y-%m', \(day) * 86400, 'unixepoch')"
        }
        let counted = settings.countedCondition(alias: "o")
        var joins = ""
        var more = ""
        var nps = "CAST(NULL AS INTEGER)"
        if try db.tableExists("nps"), try db.columns(of: "nps").contains(where: { $0.name == "customer_id" }) {
            joins += """

                LEFT JOIN (SELECT customer_id, score FROM (
                    SELECT customer_id, score, row_number() OVER (PARTITION BY customer_id
                           ORDER BY day DESC NULLS LAST, responded_at\(bytes) DESC NULLS LAST) AS rn
                    FROM nps WHERE customer_id IS NOT NULL) AS ranked WHERE rn = 1) AS latest ON latest.customer_id = f.customer_id
                """
            nps = "CAST(latest.score AS INTEGER)"
        }
        if try db.tableExists("customers") {
            let taken = Set((ownColumns.map(\.name) + ["nps", "customer_key"]).map { $0.lowercased() })
            let extra = try db.columns(of: "customers").filter { !taken.contains($0.name.lowercased()) }
            if !extra.isEmpty {
                more = extra.map { ", cu.\(quoteIdentifier($0.name))" }.joined()
                joins += "\nLEFT JOIN customers AS cu ON cu.customer_id = f.customer_id"
            }
        }
        let a = Value.integer(Int64(asOf))
        let sql = """
            WITH c AS (
              SELECT o.customer_id, o.day, o.order_id, o.channel, \(OrderMeasures.revenueSQL("o")) AS net, \(OrderMeasures.cm2SQL("o")) AS cm2,
                     row_number() OVER (PARTITION BY o.customer_id
                                        ORDER BY o.day, o.ordered_at\(bytes) NULLS FIRST, o.order_id\(bytes) NULLS FIRST) AS n
              FROM orders AS o
              WHERE \(counted.sql) AND o.day <= ? AND o.customer_id IS NOT NULL
            ),
            f AS (
              SELECT customer_id, min(day) AS first_day, max(CASE WHEN n = 2 THEN day END) AS second_day, max(day) AS last_day,
                     max(CASE WHEN n = 1 THEN channel END) AS first_channel, count(*) AS orders, CAST(sum(net) AS REAL) AS revenue,
                     CAST(sum(cm2) AS REAL) AS margin, count(DISTINCT channel) AS channels, max(CASE WHEN n = 1 THEN order_id END) AS first_order_id
              FROM c GROUP BY customer_id
            )
            SELECT row_number() OVER (ORDER BY f.customer_id\(bytes)) - 1 AS customer_key, f.customer_id,
                   \(date("f.first_day")) AS first_order, \(month("f.first_day")) AS cohort, f.first_channel,
                   \(date("f.last_day")) AS last_order, f.orders, f.revenue, f.margin, f.revenue / f.orders AS aov,
                   ? - f.last_day AS recency, ? - f.first_day AS tenure, f.channels, f.first_day, f.second_day, f.last_day,
                   f.first_order_id, \(nps) AS nps\(more)
            FROM f\(joins)
            """
        return SQLFragment(sql, counted.bindings + [a, a, a])
    }
}
