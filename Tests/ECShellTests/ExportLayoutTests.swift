import Testing
import Foundation
import ECTestSupport

/// Real export layouts, guests, statuses and customer attributes, through the real binary.
///
/// Every expected figure is worked out by hand from the fixture files in
/// Tests/ECShellTests/Fixtures (order by order in the comments).
@Suite struct ExportLayoutTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// `kpi gmv, orders, customers, revenue` as one CSV row after loading `file` with `preset`.
    func figures(_ file: String, preset: String) throws -> (row: String, stdout: String) {
        let path = ExportLayoutTests.fixtures.appendingPathComponent(file).path
        let out = try runECSH(["--format", "csv", "-c", "load orders from '\(path)' preset \(preset)",
                               "-c", "kpi gmv, orders, customers, revenue"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex(of: "gmv,orders,customers,revenue"))
        // The load's notes (statuses, guests, collapsed items) are on stderr: the output contract.
        return (lines[header + 1], out.stdout + out.stderr)
    }

    /// Shopify: 13 orders on 17 rows. Sales: #1001 3,000 (Subtotal 2,700 + discount 300), #1003 4,000,
    /// #1004 800 (POS guest), #1006 5,500 (partially refunded: 5,000 + 500), #1008 1,800 (pending),
    /// #1009 600 (authorized guest), #1010 3,000 (partially paid), #1011 2,750 (2,500 + 250), #1013 1,000.
    /// Not sales: #1002 refunded, #1005 voided, #1007 Cancelled at, #1012 expired.
    /// GMV 22,450 over 9 orders; customers taro (#1001 " Taro@Example.jp ", #1003), dave, frank, gina,
    /// bob (#1011 "BOB@example.com"), hana = 6; revenue 22,450 − discounts 300 + 500 + 250 = 21,400.
    @Test func shopify() throws {
        let (row, out) = try figures("shopify_orders_export.csv", preset: "shopify")
        #expect(row == "22450.0,9,6,21400.0", "\(out)")
        #expect(out.contains("statuses: 5 completed · 3 pending · 1 partially_refunded · 1 refunded · 3 cancelled"))
        #expect(out.contains("note: 2 guest orders (no customer key)"))
        #expect(out.contains("collapsed 17 line items into 13 orders (preset shopify)"))
    }

    /// Rakuten RMS (CP932, CRLF, all quoted): 16 orders on 18 rows. Sales (合計): 0000001 3,300,
    /// 0000003 2,200, 0000004 5,500, 0000006 4,400, 0000008 2,000 (guest; 送料 -99999), 0000009 1,320,
    /// 0000011 3,000, 0000012 1,500, 0000013 700, 0000014 1,200, 0000015 800, 0000016 2,600 = 28,520 over 12.
    /// Not sales: キャンセル確定, 返品, キャンセル, 返金. Customers: a1 (A1@… and a1@…), d4, f6, i9, j10, k11,
    /// l12, m13 = 8. Revenue = 28,520 − coupons (200 + 500) − points (100 + 500 + 120) = 27,100.
    @Test func rakuten() throws {
        let (row, out) = try figures("rakuten_rms_orders.csv", preset: "rakuten")
        #expect(row == "28520.0,12,8,27100.0", "\(out)")
        #expect(out.contains("statuses: 4 completed · 8 pending · 1 refunded · 1 returned · 2 cancelled"))
    }

    /// Amazon (tab-separated, one row per item): 12 orders on 16 rows. Sales (Σ item-price): 01 3,500,
    /// 03 800, 04 3,000, 05 2,500, 07 2,000, 08 4,000, 10 1,800, 11 600, 12 2,000 = 20,200 over 9.
    /// Not sales: 02 and 09 Canceled, 06 Unfulfillable. No buyer key: 0 customers.
    /// Revenue = 20,200 − promotions 200 − 400 = 19,600.
    @Test func amazon() throws {
        let (row, out) = try figures("amazon_all_orders.txt", preset: "amazon")
        #expect(row == "20200.0,9,0,19600.0", "\(out)")
        #expect(out.contains("statuses: 4 completed · 5 pending · 2 cancelled · 1 failed"))
        #expect(out.contains("has no buyer identity"))
    }

    /// Yahoo! (status codes, item rows): 8 orders on 10 rows. Sales (Σ UnitPrice × Quantity): 01 3,000
    /// (1,200 × 2 + 600), 03 800, 04 2,000, 05 1,400 (guest), 06 2,500, 08 2,000 (1,000 + 500 × 2) = 11,700
    /// over 6; code 4 (キャンセル) twice is not a sale. Customers y1 (Y1@… and y1@…), y4, y6 = 3.
    /// Revenue = 11,700 − points 100 − discount 250 = 11,350.
    @Test func yahoo() throws {
        let (row, out) = try figures("yahoo_orders.csv", preset: "yahoo")
        #expect(row == "11700.0,6,3,11350.0", "\(out)")
        #expect(out.contains("statuses: 3 completed · 3 pending · 2 cancelled"))
    }

    static let guestOrders = """
        order_id,customer_id,ordered_at,amount,channel,discount
        O1,C1,2024-01-05,1000,own,0
        O2,,2024-01-06,500,own,0
        O3,C2,2024-01-10,2000,rakuten,100
        O4,,2024-02-01,700,amazon,0
        O5,C1,2024-02-03,1500,own,0
        O6,,2024-02-10,300,own,0

        """

    /// Guests count in order KPIs and not in customer KPIs, on the snapshot route and the SQL route.
    /// January: O1 1,000 + O2 500 (guest) + O3 2,000 = 3,500, 3 orders, revenue 3,400, AOV 3,400 / 3;
    /// customers C1, C2 (both new). February: O4 700 + O5 1,500 + O6 300 = 2,500, 3 orders,
    /// customers C1 (returning); repeat rate C1 (2 orders) of C1, C2 = 50%.
    @Test(arguments: ["", " where amount > 0"])
    func guestsOnBothKPIRoutes(_ filter: String) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", ExportLayoutTests.guestOrders)
        let out = try runECSH(["--format", "csv", "-c", "load orders from '\(orders)'",
                               "-c", "kpi gmv, orders, revenue, aov, customers, new_customers, returning_customers, repeat_rate by month\(filter)"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("note: 3 guest orders (no customer key)"))
        let rows = out.stdout.split(separator: "\n").filter { $0.hasPrefix("2024-") }.map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == 2)
        #expect(rows.first.map { Array($0[1...3]) + [String($0[4].prefix(7))] + Array($0[5...8]) }
                == ["3500.0", "3", "3400.0", "1133.33", "2", "2", "0", "0.0"])
        #expect(rows.last.map { Array($0[1...3]) + [String($0[4].prefix(6))] + Array($0[5...8]) }
                == ["2500.0", "3", "2500.0", "833.33", "1", "0", "1", "0.5"])
    }

    /// Cohorts leave guests out; unit economics counts them in orders, AOV and GMV share only.
    /// By channel: own = O1, O2, O5, O6: 4 orders, revenue 3,300, AOV 825, GMV share 3,300 / 6,000 = 55%;
    /// amazon O4 700 = 11.7%; rakuten O3 = 33.3%; mall dependence (2,000 + 700) / 6,000 = 45%.
    /// CAC 3,000 / 2 customers; M1 cumulative margin per customer (1,000 + 1,900 + 1,500) / 2 = 2,200 ≥ 1,500.
    @Test func guestsInCohortsAndUnitEconomics() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", ExportLayoutTests.guestOrders)
        let spend = try dir.write("spend.csv", "date,spend,channel\n2024-01-15,3000,own\n")
        let out = try runECSH(["--format", "csv", "-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'",
                               "-c", "cohort retention by month periods 2", "-c", "unit economics by channel"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("2024-01,2,1.0,0.5"), "\(out.stdout)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        func row(_ name: String) -> [String] { lines.first { $0.hasPrefix(name + ",") }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? [] }
        #expect(row("own").prefix(6) == ["own", "1", "3000.0", "3000.0", "4", "825.0"])
        #expect(row("amazon").prefix(6) == ["amazon", "0", "", "", "1", "700.0"])
        #expect(row("total").prefix(6) == ["total", "2", "3000.0", "1500.0", "6", String(5900.0 / 6)])
        // Notes come after tables (not in CSV): on stderr when stdout is not a terminal.
        let table = try runECSH(["-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'", "-c", "unit economics by channel"],
                                mergingStandardError: true)
        let all = table.stdout
        #expect(all.contains("mall dependence = GMV through mall channels (amazon, rakuten, yahoo) / total GMV = 45.0%"))
        #expect(all.contains("3 guest orders (no customer_id) count in orders, AOV, CM2 per order and GMV share"))
    }

    /// NPS by a customers-dataset attribute covers customers without orders. C3 and C4 never ordered.
    /// ads: C1 10, C3 9 → 2 promoters, NPS 100; organic: C2 6, C4 3 → 2 detractors, NPS −100;
    /// no value (∅, an empty CSV cell): C9 (not in customers) 8 and a response without customer 10 → NPS 100 × (1 − 0) / 2 = 50.
    @Test func npsByAcquisitionChannelIncludesRespondentsWithoutOrders() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", ExportLayoutTests.guestOrders)
        let customers = try dir.write("customers.csv", "customer_id,signed_up_at,acquisition_channel\nC1,2023-12-01,ads\nC2,2023-12-02,organic\nC3,2023-12-03,ads\nC4,2023-12-04,organic\n")
        let nps = try dir.write("nps.csv", "customer_id,responded_at,score\nC1,2024-02-01,10\nC2,2024-02-01,6\nC3,2024-02-02,9\nC4,2024-02-03,3\nC9,2024-02-03,8\n,2024-02-04,10\n")
        let out = try runECSH(["--format", "csv", "-c", "load orders from '\(orders)'", "-c", "load customers from '\(customers)'",
                               "-c", "load nps from '\(nps)'", "-c", "nps by acquisition_channel"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("ads,2,2,0,0,100.0,"), "\(out.stdout)")
        #expect(out.stdout.contains("organic,2,0,0,2,-100.0,"))
        #expect(out.stdout.contains("\n,2,1,1,0,50.0,"), "\(out.stdout)")
    }

    /// An unknown status is shown with its count and treatment; `set status` says what it means,
    /// updates loaded orders and applies to later loads. 12 orders, 6 cancel words in 6 spellings.
    @Test func unknownStatusAndSetStatus() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let words = ["paid", "canceled", "shipped", "voided", "キャンセル", "完了", "ｷｬﾝｾﾙ", "delivered", "Cancelled",
                     "発送済み", "キャンセル確定", "Awaiting Pickup"]
        var text = "order_id,customer_id,ordered_at,amount,status\n"
        for (i, w) in words.enumerated() { text += "O\(i),C\(i),2024-01-\(10 + i),100,\(w)\n" }
        let orders = try dir.write("orders.csv", text)
        let out = try runECSH(["--format", "csv", "-c", "load orders from '\(orders)'", "-c", "kpi orders",
                               "-c", "set status 'Awaiting Pickup', cancelled", "-c", "kpi orders", "-c", "describe orders"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("statuses: 5 completed · 6 cancelled · 1 unknown"), "\(out.stderr)")
        #expect(out.stderr.contains("warning: unknown status 'Awaiting Pickup' on 1 order: counted as a sale (orders count unless status is cancelled/returned/refunded/failed)"))
        // 5 completed + the unknown one count, then only the 5.
        let counts = out.stdout.split(separator: "\n").enumerated().filter { $0.element == "orders" }.map { out.stdout.split(separator: "\n")[$0.offset + 1] }
        #expect(counts == ["6", "5"])
        #expect(out.stderr.contains("status 'Awaiting Pickup' = cancelled (1 loaded order updated)"))
        let described = try runECSH(["-c", "load orders from '\(orders)'", "-c", "set status 'Awaiting Pickup', cancelled",
                                     "-c", "describe orders"])
        #expect((described.stdout + described.stderr).contains("statuses: 5 completed · 7 cancelled"), "\(described.stdout)")
    }
}
