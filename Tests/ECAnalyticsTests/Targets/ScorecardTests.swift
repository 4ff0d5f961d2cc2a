import Testing
import ECStore
@testable import ECAnalytics

/// Targets, objectives and the scorecard, in process on the hand-worked shop
/// (HandShop: Feb and Mar 2024 are the last two months).
@Suite struct ScorecardTests {
    /// Status and trend follow the target's comparison and the KPI's direction, with values
    /// worked by hand: CAC Feb = 12000 spend / 1 new (D) = 12000; Mar = 15000 / 1 (E) = 15000.
    /// Mall dependence Mar = 4000 / 19000 = 21.1%, against a ceiling of 20%: above the limit.
    @Test func directionDrivesStatusAndTrend() throws {
        let shop = try HandShop()
        try TargetStore.save(Target(kpi: "cac", comparison: .atMost, value: 20000, objective: "Grow customer equity"), text: "cac <= 20000", db: shop.db)
        try TargetStore.save(Target(kpi: "mall_dependence", comparison: .atMost, value: 0.2), text: "mall_dependence <= 20%", db: shop.db)
        try TargetStore.save(Target(kpi: "repeat_rate", comparison: .atLeast, value: 0.9, objective: "Grow customer equity"), text: "repeat_rate >= 90%", db: shop.db)
        let card = try Scorecard.build(db: shop.db, settings: MetricSettings(), grain: .month)
        #expect(card.periods.previous == "2024-02" && card.periods.latest == "2024-03")
        let cac = try #require(card.lines.first { $0.kpi == "cac" })
        #expect(cac.previous.doubleValue == 12000 && cac.current.doubleValue == 15000)
        #expect(cac.trend == "▲" && cac.trendIsGood == false)   // a rising CAC is bad news
        #expect(cac.status == .met && cac.status.text(for: cac.target) == "within the limit")
        #expect(cac.change == .percent(25))
        let mall = try #require(card.lines.first { $0.kpi == "mall_dependence" })
        #expect(close([mall.current.doubleValue], [4000.0 / 19000]))
        #expect(mall.status == .missed && mall.status.text(for: mall.target) == "above the limit")
        // Feb 11000/17000 → Mar 4000/19000: falling, which is good for mall dependence.
        #expect(mall.trend == "▼" && mall.trendIsGood == true)
        // Repeat rate Mar = 4/4 (HandCheckedKPITests): meets >= 90%; Feb 2/3 → +33.3 pt.
        let repeatRate = try #require(card.lines.first { $0.kpi == "repeat_rate" })
        #expect(repeatRate.status == .met && repeatRate.status.text(for: repeatRate.target) == "on target")
        if case .points(let p) = repeatRate.change { #expect(abs(p - 100.0 / 3) < 1e-9) } else { Issue.record("repeat_rate changes in points") }
        #expect(card.objectives == ["Grow customer equity"])
        #expect(card.lines.filter { $0.objective == "Grow customer equity" }.map(\.kpi).sorted() == ["cac", "repeat_rate"])
    }

    /// A target edited into nonsense with raw SQL is skipped with a note, never a crash.
    @Test func unreadableStoredTargetIsSkipped() throws {
        let shop = try HandShop()
        try TargetStore.save(Target(kpi: "cac", comparison: .atMost, value: 3000), text: "cac <= 3000", db: shop.db)
        try TargetStore.save(Target(kpi: "aov", comparison: .atLeast, value: 3000), text: "aov >= 3000", db: shop.db)
        try shop.db.execute("UPDATE ecsh_targets SET value = 'x' WHERE kpi = 'cac'")
        try shop.db.execute("UPDATE ecsh_targets SET op = '~' WHERE kpi = 'aov'")
        let (targets, problems) = try TargetStore.load(shop.db)
        #expect(targets.isEmpty && problems.count == 2)
        let card = try Scorecard.build(db: shop.db, settings: MetricSettings(), grain: .month)
        #expect(card.lines.first { $0.kpi == "cac" }?.status == .noTarget)
        #expect(card.notes.contains { $0.contains("target for cac skipped") })
    }

    /// A workspace made before objectives existed gains the column; unknown KPIs are refused.
    @Test func storageUpgradesAndChecksNames() throws {
        let shop = try HandShop()
        try shop.db.execute("CREATE TABLE ecsh_targets (kpi TEXT PRIMARY KEY, op TEXT NOT NULL, value REAL NOT NULL, definition TEXT NOT NULL)")
        try shop.db.execute("INSERT INTO ecsh_targets VALUES ('aov', '>=', 5000, 'aov >= 5000')")
        #expect(try TargetStore.load(shop.db).targets == [Target(kpi: "aov", comparison: .atLeast, value: 5000)])
        try TargetStore.save(Target(kpi: "nps", comparison: .above, value: 0, objective: "Delight"), text: "nps > 0", db: shop.db)
        #expect(try TargetStore.load(shop.db).targets.last == Target(kpi: "nps", comparison: .above, value: 0, objective: "Delight"))
        #expect(throws: MetricsError.self) {
            try TargetStore.save(Target(kpi: "aovv", comparison: .atLeast, value: 1), text: "", db: shop.db)
        }
    }

    /// The KPIs over orders come from one statement: each line's two periods are those of the KPI
    /// asked alone, on a generated shop with spend and NPS, by month and by quarter.
    @Test func linesMatchEachKPIAskedAlone() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        for grain in [TimeGrain.month, .quarter] {
            let card = try Scorecard.build(db: db, settings: MetricSettings(), grain: grain)
            #expect(card.lines.map(\.kpi) == Scorecard.standardKPIs)
            for line in card.lines {
                let alone = try KPIEngine(db, settings: MetricSettings()).run(KPIQuery(kpis: [line.kpi], groupBy: [.grain(grain)])).table
                let data = alone.rows.enumerated().filter { !alone.summaryRows.contains($0.offset) }.map(\.element)
                let column = try #require(alone.columns.firstIndex(of: line.kpi))
                #expect(SnapshotRouteTests.same(line.current, data[data.count - 1][column]), "\(line.kpi) by \(grain)")
                #expect(SnapshotRouteTests.same(line.previous, data[data.count - 2][column]), "\(line.kpi) by \(grain)")
                #expect(card.periods.latest == data[data.count - 1][0].description)
            }
        }
    }

    @Test func comparisonsHoldAsWritten() {
        #expect(Target.Comparison.atLeast.holds(3, 3) && !Target.Comparison.above.holds(3, 3))
        #expect(Target.Comparison.atMost.holds(3, 3) && !Target.Comparison.below.holds(3, 3))
        #expect(Target.Comparison.equal.holds(0.1 + 0.2, 0.3) && !Target.Comparison.notEqual.holds(0.1 + 0.2, 0.3))
        #expect(Target.Comparison.atMost.direction == .lowerIsBetter)
    }
}
