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

    /// Another program's change to an input: here a plain SQLite connection of the test's own, as the
    /// sqlite3 shell would make it. Each change (an UPDATE, a DELETE and an INSERT of orders, an UPDATE of
    /// the answers) leaves the derived data stale, with the change's cause recorded; the binary's next
    /// statement rebuilds it, and its numbers equal the reference SQL's over the changed rows. Until these
    /// triggers, the stamp stayed current and `kpi` answered from the facts of the orders as they had been.
    @Test func changesByAnotherProgramMakeDerivedDataStale() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ws = dir.path("shop.db")
        try Self.load(ws, "orders", "orders.csv")
        try Self.load(ws, "nps", "nps.csv")
        func kpi(route: String? = nil) throws -> String {
            let out = try runECSH([ws, "--csv", "-c", "kpi orders, gmv, customers, repeat_rate by quarter"],
                                  environment: route.map { ["ECSH_KPI_ROUTE": $0] } ?? [:])
            #expect(out.status == 0, "\(out.stderr)")
            return out.stdout
        }
        var previous = try kpi()
        let changes = [
            "UPDATE orders SET amount = amount * 2 WHERE rowid % 3 = 0",
            "DELETE FROM orders WHERE rowid % 11 = 0",
            """
            INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, channel, status)
            SELECT order_id || '-again', customer_id, ordered_at, day, amount, channel, status FROM orders WHERE rowid % 13 = 0
            """,
            "UPDATE nps SET score = 10 - score",
        ]
        for change in changes {
            do {
                let other = try Database(path: ws)
                try other.execute(change)
            }
            do {
                let db = try Database(path: ws)
                #expect(try !OrderSnapshot.isCurrent(db), "\(change)")
                #expect(try InputVersion.latest(db, of: OrderSnapshot.inputTables)?.cause == InputVersion.outsideCause, "\(change)")
            }
            let now = try kpi()
            #expect(now == (try kpi(route: "sql")), "\(change)")
            if !change.hasPrefix("UPDATE nps") { #expect(now != previous, "\(change)") }
            previous = now
            let db = try Database(path: ws)
            #expect(try OrderSnapshot.isCurrent(db), "\(change)")
            // The facts' latest score per customer is the answers' as they are now, by SQL's own window.
            let npsWrong = try db.scalar("""
                SELECT count(*) FROM \(CustomerFacts.table) f LEFT JOIN (
                  SELECT customer_id, score FROM (SELECT customer_id, score, row_number() OVER (
                    PARTITION BY customer_id ORDER BY day DESC, responded_at DESC) AS r FROM nps WHERE customer_id IS NOT NULL) WHERE r = 1
                ) AS l USING (customer_id) WHERE f.nps IS NOT l.score
                """).intValue
            #expect(npsWrong == 0, "\(change)")
        }
        // ecsh's own append gives the table its version itself, with its own cause, and leaves the triggers
        // (dropped for the load's rows) made again and armed by the load's stamp.
        let sample = try String(contentsOf: BuiltBinary.packageRoot.appendingPathComponent("samples/shop/orders.csv"), encoding: .utf8)
        let lines = sample.split(separator: "\n").prefix(3).enumerated().map { i, l in i == 0 ? String(l) : "Z" + l.dropFirst() }
        let extra = try dir.write("extra.csv", lines.joined(separator: "\n") + "\n")
        let append = try runECSH([ws, "-c", "load orders from '\(extra)' append"])
        #expect(append.status == 0, "\(append.stderr)")
        let db = try Database(path: ws)
        #expect(try OrderSnapshot.isCurrent(db))
        #expect(try InputVersion.latest(db, of: ["orders"])?.cause.hasPrefix("load orders from") == true)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ecsh_watch_orders_%'").intValue == 3)
        #expect(try db.scalar("SELECT count(*) FROM \(InputVersion.armedTable) WHERE name IN ('orders', 'nps')").intValue == 2)
        #expect(try kpi() == (try kpi(route: "sql")))
    }

    /// An input that is a view (a user's `CREATE VIEW customers …`) takes no trigger (SQLite refuses AFTER
    /// triggers on views), and the build that watches the tables still succeeds.
    @Test func aViewAmongTheInputsIsNotWatched() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ws = dir.path("shop.db")
        try Self.load(ws, "orders", "orders.csv")
        let out = try runECSH([ws, "-c", "sql CREATE VIEW customers AS SELECT DISTINCT customer_id, 'Tokyo' AS region FROM orders",
                               "-c", "rebuild", "-c", "kpi orders"])
        #expect(out.status == 0, "\(out.stderr)")
        let db = try Database(path: ws)
        #expect(try OrderSnapshot.isCurrent(db))
        let triggers = try db.query("SELECT tbl_name, count(*) FROM sqlite_schema WHERE type = 'trigger' GROUP BY tbl_name").rows
        #expect(triggers == [[.text("orders"), .integer(3)]], "\(triggers)")
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
        // The tables a load names as replaced (their old pages read ahead while its rows go in) are the ones it
        // writes: each is a table of the workspace, and an orders load's build writes them all.
        let tables = Set(try db.query("SELECT name FROM sqlite_schema WHERE type = 'table'").rows.compactMap { $0[0].textValue })
        for role in DatasetRole.allCases {
            let named = CustomerFacts.tablesReplaced(byLoadOf: role)
            #expect(Set(named).isSubset(of: tables), "\(role): \(named)")
            #expect(Set(named).isSubset(of: CustomerFacts.tablesReplaced(byLoadOf: .orders)))
        }
        // The joined facts equal a full build from the orders.
        let joined = try Self.facts(db)
        try CustomerFacts.rebuild(db, settings: try MetricSettings.load(from: db))
        #expect(try Self.facts(db) == joined)
        #expect(joined.count > 1000)
    }

    /// Loads `file` (a path) as `role` into the workspace `ws`.
    static func load(_ ws: String, _ role: String, path: String) throws {
        let out = try runECSH([ws, "-c", "load \(role) from '\(path)'"])
        #expect(out.status == 0, "\(out.stderr)")
    }

    /// Expects the facts in `ws` to be current and equal to a full build from the orders (which
    /// then replaces them, so the next step starts from a full build).
    static func expectFullBuild(_ ws: String, _ step: String) throws {
        let db = try Database(path: ws)
        #expect(try OrderSnapshot.isCurrent(db), "\(step)")
        try expectLatestCustomerRows(db, step)
        try expectLatestScores(db, step)
        let joined = try facts(db)
        try CustomerFacts.rebuild(db, settings: try MetricSettings.load(from: db))
        let built = try facts(db)
        let same = joined == built
        #expect(same, "\(step): \(zip(joined, built).first { $0 != $1 }.map { "\($0) against \($1)" } ?? "\(joined.count) against \(built.count) rows")")
    }

    /// Expects every facts row's customers columns to be those of the last row of `customers` whose id has
    /// the same bytes (NULLs where there is none), by SQL of the test's own: ids compared as blobs, the row
    /// taken by `max(rowid)`, neither join nor lookup of the build.
    static func expectLatestCustomerRows(_ db: Database, _ step: String) throws {
        guard try db.tableExists("customers"), let attributes = try CustomerFacts.viewAttributes(db), !attributes.isEmpty else { return }
        let same = attributes.map { "f.\(quoteIdentifier($0)) IS c.\(quoteIdentifier($0))" }.joined(separator: " AND ")
        let wrong = try db.scalar("""
            WITH latest AS (SELECT CAST(customer_id AS BLOB) AS id, max(rowid) AS r FROM customers WHERE customer_id IS NOT NULL GROUP BY 1)
            SELECT count(*) FROM \(CustomerFacts.table) AS f LEFT JOIN latest AS l ON l.id = CAST(f.customer_id AS BLOB)
            LEFT JOIN customers AS c ON c.rowid = l.r WHERE NOT (\(same))
            """).intValue
        #expect(wrong == 0, "\(step): \(wrong ?? -1) facts rows with other customers columns than the latest row of customers")
        let listed = try db.scalar("SELECT count(*) FROM \(CustomerFacts.table) WHERE customer_id IN (SELECT customer_id FROM customers)").intValue
        #expect(listed ?? 0 > 100, "\(step)")
    }

    /// Expects every facts row's `nps` to be the score of its customer's latest answer by SQL of the test's own
    /// (ids compared as blobs; latest day, then latest `responded_at` by its bytes, NULLs before any; the
    /// earlier row among equals), and the scores' table to hold a row exactly for each score that is not NULL.
    static func expectLatestScores(_ db: Database, _ step: String) throws {
        guard try db.tableExists("nps"), try db.tableExists(CustomerFacts.scoresTable) else { return }
        let wrong = try db.scalar("""
            SELECT count(*) FROM \(CustomerFacts.table) AS f WHERE f.nps IS NOT (SELECT n.score FROM nps AS n
              WHERE CAST(n.customer_id AS BLOB) = CAST(f.customer_id AS BLOB)
              ORDER BY n.day IS NULL, n.day DESC, n.responded_at IS NULL, CAST(n.responded_at AS BLOB) DESC, n.rowid LIMIT 1)
            """).intValue
        #expect(wrong == 0, "\(step): \(wrong ?? -1) facts rows whose nps is not their latest answer's score")
        let scored = try db.scalar("SELECT count(*) FROM \(CustomerFacts.table) WHERE nps IS NOT NULL").intValue
        let rows = try db.scalar("SELECT count(*) FROM \(CustomerFacts.scoresTable)").intValue
        #expect(scored ?? 0 > 100 && scored == rows, "\(step)")
        let baseColumns = try db.columns(of: CustomerFacts.baseTable).map(\.name)
        #expect(!baseColumns.contains("nps"), "\(step)")
    }

    /// Where a table of the facts starts in the file: a table written anew starts elsewhere.
    static func rootPage(_ db: Database, _ table: String = CustomerFacts.baseTable) throws -> Int64? {
        try db.scalar("SELECT rootpage FROM sqlite_schema WHERE name = ? AND type = 'table'", [.text(table)]).intValue
    }

    /// Each way a customers or NPS load joins its columns onto the facts gives a full build's facts:
    /// scores set in place (answers dropped, changed, added, ties within a day), customers joined on a
    /// unique id index, on an index with repeats (the later row), and both taken afresh.
    @Test func attributesJoinedEachWayEqualAFullBuild() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ws = dir.path("shop.db")
        let shop = BuiltBinary.packageRoot.appendingPathComponent("samples/shop").path
        for role in ["orders", "customers", "nps"] { try Self.load(ws, role, path: "\(shop)/\(role).csv") }
        try Self.expectFullBuild(ws, "customers and nps loaded")

        // Answers: every third one dropped (those customers' scores go or fall back to an earlier
        // answer), every fifth one's score changed, and a customer answering twice the same day.
        let answered = try Database(path: ws).query("SELECT responded_at, customer_id, score FROM nps ORDER BY rowid").rows
        var answers = ["responded_at,customer_id,score"]
        for (i, r) in answered.enumerated() where i % 3 != 0 {
            let score = Int(r[2].intValue ?? 0)
            answers.append("\(r[0].textValue ?? ""),\(r[1].textValue ?? ""),\(i % 5 == 0 ? (score + 3) % 11 : score)")
        }
        answers += ["2024-06-01 09:00:00,C00000001,2", "2024-06-01 18:00:00,C00000001,10", "2024-06-01 12:00:00,C00000001,4"]
        try (answers.joined(separator: "\n") + "\n").write(toFile: dir.path("nps2.csv"), atomically: true, encoding: .utf8)
        let before = try Self.rootPage(try Database(path: ws))
        let baseRows = try Database(path: ws).query("SELECT * FROM \(CustomerFacts.baseTable) ORDER BY customer_key").rows
        try Self.load(ws, "nps", path: dir.path("nps2.csv"))
        // Only the scores were written: the table of the facts computed from orders is where and as it was.
        #expect(try Self.rootPage(try Database(path: ws)) == before)
        #expect(try Database(path: ws).query("SELECT * FROM \(CustomerFacts.baseTable) ORDER BY customer_key").rows == baseRows)
        #expect(try Database(path: ws).scalar("SELECT nps FROM \(CustomerFacts.table) WHERE customer_id = 'C00000001'").intValue == 10)
        try Self.expectFullBuild(ws, "answers loaded again")

        // Customers: a column more, every fourth customer left out, regions changed, and one row twice
        // (an exact repeat: the load keeps one, and the id index is not unique).
        let customers = try String(contentsOfFile: "\(shop)/customers.csv", encoding: .utf8).split(separator: "\n")
        var rows = [String(customers[0]) + ",tier"]
        for (i, line) in customers.dropFirst().enumerated() where i % 4 != 1 {
            rows.append(line.replacingOccurrences(of: ",Tokyo,", with: ",Tokyo-to,") + (i % 2 == 0 ? ",gold" : ","))
        }
        rows.append(rows[1])
        try (rows.joined(separator: "\n") + "\n").write(toFile: dir.path("customers2.csv"), atomically: true, encoding: .utf8)
        let base = try #require(try Self.rootPage(try Database(path: ws)))
        try Self.load(ws, "customers", path: dir.path("customers2.csv"))
        // Only the customers columns were written anew (`tier` is among them); the facts computed from
        // orders stayed where they were.
        #expect(try Self.rootPage(try Database(path: ws)) == base)
        #expect(try CustomerFacts.viewAttributes(try Database(path: ws))?.last == "tier")
        #expect(try CustomerFacts.customersJoin(try Database(path: ws))?.contains("max(rowid)") == true)
        #expect(try Database(path: ws).scalar("SELECT count(*) FROM \(CustomerFacts.table) WHERE tier = 'gold'").intValue ?? 0 > 1000)
        try Self.expectFullBuild(ws, "customers with a repeat loaded")

        try Self.load(ws, "customers", path: "\(shop)/customers.csv")
        #expect(try CustomerFacts.customersJoin(try Database(path: ws)) == "c.customer_id = f.customer_id")
        try Self.expectFullBuild(ws, "customers loaded again")

        // Neither way applies: both taken afresh. Customers and answers changed together, then
        // customers without an index on their ids.
        let db = try Database(path: ws)
        try db.transaction {
            try db.execute("UPDATE customers SET region = 'Hokkaido' WHERE rowid % 7 = 0")
            try db.execute("DELETE FROM nps WHERE rowid % 2 = 0")
            try InputVersion.bump(db, table: "customers", cause: "test")
            try InputVersion.bump(db, table: "nps", cause: "test")
            try CustomerFacts.refreshInLoad(db, role: .customers, settings: try MetricSettings.load(from: db))
        }
        try Self.expectFullBuild(ws, "customers and answers changed")
        try db.transaction {
            try db.execute("DROP INDEX ecsh_customers_customer_id")
            try db.execute("UPDATE customers SET region = 'Okinawa' WHERE rowid % 5 = 0")
            try InputVersion.bump(db, table: "customers", cause: "test")
            #expect(try CustomerFacts.customersJoin(db) == nil)
            try CustomerFacts.refreshInLoad(db, role: .customers, settings: try MetricSettings.load(from: db))
        }
        try Self.expectFullBuild(ws, "customers changed, their ids not indexed")
    }

    /// The customers columns joined in one step (in key order) and in two (ids looked up in id order, rows
    /// copied in key order through a table of pairs) are the same rows, with a unique id index and with a
    /// repeated id (the later row), and those of the last row of `customers` by the test's own SQL. The
    /// sample shop's numbered ids follow its keys; the same shop with hashed ids does not.
    @Test func attributesJoinedInOneStepOrTwoAreTheSame() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let shop = BuiltBinary.packageRoot.appendingPathComponent("samples/shop").path
        // The shop again with each id C00001234 replaced by a hash-like id of its number.
        for file in ["orders.csv", "customers.csv"] {
            let text = try String(contentsOfFile: "\(shop)/\(file)", encoding: .utf8)
            let hashed = text.replacing(/C(\d{8})/) { m in "H" + String(UInt64(m.1)! &* 0x9E37_79B9_7F4A_7C15, radix: 16) }
            try hashed.write(toFile: dir.path("hashed-\(file)"), atomically: true, encoding: .utf8)
        }
        for (name, prefix, numbered) in [("numbered.db", "\(shop)/", true), ("hashed.db", dir.path("hashed-"), false)] {
            let ws = dir.path(name)
            try Self.load(ws, "orders", path: prefix + "orders.csv")
            try Self.load(ws, "customers", path: prefix + "customers.csv")
            let db = try Database(path: ws)
            let count = try CustomerFacts.customerCount(db)
            #expect(count > 1000)
            #expect(try CustomerFacts.idsFollowKeys(db, customers: count) == numbered, "\(name)")
            func joined(inTwoSteps: Bool) throws -> [[Value]] {
                try db.execute("DELETE FROM \(CustomerFacts.attributesTable)")
                try CustomerFacts.joinAttributes(db, inTwoSteps: inTwoSteps)
                try Self.expectLatestCustomerRows(db, "\(name), in two steps: \(inTwoSteps)")
                return try db.query("SELECT * FROM \(CustomerFacts.attributesTable) ORDER BY customer_key").rows
            }
            let one = try joined(inTwoSteps: false)
            #expect(one.count > 1000)
            #expect(try joined(inTwoSteps: true) == one, "\(name)")
            // A repeated id: the id index is no longer unique, and the later row is the one joined.
            try db.execute("DROP INDEX ecsh_customers_customer_id")
            try db.execute("CREATE INDEX ecsh_customers_customer_id ON customers(customer_id)")
            try db.execute("INSERT INTO customers SELECT * FROM customers WHERE rowid IN (SELECT min(rowid) FROM customers)")
            try db.execute("UPDATE customers SET region = 'Okinawa-test' WHERE rowid = (SELECT max(rowid) FROM customers)")
            #expect(try CustomerFacts.customersJoin(db)?.contains("max(rowid)") == true)
            let repeated = try joined(inTwoSteps: false)
            #expect(try joined(inTwoSteps: true) == repeated, "\(name), repeated id")
            #expect(repeated != one)
            #expect(try db.scalar("SELECT count(*) FROM \(CustomerFacts.table) WHERE region = 'Okinawa-test'").intValue == 1)
        }
    }

    /// The two-step join walks two id indexes side by side (`customerRows`), so its byte order must be SQLite's
    /// for text: random ids with shared prefixes, bytes above 0x7F (UTF-8), upper and lower case and embedded
    /// NULs sort as `ORDER BY` sorts them, and the walk finds for each facts id exactly the row the SQL join
    /// finds (the last row of a repeated id; none for an id that is missing or only a blob in customers).
    @Test func idsWalkedInSQLitesOrder() throws {
        let db = try Database()
        var generator = SystemRandomNumberGenerator()
        let alphabet: [String] = ["a", "b", "A", "é", "日", "\u{0}", "1", "10", "z"]
        var ids = Set<String>()
        while ids.count < 400 { ids.insert((0..<Int.random(in: 0...4, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()) }
        try db.execute("CREATE TABLE t (x TEXT)")
        for id in ids { try db.execute("INSERT INTO t VALUES (?)", [.text(id)]) }
        let bySQL = try db.query("SELECT CAST(x AS BLOB) FROM t ORDER BY x").rows.map { row -> [UInt8] in
            guard case .blob(let b) = row[0] else { return [] }
            return b
        }
        let bySwift = ids.map { Array($0.utf8) }.sorted { a, b in
            a.withUnsafeBytes { a in b.withUnsafeBytes { b in CustomerFacts.binaryOrder(a, b) < 0 } }
        }
        #expect(bySQL.count == ids.count)
        #expect(bySQL == bySwift)
        // The walk against SQL's join over the same ids: facts of every other id, customers of a random half,
        // some listed twice (a plain index), and one a blob of a facts id's bytes.
        let sorted = ids.sorted()
        let facts = sorted.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).shuffled(using: &generator)
        try db.execute("CREATE TABLE \(CustomerFacts.baseTable) (customer_key INTEGER PRIMARY KEY, customer_id TEXT)")
        try db.execute("CREATE UNIQUE INDEX ecsh_customer_facts_id ON \(CustomerFacts.baseTable)(customer_id)")
        for (k, id) in facts.enumerated() { try db.execute("INSERT INTO \(CustomerFacts.baseTable) VALUES (?, ?)", [.integer(Int64(k)), .text(id)]) }
        try db.execute("CREATE TABLE customers (customer_id TEXT, region TEXT)")
        for id in sorted.shuffled(using: &generator) where Bool.random(using: &generator) {
            for _ in 0..<Int.random(in: 1...2, using: &generator) { try db.execute("INSERT INTO customers VALUES (?, 'x')", [.text(id)]) }
        }
        try db.execute("INSERT INTO customers VALUES (CAST(? AS BLOB), 'blob')", [.text(facts[0])])
        try db.execute("CREATE INDEX ecsh_customers_customer_id ON customers(customer_id)")
        let join = try #require(try CustomerFacts.customersJoin(db))
        var expected = [Int64](repeating: .min, count: facts.count)
        for row in try db.query("SELECT f.customer_key, c.rowid FROM \(CustomerFacts.baseTable) AS f JOIN customers AS c ON \(join)").rows {
            expected[Int(row[0].intValue!)] = row[1].intValue!
        }
        #expect(expected.contains(.min) && expected.contains { $0 != .min })
        #expect(try db.scalar("SELECT count(*) FROM customers GROUP BY customer_id ORDER BY 1 DESC LIMIT 1").intValue == 2)
        #expect(try CustomerFacts.customerRows(db, customers: facts.count) == expected)
    }

    /// The facts are a view over the base and the customers columns; the reference SQL of a KPI grouped by
    /// a customers column joins the two tables (a view that is a join would be copied whole as the right
    /// side of its LEFT JOIN) and answers as the snapshot does; a customers column with a row for each
    /// listed customer, none for the others.
    @Test func theFactsViewAndTheReferenceSQLOverItsTables() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ws = dir.path("shop.db")
        for role in ["orders", "customers"] { try Self.load(ws, role, "\(role).csv") }
        let db = try Database(path: ws)
        #expect(try db.scalar("SELECT type FROM sqlite_schema WHERE name = ?", [.text(CustomerFacts.table)]).textValue == "view")
        #expect(try CustomerFacts.viewAttributes(db)?.contains("region") == true)
        // A row of attributes for each customer with facts listed in `customers`, and no other.
        let listed = try db.scalar("SELECT count(*) FROM \(CustomerFacts.baseTable) WHERE customer_id IN (SELECT customer_id FROM customers)").intValue
        #expect(try db.scalar("SELECT count(*) FROM \(CustomerFacts.attributesTable)").intValue == listed)
        #expect(try db.scalar("SELECT count(*) FROM \(CustomerFacts.table)").intValue
                == db.scalar("SELECT count(*) FROM \(CustomerFacts.baseTable)").intValue)
        let query = KPIQuery(kpis: ["gmv", "customers", "new_customers"], groupBy: [.dimension(name: "region")])
        let settings = try MetricSettings.load(from: db)
        let reference = try KPIEngine(db, settings: settings, route: .sql).run(query)
        #expect(reference.ranReferenceSQL)
        #expect(reference.sql.contains("LEFT JOIN \(CustomerFacts.attributesTable) AS fa"))
        let plan = try db.query("EXPLAIN QUERY PLAN " + reference.sql, reference.bindings).rows.map { $0.last?.textValue ?? "" }
        #expect(!plan.contains { $0.contains("MATERIALIZE \(CustomerFacts.table)") }, "\(plan)")
        let snapshot = try KPIEngine(db, settings: settings).run(query)
        #expect(!snapshot.ranReferenceSQL)
        #expect(reference.table.rows == snapshot.table.rows)
        #expect(reference.table.rows.count > 3)

        // Every third customer left out of the customers file: no row of attributes, a NULL region on
        // both routes (the snapshot route reads the column from the attributes table alone).
        let path = BuiltBinary.packageRoot.appendingPathComponent("samples/shop/customers.csv").path
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let kept = [lines[0]] + lines.dropFirst().enumerated().filter { $0.offset % 3 != 0 }.map(\.element)
        try (kept.joined(separator: "\n") + "\n").write(toFile: dir.path("some.csv"), atomically: true, encoding: .utf8)
        try Self.load(ws, "customers", path: dir.path("some.csv"))
        let again = try Database(path: ws)
        let unlisted = try again.scalar("SELECT count(*) FROM \(CustomerFacts.table) WHERE region IS NULL").intValue ?? 0
        #expect(unlisted > 100)
        let byRoute = try [KPIEngine.Route.sql, .auto].map { try KPIEngine(again, settings: settings, route: $0).run(query) }
        #expect(byRoute[0].table.rows == byRoute[1].table.rows)
        #expect(!byRoute[1].ranReferenceSQL)
        let none = byRoute[1].table.rows.first { $0[0] == .null }
        #expect(none?[2] == .integer(Int64(unlisted)), "\(byRoute[1].table.rows)")

        // `describe customers` scans the view's two tables apart; a view of the facts made by another
        // program is described by SQL's count, min and max over it: the same nulls, minimum and maximum.
        try again.execute("CREATE VIEW facts_copy AS SELECT * FROM \(CustomerFacts.table)")
        /// Each line's column name, nulls, min and max (the count line as it is); `customer_key` left out.
        func figures(_ name: String) throws -> [[String]] {
            let out = try runECSH([ws, "--csv", "-c", "describe \(name)"])
            #expect(out.status == 0, "\(out.stderr)")
            var lines: [[String]] = []
            for line in out.stdout.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                if cells.first == "customer_key" { continue }
                lines.append(cells.count == 6 ? [cells[0], cells[3], cells[4], cells[5]] : cells)
            }
            return lines
        }
        let scanned = try figures("customers"), bySQL = try figures("facts_copy")
        #expect(scanned == bySQL)
        #expect(scanned.contains { $0.first == "region" && $0[1] == String(unlisted) }, "\(scanned)")
    }
}
