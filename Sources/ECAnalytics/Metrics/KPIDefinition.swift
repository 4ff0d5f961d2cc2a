import ECStore

/// One entry of the KPI catalogue: what it means, how it is computed, what it needs.
public struct KPIDefinition: Sendable {
    /// How a KPI's total row is made: the one rule `kpi`, `explain` and the docs read.
    public enum TotalRule: String, Sendable, CaseIterable {
        /// The rows add up (gmv, orders, new_customers): the total is their sum.
        case sum
        /// A quotient (aov, cac, f2_rate): the total is the formula over the whole range's
        /// measures (total AOV = total revenue / total orders), never a sum or an average of rows.
        case recompute
        /// A distinct count (customers): each customer once over the whole range, so the
        /// total is smaller than the sum of the rows when customers appear in several.
        case distinct
        /// A stock at each period end or a period-over-period comparison (active_members,
        /// repeat_rate, retention_rate, the factors' changes): no total is meaningful.
        case none

        /// How `explain` and docs/metrics.md word the rule.
        public var explanation: String {
            switch self {
            case .sum: return "the sum of the rows"
            case .recompute: return "the formula recomputed over the whole range (not a sum or an average of the rows)"
            case .distinct: return "each customer counted once over the whole range (less than the sum of the rows)"
            case .none: return "none (a stock at each period end or a comparison between periods does not add up)"
            }
        }
    }

    /// Which way is good: drives the scorecard's colours and the wording of targets.
    public enum Direction: String, Sendable, CaseIterable {
        case higherIsBetter = "higher is better"
        case lowerIsBetter = "lower is better"
        /// Neither is good in itself (orders shipped, spend, sessions).
        case neutral = "neither higher nor lower is better in itself"
    }

    /// How values read.
    public enum Display: Sendable {
        case money, percent, count, decimal, score
        public func format(currency: String) -> ColumnFormat {
            switch self {
            case .money: return .currency(code: currency)
            case .percent: return .percent(places: 1)
            case .count: return .auto
            case .decimal: return .decimal(places: 2)
            case .score: return .decimal(places: 1)
            }
        }
    }

    /// One output column: its name, an SQL expression over the measure columns, and its total.
    struct Output: Sendable {
        var name: String
        var expression: String
        var display: Display
        var total: TotalRule
    }

    public let name: String
    public let meaning: String
    public let formula: String
    /// Datasets and fields, e.g. "orders.amount", "spend".
    public let needs: [String]
    public let pitfalls: [String]
    /// The total rule of the KPI's (first) column.
    public let total: TotalRule
    public let direction: Direction
    public let display: Display
    let measures: Set<Measure>
    let outputs: [Output]
    /// Money per order or customer (aov, cac, ltv, cpa) rather than an amount: the unit
    /// algebra of derived KPIs needs it (revenue / aov is a number of orders).
    let perCount: Bool

    /// The display format under the given currency.
    public func format(currency: String) -> ColumnFormat { display.format(currency: currency) }

    init(_ name: String, _ meaning: String, formula: String, needs: [String], pitfalls: [String],
         total: TotalRule, direction: Direction = .higherIsBetter, display: Display, perCount: Bool = false,
         measures: Set<Measure>, sql: String? = nil, outputs: [Output]? = nil) {
        self.name = name
        self.meaning = meaning
        self.formula = formula
        self.needs = needs
        self.pitfalls = pitfalls
        self.total = total
        self.direction = direction
        self.display = display
        self.measures = measures
        self.perCount = perCount
        self.outputs = outputs ?? [Output(name: name, expression: sql ?? name, display: display, total: total)]
    }

    /// The datasets the engine reads for this KPI, from its measures (not from prose).
    public var datasets: Set<DatasetRole> { Set(measures.map(\.source.dataset)) }

    /// The names of the output columns (`sales` has eight).
    public var columnNames: [String] { outputs.map(\.name) }
}

/// The building blocks KPIs are computed from, one aggregate column each.
enum Measure: String, Sendable, CaseIterable {
    // From counted orders, per group.
    case gmv, revenue, orders, units, margin, commission, discounts, mall_gmv
    case customers, new_customers, returning_customers
    // Customer lifecycle.
    case repeat_customers, ever_customers, f2_new, f2_converted, f2_final
    case active_members, retained, previous_active
    // Customers acquired in the group, followed over month offsets (KPIEngine+Lifetime).
    case ltv_margin, ltv_customers, ltv_final, payback_months
    // Other datasets.
    case spend, spend_rows, sessions, nps_responses, nps_promoters, nps_detractors

    var source: Source {
        switch self {
        case .gmv, .revenue, .orders, .units, .margin, .commission, .discounts, .mall_gmv,
             .customers, .new_customers, .returning_customers, .f2_new, .f2_converted, .f2_final:
            return .orders
        case .repeat_customers, .ever_customers: return .repeats
        case .active_members: return .active
        case .retained, .previous_active: return .retention
        case .ltv_margin, .ltv_customers, .ltv_final, .payback_months: return .lifetime
        case .spend, .spend_rows: return .spend
        case .sessions: return .traffic
        case .nps_responses, .nps_promoters, .nps_detractors: return .nps
        }
    }

    /// The CTE a measure comes from.
    enum Source: String, CaseIterable {
        case orders, repeats, active, retention, lifetime, spend, traffic, nps

        /// The loaded dataset this CTE reads.
        var dataset: DatasetRole {
            switch self {
            case .orders, .repeats, .active, .retention, .lifetime: return .orders
            case .spend: return .spend
            case .traffic: return .traffic
            case .nps: return .nps
            }
        }
    }
}

extension DatasetRole {
    /// What to load, for the error that says a dataset a KPI reads is missing.
    var missingMessage: String {
        switch self {
        case .orders: return "orders: load orders from 'file.csv'"
        case .customers: return "customers: load customers from 'file.csv'"
        case .spend: return "ad spend: load spend from 'file.csv'"
        case .traffic: return "traffic (sessions): load traffic from 'file.csv'"
        case .nps: return "survey answers: load nps from 'file.csv'"
        }
    }
}
