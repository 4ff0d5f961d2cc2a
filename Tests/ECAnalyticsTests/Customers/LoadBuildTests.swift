import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// Derived data built by the load itself (issue 15, "built while loading"), through the
/// binary on the sample shop: after each `load` the facts and the snapshot are current,
/// the first statement does not rebuild them, their sizes match counts made with SQL
/// over `orders`, and the attributes joined by a customers or NPS load equal a full build.
@Suite struct LoadBuildTests {
    static func load(_ ws: String, _ role: String, _ file: String) throws {
        let path = BuiltBinary.packageRoot.appendingPathComponent("samples/shop/\(file)").path
        let out = try runECSH([ws, "-c", "load \(role) from '\(path)'"])
        #expect(out.status == 0, "\(out.stderr)")
    }

    static func facts(_ db: Database) throws -> [[Value]] {
        try db.query("SELECT * FROM \(CustomerFacts.table) ORDER BY customer_key").rows
    }

    @Test func everyLoadLeavesCurrentDerivedData() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ws = dir.path("shop.db")
        try Self.load(ws, "orders", "orders.csv")
        do {
            let db = try Database(path: ws)
            #expect(try OrderSnapshot.isCurrent(db))
            let counted = try MetricSettings.load(from: db).countedCondition()
            let orders = try db.scalar("SELECT count(*) FROM orders WHERE \(counted.sql)", counted.bindings).intValue
            let customers = try db.scalar("SELECT count(DISTINCT customer_id) FROM orders WHERE customer_id IS NOT NULL AND (\(counted.sql))",
                                          counted.bindings).intValue
            let sizes = try #require(try OrderSnapshot.sizes(db))
            #expect(Int64(sizes.orders) == orders)
            #expect(Int64(sizes.customers) == customers)
        }
        // The first statement only reads: the stamp (with its build time) is the load's.
        let before = try OrderSnapshot.stamp(try Database(path: ws))
        let kpi = try runECSH([ws, "--csv", "-c", "kpi orders, customers"])
        #expect(kpi.status == 0, "\(kpi.stderr)")
        #expect(try OrderSnapshot.stamp(try Database(path: ws)) == before)

        try Self.load(ws, "customers", "customers.csv")
        try Self.load(ws, "nps", "nps.csv")
        let db = try Database(path: ws)
        #expect(try OrderSnapshot.isCurrent(db))
        // Attributes came from the customers file, for every customer listed there.
        let wrong = try db.scalar("""
            SELECT count(*) FROM \(CustomerFacts.table) f JOIN customers c USING (customer_id) WHERE f.region IS NOT c.region
            """).intValue
        #expect(wrong == 0)
        let withRegion = try db.scalar("SELECT count(*) FROM \(CustomerFacts.table) WHERE region IS NOT NULL").intValue ?? 0
        #expect(withRegion > 1000)
        // The latest score per customer, by SQL's own window.
        let npsWrong = try db.scalar("""
            SELECT count(*) FROM \(CustomerFacts.table) f LEFT JOIN (
              SELECT customer_id, score FROM (SELECT customer_id, score, row_number() OVER (
                PARTITION BY customer_id ORDER BY day DESC, responded_at DESC) AS r FROM nps WHERE customer_id IS NOT NULL) WHERE r = 1
            ) n USING (customer_id) WHERE f.nps IS NOT n.score
            """).intValue
        #expect(npsWrong == 0)
        // The joined facts equal a full build from the orders.
        let joined = try Self.facts(db)
        try CustomerFacts.rebuild(db, settings: try MetricSettings.load(from: db))
        #expect(try Self.facts(db) == joined)
        #expect(joined.count > 1000)
    }
}
