import Testing
import ECStore
@testable import ECAnalytics

/// The catalogue is the one definition of each KPI: these tests walk it and hold
/// the engine to what each entry declares (computes, totals, datasets), and check
/// the visible answers of issue 14 against hand-worked values of `HandShop`.
@Suite struct MeasureLayerTests {
    /// Every KPI computes by month on a shop with every dataset, and its total row follows its rule:
    /// sum = the rows added up by this test; recompute/distinct = the same KPI over the whole range; none = blank.
    @Test func everyCatalogueEntryComputesAndTotalsByItsRule() throws {
        let shop = try HandShop()
        for def in KPICatalogue.all {
            let r = try shop.run([def.name])
            #expect(r.values("month") == ["2024-01", "2024-02", "2024-03"], "\(def.name)")
            for output in def.outputs {
                let total = r.total(output.name)
                switch output.total {
                case .sum:
                    let sum = r.doubles(output.name).reduce(0.0) { $0 + ($1 ?? 0) }
                    #expect(close([total?.doubleValue], [sum]), "\(def.name).\(output.name) total should be the sum \(sum)")
                case .recompute, .distinct:
                    let whole = try shop.run([def.name], by: [])
                    #expect(total == whole.table.rows[0][whole.table.columns.firstIndex(of: output.name) ?? 0],
                            "\(def.name).\(output.name) total should be the whole-range value")
                case .none:
                    #expect(total == nil || total == .null, "\(def.name).\(output.name) has no total")
                }
            }
        }
    }

    /// What a KPI needs is what the engine asks for: with orders alone, exactly the KPIs that
    /// read only orders compute; the others fail naming their missing dataset.
    @Test func declaredDatasetsMatchWhatTheEngineAsksFor() throws {
        let w = try WorkspaceBuilder()
        try w.order("1", "A", "2024-01-05", 1000, "own", "completed")
        try w.order("2", "A", "2024-02-05", 2000, "own", "completed")
        try CustomerFacts.rebuild(w.db, settings: MetricSettings())
        for def in KPICatalogue.all {
            let query = KPIQuery(kpis: [def.name], groupBy: [.grain(.month)])
            if def.datasets == [.orders] {
                #expect(throws: Never.self, "\(def.name)") { try KPIEngine(w.db, settings: MetricSettings()).run(query) }
            } else {
                let missing = def.datasets.subtracting([.orders])
                do {
                    _ = try KPIEngine(w.db, settings: MetricSettings()).run(query)
                    Issue.record("\(def.name) ran without \(missing)")
                } catch let e as MetricsError {
                    #expect(missing.contains { e.message.contains(DatasetRole.missingWord($0)) }, "\(def.name): \(e.message)")
                    #expect(e.subject == def.name)
                }
            }
        }
    }

    /// sessions and spend read their own datasets: no orders needed (it used to say "KPIs need orders").
    @Test func sessionsAndSpendWithoutOrders() throws {
        let db = try Database(path: nil)
        try db.execute("CREATE TABLE spend (date TEXT, day INTEGER, spend REAL, channel TEXT, campaign TEXT, impressions INTEGER, clicks INTEGER)")
        try db.execute("CREATE TABLE traffic (date TEXT, day INTEGER, sessions INTEGER, channel TEXT)")
        let jan10 = WorkspaceBuilder.day("2024-01-10"), feb3 = WorkspaceBuilder.day("2024-02-03")
        try db.execute("INSERT INTO spend VALUES ('2024-01-10', ?, 300, 'own', NULL, NULL, NULL), ('2024-02-03', ?, 200, 'own', NULL, NULL, NULL)",
                       [.integer(Int64(jan10)), .integer(Int64(feb3))])
        try db.execute("INSERT INTO traffic VALUES ('2024-01-10', ?, 40, 'own'), ('2024-02-03', ?, 60, 'own')", [.integer(Int64(jan10)), .integer(Int64(feb3))])
        let r = try KPIEngine(db, settings: MetricSettings()).run(KPIQuery(kpis: ["spend", "sessions"], groupBy: [.grain(.month)]))
        #expect(r.values("month") == ["2024-01", "2024-02"])
        #expect(close(r.doubles("spend"), [300, 200]) && close(r.doubles("sessions"), [40, 60]))
        #expect(r.total("spend")?.doubleValue == 500)
        #expect(throws: MetricsError("gmv needs orders: load orders from 'file.csv'")) {
            try KPIEngine(db, settings: MetricSettings()).run(KPIQuery(kpis: ["gmv"]))
        }
    }

    /// `kpi nps` checks scores like `nps` does: an 11 is an error, not a promoter.
    @Test func kpiNPSValidatesScores() throws {
        let shop = try HandShop()
        try shop.w.nps("2024-03-12", 11, "A")
        do {
            _ = try shop.run(["nps"])
            Issue.record("a score of 11 was accepted")
        } catch let e as MetricsError {
            #expect(e.message.contains("outside 0..10"))
        }
    }

    /// F2 censoring holds by cohort as by month: a cohort whose month ended less than
    /// the window before as_of (03-31) is blank. Window 30 days: Jan (ends 01-31, +30 = 03-01 ≤ 03-31)
    /// is final; Feb (02-29 + 30 = 03-30 ≤ 03-31) final; Mar (03-31 + 30) blank.
    /// Jan cohort {A, B}: A's 2nd order 02-01 (31 days: not within 30), B's 02-29 (45 days) → 0/2.
    /// Feb cohort {D}: 2nd order 03-31 (31 days) → 0/1. With a 31-day window A and D convert:
    /// Jan 1/2, Feb: 02-29 + 31 = 03-31 ≤ 03-31 → final, D converts → 1/1; Mar blank.
    @Test func f2CensoringHoldsByCohortAsByMonth() throws {
        let shop = try HandShop()
        let byCohort = try shop.run(["f2_rate"], by: [.dimension(name: "cohort")], f2: 31)
        let byMonth = try shop.run(["f2_rate"], f2: 31)
        #expect(byCohort.values("cohort") == ["2024-01", "2024-02", "2024-03"])
        #expect(close(byCohort.doubles("f2_rate"), [0.5, 1, nil]))
        #expect(close(byMonth.doubles("f2_rate"), byCohort.doubles("f2_rate")))
        let thirty = try shop.run(["f2_rate"], by: [.dimension(name: "cohort")], f2: 30)
        #expect(close(thirty.doubles("f2_rate"), [0, 0, nil]))
    }

    /// Derived KPIs keep units: yen ÷ count is yen, yen ÷ yen a share, yen × 2 yen; totals follow the parts.
    @Test func derivedUnitsAndTotals() throws {
        let shop = try HandShop()
        try DerivedKPIs.define("margin_per_order", KPIExpression.parse("margin / orders"), db: shop.db)
        try DerivedKPIs.define("double_gmv", KPIExpression.parse("gmv * 2"), db: shop.db)
        try DerivedKPIs.define("cm_share", KPIExpression.parse("margin / revenue"), db: shop.db)
        try DerivedKPIs.define("spend_minus_cac", KPIExpression.parse("spend - cac"), db: shop.db)
        let r = try shop.run(["margin_per_order", "double_gmv", "cm_share"])
        #expect(r.table.formats[1] == .currency(code: "JPY"))
        #expect(r.table.formats[2] == .currency(code: "JPY"))
        #expect(r.table.formats[3] == .percent(places: 1))
        // Totals: margin 22770 / 9 orders recomputed; 2 × GMV 51000 summed; 22770 / 48400.
        #expect(close([r.total("margin_per_order")?.doubleValue], [22770.0 / 9]))
        #expect(r.total("double_gmv")?.doubleValue == 102000)
        #expect(close([r.total("cm_share")?.doubleValue], [22770.0 / 48400]))
        #expect(KPIEngine.presentation(of: "margin_per_order", db: shop.db)?.display == .money)
    }

    /// A definition is checked when it is made: a 70-term sum is fine and does not disturb
    /// other KPIs; one beyond the engine's limits is refused at `define`, never stored.
    @Test func definitionsAreValidatedWhenMade() throws {
        let shop = try HandShop()
        let seventy = Array(repeating: "gmv", count: 70).joined(separator: " + ")
        try DerivedKPIs.define("c", KPIExpression.parse(seventy), db: shop.db)
        #expect(close(try shop.run(["c"]).doubles("c"), [70 * 15000, 70 * 17000, 70 * 19000]))
        #expect(close(try shop.run(["gmv"]).doubles("gmv"), [15000, 17000, 19000]))
        // nested(n) = gmv - (gmv - (… - gmv)) with n minus signs; the innermost gmv needs no
        // parentheses, so its SQL nests n − 1 deep. Its value alternates: 0 for odd n, gmv for even n.
        func nested(_ levels: Int) -> String {
            (0..<levels).reduce("gmv") { inner, _ in "gmv - (\(inner))" }
        }
        #expect(KPIEngine.parenthesisDepth("1.0 * (a - (b)) / NULLIF((c), 0)") == 2)
        let atLimit = DerivedKPIs.maxDepth + 1
        try DerivedKPIs.define("e", KPIExpression.parse(nested(atLimit)), db: shop.db)
        #expect(close(try shop.run(["e"]).doubles("e"), atLimit % 2 == 1 ? [0, 0, 0] : [15000, 17000, 19000]))
        #expect(throws: MetricsError.self) { try DerivedKPIs.define("d", KPIExpression.parse(nested(atLimit + 1)), db: shop.db) }
        #expect(try DerivedKPIs.load(shop.db)["d"] == nil)
        let tooBig = Array(repeating: "gmv", count: DerivedKPIs.maxSize).joined(separator: " + ")
        #expect(throws: MetricsError.self) { try DerivedKPIs.define("f", KPIExpression.parse(tooBig), db: shop.db) }
        // A formula edited into nonsense behind ecsh's back breaks only itself.
        try shop.db.execute("UPDATE ecsh_kpis SET definition = 'gmv +' WHERE name = 'c'")
        #expect(close(try shop.run(["gmv"]).doubles("gmv"), [15000, 17000, 19000]))
        #expect(throws: MetricsError.self) { try shop.run(["c"]) }
    }

    /// One parser: the formula text reads back with ecsh's parser into the same tree, and
    /// the printed form uses only the parentheses precedence needs.
    @Test func formulasPrintWithMinimalParentheses() throws {
        let e = try KPIExpression.parse("(gmv - revenue) / gmv * 100 + -margin")
        #expect(e.description == "(gmv - revenue) / gmv * 100 + -margin")
        #expect(try KPIExpression.parse("a - (b - c)").description == "a - (b - c)")
        #expect(try KPIExpression.parse("a - b - c") == .binary(.subtract, .binary(.subtract, .ref("a"), .ref("b")), .ref("c")))
        #expect(throws: MetricsError.self) { try KPIExpression.parse("gmv > 3") }
    }
}

extension DatasetRole {
    /// The word the missing-dataset message uses.
    static func missingWord(_ d: DatasetRole) -> String {
        switch d {
        case .spend: return "ad spend"
        case .traffic: return "traffic"
        case .nps: return "survey answers"
        case .orders: return "orders"
        case .customers: return "customers"
        }
    }
}
