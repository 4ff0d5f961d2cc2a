import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// Codes of a customers column kept beside the snapshot after the first grouping by it
/// (`CustomerColumnCodes`), through the binary on the sample shop: every answer equals the reference
/// SQL route, and codes of an earlier build are never read, after a customers load that changes the
/// column (joined onto the facts, the snapshot kept) or a setting that rebuilds the facts.
@Suite struct CustomerColumnCodesTests {
    static let shop = BuiltBinary.packageRoot.appendingPathComponent("samples/shop")

    /// The statement's CSV from the snapshot route and from the reference SQL route.
    static func answers(_ ws: String, _ statement: String) throws -> (snapshot: String, sql: String) {
        let a = try runECSH([ws, "--csv", "-c", statement])
        let b = try runECSH([ws, "--csv", "-c", statement], environment: ["ECSH_KPI_ROUTE": "sql"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        return (a.stdout, b.stdout)
    }

    static func kept(_ ws: String, _ column: String) throws -> String? {
        try Database(path: ws).scalar("SELECT CAST(data AS TEXT) FROM ecsh_snapshot WHERE name = ?", [.text("attr.\(column).build")]).textValue
    }

    @Test func keptCodesFollowEveryChangeOfTheColumn() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let ws = dir.path("w.db")
        for role in ["orders", "customers"] {
            let out = try runECSH([ws, "-c", "load \(role) from '\(Self.shop.appendingPathComponent("\(role).csv").path)'"])
            #expect(out.status == 0, "\(out.stderr)")
        }
        let statement = "kpi gmv, customers, repeat_rate by region"
        let first = try Self.answers(ws, statement)
        #expect(first.snapshot == first.sql)
        let build = try #require(try Self.kept(ws, "region"))
        // Read from the kept codes: the same answer.
        #expect(try Self.answers(ws, statement).snapshot == first.snapshot)
        #expect(try Self.kept(ws, "region") == build)

        // Customers again, every region moved to the next one's name (the facts get the new column, the snapshot stays).
        let original = try String(contentsOf: Self.shop.appendingPathComponent("customers.csv"), encoding: .utf8)
        var lines = original.split(separator: "\n").map(String.init)
        let regions = Array(Set(lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] })).sorted()
        for i in 1..<lines.count {
            var f = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[3] = String(regions[(regions.firstIndex(of: Substring(f[3]))! + 1) % regions.count])
            lines[i] = f.joined(separator: ",")
        }
        let moved = try dir.write("customers2.csv", lines.joined(separator: "\n") + "\n")
        #expect(try runECSH([ws, "-c", "load customers from '\(moved)'"]).status == 0)
        let second = try Self.answers(ws, statement)
        #expect(second.snapshot == second.sql)
        #expect(second.snapshot != first.snapshot)
        #expect(try Self.kept(ws, "region") != build)
        // Cohorts by the column read the same kept codes: each group's size is the SQL route's customers.
        let cohorts = try runECSH([ws, "--csv", "-c", "cohort retention by region periods 2"])
        let sizes = cohorts.stdout.split(separator: "\n").map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
        let customers = try runECSH([ws, "--csv", "-c", "kpi customers by region"], environment: ["ECSH_KPI_ROUTE": "sql"])
        // (Both end with a line over all groups: the cohorts' average, the KPI's total.)
        #expect(Array(sizes.dropFirst().dropLast()) == customers.stdout.split(separator: "\n").dropFirst().dropLast().map(String.init),
                "\(cohorts.stdout)")
        #expect(sizes.count > 10)

        // A setting that rebuilds the facts (customers numbered anew) under the same inputs.
        #expect(try runECSH([ws, "-c", "set as_of '2024-06-30'"]).status == 0)
        let third = try Self.answers(ws, statement)
        #expect(third.snapshot == third.sql)
        #expect(third.snapshot != second.snapshot)
    }

    /// Kept entries that do not fit (another build's, or codes for another number of customers) are read again.
    @Test func entriesThatDoNotFitAreReadAgain() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let ws = dir.path("w.db")
        for role in ["orders", "customers"] {
            #expect(try runECSH([ws, "-c", "load \(role) from '\(Self.shop.appendingPathComponent("\(role).csv").path)'"]).status == 0)
        }
        let statement = "kpi customers by age_band"
        let first = try Self.answers(ws, statement)
        #expect(first.snapshot == first.sql)
        let db = try Database(path: ws)
        // Every customer in the first group, under the kept build: too few codes, so not used.
        try db.execute("UPDATE ecsh_snapshot SET data = zeroblob(40) WHERE name = 'attr.age_band'")
        #expect(try Self.answers(ws, statement).snapshot == first.snapshot)
        // The right number of codes, all 0 (NULL), under another build's tag: not used either.
        try db.execute("UPDATE ecsh_snapshot SET data = zeroblob(length(data)) WHERE name = 'attr.age_band'")
        try db.execute("UPDATE ecsh_snapshot SET data = CAST('another build' AS BLOB) WHERE name = 'attr.age_band.build'")
        #expect(try Self.answers(ws, statement).snapshot == first.snapshot)
        #expect(try Self.kept(ws, "age_band") != "another build")
    }

    /// A column of more than 256 values (kept four bytes a customer) and one of a few (one byte), on a
    /// generated shop: the kept codes give the reference SQL's answers, by themselves and beside a grain.
    @Test func manyValuesAndFewAgreeWithSQL() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        try db.execute("ALTER TABLE customers ADD COLUMN age_band TEXT")
        try db.execute("""
            INSERT INTO customers (customer_id, region, age_band) SELECT customer_id, 'R' || customer_id,
              CASE abs(random()) % 3 WHEN 0 THEN NULL WHEN 1 THEN '20s' ELSE '30s' END
            FROM (SELECT DISTINCT customer_id FROM orders WHERE customer_id IS NOT NULL)
            """)
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        for _ in 0..<2 {
            for g: [Grouping] in [[.dimension(name: "region")], [.grain(.quarter), .dimension(name: "age_band")]] {
                try SnapshotRouteTests.assertSame(db, KPIQuery(kpis: ["gmv", "customers", "repeat_rate"], groupBy: g))
            }
        }
        let widths = try db.query("""
            SELECT name, length(data) FROM ecsh_snapshot WHERE name IN ('attr.region', 'attr.age_band') ORDER BY name
            """).rows
        let customers = Int64(try #require(try OrderSnapshot.sizes(db)).customers)
        #expect(widths == [[.text("attr.age_band"), .integer(customers)], [.text("attr.region"), .integer(4 * customers)]])
    }

    @Test func valuesRoundTrip() {
        let values: [Value] = [.null, .integer(-7), .integer(Int64.max), .real(-0.5), .real(1e300), .text(""), .text("東京 A\u{308}"),
                               .blob([0, 255, 3])]
        #expect(CustomerColumnCodes.decode(CustomerColumnCodes.encode(values)) == values)
        #expect(CustomerColumnCodes.decode([9]) == nil && CustomerColumnCodes.decode([3, 5, 0, 0, 0, 65]) == nil)
    }
}
