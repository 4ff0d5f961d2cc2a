import Foundation
import Testing
import ECStore
@testable import ECAnalytics

@Suite struct MetricsEdgeCaseTests {
    /// Orders in January and March only; February must appear with zeros.
    @Test func emptyPeriodsAreZeroRows() throws {
        let w = try WorkspaceBuilder()
        try w.order("1", "A", "2024-01-10", 1000, "own", "completed")
        try w.order("2", "B", "2024-03-10", 3000, "own", "completed")
        try w.order("3", "B", "2024-02-10", 9000, "own", "cancelled")
        let r = try KPIEngine(w.db, settings: MetricSettings()).run(KPIQuery(kpis: ["gmv", "orders", "customers", "aov"], groupBy: [.grain(.month)]))
        #expect(r.values("month") == ["2024-01", "2024-02", "2024-03"])
        #expect(r.values("gmv") == [.real(1000), .integer(0), .real(3000)])
        #expect(r.values("orders") == [1, 0, 1])
        #expect(r.values("customers") == [1, 0, 1])
        #expect(r.values("aov") == [.real(1000), .null, .real(3000)])
    }

    /// `day` decides the period, not the text of ordered_at (the loader already
    /// turned an offset into the local date).
    @Test func periodComesFromLocalDay() throws {
        let w = try WorkspaceBuilder()
        try w.db.execute("INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, status) VALUES ('1', 'A', '2024-01-31 23:30:00', ?, 500, NULL)",
                         [.integer(Int64(WorkspaceBuilder.day("2024-01-31")))])
        try w.order("2", "A", "2024-02-01 00:00:00", 700, nil, nil)
        let r = try KPIEngine(w.db, settings: MetricSettings()).run(KPIQuery(kpis: ["gmv"], groupBy: [.grain(.month)]))
        #expect(close(r.doubles("gmv"), [500, 700]))   // NULL status counts
    }

    @Test func customerWithOnlyCancelledOrdersIsNoCustomer() throws {
        let shop = try HandShop()
        let r = try shop.run(["customers", "new_customers"], by: [])
        #expect(r.table.columns == ["customers", "new_customers"])
        #expect(r.values("customers") == [4] && r.values("new_customers") == [4])   // A, B, D, E; never C
        #expect(try shop.db.scalar("SELECT count(*) FROM ecsh_customer_facts WHERE customer_id = 'C'") == 0)
    }

    @Test func completedListSetting() throws {
        let shop = try HandShop()
        var s = MetricSettings()
        try s.set("completed_statuses", to: "completed")   // order 7 is 'shipped' → out
        let r = try shop.run(["gmv"], settings: s)
        #expect(close(r.doubles("gmv"), [15000, 13000, 19000]))
    }

    /// Week labels agree with Foundation's ISO-8601 calendar for every day of 2023–2025,
    /// and a Sunday start moves Sundays into the following week.
    @Test func isoWeeks() throws {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = TimeZone(identifier: "UTC")!
        let start = WorkspaceBuilder.day("2023-01-01"), end = WorkspaceBuilder.day("2025-12-31")
        for d in start...end {
            let date = Date(timeIntervalSince1970: Double(d) * 86400)
            let c = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            let expected = String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
            #expect(PeriodCalendar.period(of: d, grain: .week, weekStart: .monday).label == expected)
        }
        // 2024-01-07 is a Sunday: ISO week 1 with Monday weeks, week 2 when weeks start on Sunday.
        let sunday = WorkspaceBuilder.day("2024-01-07")
        #expect(PeriodCalendar.period(of: sunday, grain: .week, weekStart: .sunday).label == "2024-W02")
        #expect(PeriodCalendar.period(of: sunday, grain: .week, weekStart: .sunday).start == sunday)
    }

    @Test func otherGrains() throws {
        let shop = try HandShop()
        let q = try shop.run(["gmv"], by: [.grain(.quarter)])
        #expect(q.values("quarter") == ["2024-Q1"] && close(q.doubles("gmv"), [51000]))
        let w = try shop.run(["orders"], by: [.grain(.week)], from: "2024-02-26", to: "2024-03-10")
        // Weeks 02-26…03-03 (orders 6, 7, 8) and 03-04…03-10 (order 13).
        #expect(w.values("week") == ["2024-W09", "2024-W10"])
        #expect(close(w.doubles("orders"), [3, 1]))
        let d = try shop.run(["orders"], by: [.grain(.day)], from: "2024-02-28", to: "2024-03-01")
        #expect(d.values("day") == ["2024-02-28", "2024-02-29", "2024-03-01"] && close(d.doubles("orders"), [0, 2, 1]))
    }

