import Foundation
import Testing
import ECStore
@testable import ECAnalytics

/// The snapshot route (one Swift pass over `ecsh_snapshot`) against the
/// reference SQL over `orders` that `show sql` prints: two independent
/// computations of every order measure, which must agree on every cell.
@Suite struct SnapshotRouteTests {
    /// A generated shop plus the awkward rows: orders without a customer id,
    /// two orders of one customer on the first day (tie broken by ordered_at),
    /// a NULL channel, spend, traffic and an NPS survey with customer ids.
    static func shop() throws -> KPIGeneratedShop {
        let shop = try KPIGeneratedShop(seed: 2024, count: 2500)
        let w = shop.w
        try w.db.execute("INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, channel, status) VALUES ('X1', NULL, '2023-03-05 10:00:00', \(WorkspaceBuilder.day("2023-03-05")), 5000, 'own', 'completed')")
        try w.db.execute("INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, channel, status) VALUES ('X2', NULL, '2023-09-05 10:00:00', \(WorkspaceBuilder.day("2023-09-05")), 7000, NULL, 'completed')")
        try w.order("T2", "TIE", "2023-05-01 18:00:00", 1000, "amazon", "completed")
        try w.order("T1", "TIE", "2023-05-01 09:00:00", 2000, "rakuten", "completed")
        try w.order("T3", "TIE", "2023-08-01 09:00:00", 3000, nil, "completed")
        try w.createSpend()
        try w.createTraffic()
        try w.createNPS()
        for (i, ch) in ["own", "rakuten", "amazon", "yahoo"].enumerated() {
            for m in 1...12 {
                try w.spend(String(format: "2023-%02d-10", m), Double(10_000 * (i + 1) + m), ch)
                try w.traffic(String(format: "2023-%02d-11", m), 1000 + 10 * m + i, ch)
            }
        }
        for i in 0..<120 { try w.nps(String(format: "2023-%02d-%02d", i % 12 + 1, i % 27 + 1), i % 11, i % 5 == 0 ? nil : String(format: "C%05d", i * 3)) }
        try CustomerFacts.rebuild(w.db, settings: MetricSettings())
        return shop
    }

    static let kpiSets: [[String]] = [
        ["gmv", "revenue", "orders", "aov", "aov_gross", "units", "margin", "margin_rate", "commission", "discount_rate", "mall_dependence"],
        ["customers", "new_customers", "returning_customers", "repeat_rate", "f2_rate"],
        ["active_members", "customers", "gmv"],
        // Each of the detail measures alone beside the amount (the pass reads their columns only when asked).
        ["discount_rate", "customers"],
        ["commission", "gmv"],
        ["cac", "cpa", "roas", "sales", "cvr"],
        ["ltv"],
        ["ltv", "ltv_cac", "payback", "new_customers", "gmv"],
    ]

    static let groupings: [[Grouping]] = [
        [], [.grain(.month)], [.grain(.week)], [.grain(.quarter)], [.grain(.day)], [.dimension(name: "channel")],
        [.dimension(name: "first_channel")], [.dimension(name: "cohort")], [.grain(.month), .dimension(name: "channel")],
        [.grain(.year), .dimension(name: "first_channel")], [.dimension(name: "region")],
        // The latest score and a customers column: each from its own table beside the facts' base.
        [.dimension(name: "nps"), .dimension(name: "region")],
    ]

    /// (from, to) ranges, including ones that start and end inside a period.
    static let ranges: [(String?, String?)] = [(nil, nil), ("2023-04", "2023-11"), ("2023-03-15", "2024-02-10"), ("2024-01", nil)]

