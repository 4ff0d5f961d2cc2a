import ECStore

/// One entry of the KPI catalogue: what it means, how it is computed, what it needs.
public struct KPIDefinition: Sendable {
    /// How a KPI behaves when rows are added up.
    public enum Kind: String, Sendable {
        /// Sums across periods and dimensions (gmv, orders, new_customers): a total row is meaningful.
        case additive
        /// A quotient (aov, repeat_rate): never summed, no total.
        case ratio
        /// A distinct count or a stock (customers, active_members): not summable
        /// across periods because the same customer appears in several.
        case distinct
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

    /// One output column: its name and an SQL expression over the measure columns.
    struct Output: Sendable {
        var name: String
        var expression: String
        var display: Display
    }

    public let name: String
    public let meaning: String
    public let formula: String
    /// Datasets and fields, e.g. "orders.amount", "spend".
    public let needs: [String]
    public let pitfalls: [String]
    public let kind: Kind
    public let display: Display
    let measures: Set<Measure>
    let outputs: [Output]

    /// The display format under the given currency.
    public func format(currency: String) -> ColumnFormat { display.format(currency: currency) }

    init(_ name: String, _ meaning: String, formula: String, needs: [String], pitfalls: [String],
         kind: Kind, display: Display, measures: Set<Measure>, sql: String? = nil, outputs: [Output]? = nil) {
        self.name = name
        self.meaning = meaning
        self.formula = formula
        self.needs = needs
        self.pitfalls = pitfalls
        self.kind = kind
        self.display = display
        self.measures = measures
        self.outputs = outputs ?? [Output(name: name, expression: sql ?? name, display: display)]
    }
}

/// The building blocks KPIs are computed from, one aggregate column each.
enum Measure: String, Sendable, CaseIterable {
    // From counted orders, per group.
    case gmv, revenue, orders, units, margin, commission, discounts, mall_gmv
    case customers, new_customers, returning_customers
    // Customer lifecycle.
    case repeat_customers, ever_customers, f2_new, f2_converted, f2_final
    case active_members, retained, previous_active
    // Other datasets.
    case spend, sessions, nps_responses, nps_promoters, nps_detractors

    var source: Source {
        switch self {
        case .gmv, .revenue, .orders, .units, .margin, .commission, .discounts, .mall_gmv,
             .customers, .new_customers, .returning_customers, .f2_new, .f2_converted, .f2_final:
            return .orders
        case .repeat_customers, .ever_customers: return .repeats
        case .active_members: return .active
        case .retained, .previous_active: return .retention
        case .spend: return .spend
        case .sessions: return .traffic
        case .nps_responses, .nps_promoters, .nps_detractors: return .nps
        }
    }

    /// The CTE a measure comes from.
    enum Source: String, CaseIterable { case orders, repeats, active, retention, spend, traffic, nps }
}
