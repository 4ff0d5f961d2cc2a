extension SampleShop {
    /// Order status as written to orders.csv.
    enum Status: UInt8 {
        case completed, cancelled, returned

        var name: String {
            switch self {
            case .completed: return "completed"
            case .cancelled: return "cancelled"
            case .returned: return "returned"
            }
        }
    }

    /// One order row, in yen.
    struct Order {
        /// Seconds since 1970-01-01 00:00 local time.
        let time: Int
        let customer: Int
        /// Position in generation order: breaks ties when sorting by time.
        let sequence: Int
        let amount: Int
        let discount: Int
        let points: Int
        let cogs: Int
        let shipping: Int
        let commission: Int
        let quantity: Int
        let product: Int
        let channel: Channel
        let status: Status
    }

    /// One NPS survey answer.
    struct Response {
        let time: Int
        let customer: Int
        let sequence: Int
        let score: Int
        /// Index into `Tables.comments`, or −1 for no comment.
        let comment: Int
    }

    /// Chance of a cancelled and of a returned order.
    static let cancelledShare = 0.022
    static let returnedShare = 0.009

    /// Draws the details of one purchase; `previous` is the customer's last product (repeat buyers often rebuy it).
    static func drawOrder(
        _ purchase: Purchase, second: Int, customer: Customer, isFirst: Bool, previous: Int?,
        sequence: Int, seasons: Seasons, random: inout Random
    ) -> Order {
        let channel = purchase.channel
        let product: Int
        if let previous, random.chance(0.55) {
            product = previous
        } else {
            product = random.pick(cumulative: seasons.productWeights(purchase.day))
        }
        let item = products[product]
        let quantity = item.category == "gift" ? (random.chance(0.9) ? 1 : 2) : 1 + random.pick(cumulative: Tables.quantities)
        let amount = item.price * quantity

        var discount = 0
        if isFirst && customer.isDealSeeker {
            discount = Int((Double(amount) * Story.discountCampaignCoupon / 10).rounded()) * 10
        } else if seasons.isPromotion(purchase.day) && random.chance(Story.promotionCouponShare) {
            let rates = Story.promotionCouponRates
            discount = Int((Double(amount) * rates[random.below(rates.count)] / 10).rounded()) * 10
        } else if seasons.isSale(purchase.day, channel) ? random.chance(0.35) : random.chance(0.08) {
            let rates = seasons.isSale(purchase.day, channel) ? [0.10, 0.15, 0.20] : [0.05, 0.10]
            discount = Int((Double(amount) * rates[random.below(rates.count)] / 10).rounded()) * 10
        } else if channel == .own && isFirst && amount >= 1_500 && random.chance(0.5) {
            discount = 500  // welcome coupon for the first own-site order
        }

        var points = 0
        let use = channel.pointsUse
        if random.chance(use.probability) {
            points = min(amount - discount, Int(Double(amount) * random.uniform(0.01, use.maxShare)))
        }

        let cogs = Int((Double(amount) * (item.costShare + random.uniform(-0.02, 0.02))).rounded())
        let shipping = channel.shippingCost + 100 * (quantity - 1) + (Tables.regionIsRemote[customer.region] ? 400 : 0)
        let commission = Int((Double(amount - discount) * channel.commissionRate).rounded())
        let draw = random.uniform()
        let status: Status = draw < cancelledShare ? .cancelled : draw < cancelledShare + returnedShare ? .returned : .completed

        return Order(
            time: (seasons.firstDay + purchase.day) * 86_400 + second, customer: customer.index, sequence: sequence,
            amount: amount, discount: discount, points: points, cogs: cogs, shipping: shipping,
            commission: commission, quantity: quantity, product: product, channel: channel, status: status)
    }

    /// Share of customers who answer the NPS survey.
    static let surveyShare = 0.15

    /// Maybe an NPS answer a few days after one of the customer's orders.
    ///
    /// Satisfaction drives behaviour here: repeat buyers score higher, own-site
    /// buyers a little higher, Amazon buyers a little lower, and an answer about a
    /// cancelled or returned order much lower.
    static func drawResponse(
        customer: Customer, orders: ArraySlice<Order>, sequence: Int, seasons: Seasons, random: inout Random
    ) -> Response? {
        guard random.chance(surveyShare) else { return nil }
        let about = orders[orders.startIndex + random.below(orders.count)]
        let day = (about.time / 86_400 - seasons.firstDay) + 3 + random.below(12)
        guard day < seasons.dayCount else { return nil }  // the survey would come after the data ends
        var mean = 6.3
        if orders.count >= 2 { mean += 1.4 + 0.25 * Double(min(orders.count - 2, 4)) }
        if about.channel == .own { mean += 1.6 }
        if about.channel == .amazon { mean -= 0.4 }
        if customer.isDealSeeker { mean -= 1.0 }
        if about.status != .completed { mean -= 2.5 }
        let score = max(0, min(10, Int((mean + 2.0 * random.normal()).rounded())))
        var comment = -1
        if random.chance(0.4) {
            switch score {
            case 9...: comment = Tables.promoterStart + random.below(Comments.promoter.count)
            case 7...8: comment = Tables.passiveStart + random.below(Comments.passive.count)
            default: comment = Tables.detractorStart + random.below(Comments.detractor.count)
            }
        }
        let time = (seasons.firstDay + day) * 86_400 + drawSecondOfDay(&random)
        return Response(time: time, customer: customer.index, sequence: sequence, score: score, comment: comment)
    }
}
