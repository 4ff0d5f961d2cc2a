import ECStore

/// Every NPS respondent as a customer, with the columns of the customer facts.
///
/// `ecsh_customer_facts` holds one row per customer with a counted order: right for
/// order KPIs (a customer without counted orders has nothing to count), wrong for
/// NPS, whose respondents need not have ordered. A segment such as
/// `acquisition_channel = 'organic'` applied to responses must see every respondent
/// of the customers dataset, so this relation has one row per respondent (customer
/// id in `nps`): the facts' row when the customer has counted orders; otherwise 0
/// orders, revenue, margin and channels, no order dates, their latest NPS score,
/// and their `customers` columns when the customers dataset lists them.
///
/// Its only use is a segment's condition on the `customer_id` of responses, so a
/// customer who never responded needs no row. It is driven by the respondents and
/// looks each one up by the facts' and the customers' id indexes: at 5M customers
/// and 753k respondents a segment's condition took 1.7–4.5 s when the relation
/// held every customer (two `NOT IN` lists of millions of ids), about 2 s now.
///
/// It is a subquery built on demand, not a view: a view naming `customers` would
/// break the loader's drop-and-rename of that table.
extension CustomerFacts {
    /// A parenthesised SELECT with the columns of `ecsh_customer_facts` (same names and
    /// order) for every respondent; usable as `FROM <relation> AS f`. The facts must exist.
    /// Without responses that name a customer (no relation to draw from), the facts.
    public static func everyone(_ db: Database) throws -> String {
        guard let latest = try latestScores(db) else { return table }
        return try respondents(db, from: "\(latest) AS l")
    }

    /// A condition on a response whose customer id is the SQL `id` (`n.customer_id`): that its
    /// respondent, a row of `everyone`, meets `predicate` (a condition on the facts' columns).
    ///
    /// On SQLite, when `predicate` does not read `nps`, each response looks up its own respondent
    /// (a subquery correlated on `id`, by the facts' and the customers' id indexes), which needs no
    /// list of respondents: `everyone` ranks every response to find each respondent's latest score
    /// (1.4 s at 753k responses) and SQLite then keeps the ids that qualify. At 10M orders: `nps for`
    /// a segment 2.3 → 0.8 s (docs/decisions.md). A predicate that reads `nps` (the latest score,
    /// which a respondent without a counted order has only in `everyone`) and PostgreSQL, which
    /// builds a hashed list of the ids itself, keep the list.
    public static func respondentCondition(_ db: Database, id: String, predicate: SQLFragment) throws -> SQLFragment {
        guard let latest = try latestScores(db) else {
            return SQLFragment("\(id) IN (SELECT customer_id FROM \(table) AS f WHERE ") + predicate + SQLFragment(")")
        }
        guard db.engine == .sqlite, !predicate.sql.contains(quoteIdentifier("nps")) else {
            return SQLFragment("\(id) IN (SELECT customer_id FROM \(try respondents(db, from: "\(latest) AS l")) AS f WHERE ")
                + predicate + SQLFragment(")")
        }
        // The relation's `nps` is NULL for a respondent without a counted order: never read (see above).
        let one = try respondents(db, from: "(SELECT \(id) AS customer_id, NULL AS score) AS l")
        return SQLFragment("(\(id) IS NOT NULL AND EXISTS (SELECT 1 FROM \(one) AS f WHERE ") + predicate + SQLFragment("))")
    }

    /// The columns of the facts for each row of `source` (an aliased relation `l` with `customer_id`
    /// and `score`, a respondent's latest): see `everyone`.
    private static func respondents(_ db: Database, from source: String) throws -> String {
        let factColumns = try db.columns(of: table).map(\.name)
        let hasCustomers = try db.tableExists("customers")
        let customerColumns = hasCustomers ? Set(try db.columns(of: "customers").map { $0.name.lowercased() }) : []
        let listed = hasCustomers && customerColumns.contains("customer_id")
        let zero: Set<String> = ["orders", "revenue", "margin", "channels"]
        let own = Set(ownColumns.map(\.name) + ["customer_key"])
        // The facts' rows: the base table, the scores and the attributes by key where the facts are that view
        // (a view on the right of a LEFT JOIN would be copied whole), else the facts table.
        let viewed = try viewAttributes(db)
        let split = viewed != nil, attributes = Set(viewed ?? [])
        let scored = split && factColumns.contains("nps")
        // CAST: the id's text, as the facts hold it, whatever the responses column's type (a number
        // compared with a text column would not use its index).
        let id = "CAST(l.customer_id AS TEXT)"
        let facts = "LEFT JOIN \(split ? baseTable : table) AS b ON b.customer_id = \(id)"
            + (scored ? " LEFT JOIN \(scoresTable) AS s ON s.customer_key = b.customer_key" : "")
            + (attributes.isEmpty ? "" : " LEFT JOIN \(attributesTable) AS a ON a.customer_key = b.customer_key")
        let absent = "b.customer_id IS NULL"
        let select = factColumns.map { name -> String in
            let q = quoteIdentifier(name)
            let fact = attributes.contains(name) ? "a.\(q)" : scored && name == "nps" ? "s.nps" : "b.\(q)"
            let other: String
            if name == "customer_id" { return "l.customer_id AS customer_id" }
            if zero.contains(name) { other = "0" }
            else if name == "nps" { other = "l.score" }
            else if !own.contains(name), listed, customerColumns.contains(name.lowercased()) { other = "c.\(q)" }
            else { return "\(fact) AS \(q)" }
            return "CASE WHEN \(absent) THEN \(other) ELSE \(fact) END AS \(q)"
        }.joined(separator: ", ")
        let customers = listed ? " LEFT JOIN customers AS c ON c.customer_id = \(id)" : ""
        return "(SELECT \(select) FROM \(source) \(facts)\(customers))"
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
