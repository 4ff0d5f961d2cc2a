import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// The figures of `kpi tree`'s two periods: from the order snapshot (customers, members and first
/// days) and from SQL over the rows alone (`read`), each checked against sums in plain Swift over the
/// generated orders, guest orders among them.
@Suite struct KPITreeFiguresTests {
    /// The generated shop plus guest orders (no customer_id), some cancelled.
    static func shop(seed: UInt64) throws -> (KPIGeneratedShop, [GenOrder]) {
        let shop = try KPIGeneratedShop(seed: seed, count: 2500)
        var rng = SplitMix64(seed: seed &+ 1)
        var guests: [GenOrder] = []
        for i in 0..<120 {
            let day = WorkspaceBuilder.day("2023-01-01") + Int.random(in: 0..<547, using: &rng)
            let date = Date(timeIntervalSince1970: Double(day) * 86400)
            let at = String(ISO8601DateFormatter().string(from: date).prefix(10)) + " 12:00:00"
            let amount = Double(Int.random(in: 10...300, using: &rng) * 100)
            let g = GenOrder(id: String(format: "G%05d", i), customer: "", at: at, day: day, amount: amount,
                             channel: ["own", "rakuten"].randomElement(using: &rng)!,
                             status: ["completed", "completed", "cancelled"].randomElement(using: &rng)!,
                             discount: 100, points: Bool.random(using: &rng) ? nil : 50, cogs: amount * 0.3, shipping: 400,
                             commission: amount * 0.1, quantity: 1)
            guests.append(g)
            try shop.w.db.execute("INSERT INTO orders VALUES (?,NULL,?,?,?,?,?,?,?,?,?,?,1,NULL,NULL)", [
                .text(g.id), .text(g.at), .integer(Int64(g.day)), .real(g.amount), .text(g.channel), .text(g.status),
                .real(g.discount), g.points.map { .real($0) } ?? .null, .real(g.cogs!), .real(g.shipping), .real(g.commission)])
        }
        try CustomerFacts.rebuild(shop.w.db, settings: MetricSettings())
        return (shop, shop.orders + guests)
    }

    /// What the tree needs of `days`, summed in Swift from the orders.
    static func expected(_ orders: [GenOrder], days: ClosedRange<Int>, window: Int, malls: Set<String>) -> [Double] {
        let counted = orders.filter(\.counted)
        let inPeriod = counted.filter { days.contains($0.day) }
        let members = (days.upperBound - window + 1)...days.upperBound
        let inWindow = counted.filter { members.contains($0.day) }
        var first: [String: Int] = [:]
        for o in counted where !o.customer.isEmpty { first[o.customer] = min(first[o.customer] ?? .max, o.day) }
        func total(_ list: [GenOrder], _ value: (GenOrder) -> Double) -> Double { list.reduce(0) { $0 + value($1) } }
        func people(_ list: [GenOrder]) -> Double { Double(Set(list.map(\.customer).filter { !$0.isEmpty }).count) }
        return [total(inPeriod, \.amount), total(inPeriod, \.discount), total(inPeriod) { $0.points ?? 0 },
                total(inPeriod) { $0.cogs ?? 0 }, total(inPeriod, \.shipping), total(inPeriod, \.commission),
                Double(inPeriod.count), people(inPeriod), Double(first.values.filter { days.contains($0) }.count),
                total(inPeriod.filter { malls.contains($0.channel) }, \.amount), total(inPeriod, \.net), total(inPeriod, \.cm2),
                people(inWindow), Double(first.values.filter { members.contains($0) }.count), Double(inWindow.count),
                total(inWindow, \.cm2)]
    }

    static func values(_ f: PeriodFigures) -> [Double] {
        [f.gmv, f.discount, f.points, f.cogs, f.shipping, f.commission, f.orders, f.customers, f.newCustomers,
         f.mallGMV, f.revenue, f.margin, f.members, f.newMembers, f.memberOrders, f.memberMargin]
    }

    @Test(arguments: [(UInt64(3), "2023-05-01", "2023-05-31", "2023-06-01", "2023-06-30"),
                      (UInt64(3), "2023-10-01", "2023-12-31", "2024-04-01", "2024-06-30"),
                      (UInt64(8), "2024-06-17", "2024-06-23", "2024-06-24", "2024-06-30"),
                      (UInt64(8), "2022-12-01", "2022-12-31", "2023-01-01", "2023-01-31"),
                      // Both periods before the first order: no rows to sum (the snapshot's row range is empty).
                      (UInt64(8), "2022-10-01", "2022-10-31", "2022-11-01", "2022-11-30")])
    func snapshotAndRowsGiveTheSameFiguresAsSwift(seed: UInt64, a0: String, a1: String, b0: String, b1: String) throws {
        let (shop, orders) = try Self.shop(seed: seed)
        let db = shop.w.db
        var settings = MetricSettings()
        settings.activeWindowDays = 90
        let selection = OrderSelection(countedOrders: settings.countedCondition())
        let periods: [(label: String, days: ClosedRange<Int>)] = [
            ("a", WorkspaceBuilder.day(a0)...WorkspaceBuilder.day(a1)), ("b", WorkspaceBuilder.day(b0)...WorkspaceBuilder.day(b1))]
        let snapshot = try #require(try OrderSnapshot.holding(selection, in: db), "the rebuild made a snapshot of every counted order")
        let fromSnapshot = try PeriodFigures.fromSnapshot(snapshot, db: db, selection: selection, settings: settings, periods: periods)
        let firstDays = try PeriodFigures.FirstDays(db, selection: selection)
        let fromRows = try periods.map {
            try PeriodFigures.read(db, selection: selection, settings: settings, label: $0.label, days: $0.days, firstDays: firstDays)
        }
        let readAll = try PeriodFigures.readAll(db, selection: selection, settings: settings, periods: periods)
        let malls = Set(settings.marketplaceChannels)
        for p in 0..<2 {
            let want = Self.expected(orders, days: periods[p].days, window: 90, malls: malls)
            #expect(close(Self.values(fromSnapshot[p]), want), "snapshot, period \(p)")
            #expect(close(Self.values(fromRows[p]), want), "rows, period \(p)")
            #expect(Self.values(readAll[p]) == Self.values(fromSnapshot[p]))
        }
        // Something to compare: orders, guests and members in both periods (the last pair's first period has none).
        if a0 >= "2023" { #expect(fromSnapshot.allSatisfy { $0.orders > 0 && $0.members > 0 }) }
        if a0 >= "2022-12" {
            #expect(orders.contains { o in o.customer.isEmpty && o.counted && periods.contains { $0.days.contains(o.day) } })
        } else {
            #expect(fromSnapshot.allSatisfy { $0.orders == 0 && $0.gmv == 0 })
        }
    }
}
