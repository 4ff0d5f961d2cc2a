import ECStore

extension NPSEngine {
    /// `nps by` a customer attribute (`nps by region`, `by first_channel`, `by cohort`) counted here, without a
    /// lookup per answer: each answer's respondent by the key the snapshot keeps (`NPSAnswerKeys`), each
    /// customer's value by the codes of the facts' column (`CustomerColumnCodes`), a segment's answers by
    /// their respondents' membership (`NPSAnswerMembership`). Nil where that does not give what the SQL's
    /// `LEFT JOIN attribute` gives, and the caller takes the SQL: not SQLite, keys or snapshot not current, a
    /// segment the keys cannot decide, or an attribute the facts do not hold as that query reads it.
    ///
    /// In SQL each answer looks its respondent up by id, then reads the respondent's row: at 10M orders
    /// (753k answers, 5.04M customers) 0.85 s when the answers come in the customers' order, 6.5–7 s when
    /// they come by date or the ids are hashed, for the lookups then go at random through an index and a
    /// table larger than SQLite's page cache. Sorting the answers by id first put the index lookups in
    /// order but not the rows' (docs/decisions.md, "NPS by a customer attribute from the answers' keys").
    ///
    /// The groups are SQL's: labelled `CAST(value AS TEXT)` by SQLite itself (nil for NULL and for an
    /// answer without a respondent: its own group, never a text), values with one label counted together,
    /// ordered by the labels' bytes with nil last. A respondent without a counted order has no facts row: for a column of the
    /// customers dataset, their value is read from it by id, as the SQL's join reads every respondent's.
    func attributeGroupsByKey(_ attribute: CustomerAttribute, segment: SQLFragment? = nil,
                              orders: OrderSelection?) throws -> [(label: String?, summary: NPSSummary)]? {
        // The keys match an answer's id to the facts' by its text; SQL's `=` compares a number with a text as
        // numbers ('007' = 7): only text ids on the answers' side give both the same respondents.
        // The catalogue's answers first; the keys and the snapshot are read only when they will be used.
        guard db.engine == .sqlite, table == "nps", try LatestScores.available(db),
              try db.columns(of: table).first(where: { $0.name.lowercased() == "customer_id" })?.type.uppercased() == "TEXT",
              let (column, customersColumn) = try factsColumn(of: attribute, orders: orders),
              let keys = try NPSAnswerKeys.Lookup.load(db),
              let snapshot = try OrderSnapshot.load(db, accept: { _ in true }), snapshot.customers == keys.customers
        else { return nil }
        var answers: NPSAnswerMembership?
        if let segment {
            guard let membership = try NPSAnswerMembership.make(db, predicate: segment) else { return nil }
            answers = membership
        }
        let (codes, values) = try CustomerColumnCodes.read(db, column: column, expression: "f." + quoteIdentifier(column), snapshot: snapshot)
        guard codes.count == keys.customers else { return nil }
        // A respondent outside the facts: the customers column by id (its unique index), else no value.
        let outside = try customersColumn.map { c in
            try db.prepare("SELECT \(quoteIdentifier(c)) FROM customers WHERE customer_id = ?")
        }
        var outsideValues: [Value] = []
        var outsideCode: [String: Int] = [:]
        var failure: (any Error)?
        let query = SQLFragment("SELECT customer_id, score, rowid FROM \(quoteIdentifier(table)) AS \(SegmentCatalog.responses)")
        let counts = try NPSDayCounts.counts(query, in: db, answers: answers, checking: self) { s -> Int in
            let k = keys.key(ofRow: s.int64(at: 2))
            if k >= 0 { return Int(codes[Int(k)]) }
            guard k == NPSAnswerKeys.notInFacts, let outside, !s.isNull(at: 0), failure == nil else { return 0 }
            let id = s.value(at: 0)
            if let known = outsideCode[id.description] { return known }
            do {
                outside.reset()
                try outside.bind([id])
                let value: Value = try outside.step() ? outside.value(at: 0) : .null
                let code = value == .null ? 0 : values.count + outsideValues.count
                if code != 0 { outsideValues.append(value) }
                outsideCode[id.description] = code
                return code
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        // Labels by SQLite's own CAST, counts added up by label.
        let cast = try db.prepare("SELECT CAST(? AS TEXT)")
        var byLabel: [String?: NPSDayCounts.Counts] = [:]
        for (code, c) in counts {
            let value = code < values.count ? values[code] : outsideValues[code - values.count]
            var label: String?
            if value != .null {
                cast.reset()
                try cast.bind([value])
                guard try cast.step() else { return nil }
                label = cast.value(at: 0).textValue
            }
            byLabel[label, default: NPSDayCounts.Counts()].add(c)
        }
        return byLabel.sorted { a, b in
            guard let x = a.key, let y = b.key else { return b.key == nil && a.key != nil }
            return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        }.map { ($0.key, $0.value.summary) }
    }

    /// The facts' column that holds `attribute` per customer as `lookupQuery` reads it, and the customers
    /// column to read a respondent outside the facts from (nil: such a respondent has no value); nil when none.
    private func factsColumn(of attribute: CustomerAttribute, orders: OrderSelection?) throws -> (String, String?)? {
        let facts = Set(try db.columns(of: CustomerFacts.table).map(\.name))
        switch attribute.source {
        case .firstOrder:
            guard let column = attribute.factsColumn, facts.contains(column), let orders,
                  try OrderSnapshot.holding(orders, in: db) != nil else { return nil }
            return (column, nil)
        case .lookup:
            guard let (table, column) = attribute.tableColumn, facts.contains(column), column != "customer_id" else { return nil }
            if table == CustomerFacts.table { return (column, nil) }
            // The customers column the facts carry: the same row by the same id bytes only where the ids are
            // unique in customers (with repeats the SQL's join counts an answer once per row).
            guard table == "customers", try CustomerFacts.viewAttributes(db)?.contains(column) == true,
                  try CustomerFacts.customersJoin(db) == CustomerFacts.joinOnUniqueID
            else { return nil }
            return (column, column)
        }
    }
}
