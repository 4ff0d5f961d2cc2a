import ECStore
import Foundation
import Testing
@testable import ECAnalytics

/// Guest orders (NULL customer_id, docs/workspace.md) are not customers: CLV data leaves them out.
@Suite struct CLVGuestOrderTests {
    @Test func guestOrdersAreExcluded() throws {
        let db = try Database()
        // The workspace schema allows NULL customer_id for guest orders.
        try db.execute("CREATE TABLE orders (order_id TEXT, customer_id TEXT, day INTEGER, amount REAL, status TEXT)")
        try db.execute("INSERT INTO orders VALUES ('1', 'A', 100, 10, NULL), ('2', NULL, 100, 99, NULL), ('3', 'A', 110, 20, NULL), ('4', NULL, 105, 50, NULL)")
        let customers = try CLVData.extract(db: db, countedOrders: countedOrders, calibrationEnd: 120, unit: .days)
        // By hand: only A, with one repeat purchase of 20 at day 110 (t_x = 10, T = 20); the guests' 149 is nowhere.
        #expect(customers == [CustomerSummary(customerID: "A", x: 1, tx: 10, T: 20, monetaryMean: 20)])
    }
}
