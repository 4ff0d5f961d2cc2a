extension SampleShop {
    /// The sales channels: three Japanese marketplaces and the shop's own site.
    enum Channel: Int, CaseIterable {
        case rakuten, amazon, yahoo, own

        var name: String {
            switch self {
            case .rakuten: return "rakuten"
            case .amazon: return "amazon"
            case .yahoo: return "yahoo"
            case .own: return "own"
            }
        }

        /// Marketplace commission, or the payment fee on the own site, on the paid amount.
        var commissionRate: Double {
            switch self {
            case .rakuten: return 0.10
            case .amazon: return 0.15
            case .yahoo: return 0.08
            case .own: return 0.036
            }
        }

        /// Ad spend per paid new customer (yen): what the spend buys.
        var costPerAcquisition: Double {
            switch self {
            case .rakuten: return 2_800
            case .amazon: return 3_200
            case .yahoo: return 2_300
            case .own: return 950
            }
        }

        /// Orders per session (all orders, new and repeat).
        var conversionRate: Double {
            switch self {
            case .rakuten: return 0.022
            case .amazon: return 0.028
            case .yahoo: return 0.016
            case .own: return 0.012
            }
        }

        /// Multiplier on a customer's purchase rate: own-site buyers come back far more
        /// (they chose the shop, not a marketplace search result).
        var purchaseRateFactor: Double {
            switch self {
            case .rakuten: return 1.0
            case .amazon: return 0.7
            case .yahoo: return 0.85
            case .own: return 5.0
            }
        }

        /// Beta(a, b) of the chance of leaving after each repeat purchase: own-site buyers stay longer.
        var dropout: (a: Double, b: Double) {
            switch self {
            case .own: return (BuyerModel.dropoutA, 9.0)
            default: return (BuyerModel.dropoutA, BuyerModel.dropoutB)
            }
        }

        /// Share of new customers at the start and at the end of the period.
        var acquisitionShare: (start: Double, end: Double) {
            switch self {
            case .rakuten: return (0.48, 0.44)
            case .amazon: return (0.28, 0.27)
            case .yahoo: return (0.17, 0.16)
            case .own: return (0.07, 0.13)
            }
        }

        /// Probability that an order redeems points, and the largest share of the amount.
        var pointsUse: (probability: Double, maxShare: Double) {
            switch self {
            case .rakuten: return (0.60, 0.20)
            case .yahoo: return (0.50, 0.15)
            case .amazon: return (0.08, 0.05)
            case .own: return (0.12, 0.05)
            }
        }

        /// Shipping cost per parcel borne by the shop (yen); Amazon is fulfilment by Amazon.
        var shippingCost: Int {
            switch self {
            case .amazon: return 520
            case .own: return 650
            default: return 700
            }
        }

        /// Ad campaigns and their share of the channel's spend, cost per click and click-through rate.
        ///
        /// Costs per click are set so paid clicks are roughly a third of the
        /// channel's sessions (the rest is organic search, mall browsing, repeat visits).
        var campaigns: [(name: String, share: Double, costPerClick: Double, clickThrough: Double)] {
            switch self {
            case .rakuten: return [("rpp_search", 0.7, 80, 0.012), ("coupon_advance", 0.3, 60, 0.006)]
            case .amazon: return [("sponsored_products", 0.75, 95, 0.004), ("sponsored_brands", 0.25, 120, 0.003)]
            case .yahoo: return [("item_match", 1.0, 45, 0.008)]
            case .own: return [("google_search", 0.5, 85, 0.045), ("meta_ads", 0.35, 60, 0.009),
                               ("line_ads", 0.15, 45, 0.007)]
            }
        }
    }

    /// One item the shop sells.
    struct Product {
        let name: String
        let category: String
        let price: Int
        /// Cost of goods as a share of the price (0.40–0.55).
        let costShare: Double
    }

    /// A Japanese tea shop: tea, sweets, gift boxes and teaware.
    static let products: [Product] = [
        Product(name: "Sencha Premium 100g", category: "tea", price: 1_620, costShare: 0.42),
        Product(name: "Gyokuro 80g", category: "tea", price: 3_240, costShare: 0.47),
        Product(name: "Hojicha 200g", category: "tea", price: 1_296, costShare: 0.40),
        Product(name: "Genmaicha 300g", category: "tea", price: 1_080, costShare: 0.41),
        Product(name: "Matcha Ceremonial 30g", category: "tea", price: 2_980, costShare: 0.50),
        Product(name: "Matcha Latte Powder 200g", category: "tea", price: 1_980, costShare: 0.44),
        Product(name: "Sencha Tea Bags 50p", category: "tea", price: 1_480, costShare: 0.43),
        Product(name: "Cold Brew Sencha 20p", category: "tea", price: 1_280, costShare: 0.45),
        Product(name: "Matcha Baumkuchen", category: "sweets", price: 2_160, costShare: 0.52),
        Product(name: "Yokan Assortment 5p", category: "sweets", price: 2_700, costShare: 0.55),
        Product(name: "Hojicha Cookies 12p", category: "sweets", price: 1_580, costShare: 0.48),
        Product(name: "Tea Gift Set Take", category: "gift", price: 3_780, costShare: 0.46),
        Product(name: "Tea Gift Set Matsu", category: "gift", price: 5_400, costShare: 0.45),
        Product(name: "New Year Gift Box", category: "gift", price: 6_480, costShare: 0.50),
        Product(name: "Oseibo Premium Box", category: "gift", price: 10_800, costShare: 0.53),
        Product(name: "Kyusu Teapot", category: "teaware", price: 4_950, costShare: 0.49),
        Product(name: "Yunomi Cup Pair", category: "teaware", price: 3_300, costShare: 0.51),
        Product(name: "Matcha Whisk Set", category: "teaware", price: 3_850, costShare: 0.54),
    ]

    /// How often each product sells outside gift season (gift boxes get a boost in December).
    static let productWeights: [Double] = [14, 6, 10, 8, 6, 9, 9, 6, 5, 3, 5, 4, 3, 1, 1, 2, 2, 2]

    /// Customer regions (prefectures), weighted roughly by online-shopping population.
    static let regions: [(name: String, weight: Double)] = [
        ("Tokyo", 16), ("Kanagawa", 8.5), ("Osaka", 8), ("Aichi", 6.5), ("Saitama", 6.5),
        ("Chiba", 5.5), ("Hyogo", 4.5), ("Hokkaido", 4), ("Fukuoka", 4.2), ("Shizuoka", 3),
        ("Kyoto", 2.6), ("Hiroshima", 2.3), ("Miyagi", 1.9), ("Ibaraki", 2.2), ("Niigata", 1.6),
        ("Nagano", 1.6), ("Okayama", 1.5), ("Kumamoto", 1.3), ("Okinawa", 1.1), ("Other", 17.2),
    ]

    /// Age bands with their share of customers and a multiplier on the purchase rate.
    static let ageBands: [(name: String, weight: Double, rateFactor: Double)] = [
        ("20s", 12, 0.8), ("30s", 24, 0.95), ("40s", 28, 1.05), ("50s", 22, 1.15), ("60+", 14, 1.1),
    ]

    static let genders: [(name: String, weight: Double)] = [("female", 62), ("male", 35), ("unanswered", 3)]

    /// Relative order volume by hour of day (evening peak, as in Japanese EC).
    static let hourWeights: [Double] = [
        3, 2, 1, 0.6, 0.5, 0.7, 1.2, 2, 2.8, 3.5, 4, 4.3,
        5, 4.5, 4.2, 4.2, 4.3, 4.5, 5, 5.5, 6.5, 7.5, 7, 5,
    ]
}
