import Testing
import Foundation
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// Guest orders (no customer_id) in the customer-level data: the customer facts and the CLV histories.
@Suite struct GuestOrderTests {
    /// C1 buys on 2024-01-05 (1,000) and 2024-02-03 (1,500); C2 on 2024-01-10 (2,000); three guest orders.
    static let orders = """
        order_id,customer_id,ordered_at,amount
        O1,C1,2024-01-05,1000
        O2,,2024-01-06,500
        O3,C2,2024-01-10,2000
        O4,,2024-02-01,700
        O5,C1,2024-02-03,1500
        O6,,2024-02-10,300

        """

    func workspace() throws -> (Database, TemporaryDirectory) {
        let dir = try TemporaryDirectory()
        let db = try Database()
        let path = try dir.write("orders.csv", GuestOrderTests.orders)
        _ = try Loader(database: db).load(LoadRequest(target: .role(.orders), path: path))
        return (db, dir)
    }

    @Test func customerFactsHaveNoGuest() throws {
        let (db, dir) = try workspace(); defer { dir.remove() }
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        #expect(try db.query("SELECT customer_id FROM ecsh_customer_facts ORDER BY customer_id").rows == [[.text("C1")], [.text("C2")]])
    }

    /// By hand, calibration to 2024-02-10 (day 19,763) in days: C1 x = 1, t_x = 29 (Jan 5 → Feb 3), T = 36,
    /// m̄ = 1,500 (the repeat purchase); C2 x = 0, T = 31.
    @Test func clvHistoriesLeaveGuestsOut() throws {
        let (db, dir) = try workspace(); defer { dir.remove() }
        let end = 19_763
        let summaries = try CLVData.extract(db: db, countedOrders: MetricSettings().countedCondition(), calibrationEnd: end, unit: .days)
        #expect(summaries.map(\.customerID) == ["C1", "C2"])
        #expect(summaries.map(\.x) == [1, 0])
        #expect(summaries.map(\.tx) == [29, 0])
        #expect(summaries.map(\.T) == [36, 31])
        #expect(summaries[0].monetaryMean == 1500)
    }
}
