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

    @Test func cohortMatricesAgree() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        try db.execute("CREATE TABLE IF NOT EXISTS customers (customer_id TEXT, region TEXT)")
        let selection = OrderSelection(countedOrders: MetricSettings().countedCondition())
        let queries: [CohortQuery] = [
            CohortQuery(measure: .retention, periods: 12, orders: selection),
            CohortQuery(measure: .retention, mode: .onOrAfter, periods: 6, orders: selection),
            CohortQuery(measure: .retention, mode: .cumulative, periods: 6, orders: selection),
            CohortQuery(measure: .customers, grouping: .attribute(.firstChannel), periods: 8, orders: selection),
            CohortQuery(measure: .orders, cumulative: true, grouping: .period(.quarter), periods: 4, orders: selection),
            CohortQuery(measure: .revenue, periods: 12, orders: selection, perCustomer: false),
            CohortQuery(measure: .margin, cumulative: true, periods: 12, orders: selection),
            CohortQuery(measure: .margin, cumulative: true, grouping: .attribute(.firstChannel), periods: 12, orders: selection),
            CohortQuery(measure: .retention, grouping: .period(.week), periods: 10, orders: selection, offsetUnit: .week),
        ]
        for q in queries {
            let (a, b) = try Self.bothRoutes(db) { try CohortEngine(db).run(q) }
            #expect(a.rows.map(\.label) == b.rows.map(\.label), "\(q.measure) \(q.grouping)")
            #expect(a.rows.map(\.size) == b.rows.map(\.size), "\(q.measure) \(q.grouping)")
            for (x, y) in zip(a.rows, b.rows) {
                #expect(Self.close(x.cells, y.cells), "\(q.measure) \(q.grouping) cohort \(x.label): \(x.cells) vs \(y.cells)")
                #expect(x.payback == y.payback && Self.close([x.cac], [y.cac]))
            }
            #expect(Self.close(a.average, b.average))
            #expect(a.notes == b.notes)
            #expect(a.sql == b.sql)
        }
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

    /// A `where` filter or a segment is not what the snapshot holds: the SQL route answers.
    @Test func filteredSelectionsDoNotUseTheSnapshot() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        var selection = OrderSelection(countedOrders: MetricSettings().countedCondition())
        #expect(try OrderStream(db, selection: selection, money: true).readsSnapshot)
        #expect(try OrderStream(db, selection: selection, money: false, label: SQLFragment("channel")).readsSnapshot)
        // A first-order attribute other than the channel is not in the snapshot.
        #expect(try !OrderStream(db, selection: selection, money: false, label: SQLFragment("\"category\"")).readsSnapshot)
        selection.orderFilter = SQLFragment("channel = 'own'")
        #expect(try !OrderStream(db, selection: selection, money: true).readsSnapshot)
        var other = MetricSettings()
        other.counted = .only(["completed"])
        let otherSelection = OrderSelection(countedOrders: other.countedCondition())
        #expect(try !OrderStream(db, selection: otherSelection, money: false).readsSnapshot)
    }
}