    static func assertSame(_ db: Database, _ query: KPIQuery, settings: MetricSettings = MetricSettings(),
                           stateBytes: Int? = nil, route: KPIEngine.Route = .snapshot,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reference = try KPIEngine(db, settings: settings, route: .sql).run(query).table
        var engine = KPIEngine(db, settings: settings, route: route)
        if let stateBytes { engine.stateBytes = stateBytes }
        let snapshot = try engine.run(query).table
        let label = "\(query.kpis) by \(query.groupBy) for \(query.segments.map(\.name)) \(query.from ?? "-")…\(query.to ?? "-")"
        #expect(reference.columns == snapshot.columns, "\(label)", sourceLocation: sourceLocation)
        #expect(reference.rows.count == snapshot.rows.count, "\(label)", sourceLocation: sourceLocation)
        #expect(reference.summaryRows == snapshot.summaryRows, "\(label)", sourceLocation: sourceLocation)
        for (r, (a, b)) in zip(reference.rows, snapshot.rows).enumerated() {
            for (c, (x, y)) in zip(a, b).enumerated() where !same(x, y) {
                Issue.record("\(label): row \(r) column \(reference.columns[c]): SQL \(x) vs snapshot \(y)", sourceLocation: sourceLocation)
                return
            }
        }
    }

    static func same(_ x: Value, _ y: Value) -> Bool {
        switch (x, y) {
        case (.null, .null): return true
        case (.text(let a), .text(let b)): return a == b
        default:
            guard let a = x.doubleValue, let b = y.doubleValue, x.isNumeric == y.isNumeric else { return false }
            return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
        }
    }

    @Test func everyMeasureAgreesByEveryGroupingAndRange() throws {
        let shop = try Self.shop()
        try shop.w.db.execute("INSERT INTO customers (customer_id, region) SELECT DISTINCT customer_id, CASE WHEN customer_id < 'C00150' THEN 'Tokyo' ELSE 'Osaka' END FROM orders WHERE customer_id IS NOT NULL")
        try CustomerFacts.rebuild(shop.w.db, settings: MetricSettings())
        for kpis in Self.kpiSets {
            for g in Self.groupings {
                let usesOtherData = kpis.contains("cac") || kpis.contains("sales") || kpis.contains("payback")
                if usesOtherData, g.contains(where: { if case .dimension(let n) = $0 { n != "channel" } else { false } }) { continue }
                for (from, to) in Self.ranges {
                    try Self.assertSame(shop.w.db, KPIQuery(kpis: kpis, groupBy: g, from: from, to: to))
                }
            }
        }
        // Retention needs a time grain.
        for g: [Grouping] in [[.grain(.month)], [.grain(.week)], [.grain(.quarter), .dimension(name: "channel")], [.grain(.month), .dimension(name: "cohort")]] {
            for (from, to) in Self.ranges {
                try Self.assertSame(shop.w.db, KPIQuery(kpis: ["retention_rate", "churn_rate", "active_members"], groupBy: g, from: from, to: to))
            }
        }
    }

    /// NPS counted once per segment and day for a statement (`NPSDayCounts`), its rows and total row summed
    /// from those days, against the reference SQL that counts the responses itself: segments on orders, on
    /// the latest score (the respondents' list) and none; every grain; ranges that cut periods.
    @Test func npsFromDayCountsAgreesWithReferenceSQL() throws {
        let shop = try Self.shop()
        let db = shop.w.db
        let segments = [NamedSegment(name: "repeaters", predicate: SQLFragment("orders >= ?", [.integer(2)])),
                        NamedSegment(name: "happy", predicate: SQLFragment("nps >= 9")),
                        NamedSegment(name: "rakuten_first", predicate: SQLFragment("first_channel = 'rakuten'"))]
        for g: [Grouping] in [[], [.grain(.month)], [.grain(.quarter)], [.grain(.week)]] {
            for (from, to) in Self.ranges {
                for s in [[], segments, [segments[1]]] {
                    try Self.assertSame(db, KPIQuery(kpis: ["nps"], groupBy: g, segments: s, from: from, to: to), route: .auto)
                }
                try Self.assertSame(db, KPIQuery(kpis: ["nps", "gmv"], groupBy: g, segments: segments, from: from, to: to), route: .auto)
            }
        }
    }

