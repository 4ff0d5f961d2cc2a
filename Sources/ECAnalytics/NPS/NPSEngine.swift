import ECStore

/// NPS tables from the workspace's `nps` responses.
public struct NPSEngine {
    public let db: Database
    /// The responses table (workspace role table, `nps` by default).
    public let table: String

    public init(_ db: Database, table: String = "nps") {
        self.db = db
        self.table = table
    }

    /// A named group of responses for `compare`, e.g. a segment's condition on `customer_id`.
    public struct Group: Sendable {
        public var label: String
        /// A condition on the response columns (score, day, customer_id, ...).
        public var condition: SQLFragment
        public init(label: String, condition: SQLFragment) {
            self.label = label
            self.condition = condition
        }
    }

    /// NPS per group: one row for all responses, or one per attribute value.
    /// - Parameters:
    ///   - grouping: a customer attribute; responses are joined on `customer_id`
    ///     (responses without one, or customers without a value, form "(none)").
    ///   - customerFilter: a condition on `customer_id` (a segment), or nil.
    ///   - orders: the counted orders, needed when the attribute comes from first orders.
    /// - Throws: `StoreError` when any score is outside 0..10.
    public func summary(by grouping: CustomerAttribute? = nil, customerFilter: SQLFragment? = nil,
                        orders: OrderSelection? = nil) throws -> ResultTable {
        try checkScores()
        var query = SQLFragment("")
        let groupExpression: String
        if let grouping {
            query = SQLFragment("WITH attribute(customer_id, value) AS (") + (try grouping.lookupQuery(orders: orders))
                + SQLFragment(") ")
            groupExpression = "coalesce(CAST(a.value AS TEXT), '\(CustomerAttribute.noValue)')"
        } else {
            groupExpression = "'all'"
        }
        query = query + SQLFragment("""
            SELECT \(groupExpression) AS grp, count(*), sum(r.score >= 9), sum(r.score BETWEEN 7 AND 8), sum(r.score <= 6)
            FROM \(quoteIdentifier(table)) AS r
            """)
        if grouping != nil { query = query + SQLFragment(" LEFT JOIN attribute AS a ON a.customer_id = r.customer_id") }
        if let customerFilter {
            query = query + SQLFragment(" WHERE r.customer_id IN (SELECT customer_id FROM \(quoteIdentifier(table)) WHERE ")
                + customerFilter + SQLFragment(")")
        }
        query = query + SQLFragment(" GROUP BY grp ORDER BY grp = '\(CustomerAttribute.noValue)', grp")
        let result = try db.query(query.sql, query.bindings)
        let groups = result.rows.map { row in
            (row[0].description, NPSSummary(n: Int(row[1].intValue ?? 0), promoters: Int(row[2].intValue ?? 0),
                                           passives: Int(row[3].intValue ?? 0), detractors: Int(row[4].intValue ?? 0)))
        }
        return Self.table(groups, header: grouping?.name ?? "group")
    }

    /// Two groups side by side with the z statistic and two-sided p-value of their difference.
    public func compare(a: Group, b: Group) throws -> ResultTable {
        try checkScores()
        var groups: [(String, NPSSummary)] = []
        for group in [a, b] {
            let query = SQLFragment("""
                SELECT count(*), coalesce(sum(score >= 9), 0), coalesce(sum(score BETWEEN 7 AND 8), 0), coalesce(sum(score <= 6), 0)
                FROM \(quoteIdentifier(table)) WHERE 
                """) + group.condition
            let row = try db.query(query.sql, query.bindings).rows[0]
            groups.append((group.label, NPSSummary(n: Int(row[0].intValue ?? 0), promoters: Int(row[1].intValue ?? 0),
                                                  passives: Int(row[2].intValue ?? 0), detractors: Int(row[3].intValue ?? 0))))
        }
        var table = Self.table(groups, header: "group")
        if let test = NPSSummary.compare(groups[0].1, groups[1].1) {
            table.notes.append(String(format: "difference %@ − %@: z = %.2f, two-sided p = %.4f", a.label, b.label, test.z, test.p))
            table.notes.append("z = (NPS₁ − NPS₂) / √(SE₁² + SE₂²); p from the normal distribution")
        } else {
            table.notes.append("no comparison: a group has no responses (or both have zero spread)")
        }
        return table
    }

    /// Scores outside 0..10 (or not whole numbers) are data errors, not detractors.
    private func checkScores() throws {
        let bad = try db.query("""
            SELECT count(*), min(score), max(score) FROM \(quoteIdentifier(table))
            WHERE score IS NULL OR typeof(score) NOT IN ('integer', 'real') OR score < 0 OR score > 10 OR score <> CAST(score AS INTEGER)
            """).rows[0]
        let count = bad[0].intValue ?? 0
        if count > 0 {
            throw StoreError("\(count) NPS responses have scores outside 0..10 (e.g. \(bad[1])); fix the file and reload, or delete those rows")
        }
    }

    /// The summary table shared by `summary` and `compare`.
    static func table(_ groups: [(String, NPSSummary)], header: String) -> ResultTable {
        let columns = [header, "responses", "promoters", "passives", "detractors", "nps", "se", "margin95",
                       "adj_nps", "adj_low", "adj_high", "warning"]
        let rows = groups.map { label, s -> [Value] in
            let adjusted = s.adjustedWald
            return [.text(label), .integer(Int64(s.n)), .integer(Int64(s.promoters)), .integer(Int64(s.passives)),
                    .integer(Int64(s.detractors)), s.nps.map(Value.real) ?? .null, s.standardError.map(Value.real) ?? .null,
                    s.margin95.map(Value.real) ?? .null, adjusted.map { .real($0.center) } ?? .null,
                    adjusted.map { .real($0.low) } ?? .null, adjusted.map { .real($0.high) } ?? .null,
                    s.warning.map(Value.text) ?? .null]
        }
        let formats: [ColumnFormat] = [.text, .auto, .auto, .auto, .auto] + Array(repeating: .decimal(places: 1), count: 6) + [.text]
        return ResultTable(columns: columns, rows: rows, formats: formats, notes: [
            "NPS = 100 × (promoters 9–10 − detractors 0–6) / responses; SE = 100 × √(((p + d) − (p − d)²) / n); margin = 1.96 × SE",
            "adjusted Wald 95% interval: n + 3 responses, promoters + ¾, detractors + ¾",
        ])
    }
}
