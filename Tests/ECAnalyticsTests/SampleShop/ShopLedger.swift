import Foundation
@testable import ECAnalytics

/// The committed shop's counted orders and customers in plain Swift, for the story tests.
///
/// Written from the METRICS.md definitions, independently of the engine: counted =
/// status completed; CM2 = amount − discount − points − cogs − shipping − commission;
/// a customer's cohort and channel are those of their first counted order.
struct ShopLedger {
    struct Order {
        let customer: String
        let time: String
        let month: Int  // months since 2023-01 (0...23)
        let amount: Double
        let margin: Double
        let discount: Double
        let points: Double
        let commission: Double
        let channel: String
    }

    let orders: [Order]
    /// Counted orders per customer in time order.
    let byCustomer: [String: [Order]]
    let campaign: [String: String]
    let spendByChannel: [String: Double]

    init(_ shop: GeneratedShop) {
        let o = shop.orders
        let c = (id: o.column("customer_id"), time: o.column("ordered_at"), amount: o.column("amount"),
                 discount: o.column("discount"), points: o.column("points"), cogs: o.column("cogs"),
                 shipping: o.column("shipping"), commission: o.column("commission"), channel: o.column("channel"),
                 status: o.column("status"))
        var list: [Order] = []
        for row in o.rows where row[c.status] == "completed" {
            let number = { (i: Int) in Double(row[i]) ?? .nan }
            let time = row[c.time]
            let year = Int(time.prefix(4)) ?? 0
            let month = Int(time.dropFirst(5).prefix(2)) ?? 0
            let amount = number(c.amount), discount = number(c.discount), points = number(c.points)
            let commission = number(c.commission)
            list.append(Order(customer: row[c.id], time: time, month: (year - 2023) * 12 + month - 1,
                              amount: amount, margin: amount - discount - points - number(c.cogs)
                                - number(c.shipping) - commission,
                              discount: discount, points: points, commission: commission, channel: row[c.channel]))
        }
        orders = list
        byCustomer = Dictionary(grouping: list, by: \.customer).mapValues { $0.sorted { $0.time < $1.time } }
        campaign = Dictionary(uniqueKeysWithValues: zip(shop.customers.values("customer_id"),
                                                        shop.customers.values("acquisition_campaign")))
        var spend: [String: Double] = [:]
        let s = shop.spend
        for row in s.rows { spend[row[s.column("channel")], default: 0] += Double(row[s.column("spend")]) ?? .nan }
        spendByChannel = spend
    }

    /// Customers whose first counted order matches `first`.
    func customers(where first: (Order) -> Bool) -> [[Order]] {
        byCustomer.values.filter { $0.first.map(first) ?? false }
    }

    /// Historical LTV(12): CM2 per customer over month offsets 0...12, for cohorts at least
    /// 12 months old (first counted order in 2023, since the data ends in 2024-12).
    static func ltv12(_ customers: [[Order]]) -> Double {
        let old = customers.filter { ($0.first?.month ?? 99) <= 11 }
        let margin = old.reduce(0.0) { sum, orders in
            let start = orders[0].month
            return sum + orders.filter { $0.month - start <= 12 }.reduce(0) { $0 + $1.margin }
        }
        return margin / Double(old.count)
    }

    /// Blended CAC of a channel: its spend over customers whose first counted order came through it.
    func cac(_ channel: String) -> Double {
        (spendByChannel[channel] ?? .nan) / Double(customers { $0.channel == channel }.count)
    }

    /// Share of customers with a second counted order within `days` days of the first
    /// (only customers whose window has elapsed by 2024-12-31).
    static func secondOrderShare(_ customers: [[Order]], within days: Int) -> Double {
        let day = { (time: String) -> Int in
            let y = Int(time.prefix(4)) ?? 0, m = Int(time.dropFirst(5).prefix(2)) ?? 0, d = Int(time.dropFirst(8).prefix(2)) ?? 0
            return DayNumber.from(year: y, month: m, day: d)
        }
        let end = DayNumber.from(year: 2024, month: 12, day: 31)
        let eligible = customers.filter { day($0[0].time) + days <= end }
        let converted = eligible.filter { $0.count >= 2 && day($0[1].time) - day($0[0].time) <= days }
        return Double(converted.count) / Double(eligible.count)
    }
}
