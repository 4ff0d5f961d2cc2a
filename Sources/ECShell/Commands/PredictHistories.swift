import ECStore
import ECLanguage
import ECAnalytics

/// Where `predict` reads customer histories from: the order snapshot when it
/// covers the period asked (the fast route), else the orders table through SQL.
extension Session {
    /// Customer histories up to `end` (and the holdout to `holdoutEnd`), only those in the segments when given.
    func clvHistories(segments: [Identifier], calibrationEnd end: Int, holdoutEnd: Int? = nil) throws -> [CustomerSummary] {
        try requireTable("orders", for: "predictive CLV", load: "orders", at: nil)
        try requireCustomerFacts(for: "predictive CLV", at: nil)
        let settings = try metricSettings()
        if let fast = try CLVData.fromSnapshot(db: database, settings: settings, calibrationEnd: end, unit: .weeks,
                                               include: try segmentMembers(segments), holdoutEnd: holdoutEnd) {
            return fast
        }
        // The snapshot ends before the period asked (e.g. as_of after the settings' as_of): read orders.
        var customers = try CLVData.extract(db: database, countedOrders: settings.countedCondition(), calibrationEnd: end,
                                            unit: .weeks, segment: try customerFilter(segments), holdoutEnd: holdoutEnd)
        var keys: [String: Int32] = [:]
        try forEachFact(SQLFragment("SELECT customer_key, customer_id FROM \(try facts())")) { k, id in
            if let id = id.textValue { keys[id] = Int32(truncatingIfNeeded: k) }
        }
        for i in customers.indices { customers[i].key = keys[customers[i].customerID] ?? -1 }
        return customers
    }

    /// Calibration histories as columns (with the holdout's figures when `holdoutEnd` is given): the snapshot
    /// read straight into columns, else the SQL route's summaries converted.
    func clvColumns(segments: [Identifier], calibrationEnd end: Int, holdoutEnd: Int? = nil) throws -> CustomerColumns {
        try requireTable("orders", for: "predictive CLV", load: "orders", at: nil)
        try requireCustomerFacts(for: "predictive CLV", at: nil)
        if let fast = try CLVData.columnsFromSnapshot(db: database, settings: try metricSettings(), calibrationEnd: end,
                                                      unit: .weeks, include: try segmentMembers(segments), holdoutEnd: holdoutEnd) {
            return fast
        }
        var columns = CustomerColumns(try clvHistories(segments: segments, calibrationEnd: end, holdoutEnd: holdoutEnd), unit: .weeks)
        (columns.refundRows, columns.refundAmount) = try CLVData.refunds(db: database, countedOrders: try metricSettings().countedCondition(),
                                                                        through: holdoutEnd ?? end, segment: try customerFilter(segments))
        return columns
    }

    /// Which customer keys are in any of the segments; nil when no segment is named.
    func segmentMembers(_ names: [Identifier]) throws -> [Bool]? {
        let segments = try namedSegments(names)
        guard !segments.isEmpty else { return nil }
        var member = try Array(repeating: false, count: customerKeyCount())
        let any = SQLFragment.joined(segments.map { SQLFragment("(") + $0.predicate + SQLFragment(")") }, separator: " OR ")
        let sql = SQLFragment("SELECT customer_key, NULL FROM \(try CustomerFacts.relation(for: any.sql, database)) WHERE ") + any
        try forEachFact(sql) { k, _ in
            if member.indices.contains(Int(k)) { member[Int(k)] = true }
        }
        return member
    }

    /// Calls `body` with each (customer_key, value) row of a query on the facts, streamed from
    /// SQLite or from the server (one row per customer, never per order).
    func forEachFact(_ sql: SQLFragment, _ body: (Int64, Value) -> Void) throws {
        if database.engine != .sqlite {
            try database.forEachRow(sql.sql, sql.bindings) { row in body(row[0].intValue ?? -1, row[1]) }
            return
        }
        let s = try database.prepare(sql.sql)
        try s.bind(sql.bindings)
        while try s.step() { body(s.int64(at: 0), s.value(at: 1)) }
    }

    /// The facts' own table when it is under the view (for their own columns: no join of the customers columns).
    private func facts() throws -> String { try CustomerFacts.relation(for: "", database) }

    /// One more than the largest customer key in the facts.
    func customerKeyCount() throws -> Int {
        Int(try database.scalar("SELECT coalesce(max(customer_key), -1) + 1 FROM \(try facts())").intValue ?? 0)
    }

    /// The text ids of customers by facts key (empty for an unknown key), looked up 500 keys a query.
    func customerIDs(ofKeys keys: [Int32]) throws -> [String] {
        var found: [Int32: String] = [:]
        for start in stride(from: 0, to: keys.count, by: 500) {
            let chunk = keys[start..<min(keys.count, start + 500)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let rows = try database.query("SELECT customer_key, customer_id FROM \(try facts()) WHERE customer_key IN (\(marks))",
                                          chunk.map { .integer(Int64($0)) }).rows
            for r in rows { if let k = r[0].intValue { found[Int32(k)] = r[1].textValue ?? r[1].description } }
        }
        return keys.map { found[$0] ?? "" }
    }

    /// Fills in the text ids of histories read from the snapshot (for tables that list customers).
    func resolveCustomerIDs(_ customers: inout [CustomerSummary]) throws {
        guard customers.contains(where: { $0.customerID.isEmpty && $0.key >= 0 }) else { return }
        var ids = try Array(repeating: "", count: customerKeyCount())
        try forEachFact(SQLFragment("SELECT customer_key, customer_id FROM \(try facts())")) { key, id in
            let k = Int(key)
            if ids.indices.contains(k) { ids[k] = id.textValue ?? id.description }
        }
        for i in customers.indices where customers[i].customerID.isEmpty && ids.indices.contains(Int(customers[i].key)) {
            customers[i].customerID = ids[Int(customers[i].key)]
        }
    }
}
