import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// `nps by first_channel` and `nps by cohort` read the customer's value from the facts' own table
/// under the view, by its id index, and give the groups plain Swift gives from the orders.
@Suite struct NPSFactsLookupTests {
    @Test func firstChannelAndCohortFromTheBaseTable() throws {
        let shop = try KPIGeneratedShop(seed: 21, count: 2000)
        let db = shop.w.db
        #expect(try CustomerFacts.viewAttributes(db) != nil, "the facts are the view over their tables")
        // Responses from customers with orders, from ids with none, and without an id.
        try db.execute("CREATE TABLE nps (score INTEGER, responded_at TEXT, day INTEGER, customer_id TEXT)")
        var rng = SplitMix64(seed: 5)
        let ids = Array(Set(shop.orders.map(\.customer))).sorted() + ["NOBODY1", "NOBODY2"]
        var responses: [(score: Int, customer: String?)] = []
        for _ in 0..<600 {
            let customer: String? = Int.random(in: 0..<20, using: &rng) == 0 ? nil : ids.randomElement(using: &rng)!
            responses.append((Int.random(in: 0...10, using: &rng), customer))
            try db.execute("INSERT INTO nps VALUES (?, '2024-05-01', 19844, ?)",
                           [.integer(Int64(responses.last!.score)), customer.map { .text($0) } ?? .null])
        }
        // Each customer's first counted order (day, then time, then id): its channel and month.
        var first: [String: GenOrder] = [:]
        for o in shop.orders where o.counted {
            if let f = first[o.customer], (f.day, f.at, f.id) <= (o.day, o.at, o.id) { continue }
            first[o.customer] = o
        }
        func expected(_ value: (GenOrder) -> String) -> [String?: Double] {
            var groups: [String?: [Int]] = [:]
            for r in responses { groups[r.customer.flatMap { first[$0] }.map(value), default: []].append(r.score) }
            return groups.mapValues { s in Double(s.filter { $0 >= 9 }.count - s.filter { $0 <= 6 }.count) / Double(s.count) * 100 }
        }
        let selection = OrderSelection(countedOrders: MetricSettings().countedCondition())
        for (attribute, value) in [(CustomerAttribute.firstChannel, { (o: GenOrder) in o.channel }),
                                   (CustomerAttribute.column("cohort", of: CustomerFacts.table), { (o: GenOrder) in o.month })] {
            let lookup = try attribute.lookupQuery(orders: selection, in: db)
            #expect(lookup.sql.hasSuffix("FROM \(CustomerFacts.baseTable)"), "\(lookup.sql)")
            let groups = try NPSEngine(db).groups(by: .attribute(attribute), orders: selection)
            let want = expected(value)
            #expect(groups.count == want.count && groups.count > 3)
            for g in groups {
                #expect(abs((g.summary.nps ?? .nan) - (want[g.label] ?? .nan)) < 1e-9, "\(attribute.name) \(String(describing: g.label))")
            }
        }
    }
}