    /// `NPSDayCounts` counts again when asked for other segments or for days it has not counted, and
    /// keeps its counts for fewer days of the same segments (the aggregate sums only the days asked).
    @Test func npsDayCountsCountAgainForOtherSegmentsOrDays() throws {
        let shop = try Self.shop()
        let db = shop.w.db
        let engine = KPIEngine(db, settings: MetricSettings())
        func plan(_ q: KPIQuery) throws -> KPIEngine.Plan {
            try .make(query: q, measures: try engine.resolveAll(q).1, engine: engine)
        }
        func counted() throws -> Int64 { try db.scalar("SELECT sum(responses) FROM \(NPSDayCounts.table)").intValue ?? -1 }
        func expected(_ p: KPIEngine.Plan) throws -> Int64 {
            var q = SQLFragment("SELECT count(*) FROM nps AS n WHERE n.day BETWEEN ? AND ?", [.integer(Int64(p.startDay)), .integer(Int64(p.endDay))])
            if p.hasSegments { q = q + SQLFragment(" AND ") + p.respondentConditions[0] }
            return try db.scalar(q.sql, q.bindings).intValue ?? -2
        }
        let happy = [NamedSegment(name: "happy", predicate: SQLFragment("nps >= 9"))]
        let all = try plan(KPIQuery(kpis: ["nps"])), spring = try plan(KPIQuery(kpis: ["nps"], from: "2023-04", to: "2023-06"))
        let happyAll = try plan(KPIQuery(kpis: ["nps"], segments: happy))
        #expect(try expected(spring) < expected(all) && expected(happyAll) < expected(all))
        let counts = NPSDayCounts()
        for (p, held) in [(spring, spring), (all, all), (spring, all), (happyAll, happyAll), (all, all)] {
            _ = try counts.table(for: p, in: db)
            #expect(try counted() == expected(held))
        }
        counts.forget()
        _ = try counts.table(for: spring, in: db)
        #expect(try counted() == expected(spring))
    }

    @Test func segmentsSettingsAndWindowsAgree() throws {
        let shop = try Self.shop()
        let db = shop.w.db
        let segments = [NamedSegment(name: "repeaters", predicate: SQLFragment("orders >= ?", [.integer(2)])),
                        NamedSegment(name: "rakuten_first", predicate: SQLFragment("first_channel = 'rakuten'"))]
        for g: [Grouping] in [[], [.grain(.month)], [.dimension(name: "channel")], [.grain(.quarter), .dimension(name: "first_channel")]] {
            try Self.assertSame(db, KPIQuery(kpis: ["gmv", "customers", "new_customers", "repeat_rate", "active_members", "nps"].filter { $0 != "nps" || !g.contains(where: { if case .dimension = $0 { true } else { false } }) },
                                             groupBy: g, segments: segments))
        }
        try Self.assertSame(db, KPIQuery(kpis: ["f2_rate", "new_customers"], groupBy: [.grain(.month)], f2WindowDays: 30))
        // Lifetime KPIs per segment, beside history (active members read orders before the range).
        for g: [Grouping] in [[], [.grain(.quarter)], [.grain(.month), .dimension(name: "channel")]] {
            for (from, to) in Self.ranges {
                try Self.assertSame(db, KPIQuery(kpis: ["ltv", "active_members"], groupBy: g, segments: segments, from: from, to: to))
            }
        }
        // Other definitions: a shorter activity window, counted statuses, as_of and week start.
        var s = MetricSettings()
        s.activeWindowDays = 60
        s.weekStart = .sunday
        s.asOf = "2023-12-31"
        s.counted = .only(["completed"])
        try Self.assertSame(db, KPIQuery(kpis: ["active_members", "customers", "repeat_rate", "gmv"], groupBy: [.grain(.week)]), settings: s)
        try Self.assertSame(db, KPIQuery(kpis: ["retention_rate", "f2_rate", "returning_customers"], groupBy: [.grain(.month), .dimension(name: "channel")]), settings: s)
        // A shorter LTV horizon, as_of inside the data (orders after it left out).
        s.ltvHorizonMonths = 3
        for g: [Grouping] in [[.grain(.month)], [.grain(.quarter), .dimension(name: "channel")]] {
            try Self.assertSame(db, KPIQuery(kpis: ["ltv", "ltv_cac", "payback"], groupBy: g), settings: s)
        }
        try Self.assertSame(db, KPIQuery(kpis: ["ltv"], groupBy: [.dimension(name: "cohort")]), settings: s)
    }

