import Testing
import Foundation
import ECTestSupport

/// Segments on customer attributes reach NPS respondents who never ordered (issue 12,
/// "customer attributes for every customer"), through the real binary.
///
/// Orders: C1 (O1, O5) and C2 (O3) only; O2, O4, O6 are guests.
/// Customers: C1 ads, C2 organic, C3 ads, C4 organic, C5 organic (C3, C4, C5 never ordered).
/// Responses: C1 10, C2 6, C3 9, C4 3, C5 0 on 2024-01-20 then 10 on 2024-02-05 (latest 10),
/// C9 8 (in neither orders nor customers), one without a customer 10.
@Suite struct EveryCustomerTests {
    static let customers = """
        customer_id,signed_up_at,acquisition_channel
        C1,2023-12-01,ads
        C2,2023-12-02,organic
        C3,2023-12-03,ads
        C4,2023-12-04,organic
        C5,2023-12-05,organic

        """
    static let responses = """
        customer_id,responded_at,score
        C1,2024-02-01,10
        C2,2024-02-01,6
        C3,2024-02-02,9
        C4,2024-02-03,3
        C5,2024-01-20,0
        C5,2024-02-05,10
        C9,2024-02-03,8
        ,2024-02-04,10

        """

    func run(_ statements: [String]) throws -> [String] {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", ExportLayoutTests.guestOrders)
        let customers = try dir.write("customers.csv", EveryCustomerTests.customers)
        let nps = try dir.write("nps.csv", EveryCustomerTests.responses)
        var args = ["--format", "csv", "-c", "load orders from '\(orders)'", "-c", "load customers from '\(customers)'",
                    "-c", "load nps from '\(nps)'",
                    "-c", "segment organic = acquisition_channel = 'organic'", "-c", "segment ads = acquisition_channel = 'ads'",
                    "-c", "segment promoters = nps >= 9", "-c", "segment passives = nps >= 7 and nps <= 8"]
        for s in statements { args += ["-c", s] }
        let out = try runECSH(args)
        #expect(out.status == 0, "\(out.stderr)")
        return out.stdout.split(separator: "\n").map(String.init)
    }

    /// organic = C2 6, C4 3, C5 0 and 10: 4 responses, 1 promoter, 3 detractors, NPS 100 × (1 − 3) / 4 = −50
    /// (only C2's response, 1 detractor and NPS −100, if customers without orders dropped out).
    /// SE = 100 × √((p + d − (p − d)²) / n) = 100 × √((1 − 0.25) / 4) = 43.30.
    /// promoters (latest score ≥ 9) = C1, C3, C5 (C5's latest is 10): C1 10, C3 9, C5 0, C5 10 → 3 P, 1 D, NPS 50.
    /// passives (latest 7–8) = C9 only, in neither orders nor customers: 1 passive, NPS 0.
    @Test func npsForSegmentsIncludesRespondentsWithoutOrders() throws {
        let lines = try run(["nps for organic", "nps for promoters", "nps for passives"])
        let rows = lines.filter { $0.hasPrefix("all,") }.map { Array($0.split(separator: ",").prefix(7)) }
        #expect(rows.count == 3, "\(lines)")
        guard rows.count == 3 else { return }
        #expect(rows[0] == ["all", "4", "1", "0", "3", "-50.0", "43.30127018922193"])
        #expect(rows[1].prefix(6) == ["all", "4", "3", "0", "1", "50.0"])
        #expect(rows[2].prefix(6) == ["all", "1", "0", "1", "0", "0.0"])
    }

    /// The same figures through `nps compare A, B` and the KPI engine's `kpi nps for …`.
    /// ads = C1 10, C3 9 (C3 never ordered): 2 promoters, NPS 100. z = (−50 − 100) / √(43.30² + 0²) = −3.46.
    @Test func npsCompareAndKPIForSegments() throws {
        let lines = try run(["nps compare organic, ads", "kpi nps for organic, ads, promoters, passives"])
        #expect(lines.contains { $0.hasPrefix("organic,4,1,0,3,-50.0,") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("ads,2,2,0,0,100.0,") })
        let kpi = try #require(lines.firstIndex(of: "segment,nps"))
        #expect(Array(lines[(kpi + 1)...].prefix(4)) == ["organic,-50.0", "ads,100.0", "promoters,50.0", "passives,0.0"])
    }

