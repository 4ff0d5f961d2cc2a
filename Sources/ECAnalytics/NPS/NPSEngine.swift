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

    /// NPS per group: one row for all responses, or one per attribute value.
    /// - Parameters:
    ///   - grouping: a customer attribute; responses are joined on `customer_id`
    ///     (responses without one, or customers without a value, form the group `∅`, a NULL key).
    ///   - customerFilter: a condition on a response, which the query names `"nps"`, or nil.
    ///   - segment: a condition on the customer facts' columns (`SegmentCatalog.factsCondition`) that a
    ///     response's respondent must meet, over every respondent (`CustomerFacts.respondentCondition`), or nil.
    ///   - orders: the counted orders, needed when the attribute comes from first orders.
    /// - Throws: `StoreError` when any score is outside 0..10.
    public func summary(by grouping: CustomerAttribute? = nil, customerFilter: SQLFragment? = nil, segment: SQLFragment? = nil,
                        orders: OrderSelection? = nil) throws -> ResultTable {
        guard let grouping else {
            return Self.table(try groups(by: nil, customerFilter: customerFilter, segment: segment), header: "group")
        }
        return try summary(by: .attribute(grouping), customerFilter: customerFilter, segment: segment, orders: orders)
    }

    /// NPS per group of `grouping` (`nps by X`).
    public func summary(by grouping: NPSGrouping, customerFilter: SQLFragment? = nil, segment: SQLFragment? = nil,
                        orders: OrderSelection? = nil) throws -> ResultTable {
        Self.table(try groups(by: grouping, customerFilter: customerFilter, segment: segment, orders: orders), header: grouping.header)
    }

    /// The responses counted per group, in display order: one group "all" without a grouping;
    /// attribute and column values in byte order, the group without a value (a nil label, shown `∅`) last;
    /// every period from the first to the last.
    /// - Throws: `StoreError` when any score is outside 0..10.
    public func groups(by grouping: NPSGrouping?, customerFilter: SQLFragment? = nil, segment: SQLFragment? = nil,
                       orders: OrderSelection? = nil) throws -> [(label: String?, summary: NPSSummary)] {
        // One group and periods are counted here on SQLite, from one scan of the answers (`NPSDayCounts.counts`).
        let countedHere = db.engine == .sqlite && (grouping == nil || grouping?.isPeriod == true)
        // A segment's respondents are picked by their keys where the workspace keeps them (`NPSAnswerMembership`)
        // for the groups counted here; else by a condition on each answer, put with the filter.
        let answers = try segment.flatMap { countedHere ? try NPSAnswerMembership.make(db, predicate: $0) : nil }
        if case .attribute(let attribute)? = grouping, customerFilter == nil,
           let counted = try attributeGroupsByKey(attribute, segment: segment, orders: orders) {
            return counted
        }
        var filter = customerFilter
        if let segment, answers == nil {
            let condition = try CustomerFacts.respondentCondition(db, id: SegmentCatalog.responses + ".customer_id", predicate: segment)
            filter = filter.map { SQLFragment("(") + $0 + SQLFragment(") AND ") + condition } ?? condition
        }
        // A scan here that reads every answer checks their scores as it goes; any other query is preceded by the check.
        if !countedHere || filter != nil { try checkScores() }
        if case .period(let unit) = grouping { return try periodGroups(unit, customerFilter: filter, answers: answers) }
        if countedHere { return try oneGroup(customerFilter: filter, answers: answers) }
        let customerFilter = filter
        var query = SQLFragment("")
        let groupExpression: String
        // The responses go by the name a segment's filter gives them (`SegmentCatalog.customerFilter(everyone:)`).
        let r = SegmentCatalog.responses
        switch grouping {
        case .attribute(let attribute)?:
            query = SQLFragment("WITH attribute(customer_id, value) AS (") + (try attribute.lookupQuery(orders: orders, in: db))
                + SQLFragment(") ")
            groupExpression = "CAST(a.value AS TEXT)"
        case .responseColumn(let column)?:
            groupExpression = "CAST(\(r).\(quoteIdentifier(column)) AS TEXT)"
        case .period?, nil:
            groupExpression = "'all'"
        }
        query = query + SQLFragment("SELECT \(groupExpression) AS grp, \(Self.countColumns(score: "\(r).score")) FROM \(quoteIdentifier(table)) AS \(r)")
        if case .attribute? = grouping { query = query + SQLFragment(" LEFT JOIN attribute AS a ON a.customer_id = \(r).customer_id") }
        // The filter is a condition on the response named `r` (each response looks up its own respondent:
        // `CustomerFacts.respondentCondition`); inside a subquery over the responses it cost a second pass.
        if let customerFilter { query = query + SQLFragment(" WHERE ") + customerFilter }
        // Ordered outside the grouping: standard SQL sorts by an expression of an output column only there.
        // Text byte by byte on every engine, as SQLite orders it, whatever a server's collation.
        let bytes = db.engine == .sqlite ? "" : " COLLATE \"C\""
        if grouping == nil {
            // One group: no GROUP BY, which SQLite would answer by sorting every response on the constant.
            // Without a response, no group (as the grouped query gives none).
            let row = try db.query(query.sql, query.bindings).rows[0]
            return row[1].intValue ?? 0 > 0 ? [(row[0].description, Self.summary(counts: row.dropFirst()))] : []
        }
        query = SQLFragment("SELECT * FROM (") + query + SQLFragment(" GROUP BY grp) AS g ORDER BY grp IS NULL, grp\(bytes)")
        // A NULL group (no value, or an answer without a respondent) is its own group, never a text.
        return try db.query(query.sql, query.bindings).rows.map { row in
            (row[0].textValue, Self.summary(counts: row.dropFirst()))
        }
    }

    /// Every answer (of `answers`, meeting `customerFilter`) as one group "all", counted here (SQLite); none
    /// without an answer. Without a filter the scan reads every answer and checks its score.
    func oneGroup(customerFilter: SQLFragment?, answers: NPSAnswerMembership?) throws -> [(label: String?, summary: NPSSummary)] {
        let r = SegmentCatalog.responses
        var query = SQLFragment("SELECT NULL, \(r).score, \(r).rowid FROM \(quoteIdentifier(table)) AS \(r)")
        if let customerFilter { query = query + SQLFragment(" WHERE ") + customerFilter }
        let counts = try NPSDayCounts.counts(query, in: db, answers: answers, checking: customerFilter == nil ? self : nil) { _ in 0 }
        guard let c = counts[0] else { return [] }
        return [("all", c.summary)]
    }

    /// `count(*), promoters, passives, detractors` over `score`, zero (not NULL) when there are no rows.
    static func countColumns(score: String) -> String {
        "count(*), coalesce(\(NPSSummary.promoterSQL(score)), 0), coalesce(\(NPSSummary.passiveSQL(score)), 0), coalesce(\(NPSSummary.detractorSQL(score)), 0)"
    }

    /// An `NPSSummary` from the four values of `countColumns`.
    static func summary(counts: ArraySlice<Value>) -> NPSSummary {
        let c = counts.map { Int($0.intValue ?? 0) }
        return NPSSummary(n: c[0], promoters: c[1], passives: c[2], detractors: c[3])
    }

    /// Scores outside 0..10 (or not whole numbers) are data errors, not detractors.
    func checkScores() throws { try Self.checkScores(db, table: table) }

    /// The one score check, shared by `nps` and `kpi nps`.
    static func checkScores(_ db: Database, table: String = "nps") throws {
        // SQLite keeps a text value in a numeric column; a PostgreSQL column has one type for every row.
        let type = try db.columns(of: table).first { $0.name.lowercased() == "score" }?.type.uppercased() ?? ""
        var notNumber = "typeof(score) NOT IN ('integer', 'real') OR "
        if db.engine != .sqlite {
            notNumber = ""
            if !["INTEGER", "REAL"].contains(type) {
                throw StoreError("NPS scores in \(table) are not numbers (the column is \(type.lowercased())); fix the file and reload")
            }
        } else if ["INT", "REAL", "FLOA", "DOUB"].contains(where: type.contains) {
            // A column of numeric affinity keeps text only when it is no number, and compared with the
            // number 10 such text (or a blob) is the greater: `score > 10` catches it. The typeof test is
            // for other columns, whose text '10' would pass the comparisons (0.14 → 0.09 s at 753k responses).
            notNumber = ""
        }
        let bad = try db.query("""
            SELECT count(*), min(score), max(score) FROM \(quoteIdentifier(table))
            WHERE score IS NULL OR \(notNumber)score < 0 OR score > 10 OR score <> CAST(score AS INTEGER)
            """).rows[0]
        let count = bad[0].intValue ?? 0
        if count > 0 {
            throw StoreError("\(count) NPS responses have scores outside 0..10 (e.g. \(bad[1])); fix the file and reload, or delete those rows")
        }
    }

    static let formulaNote =
        "NPS = 100 × (promoters 9–10 − detractors 0–6) / responses; SE = 100 × √(((p + d) − (p − d)²) / n); margin = 1.96 × SE"

    /// The summary table shared by `summary` and `compare`.
    static func table(_ groups: [(String?, NPSSummary)], header: String) -> ResultTable {
        let columns = [header, "responses", "promoters", "passives", "detractors", "nps", "se", "margin95",
                       "adj_nps", "adj_low", "adj_high", "warning"]
        let rows = groups.map { label, s -> [Value] in
            let adjusted = s.adjustedWald
            return [label.map(Value.text) ?? .null, .integer(Int64(s.n)), .integer(Int64(s.promoters)), .integer(Int64(s.passives)),
                    .integer(Int64(s.detractors)), s.nps.map(Value.real) ?? .null, s.standardError.map(Value.real) ?? .null,
                    s.margin95.map(Value.real) ?? .null, adjusted.map { .real($0.center) } ?? .null,
                    adjusted.map { .real($0.low) } ?? .null, adjusted.map { .real($0.high) } ?? .null,
                    s.warning.map(Value.text) ?? .null]
        }
        let formats: [ColumnFormat] = [.text, .auto, .auto, .auto, .auto] + Array(repeating: .decimal(places: 1), count: 6) + [.text]
        return ResultTable(columns: columns, rows: rows, formats: formats, notes: [
            formulaNote, "adjusted Wald 95% interval: n + 3 responses, promoters + ¾, detractors + ¾",
        ])
    }
}
