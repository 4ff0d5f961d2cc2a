import Testing
import ECStore
import ECLanguage
@testable import ECAnalytics

/// Segments in process, on the hand-worked six-customer shop of `CohortHandTests`
/// (counted orders per customer: A 3, B 2, C 1, D 2, E 1 (its second is cancelled), F 2;
/// first channels: A, C, E own; B, F rakuten; D amazon).
@Suite struct SegmentCatalogTests {
    func shop() throws -> (Database, SegmentCatalog) {
        let db = try CohortHandTests.shop()
        try CustomerFacts.ensureCurrent(db, settings: MetricSettings())
        return (db, SegmentCatalog(db))
    }

    func name(_ text: String) -> Identifier {
        Identifier(text, range: SourceRange(start: SourceLocation(line: 1, column: 9), end: SourceLocation(line: 1, column: 9 + text.count)))
    }

    func predicate(_ text: String) throws -> Expr { try Parser.parseExpression(text) }

    /// The customers a compiled predicate selects, read back with plain SQL.
    func members(_ db: Database, _ p: SQLFragment) throws -> [String] {
        try db.query("SELECT customer_id FROM \(CustomerFacts.table) WHERE \(p.sql) ORDER BY customer_id", p.bindings)
            .rows.compactMap { $0[0].textValue }
    }

    @Test func defineCountsTheMembersAndStoresTheText() throws {
        let (db, segments) = try shop()
        let size = try segments.define(name("Repeaters"), as: predicate("orders >= 2"))
        // A 3, B 2, D 2, F 2 of six customers: E's cancelled order does not count.
        #expect(size == SegmentCatalog.Size(name: "Repeaters", definition: "orders >= 2", customers: 4, total: 6))
        #expect(size.share == 4.0 / 6.0)
        #expect(try segments.definitions()["repeaters"] == SegmentCatalog.Definition(name: "Repeaters", text: "orders >= 2"))
        let stored = try db.query("SELECT name, definition FROM ecsh_segments").rows
        #expect(stored.map { $0.map(\.textValue) } == [["Repeaters", "orders >= 2"]])
    }

    @Test func segmentsExpandOtherSegmentsAndNamesAreCaseInsensitive() throws {
        let (db, segments) = try shop()
        try segments.define(name("repeaters"), as: predicate("orders >= 2"))
        try segments.define(name("own_repeaters"), as: predicate("REPEATERS and first_channel = 'own'"))
        let resolved = try segments.resolve([name("OWN_REPEATERS"), name("repeaters")])
        #expect(resolved.map(\.name) == ["own_repeaters", "repeaters"])
        #expect(try members(db, resolved[0].predicate) == ["A"])
        #expect(try members(db, resolved[1].predicate) == ["A", "B", "D", "F"])
        // Sizes list every segment by name, counted now.
        #expect(try segments.sizes().map { [$0.name, "\($0.customers)/\($0.total)"] }
                == [["own_repeaters", "1/6"], ["repeaters", "4/6"]])
    }

    /// An undefined segment said only "unknown segment 'x'": with no near name it says how to define it (with
    /// `help segment`'s example when one defines that name); a near name is still suggested.
    @Test func anUndefinedSegmentSaysHowToDefineIt() throws {
        let (_, segments) = try shop()
        try segments.define(name("repeaters"), as: predicate("orders >= 2"))
        #expect(throws: Diagnostic("unknown segment 'big_spenders'", at: name("big_spenders").range,
                                   help: "define it first: segment big_spenders = PREDICATE (segments lists the defined ones; help segment shows more)")) {
            try segments.resolve([name("big_spenders")])
        }
        #expect(throws: Diagnostic("unknown segment 'at_risk'", at: name("at_risk").range,
                                   help: "define it first: segment at_risk = recency > 180 days and orders >= 2 (segments lists the defined ones; help segment shows more)")) {
            try segments.resolve([name("at_risk")])
        }
        #expect(throws: Diagnostic("unknown segment 'repeater'", at: name("repeater").range, help: "did you mean 'repeaters'?")) {
            try segments.resolve([name("repeater")])
        }
    }

    @Test func aDefinitionReachingItselfIsRefusedWithTheChain() throws {
        let (_, segments) = try shop()
        try segments.define(name("a"), as: predicate("orders >= 2"))
        try segments.define(name("b"), as: predicate("a and orders < 3"))
        do {
            try segments.define(name("a"), as: predicate("b or orders = 1"))
            Issue.record("a cycle was accepted")
        } catch let d as Diagnostic {
            #expect(d.message == "segment 'a' refers to itself (a → b → a)")
        }
        // The old definition of a is kept.
        #expect(try segments.definitions()["a"]?.text == "orders >= 2")
    }

    @Test func attributeNamesAreReservedAndUnknownNamesSuggest() throws {
        let (_, segments) = try shop()
        #expect(throws: Diagnostic.self) { try segments.define(self.name("orders"), as: self.predicate("orders > 1")) }
        do {
            try segments.define(name("x"), as: predicate("ordres > 1"))
            Issue.record("an unknown attribute was accepted")
        } catch let d as Diagnostic {
            #expect(d.message == "unknown customer attribute or segment 'ordres'")
            #expect(d.help == "did you mean 'orders'?")
        }
        #expect(try segments.definitions().isEmpty)
    }

    @Test func dropRefusesWhileAnotherSegmentUsesIt() throws {
        let (_, segments) = try shop()
        try segments.define(name("repeaters"), as: predicate("orders >= 2"))
        try segments.define(name("loyal"), as: predicate("repeaters and recency < 30"))
        do {
            try segments.drop(name("Repeaters"))
            Issue.record("a used segment was dropped")
        } catch let d as Diagnostic {
            #expect(d.message == "segment 'loyal' uses 'repeaters'")
            #expect(d.note == "drop segment loyal first, or redefine it")
        }
        #expect(try segments.drop(name("loyal")).name == "loyal")
        #expect(try segments.drop(name("REPEATERS")).name == "repeaters")
        #expect(try segments.definitions().isEmpty)
    }

    @Test func customerFilterSelectsAnyOfTheSegmentsOverOrders() throws {
        let (db, segments) = try shop()
        try segments.define(name("amazon"), as: predicate("first_channel = 'amazon'"))
        try segments.define(name("single"), as: predicate("orders = 1"))
        #expect(try segments.customerFilter([]) == nil)
        let filter = try #require(try segments.customerFilter([name("amazon"), name("single")]))
        // D (amazon) or C, E (one counted order): their counted orders are D's 2, C's 1, E's 1.
        let rows = try db.query("SELECT customer_id, count(*) FROM orders WHERE (\(filter.sql)) AND coalesce(status, '') <> 'cancelled' GROUP BY customer_id ORDER BY customer_id",
                                filter.bindings).rows
        #expect(rows.map { [$0[0].textValue ?? "", "\($0[1].intValue ?? -1)"] } == [["C", "1"], ["D", "2"], ["E", "1"]])
    }

    @Test func orderPredicatesNameOrderColumnsOnly() throws {
        let (db, _) = try shop()
        let p = try SegmentCatalog.orderPredicate(predicate("channel = 'rakuten' and amount > 50"), db: db)
        let ids = try db.query("SELECT order_id FROM orders WHERE \(p.sql) ORDER BY CAST(order_id AS INTEGER)", p.bindings).rows.compactMap(\.first?.textValue)
        #expect(ids == ["4", "5"])
        #expect(throws: Diagnostic.self) { try SegmentCatalog.orderPredicate(self.predicate("first_channel = 'own'"), db: db) }
    }
}
