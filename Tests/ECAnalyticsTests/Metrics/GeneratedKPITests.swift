import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// One generated order row, as the plain-Swift side sees it.
struct GenOrder {
    var id: String, customer: String, at: String, day: Int, amount: Double, channel: String, status: String
    var discount: Double, points: Double?, cogs: Double?, shipping: Double, commission: Double, quantity: Int
    var month: String { String(at.prefix(7)) }
    var counted: Bool { !["cancelled", "returned", "refunded"].contains(status) }
    var net: Double { amount - discount - (points ?? 0) }
    var cm2: Double { net - (cogs ?? 0) - shipping - commission }
}

/// A few thousand random orders over 18 months, loaded into a workspace.
struct KPIGeneratedShop {
    let w: WorkspaceBuilder
    var orders: [GenOrder] = []

    init(seed: UInt64, count: Int = 3000, path: String? = nil) throws {
        w = try WorkspaceBuilder(path: path)
        var rng = SplitMix64(seed: seed)  // deterministic, so failures reproduce
        let channels = ["own", "own", "rakuten", "amazon", "yahoo"]
        let statuses = ["completed", "completed", "completed", "shipped", "completed", "cancelled", "returned", "refunded", "completed", "completed"]
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let start = cal.date(from: DateComponents(year: 2023, month: 1, day: 1))!
        let customers = max(10, count / 8)
        try w.db.execute("BEGIN")
        for i in 0..<count {
            let date = start.addingTimeInterval(Double(Int.random(in: 0..<(547 * 86400), using: &rng)))
            let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let at = String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
            let amount = Double(Int.random(in: 10...300, using: &rng) * 100)
            let o = GenOrder(id: String(format: "O%06d", i), customer: String(format: "C%05d", Int.random(in: 0..<customers, using: &rng)),
                             at: at, day: WorkspaceBuilder.day(at), amount: amount,
                             channel: channels.randomElement(using: &rng)!, status: statuses.randomElement(using: &rng)!,
                             discount: Bool.random(using: &rng) ? 0 : Double(Int.random(in: 0...5, using: &rng) * 100),
                             points: Int.random(in: 0..<4, using: &rng) == 0 ? nil : Double(Int.random(in: 0...3, using: &rng) * 50),
                             cogs: Int.random(in: 0..<10, using: &rng) == 0 ? nil : amount * 0.4, shipping: 500,
                             commission: amount * 0.05, quantity: Int.random(in: 1...4, using: &rng))
            orders.append(o)
            try w.order(o.id, o.customer, o.at, o.amount, o.channel, o.status, discount: o.discount, points: o.points,
                        cogs: o.cogs, shipping: o.shipping, commission: o.commission, quantity: o.quantity)
        }
        try w.db.execute("COMMIT")
        try CustomerFacts.rebuild(w.db, settings: MetricSettings())
    }
}

@Suite struct GeneratedKPITests {

    /// Months from the first to the last order, contiguous (via Foundation, not the engine's calendar).
    static func months(_ orders: [GenOrder]) -> [String] {
        let all = orders.filter(\.counted).map(\.month).sorted()
        var out: [String] = []
        var (y, m) = (Int(all.first!.prefix(4))!, Int(all.first!.suffix(2))!)
        while true {
            let key = String(format: "%04d-%02d", y, m)
            out.append(key)
            if key == all.last! { return out }
            m += 1; if m == 13 { m = 1; y += 1 }
        }
    }

