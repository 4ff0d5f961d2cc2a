import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// A segment's members kept beside the snapshot (`CustomerFacts.members`, `KeptMembers`): read back only for
/// the same condition over the same build, evaluated again after anything that changes the facts.
@Suite struct KeptMembersTests {
    /// The members by a pass of SQL's own over the facts view, not through `members`.
    static func fresh(_ db: Database, _ predicate: SQLFragment, customers: Int) throws -> [Bool] {
        var m = [Bool](repeating: false, count: customers)
        for row in try db.query("SELECT customer_key FROM \(CustomerFacts.table) WHERE " + predicate.sql, predicate.bindings).rows {
            m[Int(row[0].intValue!)] = true
        }
        return m
    }

    static func entries(_ db: Database) throws -> Int {
        Int(try db.scalar("SELECT count(*) FROM \(OrderSnapshot.table) WHERE name LIKE 'members.%'").intValue ?? -1)
    }

    @Test func keptForTheSameConditionAndBuildOnly() throws {
        let shop = try KPIGeneratedShop(seed: 31, count: 1200)
        let db = shop.w.db
        let n = try CustomerFacts.customerCount(db)
        let two = SQLFragment("\"orders\" >= ?", [.integer(2)]), three = SQLFragment("\"orders\" >= ?", [.integer(3)])
        #expect(try Self.entries(db) == 0)
        let m2 = try CustomerFacts.members(of: two, customers: n, db)
        #expect(m2 == (try Self.fresh(db, two, customers: n)) && m2.contains(true) && m2.contains(false))
        #expect(try Self.entries(db) == 1)
        // The same SQL with another bound value is another condition.
        let m3 = try CustomerFacts.members(of: three, customers: n, db)
        #expect(m3 == (try Self.fresh(db, three, customers: n)) && m3 != m2)
        #expect(try Self.entries(db) == 2)
        // The kept entry is what a second statement reads: set every bit of it, and `members` says so.
        let name = KeptMembers.name(try KeptMembers.tag(db, predicate: two, customers: n)!.condition)
        guard case .blob(var data)? = try db.query("SELECT data FROM \(OrderSnapshot.table) WHERE name = ?", [.text(name)]).rows.first?[0] else {
            Issue.record("no kept members named \(name)")
            return
        }
        #expect(data.count > 4 + (n + 7) / 8)
        for i in (data.count - (n + 7) / 8)..<data.count { data[i] = 0xFF }
        try db.execute("UPDATE \(OrderSnapshot.table) SET data = ? WHERE name = ?", [.blob(data), .text(name)])
        #expect(try CustomerFacts.members(of: two, customers: n, db) == [Bool](repeating: true, count: n))
        // Another customer count (a header of another build) is not read.
        #expect(try CustomerFacts.members(of: two, customers: n - 1, db) == Array(try Self.fresh(db, two, customers: n).prefix(n - 1)))
        // A new build: nothing kept before it is read, and it is dropped when the new build keeps its own.
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        #expect(try CustomerFacts.members(of: two, customers: n, db) == m2)
        #expect(try Self.entries(db) == 1)
        // Facts changed by another program: not current, so nothing is read or kept until the next build.
        try db.execute("UPDATE orders SET status = 'cancelled' WHERE rowid % 4 = 0")
        #expect(try KeptMembers.tag(db, predicate: two, customers: n) == nil)
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let after = try CustomerFacts.customerCount(db)
        let now = try CustomerFacts.members(of: two, customers: after, db)
        #expect(now == (try Self.fresh(db, two, customers: after)) && now.filter { $0 }.count < m2.filter { $0 }.count)
    }

    /// Many conditions: no more than `maxKept` entries at any time, and every answer still the fresh one.
    @Test func aBoundedNumberOfConditionsIsKept() throws {
        let shop = try KPIGeneratedShop(seed: 32, count: 400)
        let db = shop.w.db
        let n = try CustomerFacts.customerCount(db)
        for i in 0..<(KeptMembers.maxKept + 6) {
            let p = SQLFragment("\"revenue\" >= ?", [.integer(Int64(100 * i))])
            #expect(try CustomerFacts.members(of: p, customers: n, db) == (try Self.fresh(db, p, customers: n)))
            #expect(try Self.entries(db) <= KeptMembers.maxKept)
        }
        #expect(try Self.entries(db) >= 1)
    }

    /// Through the binary on the sample shop: after an NPS load and a customers load, which write the facts'
    /// columns again without a new snapshot, a statement on a segment of those columns gives what the
    /// reference SQL route gives (which evaluates the condition in its own SQL), not the kept members.
    @Test func loadsOfTheColumnsASegmentReadsAreSeen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ws = dir.path("shop.db")
        func run(_ statement: String, route: String? = nil) throws -> String {
            let out = try runECSH([ws, "--csv", "-c", statement], environment: route.map { ["ECSH_KPI_ROUTE": $0] } ?? [:])
            #expect(out.status == 0, "\(statement): \(out.stderr)")
            return out.stdout
        }
        func file(_ name: String) -> String { BuiltBinary.packageRoot.appendingPathComponent("samples/shop/\(name)").path }
        for (role, name) in [("orders", "orders.csv"), ("customers", "customers.csv"), ("nps", "nps.csv")] {
            _ = try run("load \(role) from '\(file(name))'")
        }
        _ = try run("segment happy = nps >= 9")
        _ = try run("segment tokyo = region = 'Tokyo'")
        // The definitions counted the members and kept them; the statements on the segments read those.
        #expect(try Self.entries(try Database(path: ws)) == 2)
        let kpi = "kpi customers, gmv by quarter for happy, tokyo"
        let before = try run(kpi)
        #expect(before == (try run(kpi, route: "sql")))
        _ = try run("nps for tokyo")
        _ = try run("cohort retention by quarter for happy")
        #expect(try Self.entries(try Database(path: ws)) == 2)
        #expect(try run(kpi) == before, "read back")
        // Every score turned around, every region moved: the segments' members change.
        let nps = dir.path("nps2.csv")
        // The answers as loaded, without their comments (some span lines), each score turned around.
        let rows = try Database(path: ws).query("SELECT responded_at, customer_id, 10 - score FROM nps ORDER BY rowid").rows
        try (["responded_at,customer_id,score"] + rows.map { r in r.map { $0.description }.joined(separator: ",") })
            .joined(separator: "\n").appending("\n").write(toFile: nps, atomically: true, encoding: .utf8)
        _ = try run("load nps from '\(nps)'")
        let afterNPS = try run(kpi)
        #expect(afterNPS == (try run(kpi, route: "sql")) && afterNPS != before)
        let customers = dir.path("customers2.csv")
        let text = try String(contentsOfFile: file("customers.csv"), encoding: .utf8)
        try text.replacingOccurrences(of: ",Tokyo,", with: ",Osaka,").replacingOccurrences(of: ",Kanagawa,", with: ",Tokyo,")
            .write(toFile: customers, atomically: true, encoding: .utf8)
        _ = try run("load customers from '\(customers)'")
        let afterCustomers = try run(kpi)
        #expect(afterCustomers == (try run(kpi, route: "sql")) && afterCustomers != afterNPS)
    }
}
