import ECStore
import Foundation
import Testing
@testable import ECAnalytics

/// A counted order of a negative amount is a refund, not a purchase: the histories leave it out
/// of x, t_x, T and m̄ on both routes (snapshot and SQL), and count what they left out.
@Suite struct CLVRefundTests {
    static func shop() throws -> Database {
        let db = try Database()
        try makeOrdersTable(db)
        let orders: [(String, String, Int, Double)] = [
            // A: purchases on days 100 and 114; a refund of the second on day 120 and one in the holdout (day 135).
            ("1", "A", 100, 30), ("2", "A", 114, 20), ("3", "A", 120, -20), ("4", "A", 135, -30),
            // B: a purchase on day 110 and a partial refund on the same day.
            ("5", "B", 110, 50), ("6", "B", 110, -10),
            // C: only a refund (its purchase is older than the data): no history at all.
            ("7", "C", 105, -40),
            // D: a purchase in the holdout only.
            ("8", "D", 140, 25),
        ]
        for (id, customer, day, amount) in orders { try insertOrder(db, id, customer, day: day, amount: amount, status: nil) }
        return db
    }

    @Test func refundRowsAreNotPurchases() throws {
        let db = try Self.shop()
        let settings = MetricSettings()
        try CustomerFacts.rebuild(db, settings: settings)
        let read = try #require(try CLVData.fromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .days, holdoutEnd: 140))
        let days = try CLVSnapshotTests.withIDs(read, db)
        // A: x = 1 (day 114; the refund on day 120 is no purchase), t_x = 14, T = 30, m̄ = 20; no holdout purchase (day 135 is a refund).
        // B: one purchase (day 110, worth 50: the same-day refund is left out), T = 20. C: none. D: acquired after the calibration.
        #expect(days == [
            CustomerSummary(customerID: "A", key: days[0].key, x: 1, tx: 14, T: 30, monetaryMean: 20,
                            holdoutPurchases: 0, holdoutValue: 0, holdoutMargin: 0),
            CustomerSummary(customerID: "B", key: days[1].key, x: 0, tx: 0, T: 20, monetaryMean: nil,
                            holdoutPurchases: 0, holdoutValue: 0, holdoutMargin: 0),
        ])
        // The SQL route gives the same.
        let sql = try CLVData.extract(db: db, countedOrders: settings.countedCondition(), calibrationEnd: 130, unit: .days, holdoutEnd: 140)
        #expect(sql.map { c in var c = c; c.key = -1; return c } == days.map { c in var c = c; c.key = -1; return c })
        // What was left out: four refund rows up to day 140 (−20 − 30 − 10 − 40), three up to day 130, on both routes.
        let columns = try #require(try CLVData.columnsFromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .days, holdoutEnd: 140))
        #expect(columns.refundRows == 4 && columns.refundAmount == -100)
        let calibration = try #require(try CLVData.columnsFromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .days))
        #expect(calibration.refundRows == 3 && calibration.refundAmount == -70)
        let counted = settings.countedCondition()
        #expect(try CLVData.refunds(db: db, countedOrders: counted, through: 140) == (4, -100))
        #expect(try CLVData.refunds(db: db, countedOrders: counted, through: 130) == (3, -70))
    }
}