    /// `where` filters on the snapshot route (the orders SQLite keeps, as a mask of rows) against
    /// the reference SQL, which filters the rows it aggregates: every non-lifetime KPI set, by
    /// every grouping and range, with segments and other settings; filters on text, numbers, NULLs,
    /// uncounted statuses, one that keeps nothing, and one on `customer_id` (a name the customer
    /// facts share, so the filter names `o.`). Then again after rows at the start of `orders` are
    /// gone (the rows counted from a later rowid).
    @Test func whereFiltersAgree() throws {
        let shop = try Self.shop()
        let db = shop.w.db
        try db.execute("INSERT INTO customers (customer_id, region) SELECT DISTINCT customer_id, CASE WHEN customer_id < 'C00150' THEN 'Tokyo' ELSE 'Osaka' END FROM orders WHERE customer_id IS NOT NULL")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let filters = [
            SQLFragment("o.\"channel\" = ?", [.text("amazon")]),
            SQLFragment("o.\"amount\" > ? OR o.\"channel\" IS NULL", [.integer(3000)]),
            SQLFragment("o.\"customer_id\" < ? AND o.\"status\" <> 'returned'", [.text("C00120")]),
            SQLFragment("o.\"amount\" < 0"),
        ]
        func kpiSets() -> [[String]] { Self.kpiSets.filter { !$0.contains("ltv") } }
        for filter in filters {
            for kpis in kpiSets() {
                for g in Self.groupings {
                    if kpis.contains("cac"), g.contains(where: { if case .dimension(let n) = $0 { n != "channel" } else { false } }) { continue }
                    for (from, to) in Self.ranges {
                        try Self.assertSame(db, KPIQuery(kpis: kpis, groupBy: g, orderFilter: filter, from: from, to: to))
                    }
                }
            }
            try Self.assertSame(db, KPIQuery(kpis: ["retention_rate", "churn_rate", "active_members"], groupBy: [.grain(.month), .dimension(name: "channel")],
                                             orderFilter: filter))
        }
        let segments = [NamedSegment(name: "repeaters", predicate: SQLFragment("orders >= ?", [.integer(2)])),
                        NamedSegment(name: "rakuten_first", predicate: SQLFragment("first_channel = 'rakuten'"))]
        var s = MetricSettings()
        s.asOf = "2023-12-31"
        s.counted = .only(["completed"])
        for filter in filters.prefix(3) {
            try Self.assertSame(db, KPIQuery(kpis: ["gmv", "customers", "new_customers", "repeat_rate", "active_members"], groupBy: [.grain(.quarter)],
                                             segments: segments, orderFilter: filter))
            try Self.assertSame(db, KPIQuery(kpis: ["f2_rate", "returning_customers", "gmv"], groupBy: [.grain(.month)], orderFilter: filter), settings: s)
        }
        // Lifetime KPIs with a filter stay on the SQL route; on the automatic route they answer the same.
        let ltv = KPIQuery(kpis: ["ltv", "new_customers"], groupBy: [.grain(.quarter)], orderFilter: filters[2])
        #expect(try KPIEngine(db, settings: MetricSettings()).run(ltv).table.rows == KPIEngine(db, settings: MetricSettings(), route: .sql).run(ltv).table.rows)
        // Rows counted from a later rowid.
        try db.execute("DELETE FROM orders WHERE rowid <= 40")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let low = try OrderSnapshot.load(db) { _ in true }?.rowBase(in: db)
        #expect(low.map { $0 > 40 } == true, "rows counted from \(String(describing: low))")
        for filter in filters.prefix(3) {
            try Self.assertSame(db, KPIQuery(kpis: ["gmv", "orders", "customers", "new_customers"], groupBy: [.grain(.month), .dimension(name: "channel")],
                                             orderFilter: filter))
        }
    }

