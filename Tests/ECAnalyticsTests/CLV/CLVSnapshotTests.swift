import ECStore
import Foundation
import Testing
@testable import ECAnalytics

/// Histories read from the order snapshot (the fast `predict` route) against
/// hand-worked values, against the SQL route over `orders`, and on CDNOW against
/// the published summary and the published BG/NBD and Gamma-Gamma estimates.
@Suite struct CLVSnapshotTests {
    /// The hand-worked shop of CLVDataTests, with costs on two holdout orders.
    static func handShop() throws -> Database {
        let db = try Database()
        try makeOrdersTable(db)
        let orders: [(String, String, Int, Double, String?)] = [
            ("1", "A", 100, 10, nil), ("2", "A", 100, 5, nil), ("3", "A", 107, 20, nil), ("4", "A", 121, 30, "cancelled"),
            ("5", "A", 128, 40, nil), ("6", "A", 135, 7, nil), ("7", "B", 125, 50, nil), ("8", "C", 131, 60, nil),
            ("9", "D", 110, 70, nil), ("10", "D", 140, 8, nil), ("11", "D", 140, 2, nil), ("12", "D", 151, 9, nil),
        ]
        for (id, customer, day, amount, status) in orders {
            try insertOrder(db, id, customer, day: day, amount: amount, status: status)
        }
        // Holdout CM2 by hand: order 6: 7 − 1 − 0.5 − 2 − 0.25 − 0.5 = 2.75; order 10: 8 − 3 (cogs) = 5; order 11: 2.
        try db.execute("UPDATE orders SET discount = 1, points = 0.5, cogs = 2, shipping = 0.25, commission = 0.5 WHERE order_id = '6'")
        try db.execute("UPDATE orders SET cogs = 3 WHERE order_id = '10'")
        return db
    }

    /// Snapshot summaries with their text ids, in id order, to compare with the SQL route.
    static func withIDs(_ customers: [CustomerSummary], _ db: Database) throws -> [CustomerSummary] {
        var id: [Int32: String] = [:]
        for r in try db.query("SELECT customer_key, customer_id FROM \(CustomerFacts.table)").rows {
            if let k = r[0].intValue, let t = r[1].textValue { id[Int32(k)] = t }
        }
        return customers.map { c in var c = c; c.customerID = id[c.key] ?? "?"; return c }.sorted { $0.customerID < $1.customerID }
    }

