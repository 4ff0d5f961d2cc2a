import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// Speed check on 1M orders in a temp file: run with ECSH_BENCH=1 in a release
/// build. Prints timings only; no assertions on time (machines differ).
@Suite struct KPIBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ECSH_BENCH"] != nil))
    func millionOrders() throws {
        let dir = try TemporaryDirectory("ecsh-bench")
        defer { dir.remove() }
        let w = try WorkspaceBuilder(path: dir.path("bench.db"))
        let db = w.db
        func time<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
            let t0 = Date()
            let r = try body()
            print(String(format: "BENCH %-48@ %.3f s", label as NSString, Date().timeIntervalSince(t0)))
            return r
        }
        let first = DayNumber.from(year: 2022, month: 1, day: 1)
        try time("generate 1M orders (SQL)") {
            try db.execute("""
                INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, channel, status, discount, points, cogs, shipping, commission, quantity)
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999),
                r AS (SELECT i, \(first) + abs(random()) % 1095 AS d, abs(random()) % 200000 AS c, abs(random()) % 100 AS s FROM n)
                SELECT printf('O%07d', i), printf('C%06d', c), date(d * 86400, 'unixepoch') || ' 12:00:00', d,
                       1000 + abs(random()) % 30000, CASE abs(random()) % 5 WHEN 0 THEN 'rakuten' WHEN 1 THEN 'amazon' WHEN 2 THEN 'yahoo' ELSE 'own' END,
                       CASE WHEN s < 5 THEN 'cancelled' WHEN s < 7 THEN 'returned' ELSE 'completed' END,
                       abs(random()) % 500, 0, 500, 300, 100, 1 + abs(random()) % 3
                FROM r
                """)
        }
        let settings = MetricSettings()
        try time("CustomerFacts.rebuild") { try CustomerFacts.rebuild(db, settings: settings) }
        let engine = KPIEngine(db, settings: settings)
        for (label, q) in [
            ("kpi gmv, orders, aov, customers by month (cold)", KPIQuery(kpis: ["gmv", "orders", "aov", "customers"], groupBy: [.grain(.month)])),
            ("kpi gmv, orders, aov, customers by month", KPIQuery(kpis: ["gmv", "orders", "aov", "customers"], groupBy: [.grain(.month)])),
            ("kpi gmv, orders, aov, customers by channel", KPIQuery(kpis: ["gmv", "orders", "aov", "customers"], groupBy: [.dimension(name: "channel")])),
            ("kpi gmv by month", KPIQuery(kpis: ["gmv"], groupBy: [.grain(.month)])),
            ("kpi new_customers, repeat_rate by month", KPIQuery(kpis: ["new_customers", "repeat_rate"], groupBy: [.grain(.month)])),
            ("kpi active_members, retention_rate by month", KPIQuery(kpis: ["active_members", "retention_rate"], groupBy: [.grain(.month)])),
        ] {
            let r = try time(label) { try engine.run(q) }
            print("BENCH   rows \(r.table.rows.count)")
            if ProcessInfo.processInfo.environment["ECSH_BENCH_PLAN"] != nil {
                for row in try db.query("EXPLAIN QUERY PLAN " + r.sql, r.bindings).rows { print("BENCH   plan \(row[3])") }
            }
        }
    }
}