    /// Columns of `orders` the snapshot does not hold, grouped by on the snapshot route through codes
    /// by row: text with NULLs, an uncounted-status column, integers; alone, with a grain, with
    /// channel and with a customer attribute; with and without a `where` filter and segments.
    /// A column mixing integers and reals (one group in SQL for 1 and 1.0) is declined, and the
    /// automatic route then answers as the SQL route does.
    @Test func orderColumnDimensionsAgree() throws {
        let shop = try Self.shop()
        let db = shop.w.db
        try db.execute("UPDATE orders SET category = CASE rowid % 3 WHEN 0 THEN 'tea' WHEN 1 THEN 'gift' END, quantity = rowid % 4 + 1 WHERE rowid % 7 <> 0")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let groupings: [[Grouping]] = [
            [.dimension(name: "category")], [.dimension(name: "status")], [.dimension(name: "quantity")],
            [.grain(.month), .dimension(name: "category")], [.dimension(name: "channel"), .dimension(name: "category")],
            [.dimension(name: "category"), .dimension(name: "first_channel")],
            [.grain(.quarter), .dimension(name: "quantity"), .dimension(name: "channel")],
        ]
        let filter = SQLFragment("o.\"amount\" > ?", [.integer(2500)])
        // Lifetime measures group customers by their first order's values (its category, its quantity and channel).
        for kpis in Self.kpiSets + [["ltv", "new_customers", "gmv"]] where !kpis.contains("cac") && !kpis.contains("ltv_cac") {
            for g in groupings {
                for (from, to) in Self.ranges.prefix(3) {
                    try Self.assertSame(db, KPIQuery(kpis: kpis, groupBy: g, from: from, to: to))
                }
                // A filter with lifetime measures takes the SQL route (`canTakeSnapshot`).
                if !kpis.contains("ltv") { try Self.assertSame(db, KPIQuery(kpis: kpis, groupBy: g, orderFilter: filter)) }
            }
        }
        try Self.assertSame(db, KPIQuery(kpis: ["retention_rate", "active_members"], groupBy: [.grain(.month), .dimension(name: "category")]))
        let segments = [NamedSegment(name: "repeaters", predicate: SQLFragment("orders >= ?", [.integer(2)])),
                        NamedSegment(name: "rakuten_first", predicate: SQLFragment("first_channel = 'rakuten'"))]
        try Self.assertSame(db, KPIQuery(kpis: ["gmv", "customers", "new_customers", "active_members"], groupBy: [.grain(.quarter), .dimension(name: "category")],
                                         segments: segments))
        // Integers and reals in one column (where SQL makes one group of 1 and 1.0; an INTEGER column
        // stores 2.0 as 2, so 2.5): declined by the snapshot route, answered by SQL.
        try db.execute("UPDATE orders SET quantity = 2.5 WHERE rowid % 5 = 0")
        // As the shell's `sql UPDATE` would have it (a new input version): built again, the column no longer coded.
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        #expect(try OrderCodes.columns(db)?.contains("quantity") == false)
        let mixed = KPIQuery(kpis: ["gmv", "customers"], groupBy: [.dimension(name: "quantity")])
        #expect(throws: MetricsError.self) { try KPIEngine(db, settings: MetricSettings(), route: .snapshot).run(mixed) }
        #expect(try KPIEngine(db, settings: MetricSettings()).run(mixed).table.rows == KPIEngine(db, settings: MetricSettings(), route: .sql).run(mixed).table.rows)
    }

