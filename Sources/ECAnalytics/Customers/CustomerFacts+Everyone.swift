import ECStore

/// Every customer the workspace knows, with the columns of the customer facts.
///
/// `ecsh_customer_facts` holds one row per customer with a counted order: right for
/// order KPIs (a customer without counted orders has nothing to count), wrong for
/// NPS, whose respondents need not have ordered. A segment such as
/// `acquisition_channel = 'organic'` applied to responses must see every customer
/// of the customers dataset, so this relation adds, after the facts' rows, one row
/// per customer listed in `customers` without a counted order, and one per NPS
/// respondent listed in neither. Those rows have 0 orders, revenue, margin and
/// channels, no order dates, their latest NPS score, and their `customers` columns.
///
/// It is a subquery built on demand, not a view: a view naming `customers` would
/// break the loader's drop-and-rename of that table.
extension CustomerFacts {
    /// A parenthesised SELECT with the columns of `ecsh_customer_facts` (same names and
    /// order) for every customer; usable as `FROM <relation> AS f`. The facts must exist.
    public static func everyone(_ db: Database) throws -> String {
        let factColumns = try db.columns(of: table).map(\.name)
        let hasCustomers = try db.tableExists("customers")
        let customerColumns = hasCustomers ? Set(try db.columns(of: "customers").map { $0.name.lowercased() }) : []
        let latest = try latestScores(db)
        let zero: Set<String> = ["orders", "revenue", "margin", "channels"]
        let own = Set(ownColumns.map(\.name) + ["customer_key"])

        /// One arm's select list: `source` supplies the customers columns (nil: none).
        func columns(id: String, customers source: String?) -> String {
            factColumns.map { name -> String in
                if name == "customer_id" { return id }
                if zero.contains(name) { return "0" }
                if name == "nps" { return latest == nil ? "NULL" : "l.score" }
                if !own.contains(name), let source, customerColumns.contains(name.lowercased()) {
                    return "\(source).\(quoteIdentifier(name))"
                }
                return "NULL"
            }.joined(separator: ", ")
        }
        let facts = "SELECT customer_id FROM \(table)"
        var arms = ["SELECT \(factColumns.map(quoteIdentifier).joined(separator: ", ")) FROM \(table)"]
        let scores = latest.map { " LEFT JOIN \($0) AS l ON l.customer_id = c.customer_id" } ?? ""
        if hasCustomers && customerColumns.contains("customer_id") {
            arms.append("SELECT \(columns(id: "c.customer_id", customers: "c")) FROM customers AS c\(scores)"
                        + " WHERE c.customer_id IS NOT NULL AND c.customer_id NOT IN (\(facts))")
        }
        if let latest {
            let listed = hasCustomers && customerColumns.contains("customer_id")
                ? " AND l.customer_id NOT IN (SELECT customer_id FROM customers WHERE customer_id IS NOT NULL)" : ""
            arms.append("SELECT \(columns(id: "l.customer_id", customers: nil)) FROM \(latest) AS l"
                        + " WHERE l.customer_id NOT IN (\(facts))\(listed)")
        }
        return "(" + arms.joined(separator: "\n  UNION ALL ") + ")"
    }

    /// Each respondent's latest score (latest day, then latest responded_at; NULLs last),
    /// as the facts' `nps` column takes it; nil when there are no responses with a customer.
    static func latestScores(_ db: Database) throws -> String? {
        guard try db.tableExists("nps") else { return nil }
        let names = Set(try db.columns(of: "nps").map { $0.name.lowercased() })
        guard names.contains("customer_id"), names.contains("score") else { return nil }
        let order = ["day", "responded_at"].filter(names.contains).map { "\($0) DESC NULLS LAST" }
        let window = order.isEmpty ? "" : "ORDER BY " + order.joined(separator: ", ")
        return "(SELECT customer_id, score FROM (SELECT customer_id, score, row_number() OVER (PARTITION BY customer_id \(window)) AS rn"
            + " FROM nps WHERE customer_id IS NOT NULL) AS ranked WHERE rn = 1)"
    }
}
