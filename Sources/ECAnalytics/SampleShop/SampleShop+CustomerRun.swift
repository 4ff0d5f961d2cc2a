extension SampleShop {
    /// Draws every customer day by day and writes customers, orders and NPS answers.
    ///
    /// In the chronological layout orders and answers are kept (about 100 bytes
    /// an order) and written sorted by time at the end, with order ids in time
    /// order; otherwise each customer's rows go out at once, so memory does not
    /// grow with the shop, and order ids follow generation order.
    struct CustomerRun {
        let seasons: Seasons
        let plan: AcquisitionPlan
        let chronological: Bool
        private var random: Random
        /// Orders (any status) per day and channel, for traffic.csv.
        private(set) var ordersPerDay: [Int]
        private var orderCount = 0
        private var responseCount = 0
        private var keptOrders: [Order] = []
        private var keptResponses: [Response] = []

        init(seasons: Seasons, plan: AcquisitionPlan, seed: UInt64, chronological: Bool) {
            self.seasons = seasons
            self.plan = plan
            self.chronological = chronological
            random = Random(seed: seed, stream: 2)
            ordersPerDay = Array(repeating: 0, count: seasons.dayCount * Channel.allCases.count)
        }

        mutating func generate(customers: CSVWriter, orders: CSVWriter, nps: CSVWriter) throws {
            var arrivals: [(second: Int, channel: Channel, campaign: String?)] = []
            var purchaseList: [Purchase] = []
            var customerOrders: [Order] = []
            var customerCount = 0
            for day in 0..<seasons.dayCount {
                arrivals.removeAll(keepingCapacity: true)
                for channel in Channel.allCases {
                    let count = random.poisson(plan.expectedCustomers(day, channel))
                    for _ in 0..<count { arrivals.append((drawSecondOfDay(&random), channel, nil)) }
                }
                let dealSeekers = random.poisson(plan.campaignCustomers(day))
                for _ in 0..<dealSeekers {
                    arrivals.append((drawSecondOfDay(&random), .own, Story.discountCampaignName))
                }
                arrivals.sort { ($0.second, $0.channel.rawValue, $0.campaign == nil ? 0 : 1)
                    < ($1.second, $1.channel.rawValue, $1.campaign == nil ? 0 : 1) }
                for arrival in arrivals {
                    let customer = drawCustomer(index: customerCount, day: day, second: arrival.second,
                                                channel: arrival.channel, campaign: arrival.campaign, random: &random)
                    customerCount += 1
                    writeCustomer(customer, to: customers)
                    purchases(of: customer, seasons: seasons, random: &random, into: &purchaseList)
                    drawOrders(of: customer, purchaseList, into: &customerOrders)
                    let response = drawResponse(customer: customer, orders: customerOrders[...],
                                                sequence: responseCount, seasons: seasons, random: &random)
                    if response != nil { responseCount += 1 }
                    if chronological {
                        keptOrders.append(contentsOf: customerOrders)
                        if let response { keptResponses.append(response) }
                    } else {
                        for order in customerOrders { writeOrder(order, id: order.sequence + 1, to: orders) }
                        if let response { writeResponse(response, to: nps) }
                    }
                }
            }
            if chronological {
                keptOrders.sort { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
                for (position, order) in keptOrders.enumerated() { writeOrder(order, id: position + 1, to: orders) }
                keptResponses.sort { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
                for response in keptResponses { writeResponse(response, to: nps) }
                keptOrders = []
                keptResponses = []
            }
        }

        /// Turns purchases into orders; a same-day repeat never precedes the order before it.
        private mutating func drawOrders(of customer: Customer, _ purchases: [Purchase], into list: inout [Order]) {
            list.removeAll(keepingCapacity: true)
            var previousDay = -1
            var previousSecond = 0
            for (i, purchase) in purchases.enumerated() {
                var second = i == 0 ? customer.firstSecond : drawSecondOfDay(&random)
                if purchase.day == previousDay && second <= previousSecond {
                    second = min(86_399, previousSecond + 1 + random.below(max(1, 86_399 - previousSecond)))
                }
                let order = drawOrder(purchase, second: second, customer: customer, isFirst: i == 0,
                                      previous: list.last?.product, sequence: orderCount,
                                      seasons: seasons, random: &random)
                orderCount += 1
                ordersPerDay[purchase.day * Channel.allCases.count + purchase.channel.rawValue] += 1
                list.append(order)
                previousDay = purchase.day
                previousSecond = second
            }
        }

        private func writeCustomer(_ customer: Customer, to writer: CSVWriter) {
            writer.row { row in
                row.identifier("C", customer.index + 1)
                row.timestamp((seasons.firstDay + customer.firstDay) * 86_400 + customer.firstSecond)
                row.text(customer.channel.name)
                row.text(regions[customer.region].name)
                row.text(ageBands[customer.ageBand].name)
                row.text(genders[customer.gender].name)
                row.text(customer.campaign)
            }
        }

        private func writeOrder(_ order: Order, id: Int, to writer: CSVWriter) {
            let product = products[order.product]
            writer.row { row in
                row.identifier("O", id)
                row.identifier("C", order.customer + 1)
                row.timestamp(order.time)
                row.integer(order.amount)
                row.integer(order.discount)
                row.integer(order.points)
                row.integer(order.cogs)
                row.integer(order.shipping)
                row.integer(order.commission)
                row.integer(order.quantity)
                row.text(order.channel.name)
                row.text(order.status.name)
                row.text(product.name)
                row.text(product.category)
            }
        }

        private func writeResponse(_ response: Response, to writer: CSVWriter) {
            writer.row { row in
                row.timestamp(response.time)
                row.identifier("C", response.customer + 1)
                row.integer(response.score)
                if response.comment >= 0 { row.text(Tables.comments[response.comment]) } else { row.empty() }
            }
        }
    }
}
