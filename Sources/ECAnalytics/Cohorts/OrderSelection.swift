import ECStore

/// Which orders an analysis counts: the orders table, the counted-order
/// condition, and optional segment filters, all given by the caller.
///
/// The settings and segment engines own these conditions; the analyses only
/// AND them together. Filters restrict the universe *before* first orders are
/// found, so a customer's cohort is the period of their first order among
/// the selected orders.
public struct OrderSelection: Sendable {
    /// The orders table (workspace role table, `orders` by default).
    public var table: String
    /// The counted-order condition, e.g. `status IS NULL OR status NOT IN (?,?,?)`.
    public var countedOrders: SQLFragment
    /// A condition on `customer_id` (a segment), or nil for every customer.
    public var customerFilter: SQLFragment?
    /// The same segments as a condition on a row of the customer facts (`customerFilter` is
    /// `customer_id IN (SELECT customer_id FROM ecsh_customer_facts WHERE it)`, or from `ecsh_customer_base`
    /// when `it` names no customers column: `CustomerFacts.relation(for:)`), which the snapshot
    /// evaluates once per customer; nil: the snapshot evaluates `customerFilter` itself.
    public var factsCondition: SQLFragment?
    /// A condition on order columns (a `where` clause), or nil.
    public var orderFilter: SQLFragment?
    /// The same condition compiled for `orders AS o`, every column named `o."column"`, so that the
    /// snapshot can apply it through the codes of the columns it names (`OrderMask.fromCodes`, as a
    /// KPI's filter); nil: the snapshot applies `orderFilter` by a scan of `orders`.
    public var aliasedOrderFilter: SQLFragment?

    public init(table: String = "orders", countedOrders: SQLFragment,
                customerFilter: SQLFragment? = nil, factsCondition: SQLFragment? = nil,
                orderFilter: SQLFragment? = nil, aliasedOrderFilter: SQLFragment? = nil) {
        self.table = table
        self.countedOrders = countedOrders
        self.customerFilter = customerFilter
        self.factsCondition = factsCondition
        self.orderFilter = orderFilter
        self.aliasedOrderFilter = aliasedOrderFilter
    }

    /// docs/metrics.md's default: every status except the given ones (and NULL status) counts.
    /// The default list is the settings' own, so that this and `MetricSettings` cannot drift apart.
    public static func excludingStatuses(_ statuses: [String] = MetricSettings.defaultExcluded,
                                         table: String = "orders") -> OrderSelection {
        let marks = Array(repeating: "?", count: statuses.count).joined(separator: ",")
        let condition = statuses.isEmpty
            ? SQLFragment("1")
            : SQLFragment("status IS NULL OR status NOT IN (\(marks))", statuses.map { .text($0) })
        return OrderSelection(table: table, countedOrders: condition)
    }

    /// `(counted) AND (order filter) AND (customer filter)`, each parenthesised.
    var condition: SQLFragment {
        var parts = [SQLFragment("(") + countedOrders + SQLFragment(")")]
        if let orderFilter { parts.append(SQLFragment("(") + orderFilter + SQLFragment(")")) }
        if let customerFilter { parts.append(SQLFragment("(") + customerFilter + SQLFragment(")")) }
        return SQLFragment.joined(parts, separator: " AND ")
    }

    /// `SELECT columns FROM table WHERE condition`.
    func select(_ columns: [String]) -> SQLFragment {
        SQLFragment("SELECT \(columns.joined(separator: ", ")) FROM \(quoteIdentifier(table)) WHERE ") + condition
    }

    /// The last counted order's day in the whole table (filters aside): the default as_of,
    /// as `WorkspaceDates.asOfDay` has it. A cancelled order after it does not extend the data.
    func lastCountedDay(in db: Database) throws -> Int? {
        let counted = OrderSelection(table: table, countedOrders: countedOrders)
        if let snapshot = try OrderSnapshot.holding(counted, in: db) { return snapshot.blocks.last?.lastDay }
        let query = SQLFragment("SELECT max(day) FROM \(quoteIdentifier(table)) WHERE (") + countedOrders + SQLFragment(")")
        return try db.rememberedScalar(query.sql, query.bindings).intValue.map { Int($0) }
    }

    /// The selection without orders after `day`. Unchanged when no counted order comes
    /// later (the default as_of), so that the snapshot route stays open and the reference
    /// SQL stays as it was; otherwise `day <= ?` joins the order filter.
    func through(day: Int, in db: Database) throws -> OrderSelection {
        if let last = try lastCountedDay(in: db), last <= day { return self }
        var cut = self
        func and(_ filter: SQLFragment?, _ column: String) -> SQLFragment {
            let bound = SQLFragment("\(column) <= ?", [.integer(Int64(day))])
            return filter.map { SQLFragment("(") + $0 + SQLFragment(") AND ") + bound } ?? bound
        }
        cut.orderFilter = and(orderFilter, "day")
        // Without an aliased form of the filter there is none of the cut either: a bare column would be missed.
        cut.aliasedOrderFilter = orderFilter == nil || aliasedOrderFilter != nil ? and(aliasedOrderFilter, "o.\"day\"") : nil
        return cut
    }

    /// The last day with any order in the table (counted or not): where the data ends.
    func lastDay(in db: Database) throws -> Int? {
        // Recorded when the snapshot was built (loads and SQL writes drop it): no scan.
        if table == "orders", let d = try OrderSnapshot.meta(db)?["orders_last_day"].flatMap(Int.init) { return d }
        return try db.scalar("SELECT max(day) FROM \(quoteIdentifier(table))").intValue.map { Int($0) }
    }
}

/// The cost fields of contribution margin (CM2), in formula order.
public enum CostField: String, Sendable, CaseIterable {
    case discount, points, cogs, shipping, commission
}

/// Contribution margin per order (docs/metrics.md): CM2 = amount − discount − points − cogs − shipping − commission.
enum ContributionMargin {
    static let formula = "CM2 = amount − discount − points − cogs − shipping − commission (missing costs count as 0)"

    /// Describes cost fields with NULLs: all missing, or missing on some orders.
    static func missingNote(nullCounts: [CostField: Int], orders: Int) -> String? {
        guard orders > 0 else { return nil }
        var parts: [String] = []
        for field in CostField.allCases {
            let nulls = nullCounts[field] ?? 0
            if nulls == orders { parts.append("\(field.rawValue) (all orders)") }
            else if nulls > 0 { parts.append("\(field.rawValue) (\(nulls) of \(orders) orders)") }
        }
        return parts.isEmpty ? nil : "missing cost fields counted as 0: " + parts.joined(separator: ", ")
    }
}
