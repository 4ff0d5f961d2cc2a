import Testing
import ECStore
@testable import ECAnalytics

/// `ltv`, `cac`, `ltv_cac` and `payback` as catalogue KPIs: hand-worked on `HandShop`
/// and a small payback shop, and held against `unit economics` (a separate Swift pass
/// over the orders) on a generated shop.
@Suite struct LifetimeKPITests {
    static func horizon(_ h: Int) -> MetricSettings {
        var s = MetricSettings()
        s.ltvHorizonMonths = h
        return s
    }

    /// HandShop, horizon 1. CM2 per order (amount − discount − points − cogs − shipping − commission):
    /// A 4200 (Jan), 2620 (Feb), 2000 (Mar); B 2500 (Jan), 1600 (Feb); D 3300 (Feb), 2350 (Mar); E 3630 + 570 (Mar).
    /// as_of 2024-03-31: Jan's and Feb's customers have reached month 1, March's have not.
    @Test func handWorkedByMonth() throws {
        let shop = try HandShop()
        let r = try shop.run(["cac", "ltv", "ltv_cac"], settings: Self.horizon(1))
        #expect(r.values("month") == ["2024-01", "2024-02", "2024-03"])
        // CAC: Jan 30000 / {A, B}; Feb 12000 / {D}; Mar 15000 / {E}.
        #expect(close(r.doubles("cac"), [15000, 12000, 15000]))
        // LTV(1): Jan (A 4200 + 2620, B 2500 + 1600) / 2 = 5460; Feb D 3300 + 2350 = 5650; Mar not final.
        #expect(close(r.doubles("ltv"), [5460, 5650, nil]))
        #expect(close(r.doubles("ltv_cac"), [5460.0 / 15000, 5650.0 / 12000, nil]))
        // Totals recomputed over the whole range: CAC 57000 / 4; LTV over the customers who reached
        // month 1 (A, B, D): 16570 / 3.
        #expect(close([r.total("cac")?.doubleValue], [57000.0 / 4]))
        #expect(close([r.total("ltv")?.doubleValue], [16570.0 / 3]))
        #expect(close([r.total("ltv_cac")?.doubleValue], [(16570.0 / 3) / (57000.0 / 4)]))
        // The horizon's default, 12 months, has not elapsed for any customer.
        let long = try shop.run(["ltv"])
        #expect(close(long.doubles("ltv"), [nil, nil, nil]))
    }

    /// Censoring holds for every grouping: the quarter's March customers have not reached month 1,
    /// so Q1 is blank by quarter; by cohort only 2024-03 is blank; by channel (first order's channel)
    /// the range's eligible customers: own {A}, rakuten {B}, amazon {D}.
    @Test func censoringByQuarterCohortAndChannel() throws {
        let shop = try HandShop()
        let q = try shop.run(["ltv"], by: [.grain(.quarter)], settings: Self.horizon(1))
        #expect(close(q.doubles("ltv"), [nil]))
        let c = try shop.run(["ltv"], by: [.dimension(name: "cohort")], settings: Self.horizon(1))
        #expect(c.values("cohort") == ["2024-01", "2024-02", "2024-03"])
        #expect(close(c.doubles("ltv"), [5460, 5650, nil]))
        let ch = try shop.run(["ltv"], by: [.dimension(name: "channel")], settings: Self.horizon(1))
        let byChannel = Dictionary(uniqueKeysWithValues: zip(ch.values("channel").map { $0.textValue ?? "" }, ch.doubles("ltv")))
        #expect(close([byChannel["own"] ?? nil, byChannel["rakuten"] ?? nil, byChannel["amazon"] ?? nil], [6820, 4100, 5650]))
    }

    /// X: Jan 3000, Feb 2000, Apr 4000; Y: Jan 1000, Mar 1000; Z: Feb 5000 (no costs, so CM2 = amount).
    /// Spend Jan 5000, Feb 10000. as_of 2024-04-05.
    static func paybackShop() throws -> WorkspaceBuilder {
        let w = try WorkspaceBuilder()
        try w.order("1", "X", "2024-01-10", 3000, "own", "completed")
        try w.order("2", "Y", "2024-01-20", 1000, "own", "completed")
        try w.order("3", "X", "2024-02-10", 2000, "own", "completed")
        try w.order("4", "Z", "2024-02-15", 5000, "own", "completed")
        try w.order("5", "Y", "2024-03-01", 1000, "own", "completed")
        try w.order("6", "X", "2024-04-05", 4000, "own", "completed")
        try w.createSpend()
        try w.spend("2024-01-05", 5000, "own")
        try w.spend("2024-02-05", 10000, "own")
        try CustomerFacts.rebuild(w.db, settings: MetricSettings())
        return w
    }

