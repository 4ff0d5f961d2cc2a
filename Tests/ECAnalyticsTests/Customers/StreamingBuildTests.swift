import Foundation
import Testing
import ECStore
@testable import ECAnalytics

/// The bounded-memory build (`CustomerFacts.build`) on each of its paths — orders held in
/// memory, in day order (blocks written during the first read), out of order (read again
/// by ranges of days) — and with the customers split into several shares (several reads): the
/// facts must equal a one-pass build customer by customer (the one-pass facts are checked
/// against SQL's window query in SnapshotRouteTests), and every KPI from the snapshot must
/// equal the reference SQL over `orders`.
@Suite struct StreamingBuildTests {
    static let queries: [KPIQuery] = [
        KPIQuery(kpis: ["gmv", "revenue", "orders", "aov", "units", "margin", "commission"], groupBy: [.grain(.month)]),
        KPIQuery(kpis: ["customers", "new_customers", "returning_customers", "repeat_rate", "f2_rate"], groupBy: [.grain(.month)]),
        KPIQuery(kpis: ["customers", "new_customers", "repeat_rate"], groupBy: [.dimension(name: "first_channel")]),
        KPIQuery(kpis: ["gmv", "new_customers"], groupBy: [.dimension(name: "cohort")]),
        KPIQuery(kpis: ["retention_rate", "active_members"], groupBy: [.grain(.month), .dimension(name: "channel")]),
    ]

    static func facts(_ db: Database) throws -> [[Value]] {
        try db.query("SELECT * FROM \(CustomerFacts.table) ORDER BY customer_id").rows.map { Array($0.dropFirst()) }
    }

    static func check(_ db: Database, settings: MetricSettings = MetricSettings(), sourceLocation: SourceLocation = #_sourceLocation) throws {
        try CustomerFacts.rebuild(db, settings: settings)
        let onePass = try Self.facts(db)
        let sizes = try #require(try OrderSnapshot.sizes(db))
        #expect(onePass.count > 250, sourceLocation: sourceLocation)
        // Customers in shares of 700 and 301 orders; the snapshot from memory, then (out of day
        // order) by ranges of days holding at most 400 orders, or one day each (limit 1).
        for (perPass, inMemory) in [(700, 1_000_000), (301, 400), (100_000, 1)] {
            try CustomerFacts.rebuild(db, settings: settings, ordersPerPass: perPass, ordersInMemory: inMemory)
            let split = try Self.facts(db)
            #expect(split.count == onePass.count, sourceLocation: sourceLocation)
            for (a, b) in zip(onePass, split) where !zip(a, b).allSatisfy({ SnapshotRouteTests.same($0, $1) }) {
                Issue.record("\(perPass) orders a pass, \(inMemory) in memory: customer \(a[0]): one pass \(a), split \(b)", sourceLocation: sourceLocation)
                break
            }
            // Keys are 0..<n with no gaps, in every share.
            let keys = try db.query("SELECT min(customer_key), max(customer_key), count(*) FROM \(CustomerFacts.table)").rows[0]
            #expect(keys == [.integer(0), .integer(Int64(onePass.count - 1)), .integer(Int64(onePass.count))], sourceLocation: sourceLocation)
            let now = try #require(try OrderSnapshot.sizes(db))
            #expect(now.orders == sizes.orders && now.customers == sizes.customers, sourceLocation: sourceLocation)
            for q in queries { try SnapshotRouteTests.assertSame(db, q, settings: settings, sourceLocation: sourceLocation) }
        }
    }

    /// Out of day order (the awkward rows come last): the snapshot is written by the sorted read.
    @Test func outOfDayOrder() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        let descents = try db.scalar("SELECT count(*) FROM (SELECT day < lag(day) OVER (ORDER BY rowid) AS d FROM orders) WHERE d").intValue ?? 0
        #expect(descents > 0)
        // Customers' columns too: each share takes only its own customers' rows of the customers and NPS tables.
        try db.execute("INSERT INTO customers (customer_id, region) SELECT DISTINCT customer_id, CASE WHEN customer_id < 'C00150' THEN 'Tokyo' ELSE 'Osaka' END FROM orders WHERE customer_id IS NOT NULL")
        #expect(try db.scalar("SELECT count(*) FROM nps WHERE customer_id IN (SELECT customer_id FROM orders)").intValue ?? 0 > 20)
        try Self.check(db)
        var s = MetricSettings()
        s.asOf = "2023-12-31"
        s.counted = .only(["completed"])
        try Self.check(db, settings: s)
    }

    /// The test shop with its orders renumbered in day order.
    static func sortedShop() throws -> KPIGeneratedShop {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        try db.execute("CREATE TEMP TABLE sorted AS SELECT * FROM orders ORDER BY day, ordered_at, order_id")
        try db.execute("DELETE FROM orders")
        try db.execute("INSERT INTO orders SELECT * FROM temp.sorted")
        return shop
    }

    /// In day order (rows renumbered by day): the blocks are written during the first read.
    @Test func inDayOrder() throws {
        let shop = try Self.sortedShop()
        let db = shop.w.db
        let descents = try db.scalar("SELECT count(*) FROM (SELECT day < lag(day) OVER (ORDER BY rowid) AS d FROM orders) WHERE d").intValue ?? 1
        #expect(descents == 0)
        try Self.check(db)
        var s = MetricSettings()
        s.asOf = "2023-09-30"
        try Self.check(db, settings: s)
    }

    /// In day order past a whole block of the snapshot (written during the first read), then an earlier
    /// order: the blocks written are dropped and the sorted read writes them again (it failed on the
    /// names already taken, "UNIQUE constraint failed: ecsh_snapshot.name", past 2.5M orders).
    @Test func dayOrderBrokenAfterAWholeBlock() throws {
        let shop = try Self.sortedShop()
        let db = shop.w.db
        let last = try #require(try db.scalar("SELECT max(day) FROM orders").intValue)
        let more = OrderSnapshot.blockSize + 5_000
        try db.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(more))
            INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, channel, status)
            SELECT 'D' || i, 'D' || (i % 9000), '2024-01-01 10:00:00', \(last) + i / 400, 100 + i % 7, 'own', 'completed' FROM n
            """)
        try db.execute("INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, channel, status) VALUES ('E1', 'D5', '2023-02-01 10:00:00', \(WorkspaceBuilder.day("2023-02-01")), 900, 'amazon', 'completed')")
        let descents = try db.scalar("SELECT count(*) FROM (SELECT day < lag(day) OVER (ORDER BY rowid) AS d FROM orders) WHERE d").intValue ?? 0
        #expect(descents == 1)
        try Self.check(db)
    }
}
