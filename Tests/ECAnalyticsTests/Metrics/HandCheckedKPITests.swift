import Testing
import ECStore
@testable import ECAnalytics

/// A small shop worked out by hand (Jan–Mar 2024; 2024 is a leap year).
///
/// Orders (✗ = not counted):
///   1 A 01-01 own     10000 disc 1000        cogs 4000 ship 500 comm 300 qty 2 → net  9000, CM2 4200
///   2 B 01-15 rakuten  5000                  cogs 2000          comm 500 qty 1 → net  5000, CM2 2500
///   3 C 01-31 own      8000 cancelled ✗   (C never has a counted order)
///   4 A 02-01 00:00 own 6000 points 200      cogs 2500 ship 500 comm 180 qty 1 → net  5800, CM2 2620
///   5 C 02-10 amazon   3000 returned ✗
///   6 D 02-29 amazon   7000                  cogs 3000          comm 700 qty 3 → net  7000, CM2 3300
///   7 B 02-29 rakuten  4000 disc 500         cogs 1500          comm 400 qty 1 → net  3500, CM2 1600
///   8 E 03-01 own      9000 points 900       cogs 3600 ship 600 comm 270 qty 2 → net  8100, CM2 3630
///   9 A 03-15 own      2000 cancelled ✗
///  10 D 03-31 own      5000                  cogs 2000 ship 500 comm 150 qty 1 → net  5000, CM2 2350
///  11 B 03-20 rakuten  3000 refunded ✗
///  12 E 03-31 own      1000                  cogs  400          comm  30 qty 1 → net  1000, CM2  570
///  13 A 03-05 yahoo    4000                  cogs 1600          comm 400 qty 1 → net  4000, CM2 2000
/// as_of = 2024-03-31 (last counted order).
struct HandShop {
    let w: WorkspaceBuilder
    var db: Database { w.db }

    init() throws {
        w = try WorkspaceBuilder()
        try w.order("1", "A", "2024-01-01 09:00:00", 10000, "own", "completed", discount: 1000, cogs: 4000, shipping: 500, commission: 300, quantity: 2)
        try w.order("2", "B", "2024-01-15", 5000, "rakuten", "completed", cogs: 2000, commission: 500, quantity: 1)
        try w.order("3", "C", "2024-01-31 23:59:59", 8000, "own", "cancelled", quantity: 1)
        try w.order("4", "A", "2024-02-01 00:00:00", 6000, "own", "completed", points: 200, cogs: 2500, shipping: 500, commission: 180, quantity: 1)
        try w.order("5", "C", "2024-02-10", 3000, "amazon", "returned", quantity: 1)
        try w.order("6", "D", "2024-02-29", 7000, "amazon", "completed", cogs: 3000, commission: 700, quantity: 3)
        try w.order("7", "B", "2024-02-29", 4000, "rakuten", "shipped", discount: 500, cogs: 1500, commission: 400, quantity: 1)
        try w.order("8", "E", "2024-03-01", 9000, "own", "completed", points: 900, cogs: 3600, shipping: 600, commission: 270, quantity: 2)
        try w.order("9", "A", "2024-03-15", 2000, "own", "cancelled", quantity: 1)
        try w.order("10", "D", "2024-03-31 23:30:00", 5000, "own", "completed", cogs: 2000, shipping: 500, commission: 150, quantity: 1)
        try w.order("11", "B", "2024-03-20", 3000, "rakuten", "refunded", quantity: 1)
        try w.order("12", "E", "2024-03-31", 1000, "own", "completed", cogs: 400, commission: 30, quantity: 1)
        try w.order("13", "A", "2024-03-05", 4000, "yahoo", "completed", cogs: 1600, commission: 400, quantity: 1)
        try db.execute("INSERT INTO customers VALUES ('A','2023-12-20','ads','Tokyo'), ('B','2024-01-10','mall','Osaka'), ('C','2024-01-30','ads','Tokyo')")
        // Spend: Jan 30000 (own 20000, rakuten 10000), Feb 12000 (own), Mar 15000 (amazon 5000, own 10000).
        try w.createSpend()
        try w.spend("2024-01-05", 20000, "own"); try w.spend("2024-01-20", 10000, "rakuten")
        try w.spend("2024-02-10", 12000, "own"); try w.spend("2024-03-03", 5000, "amazon"); try w.spend("2024-03-15", 10000, "own")
        // Sessions: Jan 1000, Feb 1500, Mar 1600.
        try w.createTraffic()
        try w.traffic("2024-01-10", 1000, "own"); try w.traffic("2024-02-03", 1000, "own")
        try w.traffic("2024-02-20", 500, "own"); try w.traffic("2024-03-10", 1600, "own")
        // NPS: Jan 10, 6 → (1 − 1)/2 = 0; Feb 9, 8 → 50; Mar 3 → −100.
        try w.createNPS()
        try w.nps("2024-01-10", 10, "A"); try w.nps("2024-01-20", 6, "B"); try w.nps("2024-02-05", 9, "D")
        try w.nps("2024-02-06", 8, "A"); try w.nps("2024-03-10", 3, "E")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
    }

