import Testing
import ECTestSupport

/// `nps compare by X` on the sample shop, through the real binary.
@Suite struct NPSCompareCommandTests {
    @Test func unknownDimensionIsLocatedWithASuggestion() throws {
        let out = try runECSH(["--demo", "-c", "nps compare by cohrt"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("error: unknown NPS grouping 'cohrt'; did you mean 'cohort'?"))
        #expect(out.stderr.contains("--> <command line>:1:16"))
        #expect(out.stderr.contains("1 | nps compare by cohrt\n  |                ^^^^^"))
    }

    /// `nps compare A, B` of overlapping segments: C1–C3 bought twice, C4–C6 once, one answer each. repeaters (C1 10,
    /// C2 9, C3 3) are all among buyers (6 answers), so the two samples share 3 answers and no z test is given. Against
    /// the rest of buyers (C4 10, C5 6, C6 8: NPS 0, SE 100 × √((2/3) / 3) = 47.14; repeaters NPS 33.33, SE 54.43):
    /// z = 33.33 / √(54.43² + 47.14²) = 0.46, p = 0.6434.
    @Test func overlappingSegmentsGetNoTest() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", "order_id,customer_id,ordered_at,amount\n"
            + (1...6).map { "O\($0),C\($0),2024-01-0\($0),1000\n" }.joined() + (1...3).map { "P\($0),C\($0),2024-02-0\($0),1000\n" }.joined())
        let nps = try dir.write("nps.csv", "customer_id,responded_at,score\nC1,2024-03-01,10\nC2,2024-03-01,9\nC3,2024-03-01,3\n"
            + "C4,2024-03-02,10\nC5,2024-03-02,6\nC6,2024-03-02,8\n")
        let out = try runECSH(["--format", "csv", "-c", "load orders from '\(orders)'", "-c", "load nps from '\(nps)'",
                               "-c", "segment repeaters = orders >= 2", "-c", "segment buyers = orders >= 1",
                               "-c", "segment buyers_rest = buyers and not repeaters",
                               "-c", "nps compare repeaters, buyers", "-c", "nps compare repeaters, buyers_rest"])
        #expect(out.status == 0, "\(out.stderr)")
        let notes = out.stdout + out.stderr
        #expect(notes.contains("no test of repeaters − buyers: 3 responses are in both (their respondents are in both segments), "
            + "and the z test needs two samples without a shared response; compare repeaters with the rest of buyers instead: "
            + "segment buyers_rest = buyers and not repeaters"))
        #expect(!notes.contains("difference repeaters − buyers:"))
        #expect(notes.contains("difference repeaters − buyers_rest: z = 0.46, two-sided p = 0.6434"))
    }

    @Test func groupsAddUpToAllResponses() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "nps compare by first_channel", "-c", "nps"])
        #expect(out.status == 0, "\(out.stderr)")
        // The comparison, then the overall NPS ("sample shop loaded" is a note, on stderr).
        let lines = out.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.first?.prefix(5) == ["first_channel", "responses", "nps", "margin95", "vs"])
        let groups = lines.dropFirst().prefix { $0.first != "group" }
        #expect(groups.allSatisfy { $0[4] == "rest" })
        let total = try #require(lines.first { $0.first == "all" })
        #expect(groups.reduce(0) { $0 + Int($1[1])! } == Int(total[1]))
    }
}

/// `cohort margin cumulative` with spend: the payback the engine computes is the cell the export outlines.
@Suite struct PaybackExportTests {
    @Test func htmlExportOutlinesThePaybackMonth() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        // One January cohort of 2 customers. Margin per customer (no costs): M0 (3000 + 1000) / 2 = 2000,
        // M1 + 3000 / 2 = 3500, M2 + 1000 / 2 = 4000. CAC = 6000 / 2 = 3000, first reached in M1.
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,channel,status
            O1,C1,2024-01-05,3000,own,completed
            O2,C2,2024-01-10,1000,own,completed
            O3,C1,2024-02-03,3000,own,completed
            O4,C2,2024-03-03,1000,own,completed

