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
