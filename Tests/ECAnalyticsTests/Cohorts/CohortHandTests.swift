import Testing
import ECStore
import ECLanguage
@testable import ECAnalytics

/// A six-customer shop whose matrices were worked out by hand.
///
/// Data ends 2024-04-10 (D's second order). E's 2024-03-15 order is cancelled.
/// cogs = 40% of amount except F (NULL), shipping 10, points 0, discount NULL,
/// commission 5 on B's orders only (NULL elsewhere).
///
/// Cohorts by first month: Jan {A, B, C}, Feb {D, E}, Mar {F}.
@Suite struct CohortHandTests {
    static func shop() throws -> Database {
        func o(_ id: String, _ c: String, _ date: String, _ amount: Double, _ channel: String,
               status: String? = nil, cogsRate: Double? = 0.4, commission: Double? = nil) -> OrderFixture {
            OrderFixture(id: id, customer: c, date: date, amount: amount, channel: channel, status: status,
                         discount: nil, points: 0, cogs: cogsRate.map { $0 * amount }, shipping: 10, commission: commission)
        }
        let db = try Workspace.create(orders: [
            o("1", "A", "2024-01-05", 100, "own"), o("2", "A", "2024-01-20", 50, "own"), o("3", "A", "2024-03-02", 200, "own"),
            o("4", "B", "2024-01-10", 80, "rakuten", commission: 5), o("5", "B", "2024-02-14", 120, "rakuten", commission: 5),
            o("6", "C", "2024-01-25", 60, "own"),
            o("7", "D", "2024-02-03", 90, "amazon"), o("8", "D", "2024-04-10", 30, "amazon"),
            o("9", "E", "2024-02-28", 70, "own"), o("10", "E", "2024-03-15", 500, "own", status: "cancelled"),
            o("11", "F", "2024-03-09", 40, "rakuten", cogsRate: nil), o("12", "F", "2024-03-30", 40, "rakuten", cogsRate: nil),
        ])
        // Spend: Jan 150 + 30 = 180 (CAC 180/3 = 60), Feb 100 (CAC 50), Mar 200 (CAC 200).
        try Workspace.addSpend(db, [("2024-01-15", 150, "own"), ("2024-01-20", 30, "rakuten"),
                                    ("2024-02-10", 100, "own"), ("2024-03-05", 200, "rakuten")])
        return db
    }

    func run(_ measure: CohortMeasure, mode: RetentionMode = .on, cumulative: Bool = false,
             grouping: CohortGrouping = .period(.month)) throws -> CohortMatrix {
        try CohortEngine(Self.shop()).run(CohortQuery(measure: measure, cumulative: cumulative, grouping: grouping,
                                                      mode: mode, periods: 3, orders: Workspace.counted))
    }

    func expectCells(_ actual: [Double?], _ expected: [Double?], _ label: String) {
        #expect(actual.count == expected.count, "\(label)")
        for (a, e) in zip(actual, expected) {
            switch (a, e) {
            case (nil, nil): continue
            case let (a?, e?): #expect(abs(a - e) < 1e-9, "\(label): \(a) vs \(e)")
            default: Issue.record("\(label): \(String(describing: a)) vs \(String(describing: e))")
            }
        }
    }

    @Test func retentionOn() throws {
        let m = try run(.retention)
        #expect(m.rows.map(\.label) == ["2024-01", "2024-02", "2024-03"])
        #expect(m.rows.map(\.size) == [3, 2, 1])
        // Jan: Feb only B (1/3), Mar only A (1/3), Apr nobody (0: observed, not empty).
        expectCells(m.rows[0].cells, [1, 1.0 / 3, 1.0 / 3, 0], "Jan")
        // Feb: Mar nobody (E's March order is cancelled), Apr D (1/2), May is after the data: empty.
        expectCells(m.rows[1].cells, [1, 0, 0.5, nil], "Feb")
        expectCells(m.rows[2].cells, [1, 0, nil, nil], "Mar")
        // Average: M1 (3·1/3 + 2·0 + 1·0)/6 = 1/6; M2 (3·1/3 + 2·1/2)/5 = 2/5; M3 only Jan = 0.
        expectCells(m.average, [1, 1.0 / 6, 0.4, 0], "average")
        let table = m.toResultTable()
        #expect(table.columns == ["cohort (month)", "size", "M0", "M1", "M2", "M3"])
        #expect(table.formats[2] == .percent(places: 1))
        #expect(table.rows[1][5] == .null)
        #expect(table.summaryRows == [3])
        #expect(m.sql.sql.contains("status IS NULL OR status NOT IN"))
    }

