import Testing
import ECStore
@testable import ECAnalytics

/// The cohort window ends at as_of, worked by hand.
///
/// Orders: A 2024-01-05 (100), A 2024-02-10 (60), B 2024-01-20 (80), C 2024-02-15 (50),
/// and B 2024-04-20 (900, cancelled) — the last order of any status, two months after
/// the last counted one. as_of (the default) is 2024-02-15, so the data ends in February.
@Suite struct CohortAsOfTests {
    static func shop() throws -> Database {
        try Workspace.create(orders: [
            OrderFixture(id: "1", customer: "A", date: "2024-01-05", amount: 100),
            OrderFixture(id: "2", customer: "A", date: "2024-02-10", amount: 60),
            OrderFixture(id: "3", customer: "B", date: "2024-01-20", amount: 80),
            OrderFixture(id: "4", customer: "C", date: "2024-02-15", amount: 50),
            OrderFixture(id: "5", customer: "B", date: "2024-04-20", amount: 900, status: "cancelled"),
        ])
    }

    static func day(_ iso: String) -> Int { WorkspaceBuilder.day(iso) }

    func run(_ db: Database, _ measure: CohortMeasure = .retention, asOf: Int? = nil,
             orders: OrderSelection = Workspace.counted) throws -> CohortMatrix {
        try CohortEngine(db).run(CohortQuery(measure: measure, periods: 3, orders: orders, asOfDay: asOf))
    }

    /// Jan {A, B}: Feb A → 1/2; March and April are after the data (blank, not 0%, which
    /// a window extended by the cancelled April order would show). Feb {C}: only month 0.
    @Test func cancelledLastOrderDoesNotExtendTheWindow() throws {
        let db = try Self.shop()
        for route in ["sql", "snapshot"] {
            if route == "snapshot" { try CustomerFacts.rebuild(db, settings: MetricSettings()) }
            let m = try run(db)
            #expect(m.rows.map(\.label) == ["2024-01", "2024-02"], "\(route)")
            #expect(m.rows.map(\.cells) == [[1, 0.5, nil, nil], [1, nil, nil, nil]], "\(route)")
            #expect(m.notes.contains { $0.hasPrefix("data ends in 2024-02") }, "\(route)")
        }
    }

    /// as_of 2024-01-31: A's February order and C (first order in February) are left out;
    /// Jan {A, B} is observed in January only. Revenue per customer at month 0: (100 + 80) / 2.
    @Test func asOfCutsTheWindowAndTheOrders() throws {
        let db = try Self.shop()
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let cut = Self.day("2024-01-31")
        let m = try run(db, asOf: cut)
        #expect(m.rows.map(\.label) == ["2024-01"])
        #expect(m.rows.map(\.size) == [2])
        #expect(m.rows[0].cells == [1, nil, nil, nil])
        let revenue = try run(db, .revenue, asOf: cut)
        #expect(revenue.rows[0].cells == [90, nil, nil, nil])
        // With a segment (the SQL route), the same cut: {A} alone.
        var onlyA = Workspace.counted
        onlyA.customerFilter = SQLFragment("customer_id = ?", [.text("A")])
        let a = try run(db, .revenue, asOf: cut, orders: onlyA)
        #expect(a.rows.map(\.label) == ["2024-01"])
        #expect(a.rows[0].cells == [100, nil, nil, nil])
        // as_of in March: February is observed, March is (nobody ordered: 0), April is not.
        let march = try run(db, asOf: Self.day("2024-03-31"))
        #expect(march.rows.map(\.cells) == [[1, 0.5, 0, nil], [1, 0, nil, nil]])
    }
}
