import ECStore

/// What each unit-economics row is.
public enum UnitEconomicsGrouping: String, Sendable, CaseIterable {
    /// Per channel: customers by their first order's channel, orders by the channel they were placed in.
    case channel
    /// Per acquisition month: the cohort's customers and all of their orders.
    case cohort
    /// Per calendar month: customers acquired that month, orders placed that month.
    case month
    /// One row for the whole shop.
    case none
}

/// A unit-economics request (`unit economics by channel horizon 12`).
public struct UnitEconomicsQuery: Sendable {
    public var by: UnitEconomicsGrouping
    /// LTV horizon h: month offsets 0...h after the first order.
    public var horizonMonths: Int
    public var orders: OrderSelection
    /// The spend table; CAC is left empty when it is absent.
    public var spendTable: String?
    /// Channels that are marketplaces (malls) rather than the own shop.
    public var mallChannels: Marketplaces
    /// Adds a blended row over everything (when grouped).
    public var includeTotal: Bool
    /// The as_of day: orders and spend after it do not count, and it ends the observed months.
    /// nil: the last counted order's day (a cancelled order after it does not extend the data).
    public var asOfDay: Int?

    public init(by: UnitEconomicsGrouping = .channel, horizonMonths: Int = 12, orders: OrderSelection,
                spendTable: String? = "spend", mallChannels: Marketplaces = MetricSettings().marketplaces,
                includeTotal: Bool = true, asOfDay: Int? = nil) {
        self.by = by
        self.horizonMonths = horizonMonths
        self.orders = orders
        self.spendTable = spendTable
        self.mallChannels = mallChannels
        self.includeTotal = includeTotal
        self.asOfDay = asOfDay
    }
}

/// One row of unit economics.
public struct UnitEconomicsRow: Sendable, Equatable {
    /// The group's name; nil for orders and customers without a channel (a NULL key, shown `∅`).
    public var group: String?
    /// Customers whose first counted order falls in the group.
    public var newCustomers: Int
    /// Ad spend attributed to the group; nil without spend rows.
    public var spend: Double?
    /// spend / new customers.
    public var cac: Double?
    /// Counted orders in the group.
    public var orders: Int
    /// Net revenue (amount − discount − points) / orders.
    public var aov: Double?
    /// CM2 / orders.
    public var marginPerOrder: Double?
    /// Orders per customer within offsets 0...h (cohorts at least h months old).
    public var ordersPerCustomer: Double?
    /// Historical LTV(h): cumulative CM2 per customer within offsets 0...h (cohorts at least h months old).
    public var ltv: Double?
    public var ltvToCAC: Double?
    /// First month offset where cumulative CM2 per customer ≥ CAC.
    public var payback: CohortMatrix.Payback?
    /// When payback is "not yet": the share of CAC recovered by the last month offset the data covers, and that offset.
    public var recovered: Recovery? = nil
    /// GMV = Σ amount of the group's orders.
    public var gmv: Double
    public var commission: Double
    /// Channel rows: true for marketplace channels.
    public var isMall: Bool?

    /// The ≥ 3 rule of thumb.
    public var isHealthy: Bool? { ltvToCAC.map { $0 >= 3 } }
    /// Below 1: each new customer has brought less margin than they cost to acquire.
    public var isLossMaking: Bool? { ltvToCAC.map { $0 < 1 } }
    /// commission / GMV.
    public var commissionBurden: Double? { gmv > 0 ? commission / gmv : nil }
}

/// How much of CAC a group's customers have earned back when payback is not reached yet.
public struct Recovery: Sendable, Equatable {
    /// Cumulative CM2 per customer / CAC.
    public var share: Double
    /// The last month offset the cohorts' data reaches.
    public var months: Int
}
