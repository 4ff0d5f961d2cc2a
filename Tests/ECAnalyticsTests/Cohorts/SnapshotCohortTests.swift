import Testing
import ECStore
@testable import ECAnalytics

/// Cohorts and unit economics read the order snapshot when it holds their orders;
/// here every analysis runs twice, from the snapshot and (snapshot dropped) from
/// SQL over `orders`, and must give the same matrices, tables and notes.
@Suite struct SnapshotCohortTests {
    static func bothRoutes<T>(_ db: Database, _ body: () throws -> T) throws -> (snapshot: T, sql: T) {
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let fromSnapshot = try body()
        try db.execute("DROP TABLE \(OrderSnapshot.table)")
        let fromSQL = try body()
        return (fromSnapshot, fromSQL)
    }

    static func close(_ a: [Double?], _ b: [Double?]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            switch (x, y) {
            case (nil, nil): return true
            case let (x?, y?): return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
            default: return false
            }
        }
    }

    /// The cohort queries both routes answer: each measure and mode, by month, quarter, week and first
    /// channel, and one cut at an as-of day.
    static func queries(_ selection: OrderSelection) -> [CohortQuery] {
        [
            CohortQuery(measure: .retention, periods: 12, orders: selection),
            CohortQuery(measure: .retention, mode: .onOrAfter, periods: 6, orders: selection),
            CohortQuery(measure: .retention, mode: .cumulative, periods: 6, orders: selection),
            CohortQuery(measure: .customers, grouping: .attribute(.firstChannel), periods: 8, orders: selection),
            CohortQuery(measure: .orders, cumulative: true, grouping: .period(.quarter), periods: 4, orders: selection),
            CohortQuery(measure: .revenue, periods: 12, orders: selection, perCustomer: false),
            CohortQuery(measure: .margin, cumulative: true, periods: 12, orders: selection),
            CohortQuery(measure: .margin, cumulative: true, grouping: .attribute(.firstChannel), periods: 12, orders: selection),
            CohortQuery(measure: .retention, grouping: .period(.week), periods: 10, orders: selection, offsetUnit: .week),
            CohortQuery(measure: .retention, periods: 4, orders: selection, asOfDay: WorkspaceBuilder.day("2023-06-30")),
            CohortQuery(measure: .retention, grouping: .attribute(.column("region")), periods: 6, orders: selection),
        ]
    }

    /// Regions for most customers (the rest have none), for the cohorts by a customers column.
    static func addRegions(_ db: Database) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS customers (customer_id TEXT, region TEXT)")
        try db.execute("""
            INSERT INTO customers (customer_id, region) SELECT DISTINCT customer_id,
              CASE WHEN customer_id < 'C00100' THEN 'Tokyo' WHEN customer_id < 'C00250' THEN 'Osaka' END
            FROM orders WHERE customer_id IS NOT NULL AND customer_id NOT LIKE '%7'
            """)
    }

    /// Two routes' matrices: the same cohorts, sizes, cells, CAC and payback, average, notes and SQL.
    static func expectSame(_ a: CohortMatrix, _ b: CohortMatrix, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.rows.map(\.label) == b.rows.map(\.label), "\(what)", sourceLocation: sourceLocation)
        #expect(a.rows.map(\.size) == b.rows.map(\.size), "\(what)", sourceLocation: sourceLocation)
        for (x, y) in zip(a.rows, b.rows) {
            #expect(close(x.cells, y.cells), "\(what) cohort \(x.label): \(x.cells) vs \(y.cells)", sourceLocation: sourceLocation)
            #expect(x.payback == y.payback && close([x.cac], [y.cac]), "\(what)", sourceLocation: sourceLocation)
        }
        #expect(close(a.average, b.average), "\(what)", sourceLocation: sourceLocation)
        #expect(a.notes == b.notes, "\(what)", sourceLocation: sourceLocation)
        #expect(a.sql == b.sql, "\(what)", sourceLocation: sourceLocation)
    }

    @Test func cohortMatricesAgree() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        try Self.addRegions(db)
        for q in Self.queries(OrderSelection(countedOrders: MetricSettings().countedCondition())) {
            let (a, b) = try Self.bothRoutes(db) { try CohortEngine(db).run(q) }
            Self.expectSame(a, b, "\(q.measure) \(q.grouping)")
        }
    }

    /// Cohorts by a column of the customers dataset against SQL's own count of each group's customers:
    /// a value by the customer's id (a value stored as an integer grouped by its text), customers
    /// without one in '(none)', for every customer and for a segment (a narrowed stream), from the
    /// snapshot and from SQL.
    @Test func cohortsByACustomersColumnCountEachGroupsCustomers() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        try Self.addRegions(db)
        // Regions that change from one customer to the next (by orders and revenue), so that any customer
        // given another's region moves the counts.
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        try db.execute("""
            UPDATE customers SET region = (SELECT CASE (f.orders + CAST(f.revenue AS INTEGER) / 100) % 3 WHEN 0 THEN 'Tokyo' WHEN 1 THEN 'Osaka' END
                                           FROM ecsh_customer_facts AS f WHERE f.customer_id = customers.customer_id)
            """)
        // A region stored as an integer, and a customers row naming a customer with no counted order.
        try db.execute("UPDATE customers SET region = 7 WHERE customer_id LIKE '%3'")
        try db.execute("INSERT INTO customers (customer_id, region) VALUES ('NOBODY', 'Nagoya')")
        let counted = MetricSettings().countedCondition()
        // SQL's own figure per group of a customers column, as "group=figure", NULL ('∅') last.
        func perGroup(_ column: String, _ figure: String, _ condition: String) throws -> [String] {
            try db.query(
                "SELECT CAST(c.\(column) AS TEXT) AS g, \(figure) FROM ecsh_customer_facts AS f "
                + "LEFT JOIN customers AS c USING (customer_id) WHERE \(condition) GROUP BY g ORDER BY g IS NULL, g"
            ).rows.map { "\($0[0].textValue ?? "∅")=\($0[1].description)" }
        }
        let segments: [(SQLFragment?, SQLFragment?, String)] = [
            (nil, nil, "1"),
            (SQLFragment("customer_id IN (SELECT customer_id FROM ecsh_customer_facts WHERE (orders >= 2))"), SQLFragment("orders >= 2"), "orders >= 2"),
        ]
        for (segment, facts, condition) in segments {
            try CustomerFacts.rebuild(db, settings: MetricSettings())
            let expected = try perGroup("region", "count(*)", condition)
            #expect(expected.count == 4)
            let q = CohortQuery(measure: .retention, grouping: .attribute(.column("region")), periods: 6,
                                orders: OrderSelection(countedOrders: counted, customerFilter: segment, factsCondition: facts))
            let (a, b) = try Self.bothRoutes(db) { try CohortEngine(db).run(q) }
            #expect(a.rows.map { "\($0.label ?? "∅")=\($0.size)" } == expected, "\(condition)")
            #expect(b.rows.map { "\($0.label ?? "∅")=\($0.size)" } == expected, "\(condition)")
            // Which customer has which value: each group's orders, over every month offset of the data.
            let orders = try perGroup("region", "sum(f.orders)", condition)
            let q2 = CohortQuery(measure: .orders, grouping: .attribute(.column("region")), periods: 40,
                                 orders: OrderSelection(countedOrders: counted, customerFilter: segment, factsCondition: facts), perCustomer: false)
            let (c, d) = try Self.bothRoutes(db) { try CohortEngine(db).run(q2) }
            for m in [c, d] {
                #expect(m.rows.map { "\($0.label ?? "∅")=\(Int(($0.cells.compactMap { $0 }.reduce(0, +)).rounded()))" } == orders, "\(condition)")
            }
        }
        // A customers column named like a column the facts derive is the customers' own.
        try db.execute("ALTER TABLE customers ADD COLUMN cohort TEXT")
        try db.execute("UPDATE customers SET cohort = CASE WHEN customer_id < 'C00150' THEN 'early' ELSE 'late' END")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let own = try perGroup("cohort", "count(*)", "1")
        #expect(own.count == 3)
        let q = CohortQuery(measure: .retention, grouping: .attribute(.column("cohort")), periods: 6, orders: OrderSelection(countedOrders: counted))
        let (a, b) = try Self.bothRoutes(db) { try CohortEngine(db).run(q) }
        #expect(a.rows.map { "\($0.label ?? "∅")=\($0.size)" } == own && b.rows.map { "\($0.label ?? "∅")=\($0.size)" } == own)
    }

    @Test func unitEconomicsAgree() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        let selection = OrderSelection(countedOrders: MetricSettings().countedCondition())
        for by: UnitEconomicsGrouping in [.channel, .cohort, .month, .none] {
            let (a, b) = try Self.bothRoutes(db) {
                try UnitEconomicsEngine(db).run(UnitEconomicsQuery(by: by, horizonMonths: 6, orders: selection)).toResultTable()
            }
            #expect(a.columns == b.columns)
            #expect(a.rows.count == b.rows.count)
            #expect(a.rows.count >= 1)
            for (x, y) in zip(a.rows, b.rows) {
                #expect(x.count == y.count)
                for (u, v) in zip(x, y) { #expect(SnapshotRouteTests.same(u, v), "\(by): \(x) vs \(y)") }
            }
            #expect(a.notes == b.notes)
        }
    }

    /// Which selections the snapshot answers: every counted order, or those narrowed by a `where`
    /// filter and segments (`NarrowedOrders`); not another counted rule or a first-order attribute
    /// other than the channel, nor what a narrowing cannot tell (money with NULL costs, a first
    /// channel two orders of the first day disagree on).
    @Test func whichSelectionsUseTheSnapshot() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        var selection = OrderSelection(countedOrders: MetricSettings().countedCondition())
        #expect(try OrderStream(db, selection: selection, money: true).readsSnapshot)
        #expect(try OrderStream(db, selection: selection, money: false, label: SQLFragment("channel")).readsSnapshot)
        // A first-order attribute other than the channel is not in the snapshot.
        #expect(try !OrderStream(db, selection: selection, money: false, label: SQLFragment("\"category\"")).readsSnapshot)
        selection.orderFilter = SQLFragment("channel = 'own'")
        #expect(try OrderStream(db, selection: selection, money: false).readsSnapshot)
        #expect(try OrderStream(db, selection: selection, money: false, label: SQLFragment("channel")).readsSnapshot)
        // The shop has NULL points and cogs: the snapshot cannot count them among the selected orders.
        #expect(try !OrderStream(db, selection: selection, money: true).readsSnapshot)
        // TIE's first day (2023-05-01) has an amazon order at 18:00 and a rakuten one at 09:00; TIE2's
        // first day two at the same time, amazon in the earlier row, own with the smaller order id.
        try Self.addTies(shop.w)
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        selection.orderFilter = SQLFragment("channel IN ('amazon', 'rakuten', 'own')")
        #expect(try OrderStream(db, selection: selection, money: false).readsSnapshot)
        let stream = try OrderStream(db, selection: selection, money: false, label: SQLFragment("channel"))
        #expect(stream.readsSnapshot)
        let ids = try stream.customerIDs()
        func firstChannel(_ id: String) -> String? {
            ids.firstIndex(of: id).map { stream.labelNames[Int(stream.firstLabel[$0])] }
        }
        #expect(firstChannel("TIE") == "rakuten")
        #expect(firstChannel("TIE2") == "own")
        #expect(try db.scalar("SELECT first_channel FROM ecsh_customer_facts WHERE customer_id = 'TIE2'").description == "own")
        // The SQL route (snapshot dropped) breaks the ties alike.
        try db.execute("DROP TABLE \(OrderSnapshot.table)")
        let rows = try OrderStream(db, selection: selection, money: false, label: SQLFragment("channel"))
        #expect(!rows.readsSnapshot)
        let rowIDs = try rows.customerIDs()
        #expect(rowIDs.firstIndex(of: "TIE2").map { rows.labelNames[Int(rows.firstLabel[$0])] } == "own")
        #expect(rowIDs.firstIndex(of: "TIE").map { rows.labelNames[Int(rows.firstLabel[$0])] } == "rakuten")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        var other = MetricSettings()
        other.counted = .only(["completed"])
        let otherSelection = OrderSelection(countedOrders: other.countedCondition())
        #expect(try !OrderStream(db, selection: otherSelection, money: false).readsSnapshot)
    }

    /// A customer whose first day has two orders at the same time in different channels: amazon
    /// in the earlier row, own with the smaller order id (which the first order is, by SQL's
    /// ORDER BY day, ordered_at, order_id), then an order a month later.
    static func addTies(_ w: WorkspaceBuilder) throws {
        try w.order("U2", "TIE2", "2023-06-01 12:00:00", 1500, "amazon", "completed")
        try w.order("U1", "TIE2", "2023-06-01 12:00:00", 2500, "own", "completed")
        try w.order("U3", "TIE2", "2023-07-02 12:00:00", 900, "yahoo", "completed")
    }

    /// Cohorts narrowed by a `where` filter (through codes, by a scan, with an as-of cut) and by
    /// segments read the snapshot (`NarrowedOrders`) and agree with the SQL route's rows: sizes,
    /// cells, notes and SQL; then again with every cost field filled, so that revenue and margin
    /// cohorts are narrowed too. A filter that keeps nothing fails alike; one that keeps guest orders
    /// only gives the same empty matrix.
    @Test func narrowedCohortsAgree() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        try Self.addRegions(db)
        try Self.addTies(shop.w)
        let counted = MetricSettings().countedCondition()
        // (filter, the same for `orders AS o`); nil: the second applied by a scan, the first alone.
        let filters: [(SQLFragment?, SQLFragment?)] = [
            (nil, nil),
            (SQLFragment("\"channel\" = ?", [.text("amazon")]), SQLFragment("o.\"channel\" = ?", [.text("amazon")])),
            (SQLFragment("\"amount\" > ? OR \"channel\" IS NULL", [.integer(3000)]),
             SQLFragment("o.\"amount\" > ? OR o.\"channel\" IS NULL", [.integer(3000)])),
            (SQLFragment("\"customer_id\" < ? AND \"status\" <> 'returned'", [.text("C00120")]), nil),
            (SQLFragment("\"channel\" IN ('own', 'yahoo')"), SQLFragment("o.\"channel\" IN ('own', 'yahoo')")),
            (SQLFragment("\"amount\" < 0"), SQLFragment("o.\"amount\" < 0")),
            (SQLFragment("\"customer_id\" IS NULL"), SQLFragment("o.\"customer_id\" IS NULL")),
        ]
        // (segments as a condition on customer_id, the same on a facts row); nil: the first alone.
        let segments: [(SQLFragment?, SQLFragment?)] = [
            (nil, nil),
            (SQLFragment("customer_id IN (SELECT customer_id FROM ecsh_customer_facts WHERE (orders >= ?))", [.integer(2)]), nil),
            (SQLFragment("customer_id IN (SELECT customer_id FROM ecsh_customer_facts WHERE (first_channel = 'rakuten') OR (orders >= 3))"),
             SQLFragment("(first_channel = 'rakuten') OR (orders >= 3)")),
        ]
        enum Outcome { case matrix(CohortMatrix), failed(String) }
        func outcome(_ q: CohortQuery) -> Outcome {
            do { return .matrix(try CohortEngine(db).run(q)) } catch { return .failed("\(error)") }
        }
        var narrowed = 0
        for filled in [false, true] {
            if filled {
                try db.execute("UPDATE orders SET discount = coalesce(discount, 0), points = coalesce(points, 0), cogs = coalesce(cogs, 0), shipping = coalesce(shipping, 0), commission = coalesce(commission, 0)")
            }
            for (filter, aliased) in filters {
                for (segment, facts) in segments {
                    let selection = OrderSelection(countedOrders: counted, customerFilter: segment, factsCondition: facts,
                                                   orderFilter: filter, aliasedOrderFilter: aliased)
                    for q in Self.queries(selection) {
                        let what = "\(q.measure) \(q.grouping) \(filter?.sql ?? "-") \(segment?.sql ?? "-") filled \(filled)"
                        var label: SQLFragment?
                        if case .attribute(let a) = q.grouping, case .firstOrder(let expression) = a.source { label = expression }
                        var first = true
                        let (a, b) = try Self.bothRoutes(db) { () throws -> Outcome in
                            // The first run has the snapshot (the second has it dropped): count the narrowed ones.
                            if first, try OrderStream(db, selection: selection, money: q.measure == .revenue || q.measure == .margin,
                                                      label: label).readsSnapshot {
                                narrowed += 1
                            }
                            first = false
                            return outcome(q)
                        }
                        switch (a, b) {
                        case (.failed(let x), .failed(let y)):
                            #expect(x == y, "\(what)")
                        case (.matrix(let a), .matrix(let b)):
                            Self.expectSame(a, b, what)
                        default:
                            Issue.record("\(what): \(a) against \(b)")
                        }
                    }
                }
            }
        }
        // Most of these (all but money before the costs are filled, and ties on TIE's first channel) read the snapshot.
        #expect(narrowed >= 200, "\(narrowed) narrowed")
    }
}
