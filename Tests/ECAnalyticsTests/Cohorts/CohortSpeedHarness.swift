import Foundation
import Testing
import ECStore
@testable import ECAnalytics

/// Not a test: a timing harness for the 24 × 24 monthly retention matrix on
/// one million synthetic orders. Runs only with `ECSH_BENCH=1`, asserts no
/// times, and prints them:
///
///     ECSH_BENCH=1 swift test -c release --filter CohortSpeedHarness
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ECSH_BENCH"] == "1"))
struct CohortSpeedHarness {
    @Test func retentionMatrixOnAMillionOrders() throws {
        let db = try Database()
        try db.execute("""
            CREATE TABLE orders (order_id TEXT, customer_id TEXT, ordered_at TEXT, day INTEGER, amount REAL,
              channel TEXT, status TEXT, discount REAL, points REAL, cogs REAL, shipping REAL, commission REAL,
              quantity INTEGER, product TEXT, category TEXT);
            -- 200,000 customers acquired over 2023-01 .. 2024-12, 5 orders each on average after acquisition.
            WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 999999)
            INSERT INTO orders (order_id, customer_id, day, amount, channel, status, cogs, shipping)
            SELECT 'O' || i, 'C' || (i % 200000),
                   min(19358 + ((i % 200000) * 7919) % 700 + (i / 200000) * (abs(random()) % 120), 20088),
                   1000 + abs(random()) % 9000,
                   CASE abs(random()) % 3 WHEN 0 THEN 'own' WHEN 1 THEN 'rakuten' ELSE 'amazon' END,
                   CASE WHEN abs(random()) % 20 = 0 THEN 'cancelled' END, 500, 80
            FROM s;
            UPDATE orders SET ordered_at = date(day * 86400, 'unixepoch');
            """)
        let engine = CohortEngine(db)
        // Baselines: SQLite alone scanning the counted orders, and the old all-SQL plan.
        let selection = OrderSelection.excludingStatuses()
        let scan = selection.select(["customer_id", "day"])
        let scanStart = DispatchTime.now().uptimeNanoseconds
        let statement = try db.prepare(scan.sql)
        try statement.bind(scan.bindings)
        var scanned = 0
        while try statement.step() { scanned += 1 }
        print("cohort speed: SQLite scan of \(scanned) counted orders: \(String(format: "%.3f", Double(DispatchTime.now().uptimeNanoseconds - scanStart) / 1e9)) s")
        for (name, query) in [
            ("retention on, 24 months", CohortQuery(periods: 23, orders: .excludingStatuses(), cohortLimit: 24)),
            ("retention on_or_after", CohortQuery(mode: .onOrAfter, periods: 23, orders: .excludingStatuses())),
            ("margin cumulative", CohortQuery(measure: .margin, cumulative: true, periods: 23, orders: .excludingStatuses())),
            ("by first channel", CohortQuery(grouping: .attribute(.firstChannel), periods: 23, orders: .excludingStatuses())),
        ] {
            var best = Double.infinity
            var rows = 0
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                let matrix = try engine.run(query)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                rows = matrix.rows.count
            }
            print("cohort speed: \(name): \(rows) cohorts × \(query.periods + 1) offsets, best of 3: \(String(format: "%.3f", best)) s")
        }
    }
}
