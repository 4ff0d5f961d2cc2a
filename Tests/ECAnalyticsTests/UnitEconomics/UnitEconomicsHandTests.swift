import Testing
import ECStore
@testable import ECAnalytics

/// Unit economics of the six-customer shop in `CohortHandTests` (same orders and spend).
///
/// CM2 per order: A 50, 20, 110; B 33, 57; C 26; D 44, 8; E 32; F 30, 30.
/// First channels: A own, B rakuten, C own, D amazon, E own, F rakuten. Data ends in April.
/// Spend: own 150 + 100 = 250, rakuten 30 + 200 = 230, amazon none; total 480.
@Suite struct UnitEconomicsHandTests {
    func close(_ a: Double?, _ b: Double, _ what: String) {
        guard let a else { Issue.record("\(what): nil vs \(b)"); return }
        #expect(abs(a - b) < 1e-9, "\(what): \(a) vs \(b)")
    }

    @Test func byChannelHorizonOne() throws {
        let db = try CohortHandTests.shop()
        let ue = try UnitEconomicsEngine(db).run(UnitEconomicsQuery(by: .channel, horizonMonths: 1, orders: Workspace.counted))
        #expect(ue.rows.map(\.group) == ["amazon", "own", "rakuten"])
        let amazon = ue.rows[0], own = ue.rows[1], rakuten = ue.rows[2]

        // own: new A, C, E = 3; CAC 250 / 3. Orders placed through own: A×3, C, E = 5 (E's
        // cancelled one excluded); revenue 100+50+200+60+70 = 480 → AOV 96; CM2 238 → 47.6.
        #expect(own.newCustomers == 3 && own.orders == 5)
        close(own.cac, 250.0 / 3, "own CAC")
        close(own.aov, 96, "own AOV")
        close(own.marginPerOrder, 47.6, "own CM2/order")
        // LTV(1): offsets 0..1 of A (70), C (26), E (32), all at least 1 month old → 128 / 3.
        close(own.ltv, 128.0 / 3, "own LTV")
        // Orders within offsets 0..1: A 2, C 1, E 1 → 4 / 3.
        close(own.ordersPerCustomer, 4.0 / 3, "own orders/customer")
        close(own.ltvToCAC, (128.0 / 3) / (250.0 / 3), "own LTV/CAC")
        #expect(own.isHealthy == false)
        // Curve 42.67, 42.67, 79.33, 103 (see CohortHandTests) → first ≥ 83.33 at M3.
        #expect(own.payback == .offset(3))
        #expect(own.commissionBurden == 0 && own.isMall == false)
        #expect(ue.notes.contains { $0.contains("cohorts at least 1 month old (historical LTV: observed margin; predict ltv gives the predicted CLV, a model)") })

        // rakuten: B, F; CAC 115. Orders B×2, F×2: revenue 280 → AOV 70; CM2 150 → 37.5.
        // LTV(1): B 33 + 57 = 90, F 60 (March + 1 = April is in the data) → 75. Payback never.
        close(rakuten.cac, 115, "rakuten CAC")
        close(rakuten.aov, 70, "rakuten AOV")
        close(rakuten.marginPerOrder, 37.5, "rakuten CM2/order")
        close(rakuten.ltv, 75, "rakuten LTV")
        close(rakuten.ordersPerCustomer, 2, "rakuten orders/customer")
        #expect(rakuten.payback == .notYet)
        // How far off: the last offset any rakuten cohort reaches is 3 (B's); B's cumulative CM2 stays 90,
        // so 90 / 115 of CAC is recovered. LTV/CAC 75 / 115 < 1: loss-making.
        #expect(rakuten.recovered?.months == 3)
        close(rakuten.recovered?.share, 90.0 / 115, "rakuten recovered share")
        #expect(rakuten.isLossMaking == true && own.isLossMaking == true)
        // Commission 5 + 5 on GMV 280.
        close(rakuten.commissionBurden, 10.0 / 280, "rakuten commission burden")

        // amazon: no spend rows → no CAC, no payback; LTV(1) = D's 44 (his April order is offset 2).
        #expect(amazon.spend == nil && amazon.cac == nil && amazon.payback == nil)
        close(amazon.ltv, 44, "amazon LTV")

        // Total: 6 customers, CAC 480 / 6 = 80; 11 orders, revenue 880 → AOV 80; CM2 440 → 40.
        // LTV(1) = (70 + 90 + 26 + 44 + 32 + 60) / 6 = 322 / 6. Curve M2 = 380 / 5 = 76, M3 = 296 / 3 ≥ 80 → M3.
        let total = try #require(ue.total)
        close(total.cac, 80, "total CAC")
        close(total.aov, 80, "total AOV")
        close(total.marginPerOrder, 40, "total CM2/order")
        close(total.ltv, 322.0 / 6, "total LTV")
        close(total.ordersPerCustomer, 1.5, "total orders/customer")
        #expect(total.payback == .offset(3))
        // Mall dependence: (280 + 120) / 880.
        close(ue.mallDependence, 400.0 / 880, "mall dependence")

        let table = ue.toResultTable()
        #expect(table.columns.contains("LTV_CAC_status") && table.columns.contains("commission_burden"))
        #expect(table.column("payback") == [.null, "M3", "not yet: 78% of CAC recovered after 3 months", "M3"])
        #expect(table.column("LTV_CAC_status")?[2] == "< 1: loss-making")
        #expect(table.notes.contains { $0.hasPrefix("CAC (blended)") })
        #expect(table.notes.contains { $0.contains("discount (all orders)") })
        #expect(table.summaryRows == [3])
    }