    @Test func clearErrors() throws {
        let w = try WorkspaceBuilder()
        try w.order("1", "A", "2024-01-10", 1000, "own", "completed")
        let engine = KPIEngine(w.db, settings: MetricSettings())
        #expect(throws: MetricsError("cac needs ad spend: load spend from 'file.csv'")) { try engine.run(KPIQuery(kpis: ["cac"])) }
        #expect(throws: MetricsError("unknown KPI 'aovv'; did you mean 'aov'? `kpis` lists them")) { try engine.run(KPIQuery(kpis: ["aovv"])) }
        #expect(throws: MetricsError.self) { try engine.run(KPIQuery(kpis: ["retention_rate"])) }
        #expect(throws: MetricsError.self) { try engine.run(KPIQuery(kpis: ["gmv"], groupBy: [.dimension(name: "colour")])) }
    }

    @Test func settingsRoundTrip() throws {
        let db = try Database()
        var s = MetricSettings()
        try s.set("as_of", to: "2024-06-30")
        try s.set("week_start", to: "Sunday")
        try s.set("f2_window", to: "60 days")
        // Status words are read through the vocabulary: void is cancelled, 返品 is returned.
        try s.set("excluded_statuses", to: "cancelled, void, 返品")
        try s.save(to: db)
        let back = try MetricSettings.load(from: db)
        #expect(back == s)
        #expect(back.countedCondition(alias: "o") == SQLFragment("(\"o\".\"status\" IS NULL OR \"o\".\"status\" NOT IN (?, ?))", ["cancelled", "returned"]))
        #expect(throws: MetricsError.self) { try s.set("f2_window", to: "soon") }
        #expect(throws: MetricsError.self) { try s.set("colour", to: "red") }
        #expect(s.describe().rows.count == 9)  // 8 analysis settings + timezone
        try s.set("ltv_horizon", to: "6 months")
        #expect(s.ltvHorizonMonths == 6)
        #expect(throws: MetricsError.self) { try s.set("ltv_horizon", to: "-1") }
        // Months and years, never days or weeks read as months.
        for (text, months) in [("1 month", 1), ("2 years", 24), ("1 year", 12), ("  18  ", 18)] {
            try s.set("ltv_horizon", to: text)
            #expect(s.ltvHorizonMonths == months, "\(text)")
        }
        for text in ["30 days", "4 weeks", "12 months later", "1.5 months", "60 years"] {
            #expect(throws: MetricsError.self, "\(text)") { try s.set("ltv_horizon", to: text) }
        }
        try s.set("ltv_horizon", to: "6 months")
        try s.save(to: db)
        #expect(try MetricSettings.load(from: db).ltvHorizonMonths == 6)
    }

    @Test func expressionParser() throws {
        let e = try KPIExpression.parse("(gmv - revenue) / gmv * 100 + -margin")
        #expect(e == .binary(.add, .binary(.multiply, .binary(.divide, .binary(.subtract, .ref("gmv"), .ref("revenue")), .ref("gmv")), .number(100)), .negate(.ref("margin"))))
        #expect(try KPIExpression.parse(e.description) == e)
        #expect(throws: MetricsError.self) { try KPIExpression.parse("gmv +") }
        #expect(throws: MetricsError.self) { try KPIExpression.parse("(gmv") }
    }

