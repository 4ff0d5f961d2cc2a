import Testing
import ECStore
@testable import ECAnalytics

@Suite struct NPSEngineTests {
    /// Responses follow docs/workspace.md; customers carry an acquisition channel.
    static func workspace(scores: [(score: Int, customer: String?)], channels: [String: String]) throws -> Database {
        let db = try Database()
        try db.execute("""
            CREATE TABLE nps (score INTEGER, responded_at TEXT, day INTEGER, customer_id TEXT, comment TEXT);
            CREATE TABLE customers (customer_id TEXT, signed_up_at TEXT, acquisition_channel TEXT);
            """)
        for r in scores {
            try db.execute("INSERT INTO nps (score, responded_at, day, customer_id) VALUES (?, '2024-05-01', 19844, ?)",
                           [.integer(Int64(r.score)), r.customer.map(Value.text) ?? .null])
        }
        for (c, ch) in channels {
            try db.execute("INSERT INTO customers (customer_id, acquisition_channel) VALUES (?, ?)", [.text(c), .text(ch)])
        }
        return db
    }

    static let byChannel = CustomerAttribute(
        name: "acquisition_channel",
        source: .lookup(SQLFragment("SELECT customer_id, acquisition_channel FROM customers")))

    /// Seeded responses; counts recomputed in plain Swift for every group.
    @Test func byCustomerAttributeMatchesPlainSwift() throws {
        var rng = SeededRandom(seed: 7)
        var channels: [String: String] = [:]
        for c in 0..<60 where c % 7 != 0 { channels["c\(c)"] = ["own", "rakuten", "amazon"][c % 3] }
        var scores: [(score: Int, customer: String?)] = []
        for _ in 0..<400 {
            let c = Int.random(in: 0..<70, using: &rng)
            scores.append((Int.random(in: 0...10, using: &rng), c >= 65 ? nil : "c\(c)"))
        }
        let db = try Self.workspace(scores: scores, channels: channels)
        let table = try NPSEngine(db).summary(by: Self.byChannel)
        var expected: [String: (n: Int, p: Int, d: Int)] = [:]
        for r in scores {
            let group = r.customer.flatMap { channels[$0] } ?? "NULL"
            var e = expected[group] ?? (0, 0, 0)
            e.n += 1
            if r.score >= 9 { e.p += 1 } else if r.score <= 6 { e.d += 1 }
            expected[group] = e
        }
        // Respondents without a value: the NULL group (shown ∅), last.
        #expect(table.column("acquisition_channel") == ["amazon", "own", "rakuten", .null])
        for row in table.rows {
            let e = try #require(expected[row[0].description])
            #expect(row[1] == .integer(Int64(e.n)))
            #expect(row[2] == .integer(Int64(e.p)))
            #expect(row[4] == .integer(Int64(e.d)))
            #expect(abs(row[5].doubleValue! - 100 * Double(e.p - e.d) / Double(e.n)) < 1e-9)
        }
        // Segment filter: only customers c0..c9.
        let segment = SQLFragment("customer_id IN (SELECT customer_id FROM customers WHERE customer_id < ?)", ["c2"])
        let filtered = try NPSEngine(db).summary(customerFilter: segment)
        let inSegment = scores.filter { ($0.customer ?? "zz") < "c2" && channels[$0.customer!] != nil }
        #expect(filtered.rows.count == 1)
        #expect(filtered.rows[0][1] == .integer(Int64(inSegment.count)))
        // A filter no response meets: no group at all (not a group of 0), as a grouping by an attribute gives.
        // The filter names the responses `"nps"`, as a segment's does (bare `customer_id` is ambiguous beside the attribute).
        let nobody = SQLFragment("\"nps\".customer_id = ?", ["nobody"])
        #expect(try NPSEngine(db).summary(customerFilter: nobody).rows.isEmpty)
        #expect(try NPSEngine(db).summary(by: Self.byChannel, customerFilter: nobody).rows.isEmpty)
    }