    @Test func retentionOnOrAfter() throws {
        let m = try run(.retention, mode: .onOrAfter)
        // Last orders: A Mar (offset 2), B Feb (1), C Jan (0) → 3/3, 2/3, 1/3, 0.
        expectCells(m.rows[0].cells, [1, 2.0 / 3, 1.0 / 3, 0], "Jan")
        // D last Apr (2), E last Feb (0) → 1, 1/2, 1/2, empty.
        expectCells(m.rows[1].cells, [1, 0.5, 0.5, nil], "Feb")
        expectCells(m.rows[2].cells, [1, 0, nil, nil], "Mar")
    }

    @Test(arguments: [true, false])
    func retentionCumulative(viaFlag: Bool) throws {
        let m = viaFlag ? try run(.retention, cumulative: true) : try run(.retention, mode: .cumulative)
        // Second orders: A Jan 20 (offset 0), B Feb (1), C none → 1/3, 2/3, 2/3, 2/3.
        expectCells(m.rows[0].cells, [1.0 / 3, 2.0 / 3, 2.0 / 3, 2.0 / 3], "Jan")
        // D second in Apr (2); E has none counted → 0, 0, 1/2, empty.
        expectCells(m.rows[1].cells, [0, 0, 0.5, nil], "Feb")
        // F's second order is in March (0) → 1, 1.
        expectCells(m.rows[2].cells, [1, 1, nil, nil], "Mar")
        // M0 average: (3·1/3 + 2·0 + 1·1)/6 = 1/3.
        expectCells([m.average[0]], [1.0 / 3], "average M0")
    }

    @Test func customersCount() throws {
        let m = try run(.customers)
        expectCells(m.rows[0].cells, [3, 1, 1, 0], "Jan")
        expectCells(m.rows[1].cells, [2, 0, 1, nil], "Feb")
    }