    func run(_ kpis: [String], by: [Grouping] = [.grain(.month)], segments: [NamedSegment] = [], filter: SQLFragment? = nil,
             from: String? = nil, to: String? = nil, f2: Int? = nil, settings: MetricSettings = MetricSettings()) throws -> KPIResult {
        try KPIEngine(db, settings: settings).run(KPIQuery(kpis: kpis, groupBy: by, segments: segments, orderFilter: filter, from: from, to: to, f2WindowDays: f2))
    }
}

@Suite struct HandCheckedKPITests {
    @Test func orderKPIsByMonth() throws {
        let shop = try HandShop()
        let r = try shop.run(["gmv", "revenue", "orders", "aov", "aov_gross", "units", "margin", "margin_rate", "commission", "discount_rate", "mall_dependence"])
        #expect(r.values("month") == ["2024-01", "2024-02", "2024-03"])
        // Jan: orders 1, 2. Feb: 4, 6, 7. Mar: 8, 10, 12, 13.
        #expect(close(r.doubles("gmv"), [15000, 17000, 19000]))
        #expect(close(r.doubles("revenue"), [14000, 16300, 18100]))
        #expect(close(r.doubles("orders"), [2, 3, 4]))
        #expect(close(r.doubles("aov"), [7000, 16300.0 / 3, 4525]))
        #expect(close(r.doubles("aov_gross"), [7500, 17000.0 / 3, 4750]))
        #expect(close(r.doubles("units"), [3, 5, 5]))
        #expect(close(r.doubles("margin"), [6700, 7520, 8550]))
        #expect(close(r.doubles("margin_rate"), [6700.0 / 14000, 7520.0 / 16300, 8550.0 / 18100]))
        #expect(close(r.doubles("commission"), [800, 1280, 850]))
        // Discounts + points: Jan 1000, Feb 200 + 500, Mar 900.
        #expect(close(r.doubles("discount_rate"), [1000.0 / 15000, 700.0 / 17000, 900.0 / 19000]))
        // Malls: Jan rakuten 5000; Feb amazon 7000 + rakuten 4000; Mar yahoo 4000.
        #expect(close(r.doubles("mall_dependence"), [5000.0 / 15000, 11000.0 / 17000, 4000.0 / 19000]))
        // Totals follow each KPI's rule: sums add the months; ratios are recomputed from the
        // three months' totals (revenue 48400 / 9 orders; margin 22770 / revenue 48400;
        // malls 5000 + 11000 + 4000 = 20000 of GMV 51000), not averaged.
        #expect(r.total("gmv")?.doubleValue == 51000)
        #expect(r.total("orders") == .integer(9))
        #expect(close([r.total("aov")?.doubleValue], [48400.0 / 9]))
        #expect(close([r.total("aov_gross")?.doubleValue], [51000.0 / 9]))
        #expect(r.total("margin")?.doubleValue == 22770)
        #expect(close([r.total("margin_rate")?.doubleValue], [22770.0 / 48400]))
        #expect(close([r.total("discount_rate")?.doubleValue], [2600.0 / 51000]))
        #expect(close([r.total("mall_dependence")?.doubleValue], [20000.0 / 51000]))
    }