    /// With the per-customer state capped, a grouping by order columns counts its keys a share at a
    /// time, one read of the blocks each, into one set of cells: every measure agrees with SQL, from
    /// one key a read (a byte's budget) to a few, with filters, segments and open activity stretches.
    @Test func keysCountedAShareAtATimeAgree() throws {
        let shop = try Self.shop()
        let db = shop.w.db
        try db.execute("UPDATE orders SET category = CASE rowid % 3 WHEN 0 THEN 'tea' WHEN 1 THEN 'gift' END, quantity = rowid % 4 + 1 WHERE rowid % 7 <> 0")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let snapshot = try #require(try OrderSnapshot.load(db) { _ in true })
        // One key a read; about three keys' worth of a byte each (a month's grain keeps a byte per state).
        let budgets = [1, snapshot.customers * 3]
        let groupings: [[Grouping]] = [
            [.dimension(name: "category")], [.grain(.month), .dimension(name: "category")],
            [.dimension(name: "channel"), .dimension(name: "category")], [.grain(.month), .dimension(name: "channel")],
            [.grain(.quarter), .dimension(name: "quantity"), .dimension(name: "channel")],
            [.dimension(name: "category"), .dimension(name: "first_channel")],
        ]
        let filter = SQLFragment("o.\"amount\" > ?", [.integer(2500)])
        let kpiSets = [["customers", "new_customers", "returning_customers", "repeat_rate", "f2_rate"], ["active_members", "customers", "gmv"]]
        for budget in budgets {
            for kpis in kpiSets {
                for g in groupings {
                    try Self.assertSame(db, KPIQuery(kpis: kpis, groupBy: g), stateBytes: budget)
                    try Self.assertSame(db, KPIQuery(kpis: kpis, groupBy: g, from: "2023-03-15", to: "2024-02-10"), stateBytes: budget)
                    try Self.assertSame(db, KPIQuery(kpis: kpis, groupBy: g, orderFilter: filter), stateBytes: budget)
                }
            }
            try Self.assertSame(db, KPIQuery(kpis: ["retention_rate", "churn_rate", "active_members"], groupBy: [.grain(.month), .dimension(name: "category")]),
                                stateBytes: budget)
            let segments = [NamedSegment(name: "repeaters", predicate: SQLFragment("orders >= ?", [.integer(2)]))]
            try Self.assertSame(db, KPIQuery(kpis: ["customers", "active_members"], groupBy: [.grain(.quarter), .dimension(name: "category")], segments: segments),
                                stateBytes: budget)
        }
        // The shares themselves: every key once, in order, as many keys a share as the budget holds.
        let engine = KPIEngine(db, settings: MetricSettings(), route: .snapshot)
        let query = KPIQuery(kpis: ["customers"], groupBy: [.grain(.month), .dimension(name: "channel"), .dimension(name: "category")])
        let plan = try KPIEngine.Plan.make(query: query, measures: try engine.resolveAll(query).1, engine: engine)
        var pass = try SnapshotPass(plan: plan, snapshot: snapshot, db: db)
        #expect(pass.bytesPerState == 1)
        pass.shareKeys(stateBytes: snapshot.customers * 3)
        #expect(pass.orderWidth > 3 && pass.keyShares.count == (pass.orderWidth + 2) / 3)
        #expect(pass.keyShares.flatMap { Array($0) } == Array(0..<pass.orderWidth))
        pass.shareKeys(stateBytes: snapshot.customers * pass.orderWidth)
        #expect(pass.keyShares == [0..<pass.orderWidth])
        // `kpi gmv, orders` keeps no state per customer: one read, whatever the budget.
        let sums = KPIQuery(kpis: ["gmv", "orders"], groupBy: [.dimension(name: "category")])
        var plain = try SnapshotPass(plan: try KPIEngine.Plan.make(query: sums, measures: try engine.resolveAll(sums).1, engine: engine), snapshot: snapshot, db: db)
        plain.shareKeys(stateBytes: 1)
        #expect(plain.keyShares.count == 1)
    }

