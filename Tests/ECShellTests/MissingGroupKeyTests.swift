import Testing
import Foundation
import ECTestSupport

/// A group of customers (or orders) without a value is a NULL key in every grouped command, as in
/// `kpi … by X`: shown `∅`, an empty CSV cell, JSON null, listed after the named groups; a real value
/// `(none)` is a group of its own, not merged with it.
///
/// Orders: 1 c1 web 100 (2024-01-05), 2 c2 no channel 50 (2024-01-06), 3 c1 web 30 (2024-02-05),
/// 4 c3 app 20 (2024-02-07). Customers: c1 north, c2 no region, c3 the text "(none)".
/// NPS: c1 9 (promoter), c2 3 (detractor), c3 10 (promoter).
@Suite struct MissingGroupKeyTests {
    static let orders = "order_id,customer_id,ordered_at,total,channel\n1,c1,2024-01-05,100,web\n2,c2,2024-01-06,50,\n3,c1,2024-02-05,30,web\n4,c3,2024-02-07,20,app\n"
    static let customers = "customer_id,region\nc1,north\nc2,\nc3,(none)\n"
    static let nps = "customer_id,responded_at,score\nc1,2024-02-10,9\nc2,2024-02-10,3\nc3,2024-02-10,10\n"

    /// `workspace`: none (in memory) or a PostgreSQL URL; `environment`: `ECSH_KPI_ROUTE=sql` for the reference SQL.
    func run(_ statements: [String], format: String = "csv", workspace: [String] = [], environment: [String: String] = [:]) throws -> String {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let o = try dir.write("orders.csv", Self.orders), c = try dir.write("customers.csv", Self.customers)
        let n = try dir.write("nps.csv", Self.nps)
        let out = try runECSH(workspace + ["--format", format, "-c", "load orders from '\(o)'", "-c", "load customers from '\(c)'",
                               "-c", "load nps from '\(n)'"] + statements.flatMap { ["-c", $0] }, environment: environment)
        #expect(out.status == 0, "\(out.stderr)")
        return out.stdout
    }

    /// nps by region: "(none)" = c3 alone (1 promoter, NPS 100); no region = c2 alone (1 detractor, NPS −100), last.
    /// Before, both were one "(none)" group of 2 responses with NPS 0.
    @Test func npsKeepsTheTextNoneApartFromNoValue() throws {
        let lines = try run(["nps by region"]).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(6).joined(separator: ",") }
        #expect(Array(lines.suffix(3)) == ["(none),1,1,0,0,100.0", "north,1,1,0,0,100.0", ",1,0,0,1,-100.0"], "\(lines)")
        let json = try run(["nps by region"], format: "json")
        #expect(json.contains(#"{"region":null,"responses":1,"#), "\(json)")
    }

    /// cohort by region: c2 (no region) retained 0 of 1 in M1, c3 ("(none)") has no M1 yet (2024-02 is its first month).
    @Test func cohortKeepsTheTextNoneApartFromNoValue() throws {
        let lines = try run(["cohort by region"]).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(4).joined(separator: ",") }
        #expect(lines.contains("(none),1,1.0,"), "\(lines)")
        #expect(lines.contains(",1,1.0,0.0"), "\(lines)")
        #expect(lines.firstIndex(of: ",1,1.0,0.0")! > lines.firstIndex(of: "north,1,1.0,1.0")!)
    }

    /// unit economics by channel: the order without a channel (¥50, c2's first) is the NULL row after app and web.
    @Test func unitEconomicsNoChannelIsNullLast() throws {
        let lines = try run(["unit economics by channel"]).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(6).joined(separator: ",") }
        #expect(Array(lines.suffix(4)) == ["app,1,,,1,20.0", "web,1,,,2,65.0", ",1,,,1,50.0", "total,3,,,4,50.0"], "\(lines)")
    }

    /// `kpi … by X` on every route: app ¥20 (c3), web ¥130 (c1: 100 + 30), then the order without a channel (¥50) last, as
    /// `unit economics` lists it; by region "(none)" (c3, ¥20) sorts byte by byte before north (c1), no region (c2) last;
    /// by month and channel, the empty channel closes each month. SQLite sorted it first (`,50.0,1` above app).
    static let kpiStatements = ["kpi gmv, orders by channel", "kpi gmv by region", "kpi gmv by month, channel"]
    static let kpiExpected = """
        channel,gmv,orders
        app,20.0,1
        web,130.0,2
        ,50.0,1
        total,200.0,4
        region,gmv
        (none),20.0
        north,130.0
        ,50.0
        total,200.0
        month,channel,gmv
        2024-01,app,0.0
        2024-01,web,100.0
        2024-01,,50.0
        2024-02,app,20.0
        2024-02,web,30.0
        2024-02,,0.0
        total,,200.0

        """

    @Test(arguments: ["snapshot", "sql"]) func kpiListsNoValueLast(route: String) throws {
        let out = try run(Self.kpiStatements, environment: route == "sql" ? ["ECSH_KPI_ROUTE": "sql"] : [:])
        #expect(out == Self.kpiExpected, "\(out)")
        let json = try run(["kpi gmv by channel"], format: "json")
        #expect(json.contains(#"{"channel":"web","gmv":130.0},\#n{"channel":null,"gmv":50.0},\#n{"channel":"total""#), "\(json)")
    }

    /// On a PostgreSQL server (NULL last already ascending; the order is now written out, not left to the engine).
    @Test func kpiListsNoValueLastOnAServer() throws {
        let out = try run(Self.kpiStatements, workspace: [try PostgresServer.freshDatabase("nulllast")])
        #expect(out == Self.kpiExpected, "\(out)")
    }

    /// Segments side by side: big = c1 (web ¥130), small = c2 (no channel, ¥50) and c3 (app ¥20). The keys were listed
    /// as the segments first had them (web, ∅, app) and big, of one row, had no total (∅ beside small's ¥70).
    @Test(arguments: ["snapshot", "sql"]) func segmentsSideBySideSortTheirKeysAndTotalEach(route: String) throws {
        let out = try run(["segment big = revenue >= 100", "segment small = revenue < 100", "kpi gmv, customers by channel for big, small"],
                          environment: route == "sql" ? ["ECSH_KPI_ROUTE": "sql"] : [:])
        #expect(out == """
            channel,big gmv,big customers,small gmv,small customers
            app,,,20.0,1
            web,130.0,1,,
            ,,,50.0,1
            total,130.0,1,70.0,2

            """, "\(out)")
    }
}