    /// A score that is not a number is refused whatever the column's type: in an INTEGER column
    /// SQLite keeps 'n/a', '9.5' and a blob as they are; in a TEXT column '10' is text (compared with 9 as
    /// text it is smaller: counted, it would be a detractor).
    @Test func scoresThatAreNoNumbersAreRefusedInAnyColumn() throws {
        for (type, bad) in [("INTEGER", "'n/a'"), ("INTEGER", "'9.5'"), ("INTEGER", "x'09'"), ("TEXT", "'10'"),
                            ("TEXT", "'7'"), ("", "'10'"), ("NUMERIC", "'abc'"), ("REAL", "''")] {
            let db = try Database()
            try db.execute("CREATE TABLE nps (score \(type), responded_at TEXT, day INTEGER, customer_id TEXT)")
            // The bad value alone: beside 9 (text '9' in a TEXT column), '10' > 10 compares '9' > '10' as text.
            try db.execute("INSERT INTO nps (score, day) VALUES (\(bad), 19844)")
            #expect(throws: StoreError.self, "\(type) \(bad)") { try NPSEngine(db).summary() }
        }
        // (A TEXT column stores even these as text: refused, as above.)
        for type in ["INTEGER", "REAL", "NUMERIC", ""] {
            let db = try Database()
            try db.execute("CREATE TABLE nps (score \(type), responded_at TEXT, day INTEGER, customer_id TEXT)")
            try db.execute("INSERT INTO nps (score, day) VALUES (9, 19844), (10, 19844), (0, 19844), (7.0, 19844)")
            #expect(try NPSEngine(db).summary().rows.first?[1] == .integer(4), "\(type)")
        }
    }

    /// The reference vector through SQL: 80 promoters, 80 passives, 40 detractors vs 45/60/45.
    @Test func compareReproducesReference() throws {
        var scores: [(score: Int, customer: String?)] = []
        scores += Array(repeating: (10, "a"), count: 40) + Array(repeating: (9, "a"), count: 40)
        scores += Array(repeating: (8, "a"), count: 80) + Array(repeating: (0, "a"), count: 40)
        scores += Array(repeating: (9, "b"), count: 45) + Array(repeating: (7, "b"), count: 60) + Array(repeating: (6, "b"), count: 45)
        let db = try Self.workspace(scores: scores, channels: [:])
        let table = try NPSEngine(db).compare(
            a: .init(label: "A", condition: SQLFragment("customer_id = ?", ["a"])),
            b: .init(label: "B", condition: SQLFragment("customer_id = ?", ["b"])))
        #expect(table.column("nps")?.map { $0.doubleValue } == [20.0, 0.0])
        #expect(String(format: "%.2f", table.rows[0][6].doubleValue!) == "5.29")
        #expect(String(format: "%.2f", table.rows[0][8].doubleValue!) == "19.70")
        #expect(table.notes.contains { $0.contains("z = 2.43") })
    }

    @Test func scoresOutsideRangeAreErrors() throws {
        let db = try Self.workspace(scores: [(5, nil), (11, nil)], channels: [:])
        #expect(throws: StoreError.self) { try NPSEngine(db).summary() }
        let small = try Self.workspace(scores: [(9, nil), (3, nil)], channels: [:])
        let table = try NPSEngine(small).summary()
        #expect(table.rows[0][11].textValue?.contains("only 2 responses") == true)
    }
}

extension NPSEngineTests {
    /// NPS by first channel: responses join the customer's first counted order.
    /// A, C, E start on own; B, F on rakuten; D on amazon (see CohortHandTests).
    @Test func byFirstOrderChannel() throws {
        let db = try CohortHandTests.shop()
        try db.execute("CREATE TABLE nps (score INTEGER, responded_at TEXT, day INTEGER, customer_id TEXT, comment TEXT)")
        // own: 10, 9, 3 → P 2, D 1, n 3 → NPS 33.3; rakuten: 8, 0 → P 0, D 1 → −50; amazon: 9 → 100.
        for (score, customer) in [(10, "A"), (9, "C"), (3, "E"), (8, "B"), (0, "F"), (9, "D")] {
            try db.execute("INSERT INTO nps (score, responded_at, day, customer_id) VALUES (?, '2024-05-01', 19844, ?)",
                           [.integer(Int64(score)), .text(customer)])
        }
        let table = try NPSEngine(db).summary(by: .firstChannel, orders: Workspace.counted)
        #expect(table.column("first_channel") == ["amazon", "own", "rakuten"])
        #expect(table.column("nps")?.map { $0.doubleValue.map { ($0 * 10).rounded() / 10 } } == [100, 33.3, -50])
        #expect(throws: StoreError.self) { try NPSEngine(db).summary(by: .firstChannel) }
    }
}
