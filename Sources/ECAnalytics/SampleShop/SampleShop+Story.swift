extension SampleShop {
    /// The events that make the sample shop tell the story of the EC KPI framework
    /// (samples/shop/README.md): a promotion month that buys GMV with margin, and a
    /// discount campaign that buys customers who do not come back.
    ///
    /// Dates are fixed calendar months so lessons and tests can name them; a shop
    /// generated over other dates simply does not contain them.
    enum Story {
        /// The May 2024 "Golden Week mega sale" on every channel: demand up, deep coupons and extra points.
        static let promotion = (year: 2024, month: 5)
        /// Demand multiplier during the promotion month.
        static let promotionDemand = 1.7
        /// Share of promotion-month orders with a coupon, and the coupon rates.
        static let promotionCouponShare = 0.8
        static let promotionCouponRates = [0.15, 0.20, 0.25]

        /// September 2023: the own site's "half price first order" campaign on Meta.
        static let discountCampaign = (year: 2023, month: 9)
        static let discountCampaignName = "half_price_welcome"
        /// Extra own-site customers the campaign brings per day, as a multiple of the day's planned own-site customers.
        static let discountCampaignExtra = 6.0
        /// Ad spend per campaign customer (yen): cheap, which is the trap.
        static let discountCampaignCost = 900.0
        /// Deal seekers: their purchase rate is this share of an ordinary own-site customer's.
        static let discountCampaignRateFactor = 0.03
        /// Share of the first order the campaign takes off.
        static let discountCampaignCoupon = 0.5

        /// Whether `days` (since 1970-01-01) falls in the given month.
        static func isIn(_ month: (year: Int, month: Int), days: Int) -> Bool {
            let date = civil(days)
            return date.year == month.year && date.month == month.month
        }
    }
}
