import ECStore

/// Counted orders read into columns, with customers numbered 0..<n.
///
/// Cohort and unit-economics work is grouping by customer and period. SQLite
/// does that by sorting text keys (about 2 s on a million orders), so the
/// analyses read the selected rows once and aggregate in Swift instead.
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
    /// `ordered_at` per order when asked for (ties on the first day).
    var orderedAt: [String] = []
    /// Rows skipped because customer_id or day was NULL.
    var skipped = 0

    /// First/second/last days when the rows came from the snapshot (which knows them already).
    var knownSpans: CustomerSpans?

    var count: Int { day.count }
    var customerCount: Int { customerCountFromSnapshot ?? customerIDs.count }
    private var customerCountFromSnapshot: Int?
    /// Customer ids by number, read on demand for rows from the snapshot.
    private var customerIDsLoader: (() throws -> [String])?

    /// Customer id by customer number.
    func allCustomerIDs() throws -> [String] {
        if let customerIDsLoader { return try customerIDsLoader() }
        return customerIDs
    }

    /// The rows of a selection: from the order snapshot when it holds exactly
    /// these orders (every counted order, no filters, labels only `channel`),
    /// else read with SQL. Either way `sql` is the reference query.
    static func read(db: Database, selection: OrderSelection, numberColumns: [String], labelColumns: [SQLFragment],
                     withOrderedAt: Bool = false) throws -> OrderRows {
        if let rows = try OrderRows(snapshotOf: db, selection: selection, numberColumns: numberColumns, labelColumns: labelColumns,
                                    withOrderedAt: withOrderedAt) {
            return rows
        }
        return try OrderRows(db: db, selection: selection, numberColumns: numberColumns, labelColumns: labelColumns,
                             withOrderedAt: withOrderedAt)
    }

    /// The snapshot's orders, or nil when the snapshot cannot stand in for the selection.
    ///
    /// The snapshot keeps discount + points and cogs + shipping as sums, so number
    /// columns come back as amount, then each cost field with the pair's sum in its
    /// first field and 0 in the second: callers only ever subtract cost fields from
    /// amount, which gives the same result. NULL counts are the build's, per field.
    init?(snapshotOf db: Database, selection: OrderSelection, numberColumns: [String], labelColumns: [SQLFragment],
          withOrderedAt: Bool = false) throws {
        let fields = ["amount"] + CostField.allCases.map(\.rawValue)
        guard labelColumns.allSatisfy({ $0.sql == "channel" && $0.bindings.isEmpty }), numberColumns.allSatisfy(fields.contains),
              let snapshot = try OrderSnapshot.holding(selection, in: db), let costNulls = snapshot.costNulls else { return nil }

        sql = Self.referenceQuery(selection: selection, numberColumns: numberColumns, labelColumns: labelColumns,
                                  withOrderedAt: withOrderedAt)
        numbers = Array(repeating: [], count: numberColumns.count)
        nullCounts = numberColumns.map { $0 == "amount" ? 0 : costNulls[fields.firstIndex(of: $0)! - 1] }
        labels = Array(repeating: [], count: labelColumns.count)
        labelNames = labelColumns.map { _ in snapshot.channelNames }
        customer.reserveCapacity(snapshot.rows)
        day.reserveCapacity(snapshot.rows)

        let n = snapshot.customers
        var firstRow = [Int32](repeating: -1, count: n)
        var lastDay = [Int32](repeating: .min, count: n)
        skipped = Int(snapshot.fields["without_day"] ?? "") ?? 0
        for block in snapshot.blocks {
            let days: [Int32] = try snapshot.column(.day, block: block.index, in: db)
            let customers: [Int32] = try snapshot.column(.customer, block: block.index, in: db)
            let first: [UInt8] = try snapshot.column(.first, block: block.index, in: db)
            var keep: [Int] = []
            keep.reserveCapacity(block.rows)
            for i in 0..<block.rows {
                let c = Int(customers[i])
                guard c >= 0 else { skipped += 1; continue }
                if first[i] == 1 { firstRow[c] = Int32(day.count) }
                if days[i] > lastDay[c] { lastDay[c] = days[i] }
                keep.append(i)
                customer.append(customers[i])
                day.append(days[i])
            }
            func kept<T>(_ column: OrderSnapshot.Column, as: T.Type) throws -> [T] {
                let all: [T] = try snapshot.column(column, block: block.index, in: db)
                return keep.map { all[$0] }
            }
            for (c, name) in numberColumns.enumerated() {
                switch name {
                case "amount": numbers[c] += try kept(.amount, as: Double.self)
                case "discount": numbers[c] += try kept(.discounts, as: Double.self)
                case "cogs": numbers[c] += try kept(.costs, as: Double.self)
                case "commission": numbers[c] += try kept(.commission, as: Double.self)
                default: numbers[c] += repeatElement(0, count: keep.count)
                }
            }
            if !labelColumns.isEmpty {
                let channels = try kept(.channel, as: Int32.self)
                for c in labelColumns.indices { labels[c] += channels }
            }
        }
        knownSpans = CustomerSpans(firstRow: firstRow, firstDay: try snapshot.customerColumn("first_day", in: db),
                                   secondDay: try snapshot.customerColumn("second_day", in: db), lastDay: lastDay)
        customerIDsLoader = { try db.query("SELECT customer_id FROM ecsh_customer_facts ORDER BY customer_key").rows.map { $0[0].description } }
        customerIDs = []
        customerCountFromSnapshot = n
    }

    /// `SELECT customer_id, day, <numbers>, <labels>[, ordered_at] FROM table WHERE selection`.
    static func referenceQuery(selection: OrderSelection, numberColumns: [String], labelColumns: [SQLFragment],
                               withOrderedAt: Bool) -> SQLFragment {
        var columns = ["customer_id", "day"] + numberColumns.map(quoteIdentifier)
        var labelBindings: [Value] = []
        for (i, label) in labelColumns.enumerated() {
            columns.append("(\(label.sql)) AS label\(i)")
            labelBindings += label.bindings
        }
        if withOrderedAt { columns.append("ordered_at") }
        return SQLFragment("SELECT \(columns.joined(separator: ", ")) FROM \(quoteIdentifier(selection.table)) WHERE ",
                           labelBindings) + selection.condition
    }

    /// Reads `SELECT customer_id, day, <numbers>, <labels>[, ordered_at]` rows.
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
            guard !statement.isNull(at: 0), !statement.isNull(at: 1) else { skipped += 1; continue }
            let id = statement.value(at: 0).description
            let number: Int32
            if let known = customerNumber[id] {
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
            if withOrderedAt { orderedAt.append(statement.value(at: firstLabel + labelColumns.count).description) }
        }
    }

    /// The query that read the rows (for `show sql`).
    let sql: SQLFragment

    /// Each customer's first order (earliest day, then ordered_at when read, then row order)
    /// and their second-earliest order day (nil with a single order), and their last day.
    func customerSpans() -> CustomerSpans {
        if let knownSpans { return knownSpans }
        let n = customerCount
        var spans = CustomerSpans(firstRow: Array(repeating: -1, count: n),
                                  firstDay: Array(repeating: .max, count: n),
                                  secondDay: Array(repeating: .max, count: n),
                                  lastDay: Array(repeating: .min, count: n))
        for row in 0..<count {
            let c = Int(customer[row]), d = day[row]
            if d > spans.lastDay[c] { spans.lastDay[c] = d }
            if d < spans.firstDay[c] || (d == spans.firstDay[c] && !orderedAt.isEmpty
                                           && orderedAt[row] < orderedAt[Int(spans.firstRow[c])]) {
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

/// Per customer: first order row and day, second order day, last order day.
struct CustomerSpans {
    var firstRow: [Int32]
    var firstDay: [Int32]
    /// `Int32.max` when the customer has one order.
    var secondDay: [Int32]
    var lastDay: [Int32]
}
