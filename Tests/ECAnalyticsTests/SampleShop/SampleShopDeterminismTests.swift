import Foundation
import Testing
import ECTestSupport
@testable import ECAnalytics

@Suite struct SampleShopDeterminismTests {
    static let small = SampleShopSpec(orders: 3_000, seed: 7)

    @Test func sameSeedGivesIdenticalBytes() throws {
        let first = try GeneratedShop.make(Self.small)
        let second = try GeneratedShop.make(Self.small)
        for name in SampleShop.fileNames {
            let a = try #require(first.bytes[name]), b = try #require(second.bytes[name])
            #expect(GeneratedShop.fingerprint(a) == GeneratedShop.fingerprint(b), "\(name)")
            let same = a == b  // not inside #expect: a failure would print both files
            #expect(same, "\(name)")
            #expect(a.count > 100, "\(name) is suspiciously small")
        }
    }

    @Test func differentSeedGivesADifferentShop() throws {
        let first = try GeneratedShop.make(Self.small)
        var other = Self.small
        other.seed = 8
        let second = try GeneratedShop.make(other)
        for name in SampleShop.fileNames {
            let a = try #require(first.bytes[name]), b = try #require(second.bytes[name])
            #expect(GeneratedShop.fingerprint(a) != GeneratedShop.fingerprint(b), "\(name)")
        }
    }

    /// Both layouts draw the same shop; only row order and order ids differ.
    @Test func layoutsHoldTheSameRows() throws {
        var spec = Self.small
        spec.layout = .chronological
        let sorted = try GeneratedShop.make(spec)
        spec.layout = .byCustomer
        let grouped = try GeneratedShop.make(spec)
        for name in ["customers.csv", "ad_spend.csv", "traffic.csv"] {
            let same = sorted.bytes[name] == grouped.bytes[name]
            #expect(same, "\(name)")
        }
        let withoutId = { (table: RFC4180Reader.Table) in table.rows.map { $0.dropFirst().joined(separator: "\u{1F}") }.sorted() }
        let sameOrders = withoutId(sorted.orders) == withoutId(grouped.orders)
        #expect(sameOrders && sorted.orders.rows.count > 2_000)
        let answers = { (table: RFC4180Reader.Table) in table.rows.map { $0.joined(separator: "\u{1F}") }.sorted() }
        let sameAnswers = answers(sorted.nps) == answers(grouped.nps)
        #expect(sameAnswers && sorted.nps.rows.count > 100)
        #expect(sorted.summary.chronological && !grouped.summary.chronological)

        // Chronological: ids count up in time order. By customer: each customer's rows are together.
        let times = sorted.orders.values("ordered_at")
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        let ids = sorted.orders.values("order_id") == (1...sorted.orders.rows.count).map { GeneratedShop.identifier("O", $0) }
        #expect(ids)
        var seen = Set<String>()
        var previous = ""
        for customer in grouped.orders.values("customer_id") where customer != previous {
            #expect(seen.insert(customer).inserted, "\(customer)'s orders are split")
            previous = customer
        }
    }

    @Test func automaticLayoutSortsOnlySmallShops() {
        #expect(SampleShopSpec(orders: SampleShopSpec.chronologicalLimit).isChronological)
        #expect(!SampleShopSpec(orders: SampleShopSpec.chronologicalLimit + 1).isChronological)
        #expect(!SampleShopSpec(orders: 10, layout: .byCustomer).isChronological)
    }

    @Test func summaryCountsMatchTheFiles() throws {
        let shop = try GeneratedShop.make(Self.small)
        let byName = Dictionary(uniqueKeysWithValues: shop.summary.files.map { ($0.name, $0) })
        #expect(Set(byName.keys) == Set(SampleShop.fileNames))
        let tables = ["orders.csv": shop.orders, "customers.csv": shop.customers, "ad_spend.csv": shop.spend,
                      "traffic.csv": shop.traffic, "nps.csv": shop.nps]
        for (name, table) in tables {
            #expect(byName[name]?.rows == table.rows.count, "\(name)")
            #expect(byName[name]?.bytes == shop.bytes[name]?.count, "\(name)")
        }
        #expect(shop.summary.orders == shop.orders.rows.count)
        #expect(shop.summary.customers == shop.customers.rows.count)
        // The target is approximate: a pilot sizes the shop, Poisson arrivals add noise.
        #expect(abs(shop.orders.rows.count - 3_000) < 300)
    }

    @Test(arguments: [
        (SampleShopSpec(orders: 0), "orders must be between"),
        (SampleShopSpec(orders: 10, start: SampleShopDate("2024-01-01")!, end: SampleShopDate("2024-01-10")!),
         "at least 28 days"),
        (SampleShopSpec(orders: 10, start: SampleShopDate("2024-01-01")!, end: SampleShopDate("2023-01-01")!),
         "must come after the start date 2024-01-01"),
    ])
    func invalidSpecsAreRejected(spec: SampleShopSpec, message: String) throws {
        let directory = try TemporaryDirectory("ecsh-shop")
        defer { directory.remove() }
        #expect {
            _ = try SampleShop.generate(spec, into: directory.url.path)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    /// Any date range and tiny sizes work; every date stays inside the range.
    @Test(arguments: [(1, "2024-01-01", "2024-03-31"), (40, "2020-02-01", "2020-02-29"), (2_000, "2021-07-01", "2022-06-30")])
    func customRangesAndTinyShops(orders: Int, start: String, end: String) throws {
        let spec = SampleShopSpec(orders: orders, seed: 3, start: SampleShopDate(start)!, end: SampleShopDate(end)!)
        let shop = try GeneratedShop.make(spec)
        let dates = shop.orders.values("ordered_at") + shop.customers.values("signed_up_at")
            + shop.nps.values("responded_at") + shop.spend.values("date") + shop.traffic.values("date")
        #expect(dates.allSatisfy { String($0.prefix(10)) >= start && String($0.prefix(10)) <= end })
        let days = Set(shop.traffic.values("date"))
        #expect(days.count == SampleShop.daysSinceEpoch(year: Int(end.prefix(4))!, month: Int(end.dropFirst(5).prefix(2))!,
                                                        day: Int(end.suffix(2))!)
                - SampleShop.daysSinceEpoch(year: Int(start.prefix(4))!, month: Int(start.dropFirst(5).prefix(2))!,
                                            day: Int(start.suffix(2))!) + 1)
        if orders >= 2_000 { #expect(abs(Double(shop.orders.rows.count) / Double(orders) - 1) < 0.1) }
    }

    @Test func unwritableDirectoryIsAClearError() throws {
        let directory = try TemporaryDirectory("ecsh-shop")
        defer { directory.remove() }
        let file = try directory.write("plain-file", "x")
        #expect {
            _ = try SampleShop.generate(Self.small, into: file + "/shop")
        } throws: { error in
            "\(error)".contains("cannot write")
        }
    }
}

extension GeneratedShop {
    /// `O00000042`-style identifiers, built independently of the generator.
    static func identifier(_ prefix: String, _ number: Int) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
