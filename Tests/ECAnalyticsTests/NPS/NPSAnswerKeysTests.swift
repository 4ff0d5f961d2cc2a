import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// Each NPS answer's respondent kept as a customer key (`NPSAnswerKeys`), and the segments' answers picked
/// by it (`NPSAnswerMembership`): the same answers as the condition on each answer picks, which the SQL
/// route runs, and the same counts as plain Swift makes from the generated orders.
@Suite struct NPSAnswerKeysTests {
    /// Every stored key names the facts' row of the answer's id, `notInFacts` only ids the facts lack,
    /// `noCustomer` only answers without an id; checked row by row against the facts by id.
    static func assertKeysMatchFacts(_ db: Database, _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let keys = try NPSAnswerKeys.Lookup.load(db) else {
            Issue.record("no stored keys \(context)", sourceLocation: sourceLocation)
            return
        }
        let ids = Dictionary(uniqueKeysWithValues: try db.query("SELECT customer_id, customer_key FROM \(CustomerFacts.baseTable)").rows
            .map { ($0[0].textValue ?? "", $0[1].intValue ?? -9) })
        #expect(keys.customers == ids.count, "\(context)", sourceLocation: sourceLocation)
        var wrong = 0, checked = 0
        for row in try db.query("SELECT rowid, CAST(customer_id AS TEXT) FROM nps").rows {
            let k = keys.key(ofRow: row[0].intValue!)
            let want: Int64 = row[1].textValue.map { ids[$0] ?? Int64(NPSAnswerKeys.notInFacts) } ?? Int64(NPSAnswerKeys.noCustomer)
            if Int64(k) != want { wrong += 1 }
            checked += 1
        }
        #expect(wrong == 0 && checked > 0, "\(wrong) of \(checked) answers' keys wrong \(context)", sourceLocation: sourceLocation)
    }

    /// A generated shop with a customers dataset listing customers who never ordered, and answers from
    /// customers with counted orders, from listed customers without one, from unknown ids and without id.
    static func shop() throws -> (shop: KPIGeneratedShop, answers: [(id: String?, day: Int?, score: Int)]) {
        let shop = try KPIGeneratedShop(seed: 77, count: 1600)
        let db = shop.w.db
        var rng = SplitMix64(seed: 9)
        let listed = (0..<260).map { String(format: "C%05d", $0) }  // 200 order; 60 never did
        for id in listed {
            let region: Value = [.text("north"), .text("south"), .null].randomElement(using: &rng)!
            try db.execute("INSERT INTO customers (customer_id, region) VALUES (?, ?)", [.text(id), region])
        }
        try shop.w.createNPS()
        var answers: [(id: String?, day: Int?, score: Int)] = []
        for i in 0..<900 {
            let id: String? = i % 29 == 0 ? nil : i % 31 == 0 ? "NOBODY\(i % 3)" : listed.randomElement(using: &rng)!
            let date = String(format: "2023-%02d-%02d", Int.random(in: 1...12, using: &rng), Int.random(in: 1...28, using: &rng))
            let score = Int.random(in: 0...10, using: &rng)
            try shop.w.nps(date, score, id)
            answers.append((id, WorkspaceBuilder.day(date), score))
        }
        try db.execute("UPDATE nps SET day = NULL WHERE rowid % 37 = 0")
        for i in answers.indices where (i + 1) % 37 == 0 { answers[i].day = nil }
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        return (shop, answers)
    }

