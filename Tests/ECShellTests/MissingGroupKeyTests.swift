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

    func run(_ statements: [String], format: String = "csv") throws -> String {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let o = try dir.write("orders.csv", Self.orders), c = try dir.write("customers.csv", Self.customers)
        let n = try dir.write("nps.csv", Self.nps)
        let out = try runECSH(["--format", format, "-c", "load orders from '\(o)'", "-c", "load customers from '\(c)'",
                               "-c", "load nps from '\(n)'"] + statements.flatMap { ["-c", $0] })
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
}
