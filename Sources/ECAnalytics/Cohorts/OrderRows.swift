import ECStore

/// Counted orders read into columns, with customers numbered 0..<n.
///
/// Cohort and unit-economics work is grouping by customer and period. SQLite
/// does that by sorting text keys (about 2 s on a million orders), so the
/// analyses read the selected rows once and aggregate in Swift instead. Used by
/// `OrderStream` when the order snapshot does not hold the selection.
struct OrderRows {
    /// Customer id by customer number.
    var customerIDs: [String] = []
    /// Customer number per order.
    var customer: [Int32] = []
    var day: [Int32] = []
    /// `numbers[column][order]`, NULL read as 0.
    var numbers: [[Double]]
    /// NULLs seen per number column.
    var nullCounts: [Int]
    /// `labels[column][order]`: an index into `labelNames[column]`, or -1 for NULL.
    var labels: [[Int32]]
    var labelNames: [[String]]
    /// `ordered_at` and `order_id` per order when asked for (ties on the first day), NULL as nil.
    var orderedAt: [([UInt8]?, [UInt8]?)] = []
    /// Rows skipped because day was NULL.
    var skipped = 0
    /// Guest orders (no customer_id): kept with customer −1, for order-level sums only.
    var guests = 0

    var count: Int { day.count }

    /// `SELECT customer_id, day, <numbers>, <labels>[, ordered_at, order_id] FROM table WHERE selection`.
    static func referenceQuery(selection: OrderSelection, numberColumns: [String], labelColumns: [SQLFragment],
                               withOrderedAt: Bool) -> SQLFragment {
        var columns = ["customer_id", "day"] + numberColumns.map(quoteIdentifier)
        var labelBindings: [Value] = []
        for (i, label) in labelColumns.enumerated() {
            columns.append("(\(label.sql)) AS label\(i)")
            labelBindings += label.bindings
        }
        if withOrderedAt { columns += ["ordered_at", "order_id"] }
        return SQLFragment("SELECT \(columns.joined(separator: ", ")) FROM \(quoteIdentifier(selection.table)) WHERE ",
                           labelBindings) + selection.condition
    }

    /// Reads `SELECT customer_id, day, <numbers>, <labels>[, ordered_at, order_id]` rows.
    init(db: Database, selection: OrderSelection, numberColumns: [String], labelColumns: [SQLFragment],
         withOrderedAt: Bool = false) throws {
        numbers = Array(repeating: [], count: numberColumns.count)
        nullCounts = Array(repeating: 0, count: numberColumns.count)
        labels = Array(repeating: [], count: labelColumns.count)
        labelNames = Array(repeating: [], count: labelColumns.count)
        let query = Self.referenceQuery(selection: selection, numberColumns: numberColumns, labelColumns: labelColumns,
                                        withOrderedAt: withOrderedAt)
        sql = query
        let statement = try db.prepare(query.sql)
        try statement.bind(query.bindings)

        var customerNumber: [String: Int32] = [:]
        var labelNumber: [[Value: Int32]] = Array(repeating: [:], count: labelColumns.count)
        let firstLabel = 2 + numberColumns.count
        while try statement.step() {
            guard !statement.isNull(at: 1) else { skipped += 1; continue }
            let id = statement.value(at: 0).description
            let number: Int32
            if statement.isNull(at: 0) {
                number = -1
                guests += 1
            } else if let known = customerNumber[id] {
                number = known
            } else {
                number = Int32(customerIDs.count)
                customerNumber[id] = number
                customerIDs.append(id)
            }
            customer.append(number)
            day.append(Int32(truncatingIfNeeded: statement.int64(at: 1)))
            for c in numberColumns.indices {
                if statement.isNull(at: 2 + c) { nullCounts[c] += 1; numbers[c].append(0) }
                else { numbers[c].append(statement.double(at: 2 + c)) }
            }
            for c in labelColumns.indices {
                let value = statement.value(at: firstLabel + c)
                if value.isNull { labels[c].append(-1); continue }
                if let known = labelNumber[c][value] { labels[c].append(known); continue }
                let n = Int32(labelNames[c].count)
                labelNumber[c][value] = n
                labelNames[c].append(value.description)
                labels[c].append(n)
            }
            if withOrderedAt {
                let at = firstLabel + labelColumns.count
                orderedAt.append((statement.isNull(at: at) ? nil : Array(statement.bytes(at: at)),
                                  statement.isNull(at: at + 1) ? nil : Array(statement.bytes(at: at + 1))))
            }
        }
    }

    /// The query that read the rows (for `show sql`).
    let sql: SQLFragment

    /// Each customer's first order (earliest day, then ordered_at and order_id when read, as the
    /// facts' first order (`CustomerFacts.precedes`), then row order)
    /// and their second-earliest order day (`Int32.max` with a single order).
    func customerSpans() -> CustomerSpans {
        let n = customerIDs.count
        var spans = CustomerSpans(firstRow: Array(repeating: -1, count: n),
                                  firstDay: Array(repeating: .max, count: n),
                                  secondDay: Array(repeating: .max, count: n))
        for row in 0..<count {
            let c = Int(customer[row]), d = day[row]
            if c < 0 { continue }
            if d < spans.firstDay[c] || (d == spans.firstDay[c] && !orderedAt.isEmpty
                                           && CustomerFacts.precedes(orderedAt[row], orderedAt[Int(spans.firstRow[c])])) {
                spans.secondDay[c] = spans.firstDay[c]
                spans.firstDay[c] = d
                spans.firstRow[c] = Int32(row)
            } else if d < spans.secondDay[c] {
                spans.secondDay[c] = d
            }
        }
        return spans
    }
}

/// Per customer: first order row and day, second order day.
struct CustomerSpans {
    var firstRow: [Int32]
    var firstDay: [Int32]
    /// `Int32.max` when the customer has one order.
    var secondDay: [Int32]
}
