extension SampleShop {
    /// How customers buy: a BG/NBD ("buy till you die") process, in days.
    ///
    /// Each customer gets a purchase rate λ ~ Gamma(r, α) and a dropout
    /// probability p ~ Beta(a, b). After the first order, repeat purchases
    /// arrive as a Poisson process with rate λ, thinned by the channel's
    /// seasonal demand; after each repeat purchase the customer leaves for
    /// good with probability p. Fitting BG/NBD to the orders therefore
    /// recovers parameters near these (seasonality and the channel factors
    /// blur them a little).
    enum BuyerModel {
        /// r: shape of the purchase-rate distribution.
        static let rateShape = 0.25
        /// α: the purchase rate's scale is 1/α per day (mean λ = r/α).
        static let rateAlpha = 80.0
        /// a, b of the dropout probability.
        static let dropoutA = 0.7
        static let dropoutB = 2.8
        /// Chance that a marketplace repeat order moves to the own site, at the start and end.
        static let migration = (start: 0.04, end: 0.12)
    }

    /// One customer, fixed at acquisition.
    struct Customer {
        let index: Int
        /// Day offset and second of the first order.
        let firstDay: Int
        let firstSecond: Int
        let channel: Channel
        let region: Int
        let ageBand: Int
        let gender: Int
        let purchaseRate: Double
        let dropout: Double
        /// The ad campaign that brought the customer, or "organic".
        let campaign: String
        /// Bought with the half-price welcome campaign (`Story.discountCampaign`).
        var isDealSeeker: Bool { campaign == Story.discountCampaignName }
    }

    /// One repeat-or-first purchase before its details are drawn.
    struct Purchase {
        let day: Int
        let channel: Channel
    }

    /// Draws a customer acquired on `day` (offset) at `second` of that day through `channel`.
    /// `campaign` is the discount campaign's name for its deal seekers; otherwise one is drawn
    /// (a paid customer gets one of the channel's campaigns by spend share, the rest are organic).
    static func drawCustomer(index: Int, day: Int, second: Int, channel: Channel, campaign: String? = nil,
                             random: inout Random) -> Customer {
        let region = random.pick(cumulative: Tables.regions)
        let age = random.pick(cumulative: Tables.ageBands)
        let gender = random.pick(cumulative: Tables.genders)
        var rate = random.gamma(shape: BuyerModel.rateShape, scale: 1 / BuyerModel.rateAlpha)
            * channel.purchaseRateFactor * ageBands[age].rateFactor
        let dropout = random.beta(channel.dropout.a, channel.dropout.b)
        let source: String
        if let campaign {
            source = campaign
            rate *= Story.discountCampaignRateFactor
        } else if random.chance(AcquisitionPlan.paidShare) {
            source = channel.campaigns[random.pick(cumulative: Tables.campaignShares[channel.rawValue])].name
        } else {
            source = "organic"
        }
        return Customer(index: index, firstDay: day, firstSecond: second, channel: channel, region: region,
                        ageBand: age, gender: gender, purchaseRate: rate, dropout: dropout, campaign: source)
    }

    /// The customer's purchases (first one included) up to the end of the shop's history.
    static func purchases(of customer: Customer, seasons: Seasons, random: inout Random, into list: inout [Purchase]) {
        list.removeAll(keepingCapacity: true)
        var channel = customer.channel
        list.append(Purchase(day: customer.firstDay, channel: channel))
        let end = Double(seasons.dayCount)
        var time = Double(customer.firstDay) + Double(customer.firstSecond) / 86_400
        while true {
            let peak = seasons.peak[channel.rawValue]
            time += random.exponential(rate: customer.purchaseRate * peak)
            guard time < end else { return }
            let day = Int(time)
            // Thinning: keep the candidate with probability demand/peak.
            guard random.chance(seasons.demand(day, channel) / peak) else { continue }
            if channel != .own {
                let progress = Double(day) / end
                let move = BuyerModel.migration.start + (BuyerModel.migration.end - BuyerModel.migration.start) * progress
                if random.chance(move) { channel = .own }
            }
            list.append(Purchase(day: day, channel: channel))
            if random.chance(customer.dropout) { return }
        }
    }

    /// A second of the day, drawn with the evening-heavy hourly profile.
    static func drawSecondOfDay(_ random: inout Random) -> Int {
        random.pick(cumulative: Tables.hours) * 3600 + random.below(3600)
    }

    /// Cumulative weight tables, built once.
    enum Tables {
        static let regions = cumulative(SampleShop.regions.map(\.weight))
        static let ageBands = cumulative(SampleShop.ageBands.map(\.weight))
        static let genders = cumulative(SampleShop.genders.map(\.weight))
        static let hours = cumulative(hourWeights)
        static let campaignShares = Channel.allCases.map { cumulative($0.campaigns.map(\.share)) }
        static let quantities = cumulative([72, 20, 8])
        static let regionIsRemote: [Bool] = SampleShop.regions.map { $0.name == "Hokkaido" || $0.name == "Okinawa" }
        static let promoterStart = 0
        static let passiveStart = Comments.promoter.count
        static let detractorStart = passiveStart + Comments.passive.count
        static let comments = Comments.promoter + Comments.passive + Comments.detractor
    }
}
