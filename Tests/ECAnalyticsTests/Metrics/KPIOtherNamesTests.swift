import Foundation
import Testing
import ECStore
@testable import ECAnalytics

/// The names analysts and Japanese reports use for ecsh's KPIs point at ecsh's own:
/// `kpi cm2` said only "unknown KPI 'cm2'; `kpis` lists them".
@Suite struct KPIOtherNamesTests {
    /// Every pointer leads to a KPI the catalogue has (a renamed KPI would leave a table row pointing nowhere).
    @Test func everyOtherNameNamesACatalogueKPI() {
        let names = Set(KPICatalogue.all.map(\.name))
        for (other, kpis) in KPICatalogue.otherNames {
            #expect(!kpis.isEmpty && kpis.allSatisfy(names.contains), "\(other) → \(kpis)")
            #expect(!names.contains(other), "\(other) is a KPI of its own")
        }
    }

    @Test(arguments: [
        ("cm2", ["margin"]), ("Contribution Margin", ["margin"]), ("限界利益", ["margin"]),
        ("conversion_rate", ["cvr"]), ("転換率", ["cvr"]), ("ＣＶＲ", ["cvr"]), ("Repeat Rate", ["repeat_rate"]),
        ("churn", ["churn_rate"]), ("retention", ["retention_rate"]), ("f2", ["f2_rate"]), ("new", ["new_customers"]),
        ("売上", ["revenue", "gmv"]), ("客単価", ["aov", "aov_gross"]), ("ltv_cac_ratio", ["ltv_cac"]), ("リピート率", ["repeat_rate"]),
        // Nothing fits: no guess (`roi`); `ltv_` is ltv written otherwise.
        ("roi", []), ("colour", []), ("ltv_", ["ltv"]),
    ])
    func otherNames(name: String, expected: [String]) {
        #expect(KPICatalogue.kpis(calledOtherwise: name) == expected)
    }

    @Test func theUnknownKPIErrorNamesEcshsKPI() throws {
        let w = try WorkspaceBuilder()
        try w.order("1", "A", "2024-01-10", 1000, "own", "completed")
        let engine = KPIEngine(w.db, settings: MetricSettings())
        #expect(throws: MetricsError("unknown KPI 'cm2'; did you mean 'margin'? `kpis` lists them")) {
            try engine.run(KPIQuery(kpis: ["cm2"]))
        }
        #expect(throws: MetricsError("unknown KPI '売上'; did you mean 'revenue' or 'gmv'? `kpis` lists them")) {
            try engine.run(KPIQuery(kpis: ["売上"]))
        }
        // A near miss still wins over another name: `aovv` is a typo of aov.
        #expect(throws: MetricsError("unknown KPI 'aovv'; did you mean 'aov'? `kpis` lists them")) {
            try engine.run(KPIQuery(kpis: ["aovv"]))
        }
    }

    /// `kpi gmv by wek` said "neither a column of orders nor a customer attribute" with no way to `week`.
    @Test func anUnknownGroupingNamesTheGrains() throws {
        let w = try WorkspaceBuilder()
        try w.order("1", "A", "2024-01-10", 1000, "own", "completed")
        let engine = KPIEngine(w.db, settings: MetricSettings())
        #expect(throws: MetricsError("cannot group by 'wek': it is neither a time grain (day, week, month, quarter, year), "
                                     + "a column of orders nor a customer attribute; did you mean 'week'?")) {
            try engine.run(KPIQuery(kpis: ["gmv"], groupBy: [.dimension(name: "wek")]))
        }
        #expect(throws: MetricsError("cannot group by 'hour': it is neither a time grain (day, week, month, quarter, year), "
                                     + "a column of orders nor a customer attribute; describe orders lists the columns")) {
            try engine.run(KPIQuery(kpis: ["gmv"], groupBy: [.dimension(name: "hour")]))
        }
    }
}