    /// A customer's first channel for NPS and cohorts by first_channel: read from the facts when they
    /// hold every counted order, the same as the window over the orders (ties, NULL channels and all);
    /// the window itself when the facts stop at an earlier as_of or the orders are filtered.
    @Test func firstChannelFromTheFactsMatchesTheWindow() throws {
        let shop = try Self.shop()
        let db = shop.w.db
        // A customer whose first order has no channel.
        try shop.w.order("N1", "NOCH", "2023-02-01 10:00:00", 1500, nil, "completed")
        try shop.w.order("N2", "NOCH", "2023-04-01 10:00:00", 1500, "own", "completed")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let counted = OrderSelection(countedOrders: MetricSettings().countedCondition())
        func rows(_ q: SQLFragment) throws -> [[Value]] {
            try db.query("WITH a(customer_id, value) AS (" + q.sql + ") SELECT customer_id, value FROM a WHERE customer_id IS NOT NULL ORDER BY customer_id", q.bindings).rows
        }
        let attribute = CustomerAttribute.firstChannel
        // The facts are read from their own table under the view (`CustomerFacts.relation`).
        func readsFacts(_ q: SQLFragment) -> Bool { q.sql.contains(CustomerFacts.table) || q.sql.contains(CustomerFacts.baseTable) }
        let fromFacts = try attribute.lookupQuery(orders: counted, in: db)
        let window = try attribute.lookupQuery(orders: counted)
        #expect(readsFacts(fromFacts))
        #expect(!readsFacts(window))
        let expected = try rows(window)
        #expect(expected.count > 250 && expected.contains { $0[1] == .null } && expected.contains { $0[0] == .text("TIE") && $0[1] == .text("rakuten") })
        #expect(try rows(fromFacts) == expected)
        // NPS by first channel gives the same groups either way.
        let nps = try NPSEngine(db).groups(by: .attribute(attribute), orders: counted)
        try db.execute("UPDATE orders SET amount = amount WHERE rowid = 1")
        try db.execute("DELETE FROM ecsh_snapshot WHERE name = 'stamp'")
        #expect(try !readsFacts(attribute.lookupQuery(orders: counted, in: db)), "stale facts are not read")
        let viaWindow = try NPSEngine(db).groups(by: .attribute(attribute), orders: counted)
        #expect(nps.map(\.label) == viaWindow.map(\.label) && nps.map(\.summary) == viaWindow.map(\.summary))
        // Facts built to an earlier as_of leave out the later orders (a customer's first may be one of them).
        var early = MetricSettings()
        early.asOf = "2023-06-30"
        try CustomerFacts.rebuild(db, settings: early)
        #expect(try !readsFacts(attribute.lookupQuery(orders: counted, in: db)))
        // A filtered selection is not every counted order.
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        var filtered = counted
        filtered.orderFilter = SQLFragment("amount > 2500")
        #expect(try readsFacts(attribute.lookupQuery(orders: counted, in: db)))
        #expect(try !readsFacts(attribute.lookupQuery(orders: filtered, in: db)))
    }

    /// A VACUUM by another program renumbers the rows of `orders` (no INTEGER PRIMARY KEY) where
    /// deleted rows left gaps, and records no new input version: the blocks' rows then name other
    /// orders, so a filter or an order column read by row declines the snapshot route, and the
    /// automatic route answers as SQL does.
    @Test func rowsRenumberedBehindOurBackTakeTheSQLRoute() throws {
        let shop = try Self.shop()
        let db = shop.w.db
        try db.execute("UPDATE orders SET category = CASE rowid % 3 WHEN 0 THEN 'tea' WHEN 1 THEN 'gift' END")
        try db.execute("DELETE FROM orders WHERE rowid % 11 = 0")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let queries = [KPIQuery(kpis: ["gmv", "customers", "new_customers"], groupBy: [.grain(.month)], orderFilter: SQLFragment("o.\"category\" = 'tea'")),
                       KPIQuery(kpis: ["gmv", "customers", "new_customers"], groupBy: [.dimension(name: "category")])]
        for q in queries { try Self.assertSame(db, q) }
        // With an index on the table VACUUM keeps its rowids; a load leaves none (the SQL route's comes later).
        try db.execute("DROP INDEX IF EXISTS ecsh_orders_day")
        let lastBefore = try db.scalar("SELECT max(rowid) FROM orders").intValue
        try db.execute("VACUUM")
        #expect(try db.scalar("SELECT max(rowid) FROM orders").intValue != lastBefore, "VACUUM should have renumbered the rows")
        #expect(try OrderSnapshot.isCurrent(db), "the data did not change: the derived data stays current")
        for q in queries {
            #expect(throws: MetricsError.self) { try KPIEngine(db, settings: MetricSettings(), route: .snapshot).run(q) }
            #expect(try KPIEngine(db, settings: MetricSettings()).run(q).table.rows == KPIEngine(db, settings: MetricSettings(), route: .sql).run(q).table.rows)
        }
    }

