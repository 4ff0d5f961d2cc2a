import Testing
import ECStore
@testable import ECAnalytics

/// `nps compare by X`: each group against the rest, each period against the one before.
@Suite struct NPSCompareTests {
    /// Three channels, worked by hand (SE = 100 × √(((p + d) − (p − d)²) / n)):
    ///
    /// | group   | n  | P | D | NPS    | p + d − (p − d)²          | SE     |
    /// | own     | 10 | 6 | 2 |  40.0  | 0.8 − 0.16 = 0.64         | 25.298 |
    /// | rakuten | 10 | 2 | 5 | −30.0  | 0.7 − 0.09 = 0.61         | 24.698 |
    /// | amazon  |  5 | 2 | 1 |  20.0  |                           |        |
    ///
    /// own against the rest (rakuten + amazon: n 15, P 4, D 6): NPS = −200/15 = −13.333,
    /// 10/15 − (2/15)² = 0.64889, SE = 100 × √(0.64889 / 15) = 20.799;
    /// z = 53.333 / √(640 + 432.59) = 53.333 / 32.750 = 1.6285, p = 2 × (1 − Φ(1.6285)) = 0.1034.
    /// rakuten against the rest (own + amazon: n 15, P 8, D 3): NPS 33.333,
    /// 11/15 − (5/15)² = 0.62222, SE = 20.367; z = −63.333 / √(610 + 414.81) = −1.9784,
    /// p = 2 × (1 − Φ(1.9784)) = 0.0479 — the only one under 0.05.
    static let channels: [(label: String, summary: NPSSummary)] = [
        ("own", NPSSummary(n: 10, promoters: 6, detractors: 2)),
        ("rakuten", NPSSummary(n: 10, promoters: 2, detractors: 5)),
        ("amazon", NPSSummary(n: 5, promoters: 2, detractors: 1)),
    ]

    @Test func eachGroupAgainstTheRestMatchesHandWork() throws {
        let table = NPSEngine.comparisonTable(Self.channels, header: "channel", reference: .rest)
        #expect(table.columns == ["channel", "responses", "nps", "margin95", "vs", "vs_nps", "difference", "z", "p", "warning"])
        #expect(table.column("vs") == [.text("rest"), .text("rest"), .text("rest")])
        let own = table.rows[0], rakuten = table.rows[1]
        #expect(own[1] == .integer(10))
        #expect(abs(own[2].doubleValue! - 40) < 1e-9)
        #expect(abs(own[3].doubleValue! - 1.96 * 25.298) < 0.01)
        #expect(abs(own[5].doubleValue! - -13.333) < 0.001)
        #expect(abs(own[6].doubleValue! - 53.333) < 0.001)
        #expect(abs(own[7].doubleValue! - 1.6285) < 0.0001)
        #expect(abs(own[8].doubleValue! - 0.1034) < 0.0001)
        #expect(abs(rakuten[6].doubleValue! - -63.333) < 0.001)
        #expect(abs(rakuten[7].doubleValue! - -1.9784) < 0.0001)
        #expect(abs(rakuten[8].doubleValue! - 0.0479) < 0.0001)
        // Every group is under 30 responses.
        #expect(table.rows.allSatisfy { $0[9].textValue?.contains("under 30") == true })
        #expect(table.notes.contains { $0.contains("against the rest") })
        #expect(table.notes.contains { $0.hasPrefix("3 tests") })
    }

    /// Periods compare with the period before. docs/metrics.md's vector: 150 responses with
    /// P = D = 45 (NPS 0), then 200 with P 80, D 40 (NPS 20): z = 20 / √68 = 2.4254,
    /// p = 2 × (1 − Φ(2.4254)) = 0.0153. A period without responses has no test, nor does the next.
    @Test func eachPeriodAgainstThePeriodBefore() throws {
        let periods: [(label: String, summary: NPSSummary)] = [
            ("2024-01", NPSSummary(n: 150, promoters: 45, detractors: 45)),
            ("2024-02", NPSSummary(n: 200, promoters: 80, detractors: 40)),
            ("2024-03", NPSSummary(n: 0, promoters: 0, detractors: 0)),
            ("2024-04", NPSSummary(n: 40, promoters: 20, detractors: 10)),
        ]
        let table = NPSEngine.comparisonTable(periods, header: "month", reference: .previousPeriod)
        #expect(table.column("vs") == [.null, .text("2024-01"), .text("2024-02"), .text("2024-03")])
        #expect(table.rows[0][5...8].allSatisfy { $0.isNull })
        #expect(abs(table.rows[1][6].doubleValue! - 20) < 1e-9)
        #expect(abs(table.rows[1][7].doubleValue! - 2.4254) < 0.0001)
        #expect(abs(table.rows[1][8].doubleValue! - 0.0153) < 0.0001)
        #expect(table.rows[2][2...3].allSatisfy { $0.isNull } && table.rows[2][6...8].allSatisfy { $0.isNull })
        #expect(table.rows[3][5...8].allSatisfy { $0.isNull })
        #expect(table.notes.contains { $0.contains("period before") })
        #expect(!table.notes.contains { $0.contains("tests:") })   // one test only
    }

    /// The same channels through SQL: grouped by a customer attribute, and by a column of the responses.
    @Test func groupsComeFromTheWorkspace() throws {
        var scores: [(score: Int, customer: String?)] = []
        // own: 6 promoters, 2 passives, 2 detractors; rakuten 2/3/5; amazon 2/2/1.
        for (customer, counts) in [("o", (6, 2, 2)), ("r", (2, 3, 5)), ("a", (2, 2, 1))] {
            scores += Array(repeating: (10, customer), count: counts.0) + Array(repeating: (7, customer), count: counts.1)
                + Array(repeating: (3, customer), count: counts.2)
        }
        let db = try NPSEngineTests.workspace(scores: scores, channels: ["o": "own", "r": "rakuten", "a": "amazon"])
        let byAttribute = try NPSEngine(db).compare(by: .attribute(NPSEngineTests.byChannel))
        #expect(byAttribute.column("acquisition_channel") == ["amazon", "own", "rakuten"])
        #expect(abs(byAttribute.rows[1][7].doubleValue! - 1.6285) < 0.0001)
        #expect(abs(byAttribute.rows[2][8].doubleValue! - 0.0479) < 0.0001)

        try db.execute("ALTER TABLE nps ADD COLUMN touchpoint TEXT")
        try db.execute("UPDATE nps SET touchpoint = CASE customer_id WHEN 'o' THEN 'site' ELSE 'mall' END")
        let byColumn = try NPSEngine(db).compare(by: .responseColumn("touchpoint"))
        // Two groups: each is the other's rest, so the z values mirror each other.
        #expect(byColumn.column("touchpoint") == ["mall", "site"])
        #expect(abs(byColumn.rows[1][7].doubleValue! - 1.6285) < 0.0001)
        #expect(abs(byColumn.rows[0][7].doubleValue! + 1.6285) < 0.0001)
        // A segment's filter names the responses "nps", as `SegmentCatalog.customerFilter(everyone:)` does.
        let site = try NPSEngine(db).summary(by: .responseColumn("touchpoint"), customerFilter: SQLFragment("\"nps\".customer_id = ?", ["o"]))
        #expect(site.column("touchpoint") == ["site"])
        #expect(site.rows.first?[1] == .integer(Int64(try db.scalar("SELECT count(*) FROM nps WHERE customer_id = 'o'").intValue ?? -1)))
    }
}
