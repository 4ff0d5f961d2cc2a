import Testing
import ECStore
@testable import ECAnalytics

/// The unit algebra of derived KPIs held against the catalogue's own displays: every
/// catalogue KPI that is a product or quotient of other catalogue KPIs, written as a
/// derived KPI, must read the way the catalogue shows it and have the same values.
@Suite struct DerivedUnitTests {
    /// (formula, the catalogue KPI it equals). Each unit combination the algebra produces
    /// for catalogue KPIs appears here: yen ÷ count (aov, cac, cpa), yen ÷ yen from the same
    /// orders (margin_rate), yen ÷ yen from different rows (roas, ltv_cac), count ÷ count
    /// (cvr), yen ÷ yen-per-count (revenue / aov = orders), yen ÷ share, share × yen,
    /// ratio × yen, count × yen-per-count, share × count, number − share (churn_rate).
    static let equations: [(String, String)] = [
        ("revenue / orders", "aov"), ("gmv / orders", "aov_gross"), ("spend / new_customers", "cac"),
        ("spend / orders", "cpa"), ("margin / revenue", "margin_rate"), ("revenue / spend", "roas"),
        ("ltv / cac", "ltv_cac"), ("orders / sessions", "cvr"), ("revenue / aov", "orders"),
        ("margin / margin_rate", "revenue"), ("margin_rate * revenue", "margin"), ("roas * spend", "revenue"),
        ("orders * aov", "revenue"), ("new_customers * cac", "spend"), ("cvr * sessions", "orders"),
        ("sessions * cvr * aov", "revenue"), ("ltv_cac * cac", "ltv"), ("1 - retention_rate", "churn_rate"),
        ("spend / cac", "new_customers"), ("revenue / roas", "spend"),
    ]

    @Test(arguments: equations)
    func derivedReadsLikeTheCatalogue(formula: String, catalogue: String) throws {
        let shop = try HandShop()
        _ = try DerivedKPIs.define("mine", KPIExpression.parse(formula), db: shop.db)
        var settings = MetricSettings()
        settings.ltvHorizonMonths = 1
        let r = try shop.run(["mine", catalogue], settings: settings)
        let formats = Array(r.table.formats.suffix(2))
        #expect(formats[0] == formats[1], "\(formula) reads as \(formats[0]), \(catalogue) as \(formats[1])")
        #expect(KPIEngine.presentation(of: "mine", db: shop.db)?.display == KPICatalogue.named(catalogue)?.display)
        #expect(close(r.doubles("mine"), r.doubles(catalogue)), "\(formula) vs \(catalogue)")
        #expect(r.doubles(catalogue).contains { $0 != nil })
    }

    /// Combinations no catalogue KPI has, worked by hand: the ratio of two rates is a ratio,
    /// a compound rate is a share, yen × yen and 1 / orders have no unit of their own, a
    /// multiple keeps the unit, and yen-per-order ÷ yen-per-order from the same orders is a share.
    @Test(arguments: [
        ("roas / mer", KPIDefinition.Display.decimal), ("f2_rate / repeat_rate", .decimal),
        ("cvr * retention_rate", .percent), ("gmv * revenue", .decimal), ("1 / orders", .decimal),
        ("nps * 2", .score), ("nps / nps", .decimal), ("aov / aov_gross", .percent), ("cpa / cac", .percent),
        ("gmv - revenue", .money), ("2 * orders", .count), ("-gmv", .money), ("ltv / aov", .decimal),
        // Counts of different things are a ratio (1.2 orders per customer, not 120%); of the same things, or a
        // conversion per session, a share.
        ("orders / customers", .decimal), ("units / orders", .decimal), ("sessions / orders", .decimal),
        ("new_customers / customers", .percent), ("customers / sessions", .percent),
        ("(new_customers + returning_customers) / customers", .percent), ("orders / (customers * 2)", .decimal),
    ])
    func uncataloguedCombinations(formula: String, display: KPIDefinition.Display) throws {
        let shop = try HandShop()
        _ = try DerivedKPIs.define("mine", KPIExpression.parse(formula), db: shop.db)
        #expect(KPIEngine.presentation(of: "mine", db: shop.db)?.display == display, "\(formula)")
    }
}