    /// The facts written from the Swift pass against the window query the SQL route used to build them with.
    @Test func factsMatchTheWindowQuery() throws {
        let shop = try Self.shop()
        let db = shop.w.db
        let asOf = try WorkspaceDates.asOfDay(db, settings: MetricSettings())
        let expected = try db.query("""
            WITH c AS (
              SELECT customer_id, day, order_id, channel, amount - coalesce(discount, 0) - coalesce(points, 0) AS net,
                     amount - coalesce(discount, 0) - coalesce(points, 0) - coalesce(cogs, 0) - coalesce(shipping, 0) - coalesce(commission, 0) AS cm2,
                     row_number() OVER (PARTITION BY customer_id ORDER BY day, ordered_at, order_id) AS n
              FROM orders WHERE (status IS NULL OR status NOT IN ('cancelled', 'returned', 'refunded')) AND day <= ? AND customer_id IS NOT NULL)
            SELECT customer_id, date(min(day) * 86400, 'unixepoch'), strftime('%Y-%m', min(day) * 86400, 'unixepoch'),
                   max(CASE WHEN n = 1 THEN channel END), date(max(day) * 86400, 'unixepoch'), count(*), sum(net), sum(cm2),
                   sum(net) / count(*), ? - max(day), ? - min(day), count(DISTINCT channel), min(day),
                   max(CASE WHEN n = 2 THEN day END), max(day), max(CASE WHEN n = 1 THEN order_id END)
            FROM c GROUP BY customer_id ORDER BY customer_id
            """, [.integer(Int64(asOf)), .integer(Int64(asOf)), .integer(Int64(asOf))])
        let actual = try db.query("""
            SELECT customer_id, first_order, cohort, first_channel, last_order, orders, revenue, margin, aov, recency, tenure,
                   channels, first_day, second_day, last_day, first_order_id FROM ecsh_customer_facts ORDER BY customer_id
            """)
        #expect(expected.rows.count == actual.rows.count)
        #expect(expected.rows.count > 250)
        for (a, b) in zip(expected.rows, actual.rows) {
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) where !Self.same(x, y) {
                Issue.record("customer \(a[0]): expected \(a) got \(b)")
                break
            }
        }
        // The tie: T1 (09:00) comes before T2 (18:00) on the same day.
        let tie = try db.query("SELECT first_order_id, first_channel, second_day - first_day, channels FROM ecsh_customer_facts WHERE customer_id = 'TIE'").rows[0]
        #expect(tie == [.text("T1"), .text("rakuten"), .integer(0), .integer(2)])
    }

    /// A snapshot built under other settings is not used: the engine rebuilds it.
    @Test func staleSnapshotIsRebuilt() throws {
        let shop = try Self.shop()
        let db = shop.w.db
        var s = MetricSettings()
        s.asOf = "2023-06-30"
        let before = try KPIEngine(db, settings: s, route: .snapshot).run(KPIQuery(kpis: ["customers"])).table
        let reference = try KPIEngine(db, settings: s, route: .sql).run(KPIQuery(kpis: ["customers"])).table
        #expect(before.rows == reference.rows)
        #expect(try OrderSnapshot.meta(db)?["as_of"] == String(WorkspaceBuilder.day("2023-06-30")))
        // Orders changed behind the snapshot's back (as `sql` would, which drops it): invalidate, rebuild.
        try db.execute("DELETE FROM orders WHERE customer_id = 'TIE'")
        try OrderSnapshot.invalidate(db)
        let after = try KPIEngine(db, settings: MetricSettings(), route: .snapshot).run(KPIQuery(kpis: ["orders"])).table
        let sql = try KPIEngine(db, settings: MetricSettings(), route: .sql).run(KPIQuery(kpis: ["orders"])).table
        #expect(after.rows == sql.rows)
    }
}
