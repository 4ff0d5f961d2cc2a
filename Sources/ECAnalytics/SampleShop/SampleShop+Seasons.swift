extension SampleShop {
    /// Demand by day and channel: December gifting, sale events, weekends.
    ///
    /// The multipliers drive both new-customer acquisition and the timing of
    /// repeat purchases (by thinning), and are normalised to a mean of 1 per
    /// channel so a customer's purchase rate keeps its meaning.
    struct Seasons {
        let firstDay: Int
        let dayCount: Int
        private var demand: [Double]
        private var sale: [Bool]
        /// Days of the promotion month (`Story.promotion`).
        private var promotion: [Bool]
        /// Highest demand multiplier per channel, the thinning envelope.
        private(set) var peak: [Double]
        /// Product-choice tables: ordinary days, year-end gifting, summer gifting.
        private let productTables: [[Double]]
        private var productTableOfDay: [UInt8]

        init(firstDay: Int, dayCount: Int) {
            self.firstDay = firstDay
            self.dayCount = dayCount
            let channels = Channel.allCases.count
            demand = Array(repeating: 1, count: dayCount * channels)
            sale = Array(repeating: false, count: dayCount * channels)
            productTableOfDay = Array(repeating: 0, count: dayCount)
            promotion = Array(repeating: false, count: dayCount)
            let giftBoost: (Double) -> [Double] = { factor in
                zip(SampleShop.products, SampleShop.productWeights).map { $0.category == "gift" ? $1 * factor : $1 }
            }
            productTables = [SampleShop.cumulative(SampleShop.productWeights), SampleShop.cumulative(giftBoost(5)),
                             SampleShop.cumulative(giftBoost(2))]
            for offset in 0..<dayCount {
                let days = firstDay + offset
                let (_, month, day) = civil(days)
                var common = Self.calendarFactor(month: month, day: day)
                if weekday(days) >= 5 { common *= 1.08 }
                if Story.isIn(Story.promotion, days: days) {
                    common *= Story.promotionDemand
                    promotion[offset] = true
                }
                for channel in Channel.allCases {
                    let event = Self.saleEvent(channel, month: month, day: day)
                    demand[offset * channels + channel.rawValue] = common * event
                    sale[offset * channels + channel.rawValue] = event > 1.15
                }
                if (month == 11 && day >= 25) || month == 12 || (month == 1 && day <= 5) {
                    productTableOfDay[offset] = 1
                } else if (month == 6 && day >= 15) || (month == 7 && day <= 15) {
                    productTableOfDay[offset] = 2
                }
            }
            peak = Array(repeating: 0, count: channels)
            for channel in 0..<channels {
                var sum = 0.0
                for offset in 0..<dayCount { sum += demand[offset * channels + channel] }
                let mean = sum / Double(dayCount)
                for offset in 0..<dayCount {
                    demand[offset * channels + channel] /= mean
                    peak[channel] = max(peak[channel], demand[offset * channels + channel])
                }
            }
        }

        /// Demand multiplier of a day (offset from the first day) on a channel.
        func demand(_ offset: Int, _ channel: Channel) -> Double {
            demand[offset * Channel.allCases.count + channel.rawValue]
        }

        /// Whether the channel runs a sale that day (coupons are more common).
        func isSale(_ offset: Int, _ channel: Channel) -> Bool {
            sale[offset * Channel.allCases.count + channel.rawValue]
        }

        /// Whether the day is in the promotion month (deep coupons on every channel).
        func isPromotion(_ offset: Int) -> Bool { promotion[offset] }

        /// Running product weights for that day (gift boxes sell in gifting seasons).
        func productWeights(_ offset: Int) -> [Double] { productTables[Int(productTableOfDay[offset])] }

        /// Season shared by every channel: year-end gifting, New Year, quiet February.
        private static func calendarFactor(month: Int, day: Int) -> Double {
            switch (month, day) {
            case (12, 10...25): return 1.75
            case (12, _): return 1.4
            case (11, 20...): return 1.2
            case (1, 1...3): return 1.3
            case (2, _): return 0.88
            case (8, _): return 0.9
            default: return 1.0
            }
        }

        /// Channel sale events, as a multiplier on demand.
        private static func saleEvent(_ channel: Channel, month: Int, day: Int) -> Double {
            switch channel {
            case .rakuten:
                // Rakuten Super Sale in the first week of March, June, September, December.
                if [3, 6, 9, 12].contains(month) && (4...10).contains(day) { return 2.2 }
                if day % 5 == 0 { return 1.25 }  // "5 and 0 days": extra points
                return 1.0
            case .amazon:
                if month == 7 && (10...17).contains(day) { return 2.4 }  // Prime Day
                if (month == 11 && day >= 24) || (month == 12 && day <= 1) { return 1.7 }  // Black Friday
                if month == 1 && (2...6).contains(day) { return 1.4 }  // New Year sale
                return 1.0
            case .yahoo:
                if day % 10 == 5 { return 1.45 }  // days ending in 5
                if month == 11 && day <= 7 { return 1.6 }  // PayPay festival
                return 1.0
            case .own:
                if month == 10 && day <= 7 { return 2.0 }  // anniversary sale
                if month == 7 && day >= 20 { return 1.4 }  // summer sale
                return 1.0
            }
        }
    }
}