    /// A segment on the facts' own columns that holds respondents without orders: `orders = 0` = C3 9, C4 3,
    /// C5 0 and 10, C9 8 (in neither orders nor customers): 5 responses, 2 promoters, 1 passive, 2 detractors,
    /// NPS 0, SE = 100 × √((0.4 + 0.4) − 0²) / √5 = 40. The response without a customer (10) is nobody's:
    /// counted, it would make 6 responses and NPS 16.7. By month: January C5 0 (NPS −100); February the
    /// other four, 2 promoters, 1 passive, 1 detractor (NPS 25). The same responses through `nps for`,
    /// `nps by month for`, `nps compare` and `kpi nps`, each a different place the condition is put in.
    @Test func npsForSegmentOnOrdersCountsRespondentsWithoutOrders() throws {
        let lines = try run(["segment nobuy = orders = 0", "nps for nobuy", "nps by month for nobuy",
                             "nps compare nobuy, organic", "kpi nps for nobuy", "kpi nps by month for nobuy"])
        #expect(lines.contains { $0.hasPrefix("all,5,2,1,2,0.0,40.0,") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("2024-01,1,0,0,1,-100.0,") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("2024-02,4,2,1,1,25.0,") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("nobuy,5,2,1,2,0.0,") }, "\(lines)")
        #expect(lines.contains("nobuy,0.0"), "\(lines)")
        #expect(lines.contains("nobuy,2024-01,-100.0") && lines.contains("nobuy,2024-02,25.0"), "\(lines)")
    }

    /// Orders and responses without a customers dataset (no customers columns in the facts): a segment on
    /// orders, on the latest score, through each NPS statement. buyers (orders >= 1) = C1 10, C2 6: 2 responses,
    /// 1 promoter, 1 detractor; nobuy = C3 9, C4 3, C5 0 and 10, C9 8: 5 responses, 2/1/2; happy (latest score
    /// ≥ 9) = C1, C3, C5: C1 10, C3 9, C5 0, C5 10, 3 promoters and 1 detractor, NPS 50. (Session 31's
    /// relation named the attributes' table, which a workspace without customers does not have.)
    @Test func npsForSegmentsWithoutCustomersDataset() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", ExportLayoutTests.guestOrders)
        let nps = try dir.write("nps.csv", EveryCustomerTests.responses)
        var args = ["--format", "csv", "-c", "load orders from '\(orders)'", "-c", "load nps from '\(nps)'",
                    "-c", "segment buyers = orders >= 1", "-c", "segment nobuy = orders = 0", "-c", "segment happy = nps >= 9"]
        for s in ["nps for buyers", "nps compare buyers, nobuy", "kpi nps for buyers, nobuy, happy", "nps for happy"] {
            args += ["-c", s]
        }
        let out = try runECSH(args)
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("all,2,1,0,1,0.0,") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("buyers,2,1,0,1,0.0,") } && lines.contains { $0.hasPrefix("nobuy,5,2,1,2,0.0,") }, "\(lines)")
        #expect(lines.contains("buyers,0.0") && lines.contains("nobuy,0.0") && lines.contains("happy,50.0"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("all,4,3,0,1,50.0,") }, "\(lines)")
    }

    /// Customers and answers without orders (a survey team's workspace): `nps by acquisition_channel` and
    /// `nps compare by` it read the customers dataset. ads = C1 10, C3 9: 2 promoters, NPS 100; organic = C2 6,
    /// C4 3, C5 0 and 10: 1 promoter, 3 detractors, NPS −50; no value (an empty CSV cell) = C9 8 and the answer without a customer 10:
    /// 1 promoter, 1 passive, NPS 50. A grouping that needs orders (first_channel) still says so.
    @Test func npsByCustomersColumnWithoutOrders() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let customers = try dir.write("customers.csv", EveryCustomerTests.customers)
        let nps = try dir.write("nps.csv", EveryCustomerTests.responses)
        let out = try runECSH(["--format", "csv", "-c", "load customers from '\(customers)'", "-c", "load nps from '\(nps)'",
                               "-c", "nps by acquisition_channel", "-c", "nps compare by acquisition_channel"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("acquisition_channel,responses,promoters") })
        #expect(Array(lines[(header + 1)...].prefix(3).map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(6).joined(separator: ",") })
                == ["ads,2,2,0,0,100.0", "organic,4,1,0,3,-50.0", ",2,1,1,0,50.0"], "\(lines)")
        #expect(lines.contains { $0.hasPrefix("ads,2,100.0,") } && lines.contains { $0.hasPrefix("organic,4,-50.0,") }, "\(lines)")
        let first = try runECSH(["-c", "load customers from '\(customers)'", "-c", "load nps from '\(nps)'", "-c", "nps by first_channel"])
        #expect(first.status != 0 && first.stderr.contains("load orders"), "\(first.stderr)")
    }

    /// A segment and a grouping together: `nps by acquisition_channel for organic` has the one group, organic,
    /// with the same 4 responses.
    @Test func npsByAttributeForSegment() throws {
        let lines = try run(["nps by acquisition_channel for organic"])
        let header = try #require(lines.firstIndex { $0.hasPrefix("acquisition_channel,responses") })
        #expect(lines[header + 1].hasPrefix("organic,4,1,0,3,-50.0,"), "\(lines)")
        #expect(!lines.contains { $0.hasPrefix("ads,") || $0.hasPrefix("(none),") })
    }
}
