import ECStore

/// A property that puts each customer in one group: their first order's
/// channel, or any column a caller can select per customer.
public struct CustomerAttribute: Sendable {
    /// Where the value comes from.
    public enum Source: Sendable {
        /// An expression over the columns of the customer's first counted
        /// order (earliest day, then ordered_at), e.g. `channel`.
        case firstOrder(SQLFragment)
        /// A query yielding two columns, customer id then value, e.g.
        /// `SELECT customer_id, acquisition_channel FROM customers`.
        case lookup(SQLFragment)
    }

    /// The column header, e.g. "first_channel".
    public var name: String
    public var source: Source
    /// True when values are spend-table channels, so CAC per group can be computed.
    public var matchesSpendChannel: Bool
    /// The column of the customer facts that holds the same value per customer, when the facts are
    /// built from every counted order (`lookupQuery(orders:in:)`).
    var factsColumn: String?

    public init(name: String, source: Source, matchesSpendChannel: Bool = false) {
        self.name = name
        self.source = source
        self.matchesSpendChannel = matchesSpendChannel
    }

    /// The channel of the customer's first counted order.
    public static let firstChannel: CustomerAttribute = {
        var a = CustomerAttribute(name: "first_channel", source: .firstOrder(SQLFragment("channel")), matchesSpendChannel: true)
        a.factsColumn = "first_channel"
        return a
    }()

    /// A column of the customer's first counted order, e.g. `category` → "first_category".
    public static func firstOrder(column: String) -> CustomerAttribute {
        CustomerAttribute(name: "first_" + column, source: .firstOrder(SQLFragment(quoteIdentifier(column))),
                          matchesSpendChannel: column == "channel")
    }

    /// A column of a per-customer table, e.g. `acquisition_channel` of `customers`.
    public static func column(_ column: String, of table: String = "customers") -> CustomerAttribute {
        var a = CustomerAttribute(name: column, source: .lookup(SQLFragment(
            "SELECT customer_id, \(quoteIdentifier(column)) FROM \(quoteIdentifier(table))")))
        a.tableColumn = (table, column)
        return a
    }

    /// The table and column a `column(_:of:)` attribute reads.
    var tableColumn: (table: String, column: String)?

    /// A query of `(customer_id, value)` rows, one per customer.
    /// - Parameter orders: needed for `.firstOrder`, which reads counted orders.
    /// With `db`, an attribute the customer facts hold (`factsColumn`) is read from them when they are
    /// current and built from exactly `orders` (every counted order, none after as_of, no filter):
    /// the same first order, ties broken alike, without sorting every order by customer (20 s of
    /// `nps compare by channel` at 10M orders).
    func lookupQuery(orders: OrderSelection?, in db: Database? = nil) throws -> SQLFragment {
        switch source {
        case .lookup(let query):
            if let (table, column) = tableColumn, table == CustomerFacts.table, let db {
                return SQLFragment("SELECT customer_id, \(quoteIdentifier(column)) FROM \(try CustomerFacts.relation(reading: column, db))")
            }
            return query
        case .firstOrder(let expression):
            guard let orders else {
                throw StoreError("the attribute '\(name)' comes from first orders; load orders or group by a customer column instead")
            }
            if let factsColumn, let db, db.engine == .sqlite, try OrderSnapshot.holding(orders, in: db) != nil {
                return SQLFragment("SELECT customer_id, \(quoteIdentifier(factsColumn)) FROM \(try CustomerFacts.relation(reading: factsColumn, db))")
            }
            // A window over counted orders: one pass, no correlated subquery.
            return SQLFragment("SELECT customer_id, value FROM (SELECT customer_id, (") + expression
                + SQLFragment(") AS value, row_number() OVER (PARTITION BY customer_id ORDER BY day, ordered_at NULLS FIRST, order_id NULLS FIRST) AS rn FROM \(quoteIdentifier(orders.table)) WHERE ")
                + orders.condition + SQLFragment(") AS ranked WHERE rn = 1")
        }
    }
}
