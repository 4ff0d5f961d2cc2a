import Foundation
import Testing
@testable import ECAnalytics

/// Properties of the committed-size shop, computed in plain Swift over the rows read back.
@Suite struct SampleShopStatisticsTests {
    let shop = GeneratedShop.committed

    private var counted: [[String]] {
        let status = shop.orders.column("status")
        return shop.orders.rows.filter { $0[status] == "completed" }
    }

    @Test func sizeLandsNearTheTarget() {
        #expect(abs(Double(shop.orders.rows.count) / 20_000 - 1) < 0.05)
        let days = Set(shop.orders.values("ordered_at").map { String($0.prefix(10)) })
        #expect(days.min() ?? "" >= "2023-01-01" && days.max() ?? "" <= "2024-12-31")
        #expect(days.count > 700, "orders on \(days.count) of 731 days")
    }

    @Test func repeatCustomerShareIsPlausible() {
        let customer = shop.orders.column("customer_id")
        var orders: [String: Int] = [:]
        for row in counted { orders[row[customer], default: 0] += 1 }
        let repeaters = orders.values.filter { $0 >= 2 }.count
        let share = Double(repeaters) / Double(orders.count)
        #expect(share > 0.20 && share < 0.45, "repeat share \(share)")
        // A long tail of loyal buyers, as a Gamma-distributed purchase rate gives.
        #expect(orders.values.filter { $0 >= 5 }.count > 100)
    }

    @Test func cancelledAndReturnedSharesAreSmall() {
        let statuses = shop.orders.values("status")
        let n = Double(statuses.count)
        let cancelled = Double(statuses.filter { $0 == "cancelled" }.count) / n
        let returned = Double(statuses.filter { $0 == "returned" }.count) / n
        #expect(cancelled > 0.015 && cancelled < 0.03, "cancelled \(cancelled)")
        #expect(returned > 0.004 && returned < 0.015, "returned \(returned)")
        #expect(Set(statuses) == ["completed", "cancelled", "returned"])
    }

    /// Intended mix (README): new customers about 45% rakuten, 27% amazon, 16% yahoo, 11% own;
    /// orders shift towards own as own buyers repeat more and mall buyers migrate.
    @Test func channelMixIsAsSpecified() {
        let acquired = shop.customers.values("acquisition_channel")
        let expected = ["rakuten": 0.455, "amazon": 0.275, "yahoo": 0.16, "own": 0.11]
        for (channel, share) in expected {
            let actual = Double(acquired.filter { $0 == channel }.count) / Double(acquired.count)
            #expect(abs(actual - share) < 0.03, "\(channel) acquisition share \(actual)")
        }
        let channels = shop.orders.values("channel")
        let ownShare = Double(channels.filter { $0 == "own" }.count) / Double(channels.count)
        #expect(ownShare > 0.22 && ownShare < 0.36, "own order share \(ownShare)")
        // Own share of orders grows from the first year to the second.
        let times = shop.orders.values("ordered_at")
        func yearOwnShare(_ year: String) -> Double {
            let rows = zip(times, channels).filter { $0.0.hasPrefix(year) }
            return Double(rows.filter { $0.1 == "own" }.count) / Double(rows.count)
        }
        #expect(yearOwnShare("2024") > yearOwnShare("2023") + 0.05)
    }

    @Test func migratedCustomersKeepTheirAcquisitionChannel() {
        let acquisition = Dictionary(uniqueKeysWithValues: zip(shop.customers.values("customer_id"),
                                                               shop.customers.values("acquisition_channel")))
        var migrated = Set<String>()
        for (customer, channel) in zip(shop.orders.values("customer_id"), shop.orders.values("channel"))
        where channel == "own" && acquisition[customer] != "own" {
            migrated.insert(customer)
        }
        #expect(migrated.count > 100, "\(migrated.count) mall customers bought on the own site")
    }