    @Test func orderAndCustomerKPIsByMonth() throws {
        let shop = try KPIGeneratedShop(seed: 42)
        let counted = shop.orders.filter(\.counted)
        let months = Self.months(shop.orders)
        let firsts = Dictionary(grouping: counted, by: \.customer).mapValues { $0.sorted { ($0.day, $0.at, $0.id) < ($1.day, $1.at, $1.id) } }
        func inMonth(_ m: String) -> [GenOrder] { counted.filter { $0.month == m } }
        let r = try KPIEngine(shop.w.db, settings: MetricSettings()).run(KPIQuery(
            kpis: ["gmv", "revenue", "orders", "units", "margin", "customers", "new_customers", "returning_customers", "repeat_rate", "retention_rate", "active_members"],
            groupBy: [.grain(.month)]))
        #expect(r.values("month").map(\.textValue!) == months)
        #expect(close(r.doubles("gmv"), months.map { m in inMonth(m).reduce(0) { $0 + $1.amount } }))
        #expect(close(r.doubles("revenue"), months.map { m in inMonth(m).reduce(0) { $0 + $1.net } }))
        #expect(close(r.doubles("orders"), months.map { Double(inMonth($0).count) }))
        #expect(close(r.doubles("units"), months.map { m in Double(inMonth(m).reduce(0) { $0 + $1.quantity }) }))
        #expect(close(r.doubles("margin"), months.map { m in inMonth(m).reduce(0) { $0 + $1.cm2 } }))
        #expect(close(r.doubles("customers"), months.map { Double(Set(inMonth($0).map(\.customer)).count) }))
        #expect(close(r.doubles("new_customers"), months.map { m in Double(firsts.values.filter { $0[0].month == m }.count) }))
        #expect(close(r.doubles("returning_customers"), months.map { m in
            Double(Set(inMonth(m).map(\.customer)).filter { firsts[$0]![0].month < m }.count) }))
        // Repeat rate at each month end: lifetime second orders over lifetime first orders.
        #expect(close(r.doubles("repeat_rate"), months.map { m in
            let ever = firsts.values.filter { $0[0].month <= m }.count
            let rep = firsts.values.filter { $0.count >= 2 && $0[1].month <= m }.count
            return ever == 0 ? nil : Double(rep) / Double(ever) }))
        #expect(close(r.doubles("retention_rate"), months.enumerated().map { i, m in
            guard i > 0 else { return nil }
            let prev = Set(inMonth(months[i - 1]).map(\.customer)), now = Set(inMonth(m).map(\.customer))
            return prev.isEmpty ? nil : Double(prev.intersection(now).count) / Double(prev.count) }))
        // Active members: ordered in the 365 days up to the month's last day (capped at as_of).
        let asOf = counted.map(\.day).max()!
        #expect(close(r.doubles("active_members"), months.map { m in
            let y = Int(m.prefix(4))!, mo = Int(m.suffix(2))!
            let next = mo == 12 ? String(format: "%04d-01-01", y + 1) : String(format: "%04d-%02d-01", y, mo + 1)
            let end = min(WorkspaceBuilder.day(next) - 1, asOf)
            return Double(Set(counted.filter { $0.day <= end && $0.day > end - 365 }.map(\.customer)).count) }))
    }

    @Test func kpisByChannel() throws {
        let shop = try KPIGeneratedShop(seed: 42)
        let counted = shop.orders.filter(\.counted)
        let channels = Set(counted.map(\.channel)).sorted()
        let firsts = Dictionary(grouping: counted, by: \.customer).mapValues { $0.min { ($0.day, $0.at, $0.id) < ($1.day, $1.at, $1.id) }! }
        let r = try KPIEngine(shop.w.db, settings: MetricSettings()).run(KPIQuery(
            kpis: ["gmv", "aov", "orders", "customers", "new_customers", "margin", "mall_dependence"], groupBy: [.dimension(name: "channel")]))
        #expect(r.values("channel").map(\.textValue!) == channels)
        func of(_ c: String) -> [GenOrder] { counted.filter { $0.channel == c } }
        #expect(close(r.doubles("gmv"), channels.map { c in of(c).reduce(0) { $0 + $1.amount } }))
        #expect(close(r.doubles("aov"), channels.map { c in of(c).reduce(0) { $0 + $1.net } / Double(of(c).count) }))
        #expect(close(r.doubles("customers"), channels.map { Double(Set(of($0).map(\.customer)).count) }))
        #expect(close(r.doubles("new_customers"), channels.map { c in Double(firsts.values.filter { $0.channel == c }.count) }))
        #expect(close(r.doubles("margin"), channels.map { c in of(c).reduce(0) { $0 + $1.cm2 } }))
        #expect(close(r.doubles("mall_dependence"), channels.map { $0 == "own" ? 0 : 1 }))
    }

    @Test func monthByChannelMatchesMonthTotals() throws {
        // A second route inside the engine: month × channel rows add up to the month rows.
        let shop = try KPIGeneratedShop(seed: 42)
        let engine = KPIEngine(shop.w.db, settings: MetricSettings())
        let both = try engine.run(KPIQuery(kpis: ["gmv", "new_customers"], groupBy: [.grain(.month), .dimension(name: "channel")]))
        let month = try engine.run(KPIQuery(kpis: ["gmv", "new_customers"], groupBy: [.grain(.month)]))
        var sums: [String: (Double, Double)] = [:]
        for (m, (g, n)) in zip(both.values("month"), zip(both.doubles("gmv"), both.doubles("new_customers"))) {
            sums[m.textValue!, default: (0, 0)].0 += g!
            sums[m.textValue!, default: (0, 0)].1 += n!
        }
        let months = month.values("month").map(\.textValue!)
        #expect(close(months.map { sums[$0]?.0 }, month.doubles("gmv")))
        #expect(close(months.map { sums[$0]?.1 }, month.doubles("new_customers")))
    }
}