    @Test func handWorkedHistoriesFromTheSnapshot() throws {
        let db = try Self.handShop()
        let settings = MetricSettings()
        try CustomerFacts.rebuild(db, settings: settings)
        let read = try #require(try CLVData.fromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .weeks, holdoutEnd: 150))
        let weeks = try Self.withIDs(read, db)
        #expect(weeks.map(\.customerID) == ["A", "B", "D"])
        #expect(read.allSatisfy { $0.customerID.isEmpty && $0.key >= 0 })
        // A: purchases on days 100 (10 + 5), 107, 128 → x = 2, t_x = 28 days, T = 30 days; m̄ = (20 + 40) / 2; holdout day 135.
        #expect(weeks[0] == CustomerSummary(customerID: "A", key: weeks[0].key, x: 2, tx: 4, T: 30.0 / 7, monetaryMean: 30,
                                            holdoutPurchases: 1, holdoutValue: 7, holdoutMargin: 2.75))
        #expect(weeks[1] == CustomerSummary(customerID: "B", key: weeks[1].key, x: 0, tx: 0, T: 5.0 / 7, monetaryMean: nil,
                                            holdoutPurchases: 0, holdoutValue: 0, holdoutMargin: 0))
        // D: holdout orders on day 140 merge into one purchase worth 10, CM2 5 + 2; day 151 is after the holdout.
        #expect(weeks[2] == CustomerSummary(customerID: "D", key: weeks[2].key, x: 0, tx: 0, T: 20.0 / 7, monetaryMean: nil,
                                            holdoutPurchases: 1, holdoutValue: 10, holdoutMargin: 7))
        // The SQL route gives the same, customer by customer.
        let sql = try CLVData.extract(db: db, countedOrders: settings.countedCondition(), calibrationEnd: 130, unit: .weeks, holdoutEnd: 150)
        #expect(sql.map { c in var c = c; c.key = -1; return c } == weeks.map { c in var c = c; c.key = -1; return c })

        // A segment by customer key: only A and D.
        let keys = Dictionary(uniqueKeysWithValues: weeks.map { ($0.customerID, Int($0.key)) })
        var include = [Bool](repeating: false, count: 4)
        for id in ["A", "D"] { include[try #require(keys[id])] = true }
        let some = try #require(try CLVData.fromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .days, include: include))
        #expect(try Self.withIDs(some, db).map(\.customerID) == ["A", "D"])
        #expect(some.allSatisfy { $0.holdoutPurchases == nil && $0.holdoutMargin == nil })
    }

    /// Each customer's CM2 and GMV up to the calibration end (a `predict ltv` group's own margin), read in the
    /// snapshot's pass, equal the SQL pass over `orders`. By hand, to day 130 with cogs 5 on order 3: A 10 + 5 + 20
    /// + 40 = 75 (order 4 cancelled), CM2 70; B 50 and 50; D 70 and 70; C's first order is on day 131.
    @Test func calibrationMarginsFromTheSnapshotEqualTheSQLPass() throws {
        let db = try Self.handShop()
        try db.execute("UPDATE orders SET cogs = 5 WHERE order_id = '3'")
        let settings = MetricSettings()
        try CustomerFacts.rebuild(db, settings: settings)
        let columns = try #require(try CLVData.columnsFromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .weeks))
        let fast = try #require(columns.keyMargins)
        let sql = try CLVData.marginByCustomer(db: db, countedOrders: settings.countedCondition(), through: 130, keys: fast.gmv.count,
                                               facts: CustomerFacts.table)
        #expect(fast.cm2 == sql.cm2 && fast.gmv == sql.gmv, "\(fast) against \(sql)")
        var byID: [String: [Double]] = [:]
        for r in try db.query("SELECT customer_key, customer_id FROM \(CustomerFacts.table)").rows {
            if let k = r[0].intValue, let id = r[1].textValue, Int(k) < fast.gmv.count { byID[id] = [fast.cm2[Int(k)], fast.gmv[Int(k)]] }
        }
        #expect(byID["A"] == [70, 75] && byID["B"] == [50, 50] && byID["D"] == [70, 70] && byID["C"] == [0, 0], "\(byID)")
    }

    /// A refund row (negative amount) after the last purchase is no purchase: the snapshot and the SQL agree on day 151.
    @Test func aLaterRefundRowIsNotTheLastPurchase() throws {
        let db = try Self.handShop()
        try insertOrder(db, "13", "B", day: 160, amount: -50, status: nil)
        try insertOrder(db, "14", "C", day: 90, amount: -5, status: nil)
        let settings = MetricSettings()
        try CustomerFacts.rebuild(db, settings: settings)
        let expected = PurchaseDays(first: 100, last: 151, lastCounted: 160)
        #expect(try CLVData.purchaseDays(db: db, settings: settings) == expected)
        try db.execute("DROP TABLE \(OrderSnapshot.table)")
        #expect(try CLVData.purchaseDays(db: db, settings: settings) == expected)
    }

    @Test func aPeriodPastTheSnapshotFallsBackToSQL() throws {
        let db = try Self.handShop()
        let settings = MetricSettings()
        try CustomerFacts.rebuild(db, settings: settings)
        // The purchase days from the snapshot: the first order (day 100), the last (151, order 12), the SQL's max(day).
        let counted = settings.countedCondition()
        #expect(try CLVData.purchaseDays(db: db, settings: settings) == PurchaseDays(first: 100, last: 151, lastCounted: 151))
        #expect(try db.scalar("SELECT max(day) FROM orders WHERE \(counted.sql)", counted.bindings).intValue == 151)
        // The snapshot ends at the last counted day, 151: a holdout to 160 needs orders it does not hold.
        #expect(try CLVData.fromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .weeks, holdoutEnd: 160) == nil)
        #expect(try CLVData.fromSnapshot(db: db, settings: settings, calibrationEnd: 151, unit: .weeks) != nil)
        // Without a snapshot there is nothing to read.
        try db.execute("DROP TABLE \(OrderSnapshot.table)")
        #expect(try CLVData.purchaseDays(db: db, settings: settings) == PurchaseDays(first: 100, last: 151, lastCounted: 151))
        #expect(try CLVData.fromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .weeks) == nil)
        #expect(throws: CLVError.self) {
            try CustomerFacts.rebuild(db, settings: settings)
            _ = try CLVData.fromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .days, holdoutEnd: 120)
        }
    }

    @Test func cdnowFromTheSnapshotGivesThePublishedSummaryAndEstimates() throws {
        let db = try cdnowDatabase()
        let settings = MetricSettings()
        try CustomerFacts.rebuild(db, settings: settings)
        let end = CLVDataTests.calibrationEnd, holdout = CLVDataTests.holdoutEnd
        let read = try #require(try CLVData.fromSnapshot(db: db, settings: settings, calibrationEnd: end, unit: .weeks, holdoutEnd: holdout))
        let snapshot = try Self.withIDs(read, db)
        let sql = try CLVData.extract(db: db, countedOrders: settings.countedCondition(), calibrationEnd: end, unit: .weeks, holdoutEnd: holdout)
        #expect(snapshot.count == 2357 && sql.count == 2357)
        // Same customers and histories; amounts are added in another order, so compare money to 1e-9.
        var differences = 0
        for (a, b) in zip(snapshot, sql) {
            let same = a.customerID == b.customerID && a.x == b.x && a.tx == b.tx && a.T == b.T && a.holdoutPurchases == b.holdoutPurchases
                && abs((a.monetaryMean ?? 0) - (b.monetaryMean ?? 0)) < 1e-9 && abs((a.holdoutValue ?? 0) - (b.holdoutValue ?? 0)) < 1e-9
                && abs((a.holdoutMargin ?? 0) - (b.holdoutMargin ?? 0)) < 1e-9
            if !same { differences += 1 }
        }
        #expect(differences == 0)
        // The published summary (lifetimes' cdnow_customers_summary), customer by customer.
        let published = Dictionary(uniqueKeysWithValues: try CDNOW.summary().map { ($0.id, $0) })
        let mismatches = snapshot.filter { c in
            guard let n = Int(c.customerID), let row = published[String(n)] else { return true }
            return row.x != c.x || abs(row.tx - c.tx) > 0.006 || abs(row.T - c.T) > 0.006 || abs(row.zbar - (c.monetaryMean ?? 0)) > 0.006
        }
        #expect(mismatches.isEmpty)
        // Fader, Hardie & Lee (2005): r 0.243, α 4.41, a 0.793, b 2.43; Gamma-Gamma p 6.25, q 3.74, γ 15.4 (lifetimes).
        let fit = try BGNBDModel.fit(CompressedRow.compress(read))
        #expect(sig3(fit.r) == 0.243 && sig3(fit.alpha) == 4.41 && sig3(fit.a) == 0.793 && sig3(fit.b) == 2.43)
        let spend = try GammaGammaModel.fit(read)
        #expect(sig3(spend.p) == 6.25 && sig3(spend.q) == 3.74 && sig3(spend.gamma) == 15.4)
        // And the same estimates as the SQL route to many digits, whatever the customers' order.
        let sqlFit = try BGNBDModel.fit(CompressedRow.compress(sql))
        #expect(zip(fit.parameters, sqlFit.parameters).allSatisfy { abs($0 - $1) < 1e-9 * $1 })
        let sqlSpend = try GammaGammaModel.fit(sql)
        #expect(abs(spend.p - sqlSpend.p) < 1e-6 * sqlSpend.p && abs(spend.gamma - sqlSpend.gamma) < 1e-6 * sqlSpend.gamma)
    }
}