    /// The same groups as the condition on every answer (`CustomerFacts.respondentCondition`) gives, for
    /// `nps` and, against the reference SQL route, for `kpi nps` (with another segment beside it).
    static func assertSameAsCondition(_ db: Database, _ predicate: SQLFragment, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let segments = [NamedSegment(name: "s", predicate: predicate), NamedSegment(name: "big", predicate: SQLFragment("\"revenue\" > 30000"))]
        for g: [Grouping] in [[], [.grain(.month)], [.grain(.quarter)]] {
            try SnapshotRouteTests.assertSame(db, KPIQuery(kpis: ["nps"], groupBy: g, segments: segments), route: .auto, sourceLocation: sourceLocation)
            try SnapshotRouteTests.assertSame(db, KPIQuery(kpis: ["nps", "gmv"], groupBy: g, segments: Array(segments.prefix(1)), from: "2023-03", to: "2023-08"),
                                              route: .auto, sourceLocation: sourceLocation)
        }
        let condition = try CustomerFacts.respondentCondition(db, id: SegmentCatalog.responses + ".customer_id", predicate: predicate)
        for grouping: NPSGrouping? in [nil, .period(.month), .period(.week), .period(.quarter)] {
            let keyed = try NPSEngine(db).groups(by: grouping, segment: predicate)
            let sql = try NPSEngine(db).groups(by: grouping, customerFilter: condition)
            #expect(keyed.map(\.label) == sql.map(\.label) && keyed.map(\.summary) == sql.map(\.summary),
                    "\(predicate.sql) by \(grouping?.header ?? "-")", sourceLocation: sourceLocation)
        }
    }

    @Test func segmentsPickTheSameAnswersByKey() throws {
        let (shop, answers) = try Self.shop()
        let db = shop.w.db
        try Self.assertKeysMatchFacts(db)
        // Plain Swift: counted orders per customer; a respondent without one has 0 (and is still a respondent).
        var counted: [String: Int] = [:]
        for o in shop.orders where o.counted { counted[o.customer, default: 0] += 1 }
        let picked: [(SQLFragment, (Int) -> Bool)] = [
            (SQLFragment("\"orders\" >= ?", [.integer(2)]), { $0 >= 2 }),
            (SQLFragment("\"orders\" = 0"), { $0 == 0 }),
            (SQLFragment("orders < 4"), { $0 < 4 }),
        ]
        for (predicate, rule) in picked {
            #expect(try NPSAnswerMembership.make(db, predicate: predicate) != nil, "\(predicate.sql)")
            let mine = answers.filter { a in a.id.map { rule(counted[$0] ?? 0) } ?? false }
            let want = NPSSummary(n: mine.count, promoters: mine.filter { $0.score >= 9 }.count,
                                  passives: mine.filter { (7...8).contains($0.score) }.count, detractors: mine.filter { $0.score <= 6 }.count)
            let got = try NPSEngine(db).groups(by: nil, segment: predicate)
            #expect(got.count == 1 && got.first?.summary == want, "\(predicate.sql): \(got) against \(want)")
            #expect(want.n > 20 && want.n < answers.count - 20, "the rule picks some answers, not all")
            try Self.assertSameAsCondition(db, predicate)
        }
        #expect(answers.contains { $0.id != nil && counted[$0.id!] == nil }, "answers from respondents without a counted order")
        // The customers dataset's column, which respondents without an order have too, and mixtures.
        for predicate in [SQLFragment("\"region\" = 'north'"), SQLFragment("\"region\" IS NULL OR \"orders\" >= 3"),
                          SQLFragment("\"revenue\" > 20000 AND \"first_channel\" = 'rakuten'")] {
            #expect(try NPSAnswerMembership.make(db, predicate: predicate) != nil, "\(predicate.sql)")
            try Self.assertSameAsCondition(db, predicate)
        }
        // Reading the latest score or the id: the condition on each answer, as before.
        for predicate in [SQLFragment("\"nps\" >= 9"), SQLFragment("nps >= 9"), SQLFragment("\"customer_id\" = 'C00003'")] {
            #expect(try NPSAnswerMembership.make(db, predicate: predicate) == nil, "\(predicate.sql)")
            try Self.assertSameAsCondition(db, predicate)
        }
        // A score that is no score, from an answer no segment holds (no id), is still an error: the scan that
        // picks the segment's answers reads every answer and checks it, as the check's own query did.
        try db.execute("INSERT INTO nps (score, responded_at, day, customer_id) VALUES (11, '2023-05-01', 19478, NULL)")
        try CustomerFacts.rebuild(db, settings: MetricSettings())  // the insert made the keys stale (the triggers)
        #expect(try NPSAnswerMembership.make(db, predicate: picked[0].0) != nil)
        for grouping: NPSGrouping? in [nil, .period(.month)] {
            #expect(throws: StoreError.self) { try NPSEngine(db).groups(by: grouping, segment: picked[0].0) }
            #expect(throws: StoreError.self) { try NPSEngine(db).groups(by: grouping) }
            let query = KPIQuery(kpis: ["nps"], groupBy: grouping == nil ? [] : [.grain(.month)], segments: [NamedSegment(name: "s", predicate: picked[0].0)])
            #expect(throws: MetricsError.self) { try KPIEngine(db, settings: MetricSettings()).run(query) }
        }
        try db.execute("DELETE FROM nps WHERE score = 11")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        // Without stored keys (an earlier build's layout): the condition on each answer, the same groups.
        try NPSAnswerKeys.remove(db)
        #expect(try NPSAnswerMembership.make(db, predicate: picked[0].0) == nil)
        try Self.assertSameAsCondition(db, picked[0].0)
    }

    @Test func theWordTestFindsNamesOnly() {
        #expect(NPSAnswerMembership.mentions("\"nps\" >= 9", "nps"))
        #expect(NPSAnswerMembership.mentions("NPS>=9", "nps"))
        #expect(NPSAnswerMembership.mentions("(x AND nps)", "nps"))
        #expect(!NPSAnswerMembership.mentions("\"nps_last\" >= 9 AND snps = 1", "nps"))
        #expect(!NPSAnswerMembership.mentions("np", "nps"))
    }

    /// After each load and another program's change, through the binary on the sample shop: the stored
    /// keys are the answers' as they are now, and `nps for` a segment equals the condition on each answer.
    @Test func keysFollowLoadsAndOutsideChanges() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ws = dir.path("shop.db")
        func run(_ statement: String) throws -> String {
            let out = try runECSH([ws, "--csv", "-c", statement])
            #expect(out.status == 0, "\(statement): \(out.stderr)")
            return out.stdout
        }
        func file(_ name: String) -> String { BuiltBinary.packageRoot.appendingPathComponent("samples/shop/\(name)").path }
        func check(_ step: String) throws {
            _ = try run("nps for rep")  // rebuilds what an outside change left stale
            let db = try Database(path: ws)
            #expect(try OrderSnapshot.isCurrent(db), "\(step)")
            try Self.assertKeysMatchFacts(db, step)
            // The segment `rep`'s condition, as the shell compiles it.
            let predicate = SQLFragment("\"orders\" >= 2 OR \"region\" = 'Tokyo'")
            #expect(try NPSAnswerMembership.make(db, predicate: predicate) != nil, "\(step)")
            try Self.assertSameAsCondition(db, predicate)
        }
        _ = try run("load orders from '\(file("orders.csv"))'")
        _ = try run("load customers from '\(file("customers.csv"))'")
        _ = try run("load nps from '\(file("nps.csv"))'")
        _ = try run("segment rep = orders >= 2 or region = 'Tokyo'")
        try check("orders, customers, then nps")
        _ = try run("load customers from '\(file("customers.csv"))'")
        try check("customers again")
        // Answers from more customers, and from ids the facts do not hold: the NPS load's own keys.
        let more = dir.path("nps2.csv")
        var text = try String(contentsOfFile: file("nps.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        text += lines.dropFirst().prefix(40).map { $0.replacingOccurrences(of: ",C", with: ",X") }.joined(separator: "\n") + "\n"
        try text.write(toFile: more, atomically: true, encoding: .utf8)
        _ = try run("load nps from '\(more)'")
        try check("nps again, with unknown ids")
        // Orders of some of those ids: they join the facts, and their answers get keys.
        let orders = dir.path("orders2.csv")
        let rows = try String(contentsOfFile: file("orders.csv"), encoding: .utf8).split(separator: "\n")
        try ([String(rows[0])] + rows.dropFirst().prefix(60).map { $0.replacingOccurrences(of: "O0", with: "Q0").replacingOccurrences(of: ",C", with: ",X") })
            .joined(separator: "\n").appending("\n").write(toFile: orders, atomically: true, encoding: .utf8)
        _ = try run("load orders from '\(orders)' append")
        try check("orders appended")
        do {
            let other = try Database(path: ws)
            try other.execute("DELETE FROM orders WHERE rowid % 5 = 0")
            try other.execute("UPDATE nps SET customer_id = NULL WHERE rowid % 7 = 0")
        }
        try check("changes by another program")
    }

    /// `nps by` an attribute counted from the answers' keys (`attributeGroupsByKey`) gives the SQL's groups
    /// (the same query with a filter that keeps every answer, which takes the SQL), for a customers column
    /// (respondents without a counted order read from customers, unknown ids and answers without one in
    /// "(none)"), the first channel, and facts columns of text, integers and reals; the customers column's
    /// groups also against plain Swift over the generated answers.
    @Test func attributeGroupsFromKeysEqualTheSQL() throws {
        let (shop, answers) = try Self.shop()
        let db = shop.w.db
        try db.execute("CREATE UNIQUE INDEX ecsh_customers_customer_id ON customers(customer_id)")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let orders = OrderSelection(countedOrders: MetricSettings().countedCondition())
        let engine = NPSEngine(db)
        let facts = CustomerFacts.table
        let attributes: [CustomerAttribute] = [.column("region", of: "customers"), .firstChannel, .column("cohort", of: facts),
                                               .column("orders", of: facts), .column("revenue", of: facts), .column("region", of: facts)]
        // No segment, one on a customers column (respondents without a counted order decided by SQL), one on orders.
        let segments: [SQLFragment?] = [nil, SQLFragment("\"region\" = 'north'"), SQLFragment("\"orders\" >= 2")]
        for attribute in attributes {
            for segment in segments {
                let context = "\(attribute.name) for \(segment?.sql ?? "everyone")"
                let keyed = try #require(try engine.attributeGroupsByKey(attribute, segment: segment, orders: orders), "\(context) not counted from the keys")
                let sql = try engine.groups(by: .attribute(attribute), customerFilter: SQLFragment("1"), segment: segment, orders: orders)
                #expect(keyed.map(\.label) == sql.map(\.label) && keyed.map(\.summary) == sql.map(\.summary), "\(context)")
                #expect(try engine.groups(by: .attribute(attribute), segment: segment, orders: orders).map(\.summary) == sql.map(\.summary))
                #expect(segment == nil ? sql.count > 1 : !sql.isEmpty, "\(context)")
            }
        }
        // `nps compare A, B` with the segments counted by the keys: the table the conditions on every answer give.
        for (a, b) in [(segments[1]!, segments[2]!), (SQLFragment("\"nps\" >= 9"), segments[1]!)] {
            let groups = try [a, b].enumerated().map { i, p in
                NPSEngine.Group(label: "s\(i)", condition: try CustomerFacts.respondentCondition(db, id: SegmentCatalog.responses + ".customer_id", predicate: p),
                                segment: p)
            }
            let plain = groups.map { NPSEngine.Group(label: $0.label, condition: $0.condition) }
            let keyed = try engine.compare(a: groups[0], b: groups[1]), sql = try engine.compare(a: plain[0], b: plain[1])
            #expect(keyed.rows == sql.rows && keyed.notes == sql.notes, "\(a.sql) against \(b.sql)")
            #expect(keyed.rows.count == 2 && keyed.rows.allSatisfy { $0[1].intValue ?? 0 > 0 })
        }
        // A segment that reads `nps` is not decided by the keys (`NPSAnswerMembership`): the SQL counts it.
        #expect(try engine.attributeGroupsByKey(.firstChannel, segment: SQLFragment("\"nps\" >= 9"), orders: orders) == nil)
        // Plain Swift: each answer's region by its id in customers (nil for no id, an unknown id or a NULL region).
        var region: [String: String] = [:]
        for row in try db.query("SELECT customer_id, region FROM customers").rows {
            if let id = row[0].textValue, let r = row[1].textValue { region[id] = r }
        }
        var want: [String?: NPSSummary] = [:]
        for a in answers {
            let label = a.id.flatMap { region[$0] }
            let s = want[label] ?? NPSSummary(n: 0, promoters: 0, passives: 0, detractors: 0)
            want[label] = NPSSummary(n: s.n + 1, promoters: s.promoters + (a.score >= 9 ? 1 : 0), passives: s.passives + (7...8 ~= a.score ? 1 : 0),
                                     detractors: s.detractors + (a.score <= 6 ? 1 : 0))
        }
        let keyed = try #require(try engine.attributeGroupsByKey(.column("region", of: "customers"), orders: orders))
        #expect(Dictionary(uniqueKeysWithValues: keyed.map { ($0.label, $0.summary) }) == want)
        #expect(keyed.last.map { $0.label == nil } == true)
        // With repeated ids in customers the SQL's join counts an answer once per row: not counted from the keys.
        try db.execute("DROP INDEX ecsh_customers_customer_id")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        #expect(try engine.attributeGroupsByKey(.column("region", of: "customers"), orders: orders) == nil)
    }
}
