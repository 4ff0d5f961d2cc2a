extension SampleShop {
    /// New customers per day and channel: mostly bought with ad spend, the rest organic.
    ///
    /// Spend is drawn first (a growing budget that follows seasonal demand, with
    /// daily noise); the expected number of new customers is then spend divided
    /// by the channel's cost per acquisition plus an organic share, so days with
    /// more spend bring more customers.
    struct AcquisitionPlan {
        /// Share of new customers bought with ads.
        static let paidShare = 0.72
        /// Expected new customers (before scaling to the target) from ads and organically.
        private(set) var paid: [Double]
        private(set) var organic: [Double]
        /// Expected deal seekers per day from the discount campaign (`Story.discountCampaign`), own site only.
        private(set) var campaign: [Double]
        /// Multiplier that turns the plan into the target size.
        var scale = 1.0

        init(seasons: Seasons, random: inout Random) {
            let channels = Channel.allCases.count
            paid = Array(repeating: 0, count: seasons.dayCount * channels)
            organic = paid
            campaign = Array(repeating: 0, count: seasons.dayCount)
            for day in 0..<seasons.dayCount {
                let progress = Double(day) / Double(seasons.dayCount)
                let growth = 1 + 0.35 * progress
                for channel in Channel.allCases {
                    let share = channel.acquisitionShare
                    let base = (share.start + (share.end - share.start) * progress) * growth * seasons.demand(day, channel)
                    paid[day * channels + channel.rawValue] = Self.paidShare * base * random.noise(0.18)
                    organic[day * channels + channel.rawValue] = (1 - Self.paidShare) * base
                }
                if Story.isIn(Story.discountCampaign, days: seasons.firstDay + day) {
                    campaign[day] = Story.discountCampaignExtra * paid[day * channels + Channel.own.rawValue]
                }
            }
        }

        /// Expected new customers on a day through a channel, at the current scale.
        func expectedCustomers(_ day: Int, _ channel: Channel) -> Double {
            let i = day * Channel.allCases.count + channel.rawValue
            return scale * (paid[i] + organic[i])
        }

        /// Expected deal seekers the discount campaign brings on a day, at the current scale.
        func campaignCustomers(_ day: Int) -> Double { scale * campaign[day] }

        /// Ad spend (yen) on a day for a channel, at the current scale.
        func spend(_ day: Int, _ channel: Channel) -> Double {
            scale * paid[day * Channel.allCases.count + channel.rawValue] * channel.costPerAcquisition
        }

        /// Sets `scale` so the shop lands near `targetOrders`.
        ///
        /// A pilot simulates a few thousand customers (own random stream, same
        /// code) acquired on days drawn from the plan, to learn the mean number
        /// of orders per customer.
        mutating func fit(targetOrders: Int, seasons: Seasons, seed: UInt64) {
            let weights = zip(paid, organic).map { $0 + $1 }
            let total = weights.reduce(0, +)
            let table = cumulative(weights)
            var random = Random(seed: seed, stream: 99)
            var list: [Purchase] = []
            let pilotSize = 6_000
            var orders = 0
            for index in 0..<pilotSize {
                let slot = random.pick(cumulative: table)
                let channel = Channel(rawValue: slot % Channel.allCases.count)!
                let customer = drawCustomer(index: index, day: slot / Channel.allCases.count,
                                            second: drawSecondOfDay(&random), channel: channel, random: &random)
                purchases(of: customer, seasons: seasons, random: &random, into: &list)
                orders += list.count
            }
            let ordersPerCustomer = Double(orders) / Double(pilotSize)
            scale = Double(targetOrders) / (ordersPerCustomer * total)
        }
    }

    /// Writes ad_spend.csv: one row per day, channel and campaign.
    static func writeSpend(plan: AcquisitionPlan, seasons: Seasons, random: inout Random, to writer: CSVWriter) {
        for day in 0..<seasons.dayCount {
            for channel in Channel.allCases {
                let spend = plan.spend(day, channel)
                for campaign in channel.campaigns {
                    let yen = Int((spend * campaign.share * random.noise(0.1)).rounded())
                    let clicks = Int((Double(yen) / campaign.costPerClick * random.noise(0.1)).rounded())
                    let impressions = max(clicks, Int((Double(clicks) / campaign.clickThrough * random.noise(0.1)).rounded()))
                    writer.row { row in
                        row.date(seasons.firstDay + day)
                        row.text(channel.name)
                        row.text(campaign.name)
                        row.integer(yen)
                        row.integer(impressions)
                        row.integer(clicks)
                    }
                }
            }
            let dealSeekers = plan.campaignCustomers(day)
            if dealSeekers > 0 {
                let yen = Int((dealSeekers * Story.discountCampaignCost * random.noise(0.1)).rounded())
                let clicks = Int((Double(yen) / 40 * random.noise(0.1)).rounded())
                writer.row { row in
                    row.date(seasons.firstDay + day)
                    row.text(Channel.own.name)
                    row.text(Story.discountCampaignName)
                    row.integer(yen)
                    row.integer(max(clicks, Int((Double(clicks) / 0.012).rounded())))
                    row.integer(clicks)
                }
            }
        }
    }

    /// Writes traffic.csv: sessions per day and channel, from the orders at the channel's conversion rate.
    static func writeTraffic(ordersPerDay: [Int], seasons: Seasons, random: inout Random, to writer: CSVWriter) {
        for day in 0..<seasons.dayCount {
            for channel in Channel.allCases {
                let orders = ordersPerDay[day * Channel.allCases.count + channel.rawValue]
                let sessions = Int(((Double(orders) + 0.5) / channel.conversionRate * random.noise(0.08)).rounded())
                writer.row { row in
                    row.date(seasons.firstDay + day)
                    row.text(channel.name)
                    row.integer(sessions)
                }
            }
        }
    }
}