    /// Jan: CAC 5000 / 2 = 2500; per customer 2000 at month 0, 3000 at month 1 → payback 1.
    /// Feb: CAC 10000; Z stays at 5000 → blank. Whole range: CAC 15000 / 3 = 5000; month 0 3000,
    /// 1 (5000 + 1000 + 5000) / 3, 2 (5000 + 2000 + 5000) / 3 = 4000, 3 only X and Y have reached it:
    /// (9000 + 2000) / 2 = 5500 ≥ 5000 → 3.
    @Test func paybackHandWorked() throws {
        let w = try Self.paybackShop()
        let r = try KPIEngine(w.db, settings: MetricSettings()).run(KPIQuery(kpis: ["cac", "payback"], groupBy: [.grain(.month)]))
        #expect(r.values("month") == ["2024-01", "2024-02", "2024-03", "2024-04"])
        #expect(close(r.doubles("cac"), [2500, 10000, nil, nil]))
        #expect(r.values("payback") == [.integer(1), .null, .null, .null])
        #expect(r.total("payback") == .integer(3))
    }

    /// `define kpi ltv_cac2 = ltv / cac` works and equals the catalogue's ltv_cac; yen ÷ yen is a ratio.
    @Test func derivedFromLifetimeKPIs() throws {
        let shop = try HandShop()
        _ = try DerivedKPIs.define("mine", KPIExpression.parse("ltv / cac"), db: shop.db)
        let r = try shop.run(["mine", "ltv_cac"], settings: Self.horizon(1))
        #expect(close(r.doubles("mine"), r.doubles("ltv_cac")))
        let mine = try #require(r.table.columns.firstIndex(of: "mine"))
        #expect(r.table.formats[mine] == .decimal(places: 2))
    }

    /// The same definitions as `unit economics by month` (its own pass over the orders):
    /// CAC, LTV(h), LTV/CAC and payback of every acquisition month, at three horizons.
    @Test(arguments: [0, 2, 6])
    func agreesWithUnitEconomicsByMonth(horizon h: Int) throws {
        let shop = try CohortGeneratedTests.makeShop(seed: 7)
        try Workspace.addSpend(shop.db, Workspace.randomSpend(seed: 11, count: 30, channels: ["own"]))
        var settings = Self.horizon(h)
        settings.counted = .excluding(["cancelled", "returned", "refunded"])
        let asOf = try KPIEngine.dateRange(shop.db, settings: settings, from: nil, to: nil).upperBound
        let ue = try UnitEconomicsEngine(shop.db).run(UnitEconomicsQuery(by: .month, horizonMonths: h, orders: Workspace.counted,
                                                                         asOfDay: asOf))
        let kpi = try KPIEngine(shop.db, settings: settings).run(KPIQuery(kpis: ["new_customers", "cac", "ltv", "ltv_cac", "payback"],
                                                                          groupBy: [.grain(.month)]))
        let months: [String?] = kpi.values("month").map(\.textValue)
        var compared = 0
        for row in ue.rows where row.newCustomers > 0 {
            guard let i = months.firstIndex(of: row.group) else { Issue.record("no kpi row for \(String(describing: row.group))"); continue }
            #expect(kpi.doubles("new_customers")[i] == Double(row.newCustomers), "\(String(describing: row.group))")
            #expect(close([kpi.doubles("cac")[i]], [row.cac]), "\(String(describing: row.group)) cac")
            #expect(close([kpi.doubles("ltv")[i]], [row.ltv]), "\(String(describing: row.group)) ltv")
            #expect(close([kpi.doubles("ltv_cac")[i]], [row.ltvToCAC]), "\(String(describing: row.group)) ltv_cac")
            let payback: Double? = if case .offset(let k)? = row.payback { Double(k) } else { nil }
            #expect(kpi.doubles("payback")[i] == payback, "\(String(describing: row.group)) payback")
            compared += 1
        }
        #expect(compared > 10)
    }
}