    /// The LTV curve: CM2 per order = 0.6·amount − 10 (− 5 for B; F: amount − 10).
    /// A 50, 20, 110; B 33, 57; C 26; D 44, 8; E 32; F 30, 30.
    @Test func marginCumulativeWithPayback() throws {
        let m = try run(.margin, cumulative: true)
        // Jan: M0 (50+20+33+26)/3 = 129/3 = 43; M1 +57 → 186/3 = 62; M2 +110 → 296/3; M3 no orders.
        expectCells(m.rows[0].cells, [43, 62, 296.0 / 3, 296.0 / 3], "Jan")
        // Feb: M0 (44+32)/2 = 38; M1 38; M2 +8 → 42.
        expectCells(m.rows[1].cells, [38, 38, 42, nil], "Feb")
        expectCells(m.rows[2].cells, [60, 60, nil, nil], "Mar")
        // CAC 60: 43 < 60 ≤ 62 → M1. CAC 50: 38, 38, 42 → not yet. CAC 200 → not yet.
        #expect(m.rows.map(\.cac) == [60, 50, 200])
        #expect(m.rows.map(\.payback) == [.offset(1), .notYet, .notYet])
        #expect(Set(m.missingCostFields) == [.discount, .cogs, .commission])
        let table = m.toResultTable(currency: "USD")
        #expect(table.columns.suffix(2) == ["CAC", "payback"])
        #expect(table.rows[1].last == .text("not yet"))
        #expect(table.rows[0].last == .text("M1"))
        #expect(table.formats[2] == .currency(code: "USD"))
        // 11 counted orders: discount NULL on all, cogs NULL on F's 2, commission NULL on 9 (all but B's 2).
        #expect(table.notes.contains { $0.contains("discount (all orders)") && $0.contains("cogs (2 of 11 orders)")
                && $0.contains("commission (9 of 11 orders)") })
    }

    @Test func marginByOrderNotCumulative() throws {
        let m = try run(.margin)
        // Jan M1: only B's 57 → 57/3 = 19; M3: 0.
        expectCells(m.rows[0].cells, [43, 19, 110.0 / 3, 0], "Jan")
    }

    /// First channels: A own, B rakuten, C own, D amazon, E own, F rakuten.
    /// Offsets count from each customer's own first month; a customer is in a
    /// cell only while the data covers that offset (last month April).
    @Test func byFirstChannelWithPayback() throws {
        let m = try run(.margin, cumulative: true, grouping: .attribute(.firstChannel))
        #expect(m.rows.map(\.label) == ["amazon", "own", "rakuten"])
        #expect(m.rows.map(\.size) == [1, 3, 2])
        // amazon (D, Feb): 44, 44, 52, empty (May not in data).
        expectCells(m.rows[0].cells, [44, 44, 52, nil], "amazon")
        // own: A (Jan, offsets to 3), C (Jan, to 3), E (Feb, to 2).
        // M0 (70+26+32)/3 = 128/3; M1 same; M2 (70+110+26+32)/3 = 238/3; M3 only A, C: (180+26)/2 = 103.
        expectCells(m.rows[1].cells, [128.0 / 3, 128.0 / 3, 238.0 / 3, 103], "own")
        // rakuten: B (Jan, to 3), F (Mar, to 1). M0 (33+60)/2 = 46.5; M1 (90+60)/2 = 75; M2, M3 B alone: 90.
        expectCells(m.rows[2].cells, [46.5, 75, 90, 90], "rakuten")
        // CAC: own 250/3 = 83.33 (reached at M3: 103), rakuten 230/2 = 115 (never: not yet), amazon has no spend.
        #expect(m.rows[0].cac == nil)
        #expect(abs((m.rows[1].cac ?? 0) - 250.0 / 3) < 1e-9)
        #expect(m.rows[1].payback == .offset(3))
        #expect(m.rows[2].cac == 115)
        #expect(m.rows[2].payback == .notYet)
        // Average M3 weighted by customers covered: own 2 × 103 + rakuten 1 × 90 over 3.
        expectCells([m.average[3]], [(2 * 103 + 90) / 3.0], "average M3")
    }

    @Test func filtersAndErrors() throws {
        let db = try Self.shop()
        var orders = Workspace.counted
        orders.customerFilter = SQLFragment("customer_id IN (?, ?)", ["A", "C"])
        let m = try CohortEngine(db).run(CohortQuery(periods: 2, orders: orders))
        #expect(m.rows.map(\.size) == [2])
        // A returns in March only → 1, 0, 1/2.
        expectCells(m.rows[0].cells, [1, 0, 0.5], "A+C")
        // The two most recent cohorts only; the average follows the rows shown.
        let recent = try CohortEngine(db).run(CohortQuery(periods: 3, orders: Workspace.counted, cohortLimit: 2))
        #expect(recent.rows.map(\.label) == ["2024-02", "2024-03"])
        // M2: only February has the cell → 1/2; M1: (2·0 + 1·0)/3 = 0.
        expectCells(recent.average, [1, 0, 0.5, nil], "average of the shown cohorts")
        orders.customerFilter = SQLFragment("customer_id = ?", ["nobody"])
        #expect(throws: StoreError.self) { try CohortEngine(db).run(CohortQuery(orders: orders)) }
        #expect(throws: StoreError.self) { try CohortEngine(db).run(CohortQuery(periods: -1, orders: Workspace.counted)) }
    }

    /// Cohorts by a customers-table column; F has no row there and lands in the NULL group (nil, shown ∅), last.
    @Test func byCustomerColumn() throws {
        let db = try Self.shop()
        try db.execute("CREATE TABLE customers (customer_id TEXT, signed_up_at TEXT, acquisition_channel TEXT)")
        for (c, ch) in [("A", "ads"), ("B", "ads"), ("C", "organic"), ("D", "organic"), ("E", "ads")] {
            try db.execute("INSERT INTO customers (customer_id, acquisition_channel) VALUES (?, ?)", [.text(c), .text(ch)])
        }
        let m = try CohortEngine(db).run(CohortQuery(grouping: .attribute(.column("acquisition_channel")), periods: 3,
                                                     orders: Workspace.counted))
        #expect(m.rows.map(\.label) == ["ads", "organic", nil])
        // ads: A (Jan, observed to M3), B (Jan, M3), E (Feb, M2).
        // M1: only B (Feb) → 1/3; M2: only A (Mar) → 1/3; M3: A and B observed, neither ordered in April → 0.
        expectCells(m.rows[0].cells, [1, 1.0 / 3, 1.0 / 3, 0], "ads")
        // organic: C (Jan), D (Feb). M1 nobody; M2 D in April → 1/2; M3 only C observed → 0.
        expectCells(m.rows[1].cells, [1, 0, 0.5, 0], "organic")
        expectCells(m.rows[2].cells, [1, 0, nil, nil], "no value")
        #expect(m.toResultTable().columns.first == "acquisition_channel")
    }
}