            """)
        let spend = try dir.write("spend.csv", "date,spend\n2024-01-15,6000\n")
        let html = dir.path("ltv.html")
        let out = try runECSH(["-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'",
                               "-c", "cohort margin cumulative by month periods 3", "-c", "export to '\(html)'"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("│ 2024-01        │    2 │ ¥2,000 │ ¥3,500 │ ¥4,000 │ ¥3,000 │ M1      │"), "\(out.stdout)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.components(separatedBy: "payback\" style=").count == 2)
        #expect(page.contains("title=\"payback\">¥3,500</td>"))
        #expect(page.contains("outlined cell = payback"))
    }
}

/// After a load, the first `cohort` or `unit economics` over every counted order builds the
/// customer facts and order snapshot when they are missing (the load builds them; here a writing
/// `sql` statement drops them) and reads them; an analysis narrowed by `where` reads SQL.
@Suite struct SnapshotOnFirstAnalysisTests {
    @Test func unfilteredAnalysesBuildTheSnapshot() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,channel,status
            O1,C1,2024-01-05,3000,own,completed
            O2,C2,2024-01-10,1000,rakuten,completed
            O3,C1,2024-02-03,3000,own,completed

            """)
        let workspace = dir.path("shop.db")
        let hasSnapshot = "sql select count(*) AS snapshot from sqlite_master where name = 'ecsh_snapshot'"
        func run(_ statements: [String]) throws -> [Substring] {
            let out = try runECSH([workspace, "--format", "csv"] + statements.flatMap { ["-c", $0] })
            #expect(out.status == 0, "\(out.stderr)")
            return out.stdout.split(separator: "\n")
        }
        // The load builds the snapshot in its own transaction (issue 15), so it is there before any analysis.
        #expect(try run(["load orders from '\(orders)'", hasSnapshot]).suffix(2) == ["snapshot", "1"])
        let narrowed = try run(["cohort retention where channel = 'own'", hasSnapshot])
        #expect(narrowed.suffix(2) == ["snapshot", "1"])
        #expect(try run(["cohort retention", hasSnapshot]).suffix(2) == ["snapshot", "1"])
        // A writing `sql` statement drops the derived data; unit economics builds it again.
        #expect(try run(["sql UPDATE orders SET amount = amount WHERE order_id = 'none'", hasSnapshot]).suffix(2) == ["snapshot", "0"])
        let economics = try run(["unit economics by channel", hasSnapshot])
        #expect(economics.suffix(2) == ["snapshot", "1"])
        // Same figures as before the snapshot existed: own's customer C1 has two orders of 3000.
        #expect(economics.contains { $0.hasPrefix("own,1,,,2,3000.0,3000.0,") }, "\(economics)")
    }
}

/// `kpi … where` on an order column the customer facts also have (`customer_id`): the filter names
/// the orders' column, on both routes (it was "ambiguous column name: customer_id" where the KPI
/// SQL joins the facts: new customers, lifetime KPIs).
@Suite struct KPIWhereOnSharedColumnTests {
    @Test func customerIDFilterAnswersOnBothRoutes() throws {
        let statements = ["kpi new_customers, gmv, customers by channel where customer_id < 'C00001000'",
                          "kpi ltv, new_customers by quarter where customer_id < 'C00001000'",
                          "sql SELECT count(*) AS facts FROM ecsh_customer_facts WHERE customer_id < 'C00001000'"]
        var outputs: [String] = []
        for route in ["auto", "sql"] {
            let out = try runECSH(["--demo", "--format", "csv"] + statements.flatMap { ["-c", $0] }, environment: ["ECSH_KPI_ROUTE": route])
            #expect(out.status == 0, "\(out.stderr)")
            outputs.append(out.stdout)
        }
        #expect(outputs[0] == outputs[1])
        // The total row's new customers: every customer in the facts under that id (each one's first order passes).
        let lines = outputs[0].split(separator: "\n")
        let total = try #require(lines.first { $0.hasPrefix("total,") }).split(separator: ",")
        let facts = try #require(lines.last)
        #expect(Int(facts) ?? -1 > 100)
        #expect(total[1] == facts)
    }
}

/// `set ltv_horizon` written as a duration counts months (it was read as days: `1 month` became 30 months).
@Suite struct LTVHorizonSettingTests {
    @Test func aDurationInMonthsOrYearsIsMonths() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        // One January 2021 cohort of two customers, no costs: CM2 = revenue. Month offsets 0..1 hold C1's 1000 + 1000
        // and C2's 2000: ltv over 0..1 = 4000 / 2 = 2000. Offsets 0..12 add nothing more (C1's next order is in
        // 2023-06, C2's in 2024-01): 2000 as well; offsets 0..30 add C1's 5000: (4000 + 5000) / 2 = 4500.
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,channel,status
            O1,C1,2021-01-05,1000,own,completed
            O2,C2,2021-01-10,2000,own,completed
            O3,C1,2021-02-03,1000,own,completed
            O4,C1,2023-06-03,5000,own,completed
            O5,C2,2024-01-20,100,own,completed