    @Test func customerKPIsByMonth() throws {
        let shop = try HandShop()
        let r = try shop.run(["customers", "new_customers", "returning_customers", "repeat_rate", "active_members", "retention_rate", "churn_rate"])
        // Jan {A, B} new A, B. Feb {A, B, D} new D. Mar {A, D, E} new E.
        #expect(close(r.doubles("customers"), [2, 3, 3]))
        #expect(close(r.doubles("new_customers"), [2, 1, 1]))
        #expect(close(r.doubles("returning_customers"), [0, 2, 2]))
        // Second orders: A 02-01, B 02-29, D 03-31, E 03-31 → 0/2, 2/3, 4/4.
        #expect(close(r.doubles("repeat_rate"), [0, 2.0 / 3, 1]))
        #expect(close(r.doubles("active_members"), [2, 3, 4]))
        // Feb keeps A, B of {A, B}; Mar keeps A, D of {A, B, D}; Jan has no previous buyers.
        #expect(close(r.doubles("retention_rate"), [nil, 1, 2.0 / 3]))
        #expect(close(r.doubles("churn_rate"), [nil, 0, 1.0 / 3]))
        #expect(r.total("new_customers") == .integer(4))
        // Distinct over the range: A, B, D, E once each (the months' rows add up to 8).
        #expect(r.total("customers")?.intValue == 4)
        // A returning customer is one whose first order is before the range: none over Jan–Mar.
        #expect(r.total("returning_customers")?.intValue == 0)
        // Stocks and period-over-period comparisons have no total.
        for name in ["repeat_rate", "active_members", "retention_rate", "churn_rate"] { #expect(r.total(name) == .null) }
        #expect(r.table.notes.contains("total: customers, returning_customers counted once over the whole range; no total for repeat_rate, active_members, retention_rate, churn_rate"))
    }

    @Test func activeMembersWithShortWindow() throws {
        let shop = try HandShop()
        var s = MetricSettings()
        s.activeWindowDays = 30
        // Jan 31: window 01-02…01-31 → B. Feb 29: 01-31…02-29 → A, B, D. Mar 31: 03-02…03-31 → A, D, E.
        let r = try shop.run(["active_members"], settings: s)
        #expect(close(r.doubles("active_members"), [1, 3, 3]))
    }

    @Test func f2Rate() throws {
        let shop = try HandShop()
        // 31 days: A 01-01 → 02-01 (31 days, in), B 01-15 → 02-29 (45, out): Jan 1/2.
        // D 02-29 → 03-31 (31, in): Feb 1/1. March's window ends after as_of: blank.
        let r = try shop.run(["f2_rate"], f2: 31)
        #expect(close(r.doubles("f2_rate"), [0.5, 1, nil]))
        // With the default 90 days no month has elapsed by 03-31.
        #expect(close(try shop.run(["f2_rate"]).doubles("f2_rate"), [nil, nil, nil]))
    }

    @Test func f2ByCohort() throws {
        // Cohort 2024-01: A converts within 31 days, B does not → 0.5. 2024-02: D → 1.
        // 2024-03: E's window (03-01 + 31 = 04-01) ends after as_of → no eligible buyer → blank.
        let r = try HandShop().run(["f2_rate", "new_customers"], by: [.dimension(name: "cohort")], f2: 31)
        #expect(r.values("cohort") == ["2024-01", "2024-02", "2024-03"])
        #expect(close(r.doubles("f2_rate"), [0.5, 1, nil]))
        #expect(close(r.doubles("new_customers"), [2, 1, 1]))
    }

    @Test func spendTrafficAndNPS() throws {
        let shop = try HandShop()
        let r = try shop.run(["spend", "cac", "cpa", "roas", "mer", "sessions", "cvr", "nps"])
        #expect(close(r.doubles("spend"), [30000, 12000, 15000]))
        #expect(close(r.doubles("cac"), [15000, 12000, 15000]))
        #expect(close(r.doubles("cpa"), [15000, 4000, 3750]))
        #expect(close(r.doubles("roas"), [14000.0 / 30000, 16300.0 / 12000, 18100.0 / 15000]))
        #expect(close(r.doubles("mer"), r.doubles("roas")))
        #expect(close(r.doubles("sessions"), [1000, 1500, 1600]))
        #expect(close(r.doubles("cvr"), [0.002, 0.002, 0.0025]))
        #expect(close(r.doubles("nps"), [0, 50, -100]))
        #expect(r.table.notes.contains { $0.hasPrefix("cac = spend / new_customers") })
    }

    @Test func salesEquation() throws {
        let r = try HandShop().run(["sales"])
        #expect(close(r.doubles("sessions_change"), [nil, 0.5, 1600.0 / 1500 - 1]))
        #expect(close(r.doubles("cvr_change"), [nil, 0, 0.25]))
        let febAOV: Double = 16300.0 / 3
        let aovChange: [Double?] = [nil, febAOV / 7000 - 1, 4525 / febAOV - 1]
        let revenueChange: [Double?] = [nil, 16300.0 / 14000 - 1, 18100.0 / 16300 - 1]
        #expect(close(r.doubles("aov_change"), aovChange))
        #expect(close(r.doubles("revenue_change"), revenueChange))
        // The equation holds row by row.
        for (i, rev) in r.doubles("revenue").enumerated() {
            #expect(abs(r.doubles("sessions")[i]! * r.doubles("cvr")[i]! * r.doubles("aov")[i]! - rev!) < 1e-6)
        }
    }

    @Test func byChannel() throws {
        let shop = try HandShop()
        let r = try shop.run(["gmv", "orders", "customers", "new_customers", "cac"], by: [.dimension(name: "channel")])
        #expect(r.values("channel") == ["amazon", "own", "rakuten", "yahoo"])
        #expect(close(r.doubles("gmv"), [7000, 31000, 9000, 4000]))
        #expect(close(r.doubles("orders"), [1, 5, 2, 1]))
        #expect(close(r.doubles("customers"), [1, 3, 1, 1]))
        // New customers follow the first order's channel: A, E own; B rakuten; D amazon.
        #expect(close(r.doubles("new_customers"), [1, 2, 1, 0]))
        // Own spend 42000 / 2; rakuten 10000 / 1; amazon 5000 / 1; yahoo has none → blank.
        #expect(close(r.doubles("cac"), [5000, 21000, 10000, nil]))
        #expect(r.total("gmv")?.doubleValue == 51000)
    }

    @Test func segmentsSideBySide() throws {
        let shop = try HandShop()
        let segs = [NamedSegment(name: "own_first", predicate: SQLFragment("first_channel = ?", ["own"])),
                    NamedSegment(name: "big", predicate: SQLFragment("revenue >= ?", [10000]))]
        let r = try shop.run(["gmv"], segments: segs)
        #expect(r.table.columns == ["month", "own_first gmv", "big gmv"])
        // own_first = A, E; big = A (18800), D (12000); E has 9100.
        #expect(close(r.doubles("own_first gmv"), [10000, 6000, 14000]))
        #expect(close(r.doubles("big gmv"), [10000, 13000, 9000]))
        #expect(r.table.summaryRows.count == 1)
        #expect(r.total("own_first gmv")?.doubleValue == 30000 && r.total("big gmv")?.doubleValue == 32000)
    }

    /// Without a time grain the engine reads orders with a plain day range (no period join).
    @Test func segmentsByChannelWithoutGrain() throws {
        let shop = try HandShop()
        let segs = [NamedSegment(name: "own_first", predicate: SQLFragment("first_channel = ?", ["own"])),
                    NamedSegment(name: "big", predicate: SQLFragment("revenue >= ?", [10000]))]
        let r = try shop.run(["gmv", "orders", "customers"], by: [.dimension(name: "channel")], segments: segs, from: "2024-02", to: "2024-03")
        // Feb–Mar counted orders. own_first = A, E: A own 6000 (#4), yahoo 4000 (#13); E own 9000 + 1000.
        // big = A, D: A as above; D amazon 7000 (#6), own 5000 (#10).
        // Side by side, channels sorted as each segment's rows are (not in order of first appearance, which put
        // amazon, which own_first has no row for, last): own_first has no amazon row.
        #expect(r.values("channel") == ["amazon", "own", "yahoo"])
        #expect(close(r.doubles("own_first gmv"), [nil, 16000, 4000]))
        #expect(close(r.doubles("big gmv"), [7000, 11000, 4000]))
        #expect(close(r.doubles("own_first orders"), [nil, 3, 1]))
        #expect(close(r.doubles("big orders"), [1, 2, 1]))
        #expect(close(r.doubles("own_first customers"), [nil, 2, 1]))
        #expect(close(r.doubles("big customers"), [1, 2, 1]))
        let all = try shop.run(["gmv", "customers"], by: [], segments: segs, from: "2024-02", to: "2024-03")
        #expect(close(all.doubles("gmv"), [20000, 22000]))
        #expect(close(all.doubles("customers"), [2, 2]))
    }

    @Test func whereAndRange() throws {
        let shop = try HandShop()
        let r = try shop.run(["gmv", "new_customers"], filter: SQLFragment("channel = ?", ["own"]), from: "2024-02", to: "2024-03")
        #expect(r.values("month") == ["2024-02", "2024-03"])
        #expect(close(r.doubles("gmv"), [6000, 15000]))
        #expect(close(r.doubles("new_customers"), [0, 1]))
    }

    @Test func derivedKPIs() throws {
        let shop = try HandShop()
        try DerivedKPIs.define("margin_per_order", KPIExpression.parse("margin / orders"), db: shop.db)
        try DerivedKPIs.define("gross_minus_net", KPIExpression.parse("gmv - revenue"), db: shop.db)
        try DerivedKPIs.define("spend_per_new", KPIExpression.parse("spend / new_customers"), db: shop.db)
        let r = try shop.run(["margin_per_order", "gross_minus_net"])
        #expect(close(r.doubles("margin_per_order"), [3350, 7520.0 / 3, 2137.5]))
        #expect(close(r.doubles("gross_minus_net"), [1000, 700, 900]))
        #expect(r.total("gross_minus_net")?.doubleValue == 2600)
        let byChannel = try shop.run(["spend_per_new"], by: [.dimension(name: "channel")])
        #expect(close(byChannel.doubles("spend_per_new"), [5000, 21000, 10000, nil]))
        try DerivedKPIs.define("x", .ref("gmv"), db: shop.db)
        try DerivedKPIs.define("y", KPIExpression.parse("x * 2"), db: shop.db)
        #expect(throws: MetricsError.self) { try DerivedKPIs.define("x", KPIExpression.parse("y + 1"), db: shop.db) }
    }

    @Test func customerFacts() throws {
        let shop = try HandShop()
        let t = try shop.db.query("SELECT customer_id, first_order, cohort, first_channel, last_order, orders, revenue, margin, recency, tenure, channels, nps, region FROM ecsh_customer_facts ORDER BY customer_id")
        #expect(t.rows.map { $0[0] } == ["A", "B", "D", "E"])   // C never had a counted order
        // A: orders 1, 4, 13; net 9000 + 5800 + 4000; CM2 4200 + 2620 + 2000; last 03-05 (26 days before 03-31);
        // first 01-01 (90 days before 03-31 in a leap year); own and yahoo; last NPS 8 (02-06).
        let expectedA: [Value] = ["A", "2024-01-01", "2024-01", "own", "2024-03-05", 3, 18800.0, 8820.0, 26, 90, 2, 8, "Tokyo"]
        #expect(t.rows[0] == expectedA)
        #expect(t.rows[1][4] == "2024-02-29" && t.rows[1][6] == .real(8500) && t.rows[1][8] == 31)
        let names = try CustomerFacts.attributes(shop.db).map(\.name)
        #expect(names.contains("region") && names.contains("first_channel") && names.contains("nps"))
    }
}
