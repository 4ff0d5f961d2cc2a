import Testing
import ECStore
@testable import ECAnalytics

/// The seeded shop of `CohortGeneratedTests` with random spend; every figure
/// is recomputed in plain Swift over the generated rows.
@Suite struct UnitEconomicsGeneratedTests {
    @Test(arguments: [0, 3, 9])
    func byChannelMatchesPlainSwift(horizon h: Int) throws {
        let shop = try CohortGeneratedTests.makeShop(seed: 99)
        let spendRows = Workspace.randomSpend(seed: 5, count: 40, channels: ["own", "rakuten", "amazon", "yahoo"])
        try Workspace.addSpend(shop.db, spendRows)
        let ue = try UnitEconomicsEngine(shop.db).run(UnitEconomicsQuery(by: .channel, horizonMonths: h, orders: Workspace.counted))

        // Reference.
        func month(_ day: Int) -> Int { ReferenceCalendar.period(.month, ofDay: day).ordinal }
        // as_of: the last counted order's day (a later cancelled order does not extend the data).
        let countedDays = zip(shop.orders, shop.days).filter { !["cancelled", "returned", "refunded"].contains($0.0.status ?? "") }.map(\.1)
        let lastMonth = month(countedDays.max()!)
        struct Line { var order: OrderFixture; var day: Int }
        var byCustomer: [String: [Line]] = [:]
        var orders: [String?: (n: Int, revenue: Double, margin: Double, gmv: Double, commission: Double)] = [:]
        func margin(_ o: OrderFixture) -> Double {
            o.amount - (o.discount ?? 0) - (o.points ?? 0) - (o.cogs ?? 0) - (o.shipping ?? 0) - (o.commission ?? 0)
        }
        for (o, day) in zip(shop.orders, shop.days) where !["cancelled", "returned", "refunded"].contains(o.status ?? "") {
            byCustomer[o.customer, default: []].append(Line(order: o, day: day))
            var s = orders[o.channel] ?? (0, 0, 0, 0, 0)
            s.n += 1
            s.revenue += o.amount - (o.discount ?? 0) - (o.points ?? 0)
            s.margin += margin(o)
            s.gmv += o.amount
            s.commission += o.commission ?? 0
            orders[o.channel] = s
        }
        // Per first channel: customers as (first month, [(offset, CM2)]).
        var customers: [String?: [(first: Int, orders: [(offset: Int, margin: Double)])]] = [:]
        for (_, lines) in byCustomer {
            let sorted = lines.sorted { ($0.day, Int($0.order.id.dropFirst())!) < ($1.day, Int($1.order.id.dropFirst())!) }
            let first = month(sorted[0].day)
            customers[sorted[0].order.channel, default: []].append(
                (first, sorted.map { (month($0.day) - first, margin($0.order)) }))
        }
        var spend: [String?: Double] = [:]
        for r in spendRows { spend[r.channel!, default: 0] += r.spend }

        // Channels with spend up to as_of and no order (yahoo here) are rows too, with their spend and no CAC.
        let asOf = ReferenceCalendar.dateText(ofDay: countedDays.max()!)
        let spentUpToAsOf = Set(spendRows.filter { $0.date <= asOf }.map(\.channel))
        let groups = Set(customers.keys).union(orders.keys).union(spentUpToAsOf)
        #expect(Set(ue.rows.map(\.group)) == groups)
        // Orders without a channel: the NULL group (nil), never a text.
        #expect(groups.contains(nil))
        for row in ue.rows {
            let list = customers[row.group] ?? []
            #expect(row.newCustomers == list.count, "\(String(describing: row.group))")
            guard let s = orders[row.group] else {
                #expect(row.orders == 0 && row.aov == nil && row.cac == nil && spend[row.group] != nil, "\(String(describing: row.group))")
                continue
            }
            #expect(row.orders == s.n)
            #expect(abs(row.aov! - s.revenue / Double(s.n)) < 1e-6)
            #expect(abs(row.marginPerOrder! - s.margin / Double(s.n)) < 1e-6)
            #expect(abs(row.commissionBurden! - s.commission / s.gmv) < 1e-9)
            // Orders without a channel are neither a mall's nor the own shop's.
            let mall = row.group.map { ["rakuten", "amazon", "yahoo"].contains($0) }
            #expect(row.isMall == mall, "\(String(describing: row.group))")
            let eligible = list.filter { $0.first + h <= lastMonth }
            if eligible.isEmpty {
                #expect(row.ltv == nil)
            } else {
                let ltv = eligible.reduce(0.0) { $0 + $1.orders.filter { $0.offset <= h }.reduce(0) { $0 + $1.margin } } / Double(eligible.count)
                let perCustomer = Double(eligible.reduce(0) { $0 + $1.orders.filter { $0.offset <= h }.count }) / Double(eligible.count)
                #expect(abs(row.ltv! - ltv) < 1e-6, "\(String(describing: row.group)) LTV")
                #expect(abs(row.ordersPerCustomer! - perCustomer) < 1e-9, "\(String(describing: row.group)) orders/customer")
            }
            guard let groupSpend = spend[row.group], !list.isEmpty else {
                #expect(row.cac == nil && row.payback == nil, "\(String(describing: row.group))")
                continue
            }
            let cac = groupSpend / Double(list.count)
            #expect(abs(row.cac! - cac) < 1e-9)
            // Payback: first offset whose cumulative CM2 per observed customer reaches CAC.
            var expected: CohortMatrix.Payback = .notYet
            for k in 0...40 {
                let observed = list.filter { $0.first + k <= lastMonth }
                guard !observed.isEmpty else { break }
                let value = observed.reduce(0.0) { $0 + $1.orders.filter { $0.offset <= k }.reduce(0) { $0 + $1.margin } } / Double(observed.count)
                if value >= cac { expected = .offset(k); break }
            }
            #expect(row.payback == expected, "\(String(describing: row.group)) payback")
        }
        let totalGMV = orders.values.reduce(0) { $0 + $1.gmv }
        let mallGMV = orders.filter { ["rakuten", "amazon", "yahoo"].contains($0.key) }.values.reduce(0) { $0 + $1.gmv }
        #expect(abs(ue.mallDependence! - mallGMV / totalGMV) < 1e-12)
        #expect(ue.total?.newCustomers == byCustomer.count)
    }
}
