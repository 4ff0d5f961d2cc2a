import ECLanguage
import ECStore

/// What a cohort cell counts.
public enum CohortMeasure: String, Sendable, CaseIterable {
    /// Share of the cohort active at the offset (per `RetentionMode`).
    case retention
    /// Number of cohort customers active at the offset (per `RetentionMode`).
    case customers
    /// Counted orders at the offset, per cohort customer.
    case orders
    /// Net revenue (amount − discount − points) at the offset, per cohort customer.
    case revenue
    /// Contribution margin (CM2) at the offset, per cohort customer; cumulative = LTV curve.
    case margin
}

/// How customers are put into cohorts.
public enum CohortGrouping: Sendable {
    /// By the period of the first counted order.
    case period(PeriodUnit)
    /// By a customer attribute; offsets are in the query's `offsetUnit`.
    case attribute(CustomerAttribute)
    /// One cohort of every customer; offsets are in the query's `offsetUnit`.
    case all
}

/// A cohort analysis request (`cohort retention by month ...`).
public struct CohortQuery: Sendable {
    public var measure: CohortMeasure
    /// Running totals over offsets (money and order measures); for retention
    /// it means the same as `mode: .cumulative`.
    public var cumulative: Bool
    public var grouping: CohortGrouping
    public var mode: RetentionMode
    /// The last offset shown: cells run over offsets 0...periods.
    public var periods: Int
    public var orders: OrderSelection
    /// Per cohort customer (default) or cohort totals, for orders/revenue/margin.
    public var perCustomer: Bool
    /// Offset unit when grouping is not by period.
    public var offsetUnit: PeriodUnit
    /// Show only the most recent N cohorts (period grouping), or all when nil.
    public var cohortLimit: Int?
    /// The spend table for CAC and payback (margin, cumulative); skipped when absent.
    public var spendTable: String?
    /// The day the data is observed to (as_of): cells after its period are empty and
    /// orders after it are left out. Nil: the last counted order's day (the as_of default).
    public var asOfDay: Int?

    public init(measure: CohortMeasure = .retention, cumulative: Bool = false,
                grouping: CohortGrouping = .period(.month), mode: RetentionMode = .on,
                periods: Int = 12, orders: OrderSelection, perCustomer: Bool = true,
                offsetUnit: PeriodUnit = .month, cohortLimit: Int? = nil, spendTable: String? = "spend",
                asOfDay: Int? = nil) {
        self.measure = measure
        self.cumulative = cumulative
        self.grouping = grouping
        self.mode = mode
        self.periods = periods
        self.orders = orders
        self.perCustomer = perCustomer
        self.offsetUnit = offsetUnit
        self.cohortLimit = cohortLimit
        self.spendTable = spendTable
        self.asOfDay = asOfDay
    }

    /// The unit of cohorts and offsets.
    public var unit: PeriodUnit {
        if case .period(let unit) = grouping { return unit }
        return offsetUnit
    }

    /// The retention mode in force (`cumulative: true` selects `.cumulative`).
    var effectiveMode: RetentionMode { cumulative && mode == .on ? .cumulative : mode }

    /// True for measures counted in customers rather than summed over orders.
    var countsCustomers: Bool { measure == .retention || measure == .customers }
}