    /// By acquisition month with cheap January spend, so one cohort passes the rule of thumb.
    @Test func byCohortHorizonTwo() throws {
        let db = try CohortHandTests.shop()
        try db.execute("UPDATE spend SET spend = 5")  // Jan 10, Feb 5, Mar 5
        let ue = try UnitEconomicsEngine(db).run(UnitEconomicsQuery(by: .cohort, horizonMonths: 2, orders: Workspace.counted))
        #expect(ue.rows.map(\.group) == ["2024-01", "2024-02", "2024-03"])
        let jan = ue.rows[0], feb = ue.rows[1], mar = ue.rows[2]
        // January: A×3, B×2, C: 6 orders, revenue 610, CM2 296. LTV(2) = 296 / 3; CAC 10 / 3.
        #expect(jan.orders == 6)
        close(jan.aov, 610.0 / 6, "Jan AOV")
        close(jan.ltv, 296.0 / 3, "Jan LTV")
        close(jan.ordersPerCustomer, 2, "Jan orders/customer")
        close(jan.ltvToCAC, (296.0 / 3) / (10.0 / 3), "Jan LTV/CAC")
        #expect(jan.isHealthy == true)
        #expect(jan.payback == .offset(0))  // 43 ≥ 3.33 already in the first month
        // February: LTV(2) = (44 + 8 + 32) / 2 = 42 (April is offset 2).
        close(feb.ltv, 42, "Feb LTV")
        // March is only one month old: no LTV(2).
        #expect(mar.ltv == nil && mar.ordersPerCustomer == nil)
        let table = ue.toResultTable()
        #expect(table.rows[0][10] == .text("≥ 3 (healthy by rule of thumb)"))
        #expect(table.notes.contains { $0.contains("no cohort is 2 months old") })
    }

    @Test func byMonthAndNoSpend() throws {
        let db = try CohortHandTests.shop()
        try db.execute("DROP TABLE spend")
        let ue = try UnitEconomicsEngine(db).run(UnitEconomicsQuery(by: .month, horizonMonths: 0, orders: Workspace.counted))
        // Orders placed per calendar month: Jan 4, Feb 3, Mar 3, Apr 1; April acquires nobody.
        #expect(ue.rows.map(\.group) == ["2024-01", "2024-02", "2024-03", "2024-04"])
        #expect(ue.rows.map(\.orders) == [4, 3, 3, 1])
        #expect(ue.rows.map(\.newCustomers) == [3, 2, 1, 0])
        #expect(ue.rows.allSatisfy { $0.cac == nil && $0.payback == nil })
        // March orders: A 200 (CM2 110), F 40 + 40 (30 + 30) → AOV 280 / 3, CM2 170 / 3.
        close(ue.rows[2].aov, 280.0 / 3, "Mar AOV")
        close(ue.rows[2].marginPerOrder, 170.0 / 3, "Mar CM2/order")
        #expect(ue.toResultTable().notes.contains { $0.hasPrefix("no spend loaded") })
    }

    /// Spend under an ad platform's channel name that no order has (`google` beside orders of `own`): its own row, so
    /// the rows add up to the total (before, the row was left out and the rows' spend fell short by it, unsaid).
    @Test func spendInAChannelWithoutOrdersIsARowAndANote() throws {
        let db = try CohortHandTests.shop()
        try db.execute("INSERT INTO spend (date, day, spend, channel) VALUES ('2024-02-01', CAST(julianday('2024-02-01') - 2440587.5 AS INTEGER), 320, 'google')")
        let ue = try UnitEconomicsEngine(db).run(UnitEconomicsQuery(by: .channel, horizonMonths: 1, orders: Workspace.counted))
        #expect(ue.rows.map(\.group) == ["amazon", "google", "own", "rakuten"])
        let google = ue.rows[1]
        // google: 320 of spend, no customer, no order: CAC empty. The rows' spend: 320 + 250 + 230 = 800 = the total's.
        #expect(google.spend == 320 && google.newCustomers == 0 && google.orders == 0 && google.cac == nil)
        #expect(ue.rows.compactMap(\.spend).reduce(0, +) == 800 && ue.total?.spend == 800)
        #expect(ue.notes.contains { $0.hasPrefix("spend in channels without orders: google 320; their CAC is empty") })
    }
}
