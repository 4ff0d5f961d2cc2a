import ECStore

/// Per-group CLV: customers, P(alive), expected purchases, CLV and customer equity side by side.
///
/// Groups may come from one pooled fit or from one fit per group; either
/// way a group's row is the sum (or mean) over its own customers' predictions,
/// so when groups partition the customers the rows add up to the total.
public struct CLVGroupSummary: Sendable, Equatable {
    public var label: String
    public var customers: Int
    public var repeatCustomers: Int
    /// Σ P(alive), Σ P(alive) over repeat customers, Σ expected purchases, Σ CLV.
    public var aliveSum = 0.0
    public var repeatAliveSum = 0.0
    public var purchasesSum = 0.0
    public var equity = 0.0
    /// The margin the group's expected spend was multiplied by, when groups have their own (`withMargins`).
    public var margin: Double?

    /// The label of the group of customers without a value (no first channel, no region): a character no export
    /// holds (Unicode's first private-use one), so a real value spelled `(none)` stays a group of its own, and it
    /// sorts after every letter, so the group comes last. Tables show it as a null key (`∅`, an empty CSV cell,
    /// JSON null), as `kpi` and the other commands do.
    public static let missingLabel = "\u{E000}"

    /// The label as a table's key: null for the group without a value.
    public static func key(_ label: String) -> Value { label == missingLabel ? .null : .text(label) }

    /// The label in a sentence: ∅ for the group without a value.
    public static func shown(_ label: String) -> String { label == missingLabel ? "∅" : label }

    public init(label: String) {
        self.label = label
        customers = 0
        repeatCustomers = 0
    }

    public mutating func add(_ p: CustomerPrediction) {
        add(repeatCustomer: p.customer.x > 0, alive: p.probabilityAlive, purchases: p.expectedPurchases, clv: p.clv)
    }

    @inline(__always)
    public mutating func add(repeatCustomer: Bool, alive: Double, purchases: Double, clv: Double) {
        customers += 1
        aliveSum += alive
        purchasesSum += purchases
        equity += clv
        if repeatCustomer {
            repeatCustomers += 1
            repeatAliveSum += alive
        }
    }

    /// Adds another part's sums (the parts of a chunked pass, in a fixed order).
    public mutating func merge(_ other: CLVGroupSummary) {
        customers += other.customers
        repeatCustomers += other.repeatCustomers
        aliveSum += other.aliveSum
        repeatAliveSum += other.repeatAliveSum
        purchasesSum += other.purchasesSum
        equity += other.equity
    }

    /// Rows summed at margin 1 (the expected spend, discounted) made CLV at each group's own margin. When the
    /// groups partition the customers the total is the sum of the rows (customers in no group at `shop`), so
    /// the rows still add up to it; when they overlap the total keeps the shop's margin. The total's `margin`
    /// is the one its equity works out to (equity ÷ expected spend).
    public static func withMargins(_ groups: [CLVGroupSummary], total: CLVGroupSummary, margins: [Double], shop: Double,
                                   overlaps: Bool) -> (groups: [CLVGroupSummary], total: CLVGroupSummary) {
        var rows = groups, sum = total
        for g in rows.indices where g < margins.count {
            rows[g].equity *= margins[g]
            rows[g].margin = margins[g]
        }
        if overlaps {
            sum.equity = total.equity * shop
        } else {
            let ungrouped = total.equity - groups.reduce(0) { $0 + $1.equity }
            sum.equity = rows.reduce(0) { $0 + $1.equity } + ungrouped * shop
        }
        sum.margin = total.equity != 0 ? sum.equity / total.equity : shop
        return (rows, sum)
    }

    /// Groups predictions by label; a customer in several groups (overlapping segments) counts in each.
    /// Labels keep the order given; the total row counts each prediction once.
    public static func summarize(_ predictions: [CustomerPrediction], labels: [String],
                                 membership: CLVMembership) -> (groups: [CLVGroupSummary], total: CLVGroupSummary) {
        var summary = Accumulator(labels: labels)
        for p in predictions { summary.add(p, membership: membership) }
        return (summary.groups, summary.total)
    }

    /// Group rows and the total, filled one prediction at a time (no array of predictions needed).
    public struct Accumulator: Sendable {
        public var groups: [CLVGroupSummary]
        public var total = CLVGroupSummary(label: "total")

        public init(labels: [String]) { groups = labels.map(CLVGroupSummary.init(label:)) }

        public mutating func add(_ p: CustomerPrediction, membership: CLVMembership) {
            total.add(p)
            membership.forEachGroup(ofKey: p.customer.key) { groups[$0].add(p) }
        }

        @inline(__always)
        public mutating func add(key: Int32, repeatCustomer: Bool, _ f: CLVCalculator.Forecast, membership: CLVMembership) {
            total.add(repeatCustomer: repeatCustomer, alive: f.probabilityAlive, purchases: f.expectedPurchases, clv: f.clv)
            membership.forEachGroup(ofKey: key) {
                groups[$0].add(repeatCustomer: repeatCustomer, alive: f.probabilityAlive, purchases: f.expectedPurchases, clv: f.clv)
            }
        }

        public mutating func merge(_ other: Accumulator) {
            total.merge(other.total)
            for g in groups.indices where g < other.groups.count { groups[g].merge(other.groups[g]) }
        }
    }

    /// The side-by-side table: one row per group, then the total.
    public static func table(_ groups: [CLVGroupSummary], total: CLVGroupSummary, header: String,
                             currency: String, notes: [String]) -> ResultTable {
        func mean(_ sum: Double, _ n: Int) -> Value { n > 0 ? .real(sum / Double(n)) : .null }
        // A margin column when the groups have margins of their own (before the CLV it makes).
        let margins = groups.contains { $0.margin != nil }
        let rows: [[Value]] = (groups + [total]).map { g in
            [CLVGroupSummary.key(g.label), .integer(Int64(g.customers)), .integer(Int64(g.repeatCustomers)),
             mean(g.aliveSum, g.customers), mean(g.repeatAliveSum, g.repeatCustomers),
             mean(g.purchasesSum, g.customers)] + (margins ? [g.margin.map(Value.real) ?? .null] : [])
                + [mean(g.equity, g.customers), .real(g.equity)]
        }
        return ResultTable(columns: [header, "customers", "repeat_customers", "p_alive", "p_alive_repeaters",
                                     "expected_purchases"] + (margins ? ["margin"] : []) + ["clv_per_customer", "customer_equity"],
                           rows: rows,
                           formats: [.text, .auto, .auto, .percent(places: 1), .percent(places: 1), .decimal(places: 2)]
                                + (margins ? [.percent(places: 1)] : []) + [.currency(code: currency), .currency(code: currency)],
                           notes: notes, summaryRows: [rows.count - 1])
    }
}