            """)
        func ltv(_ setting: String) throws -> (value: String, said: String) {
            let out = try runECSH(["--format", "csv", "-c", "load orders from '\(orders)'", "-c", "set ltv_horizon \(setting)",
                                   "-c", "kpi ltv by month from 2021-01 to 2021-01"])
            #expect(out.status == 0, "\(out.stderr)")
            let row = out.stdout.split(separator: "\n").first { $0.hasPrefix("2021-01,") }
            return (String(row?.split(separator: ",").last ?? ""), out.stdout + out.stderr)
        }
        for (setting, months, value) in [("1 month", 1, "2000.0"), ("1", 1, "2000.0"), ("'1 month'", 1, "2000.0"),
                                         ("30 months", 30, "4500.0"), ("1 year", 12, "2000.0"), ("'2 years'", 24, "2000.0")] {
            let (got, said) = try ltv(setting)
            #expect(got == value, "\(setting): \(said)")
            #expect(said.contains("month offsets 0..\(months) (ltv_horizon)"), "\(setting): \(said)")
        }
        let days = try runECSH(["-c", "set ltv_horizon 90 days"])
        #expect(days.status == 1)
        #expect(days.stderr.contains("ltv_horizon counts months"), "\(days.stderr)")
    }
}

/// Malls under the names exports give them (`Marketplaces`): `mall_dependence` counted them as own-shop sales (0%).
@Suite struct MarketplaceNameTests {
    @Test func mallsGoByTheirExportNamesOnBothRoutes() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        // 1000 + 2000 + 4000 + 8000 through malls (楽天市場, Amazon.co.jp, Yahoo!ショッピング, " Rakuten Ichiba "), 16000 own:
        // mall_dependence = 15000 / 31000 = 48.4%.
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,channel,status
            J1,C1,2024-01-05,1000,楽天市場,completed
            J2,C2,2024-01-06,2000,Amazon.co.jp,completed
            J3,C3,2024-01-07,4000,Yahoo!ショッピング,completed
            J4,C4,2024-01-08,16000,自社EC,completed
            J5,C5,2024-01-08,8000, Rakuten Ichiba ,completed

            """)
        for route in ["auto", "sql"] {
            let out = try runECSH(["--format", "csv", "-c", "load orders from '\(orders)'", "-c", "kpi gmv, mall_dependence"],
                                  environment: ["ECSH_KPI_ROUTE": route])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.contains("31000.0,0.48387"), "\(route): \(out.stdout)")
            #expect(!out.stderr.contains("no order's channel is a marketplace"), "\(route): \(out.stderr)")
        }
        // Unit economics by channel marks the same rows as malls: 15000 / 31000.
        let ue = try runECSH(["-c", "load orders from '\(orders)'", "-c", "unit economics by channel"])
        #expect(ue.status == 0, "\(ue.stderr)")
        #expect((ue.stdout + ue.stderr).contains("/ total GMV = 48.4%"), "\(ue.stdout)\(ue.stderr)")
        // A setting that names none of them: 0%, and a note naming the channels and the way out.
        let none = try runECSH(["-c", "load orders from '\(orders)'", "-c", "set marketplaces 'zozotown'", "-c", "kpi mall_dependence"])
        #expect(none.status == 0, "\(none.stderr)")
        #expect((none.stdout + none.stderr).contains("mall_dependence: no order's channel is a marketplace (zozotown); channels: "),
                "\(none.stdout)\(none.stderr)")
        #expect((none.stdout + none.stderr).contains("set marketplaces 'name, …'"))
    }

    /// The probe's hand file: ＡＭＡＺＯＮ 1000, own 2000, Ａｍａｚｏｎ 3000, 楽天市場 4000. mall_dependence was
    /// 4000 / 10000 = 40.0% (the full-width names counted as own-shop sales); now (1000 + 3000 + 4000) / 10000 = 80.0%.
    static let fullWidthOrders = """
        order_id,customer_id,ordered_at,amount,channel,status
        A1,C1,2024-01-05,1000,ＡＭＡＺＯＮ,completed
        A2,C2,2024-01-06,2000,own,completed
        A3,C3,2024-01-07,3000,Ａｍａｚｏｎ,completed
        A4,C4,2024-01-08,4000,楽天市場,completed

        """

    @Test func fullWidthMallNamesCountOnEveryRoute() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", Self.fullWidthOrders)
        for route in ["auto", "sql"] {
            let out = try runECSH(["--format", "csv", "-c", "load orders from '\(orders)'", "-c", "kpi gmv, mall_dependence"],
                                  environment: ["ECSH_KPI_ROUTE": route])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.contains("10000.0,0.8\n"), "\(route): \(out.stdout)")
        }
        // The load folds full-width letters to ASCII (and lower case), so both are one amazon row: 1000 + 3000.
        let byChannel = try runECSH(["--format", "csv", "-c", "load orders from '\(orders)'", "-c", "kpi gmv by channel"])
        #expect(byChannel.stdout.contains("\namazon,4000.0\n") && !byChannel.stdout.contains("ＡＭＡＺＯＮ"), "\(byChannel.stdout)")
        let ue = try runECSH(["-c", "load orders from '\(orders)'", "-c", "unit economics by channel"])
        #expect((ue.stdout + ue.stderr).contains("/ total GMV = 80.0%"), "\(ue.stdout)\(ue.stderr)")
        // Half-width katakana and lower-case full width: ﾔﾌｰｼｮｯﾋﾟﾝｸﾞ 1000, ｒａｋｕｔｅｎ 3000, Ｙａｈｏｏ！ショッピング 4000,
        // ﾗｸﾃﾝ 100, own 2000: 8100 / 10100 = 80.198…%.
        let kana = try dir.write("kana.csv", """
            order_id,customer_id,ordered_at,amount,channel,status
            K1,C1,2024-01-05,1000,ﾔﾌｰｼｮｯﾋﾟﾝｸﾞ,completed
            K2,C2,2024-01-06,2000,own,completed
            K3,C3,2024-01-07,3000,ｒａｋｕｔｅｎ,completed
            K4,C4,2024-01-08,4000,Ｙａｈｏｏ！ショッピング,completed
            K5,C5,2024-01-08,100,ﾗｸﾃﾝ,completed

            """)
        for route in ["auto", "sql"] {
            let out = try runECSH(["--format", "csv", "-c", "load orders from '\(kana)'", "-c", "kpi mall_dependence"],
                                  environment: ["ECSH_KPI_ROUTE": route])
            #expect(out.stdout.contains("0.80198"), "\(route): \(out.stdout)")
        }
    }
}