    @Test func explain() throws {
        let shop = try HandShop()
        let gmv = try #require(Explainer.text(for: "gmv", settings: MetricSettings(), db: shop.db))
        #expect(gmv.contains("Σ amount of counted orders") && gmv.contains("cancelled"))
        #expect(gmv.contains("In this workspace, gmv ¥51,000"))
        #expect(gmv.contains("FROM orders AS o"), "explain shows the SQL that reads the orders")
        for concept in ["sales equation", "customer equity", "retention vs repeat rate", "f2", "mall dependence", "gmv traps", "ltv", "cac", "ltv/cac", "payback"] {
            #expect(Explainer.text(for: concept, settings: MetricSettings(), db: shop.db) != nil, "\(concept)")
        }
        for kpi in KPICatalogue.all { #expect(Explainer.text(for: kpi.name, settings: MetricSettings(), db: shop.db) != nil) }
        #expect(Explainer.text(for: "nonsense", settings: MetricSettings(), db: shop.db) == nil)
    }
}

@Suite struct KPIFormatTests {
    @Test func formatsFollowColumns() throws {
        let shop = try HandShop()
        let r = try shop.run(["gmv", "orders", "repeat_rate"], by: [.grain(.month), .dimension(name: "channel")])
        #expect(r.table.columns == ["month", "channel", "gmv", "orders", "repeat_rate"])
        #expect(r.table.formats == [.text, .text, .currency(code: "JPY"), .auto, .percent(places: 1)])
        let plain = try shop.run(["gmv"], by: [])
        #expect(plain.table.formats == [.currency(code: "JPY")])
    }
}

@Suite struct ShowSQLTests {
    /// The SQL shown by `show sql` runs on its own with the bindings and gives the same rows.
    @Test func sqlReproducesResult() throws {
        let shop = try HandShop()
        let r = try shop.run(["gmv", "new_customers", "active_members"], by: [.grain(.month), .dimension(name: "first_channel")],
                             segments: [NamedSegment(name: "big", predicate: SQLFragment("revenue >= ?", [10000]))])
        // The printed SQL, run by hand, gives the same rows and values as the result (which the
        // snapshot route computed): same columns after the leading segment column, row for row.
        let again = try shop.db.query(r.sql, r.bindings)
        let shown = r.table.rows.indices.filter { !r.table.summaryRows.contains($0) }.map { r.table.rows[$0] }
        #expect(again.columns == r.table.columns)
        #expect(again.rows.count == shown.count)
        for (a, b) in zip(again.rows, shown) {
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) {
                if let dx = x.doubleValue, let dy = y.doubleValue { #expect(abs(dx - dy) < 1e-9) } else { #expect(x == y) }
            }
        }
        // and the hand-worked Jan row: segment big (revenue ≥ 10000: A 18800) first_channel own, gmv 10000, new 1.
        #expect(shown.contains { $0[0] == "big" && $0[1] == "2024-01" && $0[2] == "own" && $0[3].doubleValue == 10000 && $0[4].intValue == 1 })
        #expect(r.sql.hasPrefix("WITH\n") && r.sql.contains("\nFROM measures\nORDER BY"))
        if ProcessInfo.processInfo.environment["ECSH_SHOW_SQL"] != nil { print(r.sql) }
    }
}

@Suite struct MarketplacesTests {
    @Test func namesAreComparedTrimmedAndWithoutASCIICase() {
        let m = MetricSettings().marketplaces
        for name in ["rakuten", "Rakuten", " RAKUTEN ", "楽天市場", "Rakuten Ichiba", "Amazon.co.jp", "Yahoo!ショッピング", "ヤフー",
                     "楽天市場\u{3000}", "\u{3000} Amazon", "Yahoo！ショッピング"] {
            #expect(m.contains(name), "\(name)")
        }
        for name in ["own", "自社EC", "rakutenx", "zozotown", ""] { #expect(!m.contains(name), "\(name)") }
        // An entry of the user's own is matched as written (trimmed, ASCII case), with no aliases.
        let own = Marketplaces(["ZOZOTOWN"])
        #expect(own.contains("zozotown ") && !own.contains("rakuten"))
        #expect(Marketplaces.key("  Ａmazon ") == "Ａmazon")  // full-width letters are not ASCII: left as they are
        #expect(Marketplaces([]).condition("channel").sql == "0")
    }

    /// Full-width Latin and half-width katakana spellings of the malls, and of an entry of the user's own.
    @Test func otherWidthsAreTheSameMall() {
        let m = MetricSettings().marketplaces
        for name in ["ＡＭＡＺＯＮ", "Ａｍａｚｏｎ", "ａｍａｚｏｎ", "ｒａｋｕｔｅｎ", "Ｒａｋｕｔｅｎ　Ｉｃｈｉｂａ", "Ｙａｈｏｏ！ショッピング",
                     "ＹＡＨＯＯ！ショッピング", "Ａｍａｚｏｎ．ｃｏ．ｊｐ", "ﾔﾌｰｼｮｯﾋﾟﾝｸﾞ", "ﾔﾌｰ", "ﾗｸﾃﾝ", "ｱﾏｿﾞﾝ", " ＡＭＡＺＯＮ　"] {
            #expect(m.contains(name), "\(name)")
        }
        // Mixed case in full width is not among the variants (docs/language.md says so); own shops stay own.
        for name in ["ＡｍＡｚｏｎ", "ＯＷＮ", "自社ＥＣ"] { #expect(!m.contains(name), "\(name)") }
        #expect(Marketplaces(["qoo10"]).contains("Ｑｏｏ１０") && Marketplaces(["qoo10"]).contains("ＱＯＯ１０"))
    }

    /// Every name the SQL condition lists is its own key (what `lower(trim(x))` leaves of it), so a channel the SQL
    /// route matches is one `contains` matches, and the other way round.
    @Test func everyListedNameIsItsOwnKey() throws {
        let db = try Database(path: nil)
        let m = MetricSettings().marketplaces
        for name in m.names {
            #expect(Marketplaces.key(name) == name, "\(name)")
            let condition = m.condition("?")
            let hit = try db.query("SELECT " + condition.sql, [.text(name)] + condition.bindings).rows.first?.first?.intValue
            #expect(hit == 1, "\(name)")
        }
    }

    /// SQL's lower(trim(x)) and `Marketplaces.key` agree, so the snapshot and SQL routes count the same channels.
    @Test func keyMatchesSQLiteLowerTrim() throws {
        let db = try Database(path: nil)
        for name in ["  Rakuten Ichiba  ", "ÄMAZON", "Yahoo!ショッピング", "\tAmazon", "ＡＢＣ", "MiXeD cAsE", "\u{3000}楽天\u{3000} \u{3000}"] {
            let sql = try db.query("SELECT lower(trim(?, ?))", [.text(name), .text(Marketplaces.spaces)]).rows.first?.first?.textValue
            #expect(sql == Marketplaces.key(name), "\(name)")
        }
    }
}