    @Test func customersMatchTheirFirstOrder() {
        let c = shop.customers
        let o = shop.orders
        var first: [String: (time: String, channel: String)] = [:]
        for row in o.rows {
            let key = row[o.column("customer_id")]
            let time = row[o.column("ordered_at")]
            if first[key] == nil || time < first[key]!.time { first[key] = (time, row[o.column("channel")]) }
        }
        #expect(first.count == c.rows.count)
        for row in c.rows {
            let entry = first[row[c.column("customer_id")]]
            #expect(entry?.time == row[c.column("signed_up_at")])
            #expect(entry?.channel == row[c.column("acquisition_channel")])
        }
        let signUps = c.values("signed_up_at")
        #expect(zip(signUps, signUps.dropFirst()).allSatisfy { $0 <= $1 }, "customers are in acquisition order")
        let regions = Set(c.values("region"))
        #expect(regions.isSuperset(of: ["Tokyo", "Osaka", "Kanagawa", "Aichi", "Fukuoka", "Hokkaido"]))
    }

    @Test func orderEconomicsFollowTheChannelTerms() throws {
        let o = shop.orders
        let rates = ["rakuten": 0.10, "amazon": 0.15, "yahoo": 0.08, "own": 0.036]
        var pointsShare: [String: (points: Double, amount: Double)] = [:]
        for row in o.rows {
            let amount = try #require(Double(row[o.column("amount")]))
            let discount = try #require(Double(row[o.column("discount")]))
            let points = try #require(Double(row[o.column("points")]))
            let cogs = try #require(Double(row[o.column("cogs")]))
            let commission = try #require(Double(row[o.column("commission")]))
            let channel = row[o.column("channel")]
            let rate = try #require(rates[channel])
            #expect(abs(commission - rate * (amount - discount)) <= 0.5)
            #expect(cogs / amount >= 0.375 && cogs / amount <= 0.575)  // cost share ± 2 points, rounded to the yen
            #expect(discount + points <= amount && discount >= 0 && points >= 0)
            #expect(Int(row[o.column("quantity")]).map { (1...3).contains($0) } == true)
            pointsShare[channel, default: (0, 0)].points += points
            pointsShare[channel, default: (0, 0)].amount += amount
        }
        let share = pointsShare.mapValues { $0.points / $0.amount }
        for mall in ["rakuten", "yahoo"] {
            for other in ["amazon", "own"] { #expect(share[mall]! > 3 * share[other]!, "\(share)") }
        }
    }

    @Test func decemberIsTheBusiestMonth() {
        var perMonth: [String: Int] = [:]
        for time in shop.orders.values("ordered_at") { perMonth[String(time.prefix(7)), default: 0] += 1 }
        for year in ["2023", "2024"] {
            let december = Double(perMonth["\(year)-12"] ?? 0)
            let others = (1...11).map { Double(perMonth["\(year)-\(GeneratedShop.identifier("", $0).suffix(2))"] ?? 0) }
            #expect(december > 1.3 * others.reduce(0, +) / 11, "\(year): \(december) vs \(others)")
            #expect(december == (1...12).map { Double(perMonth["\(year)-\(GeneratedShop.identifier("", $0).suffix(2))"] ?? 0) }.max())
        }
    }

    @Test func trafficAndSpendAreConsistentWithOrders() throws {
        var orders: [String: Double] = [:]
        for channel in shop.orders.values("channel") { orders[channel, default: 0] += 1 }
        var sessions: [String: Double] = [:]
        for row in shop.traffic.rows { sessions[row[1], default: 0] += try #require(Double(row[2])) }
        for (channel, count) in orders {
            let cvr = count / sessions[channel]!
            #expect(cvr > 0.01 && cvr < 0.03, "\(channel) CVR \(cvr)")
        }
        #expect(shop.traffic.rows.count == 731 * 4)

        // Acquisition follows spend: monthly spend and monthly new customers move together.
        var spend: [String: Double] = [:]
        let s = shop.spend
        for row in s.rows {
            spend[row[s.column("channel")] + String(row[s.column("date")].prefix(7)), default: 0] +=
                try #require(Double(row[s.column("spend")]))
            #expect(Int(row[s.column("clicks")])! <= Int(row[s.column("impressions")])!)
        }
        // Paid clicks bring only part of the sessions on the malls; on the own site, whose
        // customers come back by themselves (the story), almost all sessions are unpaid.
        var clicks: [String: Double] = [:]
        for row in s.rows { clicks[row[s.column("channel")], default: 0] += Double(row[s.column("clicks")])! }
        for (channel, total) in sessions {
            let share = clicks[channel, default: 0] / total
            if channel == "own" {
                #expect(share > 0.01 && share < 0.1, "own: clicks are \(share) of sessions")
            } else {
                #expect(share > 0.15 && share < 0.5, "\(channel): clicks are \(share) of sessions")
            }
        }
        var acquired: [String: Double] = [:]
        for row in shop.customers.rows { acquired[row[2] + String(row[1].prefix(7)), default: 0] += 1 }
        for channel in ["rakuten", "amazon", "yahoo", "own"] {
            let keys = spend.keys.filter { $0.hasPrefix(channel) }.sorted()
            #expect(keys.count == 24)
            let r = ShopStatistics.correlation(keys.map { spend[$0]! }, keys.map { acquired[$0] ?? 0 })
            #expect(r > 0.8, "\(channel): correlation of monthly spend and new customers \(r)")
        }
    }

    @Test func npsAnswersRelateToBehaviour() throws {
        let scores = try shop.nps.values("score").map { try #require(Int($0)) }
        #expect(scores.allSatisfy { (0...10).contains($0) })
        let n = Double(scores.count)
        let customers = Double(shop.customers.rows.count)
        #expect(n / customers > 0.10 && n / customers < 0.20, "response rate \(n / customers)")
        let promoters = Double(scores.filter { $0 >= 9 }.count) / n
        let detractors = Double(scores.filter { $0 <= 6 }.count) / n
        let passives = 1 - promoters - detractors
        #expect(promoters > 0.12 && promoters < 0.40, "promoters \(promoters)")
        #expect(passives > 0.20 && passives < 0.45, "passives \(passives)")
        #expect(detractors > 0.25 && detractors < 0.60, "detractors \(detractors)")

        var orderCount: [String: Int] = [:]
        for customer in shop.orders.values("customer_id") { orderCount[customer, default: 0] += 1 }
        let answered = zip(shop.nps.values("customer_id"), scores)
        let repeaters = answered.filter { orderCount[$0.0, default: 0] >= 2 }.map { Double($0.1) }
        let oneTimers = answered.filter { orderCount[$0.0, default: 0] == 1 }.map { Double($0.1) }
        #expect(repeaters.count > 100 && oneTimers.count > 100)
        #expect(ShopStatistics.mean(repeaters) > ShopStatistics.mean(oneTimers) + 0.8, "\(ShopStatistics.mean(repeaters)) vs \(ShopStatistics.mean(oneTimers))")

        let channel = Dictionary(uniqueKeysWithValues: zip(shop.customers.values("customer_id"),
                                                           shop.customers.values("acquisition_channel")))
        let own = answered.filter { channel[$0.0] == "own" }.map { Double($0.1) }
        let mall = answered.filter { channel[$0.0] != "own" }.map { Double($0.1) }
        #expect(ShopStatistics.mean(own) > ShopStatistics.mean(mall), "own \(ShopStatistics.mean(own)) vs malls \(ShopStatistics.mean(mall))")
    }

    @Test func commentsRoundTripWithCommasQuotesAndNewlines() {
        let comments = shop.nps.values("comment").filter { !$0.isEmpty }
        let known = Set(SampleShop.Comments.promoter + SampleShop.Comments.passive + SampleShop.Comments.detractor)
        #expect(comments.allSatisfy { known.contains($0) })
        #expect(comments.contains { $0.contains(",") })
        #expect(comments.contains { $0.contains("\"") })
        #expect(comments.contains { $0.contains("\n") })
        #expect(comments.contains { $0.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) } })
        // Newlines inside quotes do not split records: the file has more lines than rows.
        let lines = shop.bytes["nps.csv"]!.filter { $0 == 0x0A }.count
        #expect(lines > shop.nps.rows.count + 1)
    }
}

/// Small statistics helpers for the sample-shop tests.
enum ShopStatistics {
    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    /// Pearson correlation.
    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let mx = mean(x), my = mean(y)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }
}