/// E-mail customer ids are stored lower-cased, so a literal written with capitals matched nothing, silently.
@Suite struct EmailKeyLiteralTests {
    /// Bob@X.com 1000 and bob@x.com 2000 (one customer, stored as bob@x.com), C3 3000, ann@y.jp 4000.
    @Test func literalsAreLowerCasedWithANote() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,status
            A1,Bob@X.com,2024-01-05,1000,completed
            A2,bob@x.com,2024-01-06,2000,completed
            A3,C3,2024-01-07,3000,completed
            A4,ann@y.jp,2024-01-08,4000,completed

            """)
        let out = try runECSH(["--format", "csv", "-c", "load orders from '\(orders)'",
                               "-c", "segment s = customer_id = 'BOB@x.com'",
                               "-c", "kpi gmv where customer_id = 'BOB@x.com'",                       // 1000 + 2000 (was 0)
                               "-c", "kpi gmv where customer_id in ('BOB@X.COM', 'Ann@Y.jp', 'C3')",  // 10000 (was 3000)
                               "-c", "kpi gmv where customer_id != 'BOB@x.com'",                      // 3000 + 4000 (was 10000)
                               "-c", "show sql"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("segment s: 1 of 3 customers with counted orders (33.3%)"), "\(out.stderr)")
        #expect(out.stdout.contains("gmv\n3000.0\n") && out.stdout.contains("gmv\n10000.0\n") && out.stdout.contains("gmv\n7000.0\n"), "\(out.stdout)")
        #expect(out.stderr.contains("note: compared 'BOB@X.COM' as 'bob@x.com', 'Ann@Y.jp' as 'ann@y.jp': customer ids that are e-mail addresses are stored in lower case"), "\(out.stderr)")
        // show sql writes in the literal as compared (its values are written in as literals).
        #expect(out.stdout.contains("\"customer_id\" <> 'bob@x.com'") && !out.stdout.contains("'BOB@x.com'"), "\(out.stdout)")
    }
}
