import ECStore

/// The two periods of a tree read together. Where the order snapshot holds exactly the selection's
/// counted orders, what needs each order's customer comes from it: the customers of each period, the
/// active members of each trailing window (their orders and margin too) and every customer's first day.
/// Those were a count of distinct ids per period and per window and a grouping of every order by
/// customer, each a sort of text ids: 18 s of a tree at 10M orders. The sums (GMV, each cost field,
/// orders, mall GMV, revenue, margin) stay one SQL scan over the rows, both periods in it: the snapshot
/// keeps discount with points and cogs with shipping, which the margin tree shows apart. That scan
/// reads only the rowids from the first to the last of the periods' orders, which the blocks' `row`
/// column gives: in an export in date order two months of 24 are a twelfth of the table, and each
/// period is then summed over its own rows (half the expressions per row of summing both at once).
/// Otherwise (no snapshot, or one built under another as_of) every figure comes from `read`.
extension PeriodFigures {
    static func readAll(_ db: Database, selection: OrderSelection, settings: MetricSettings,
                        periods: [(label: String, days: ClosedRange<Int>)]) throws -> [PeriodFigures] {
        if let snapshot = try OrderSnapshot.holding(selection, in: db) {
            return try fromSnapshot(snapshot, db: db, selection: selection, settings: settings, periods: periods)
        }
        let firstDays = try FirstDays(db, selection: selection)
        return try periods.map {
            try read(db, selection: selection, settings: settings, label: $0.label, days: $0.days, firstDays: firstDays)
        }
    }

    /// `readAll` from the snapshot (`snapshot` holds the selection's orders).
    static func fromSnapshot(_ snapshot: OrderSnapshot, db: Database, selection: OrderSelection, settings: MetricSettings,
                             periods: [(label: String, days: ClosedRange<Int>)]) throws -> [PeriodFigures] {
        let windows = periods.map { ($0.days.upperBound - settings.activeWindowDays + 1)...$0.days.upperBound }
        // A customer's marks: bit 2p, an order in period p; bit 2p + 1, an order in window p.
        precondition(periods.count <= 4, "a byte of marks per customer holds four periods")
        var marks = [UInt8](repeating: 0, count: snapshot.customers)
        let spans = periods.map(\.days) + windows
        let low = spans.map(\.lowerBound).min() ?? 0, high = spans.map(\.upperBound).max() ?? -1
        // The rows of the periods' orders, first to last, while `orders` numbers its rows as the blocks do.
        let base = try snapshot.rowBase(in: db)
        let periodLow = periods.map(\.days.lowerBound).min() ?? 0, periodHigh = periods.map(\.days.upperBound).max() ?? -1
        var firstRow = [Int32](repeating: .max, count: periods.count), lastRow = [Int32](repeating: .min, count: periods.count)
        var row: [Int32] = []
        var figures = periods.map { PeriodFigures(label: $0.label) }
        var m = MarginColumns()
        for block in snapshot.blocks where block.lastDay >= low && block.firstDay <= high {
            try m.read(snapshot, block: block.index, in: db)
            let rows = base != nil && block.lastDay >= periodLow && block.firstDay <= periodHigh
            if rows { try snapshot.column(.row, block: block.index, in: db, into: &row) }
            for i in 0..<block.rows {
                let d = Int(m.day[i]), c = Int(m.customer[i])
                for p in periods.indices {
                    if periods[p].days.contains(d) {
                        if rows { firstRow[p] = min(firstRow[p], row[i]); lastRow[p] = max(lastRow[p], row[i]) }
                        if c >= 0, marks[c] & (1 << (2 * p)) == 0 {
                            marks[c] |= 1 << (2 * p)
                            figures[p].customers += 1
                        }
                    }
                    guard windows[p].contains(d) else { continue }
                    // Guest orders count as orders and margin of the window, not as members.
                    figures[p].memberOrders += 1
                    figures[p].memberMargin += m.margin(i)
                    if c >= 0, marks[c] & (2 << (2 * p)) == 0 {
                        marks[c] |= 2 << (2 * p)
                        figures[p].members += 1
                    }
                }
            }
        }
        var sums: [PeriodFigures]
        if let base {
            // Each period's rows (no counted order: an empty range, first after last), and all of them.
            let own = periods.indices.map { p in firstRow[p] <= lastRow[p] ? (base + Int64(firstRow[p]), base + Int64(lastRow[p])) : (1, 0) }
            let all = (base + Int64(firstRow.min() ?? 0), base + Int64(lastRow.max() ?? -1))
            func size(_ r: (Int64, Int64)) -> Int64 { max(0, r.1 - r.0 + 1) }
            // Apart where the periods' ranges overlap no more than one scan of them all reads (rows in date order).
            if own.map(size).reduce(0, +) <= size(all) {
                sums = try periods.indices.flatMap { p in
                    try Self.sums(db, selection: selection, settings: settings, periods: [periods[p]], rows: own[p])
                }
            } else {
                sums = try Self.sums(db, selection: selection, settings: settings, periods: periods, rows: all)
            }
        } else {
            sums = try Self.sums(db, selection: selection, settings: settings, periods: periods)
        }
        for p in periods.indices {
            sums[p].customers = figures[p].customers
            sums[p].members = figures[p].members
            sums[p].memberOrders = figures[p].memberOrders
            sums[p].memberMargin = figures[p].memberMargin
        }
        figures = sums
        let firstDays: FirstDays
        if let first = snapshot.blocks.first, let last = snapshot.blocks.last {
            firstDays = FirstDays(firstDays: try snapshot.customerColumn("first_day", in: db), days: first.firstDay...last.lastDay)
        } else {
            firstDays = FirstDays()
        }
        for p in periods.indices {
            figures[p].newCustomers = firstDays.customers(in: periods[p].days)
            figures[p].newMembers = firstDays.customers(in: windows[p])
            figures[p].sessions = try sessions(db, days: periods[p].days)
        }
        return figures
    }

    /// Each period's sums over the rows of its counted orders, in one scan: GMV, the cost fields, orders,
    /// mall GMV, revenue and margin, as `read` sums them (customers and members are left at 0).
    /// `rows`: the first and last rowid of the rows that hold every counted order of the periods (first
    /// after last: no rows; nil: not known, the whole table).
    static func sums(_ db: Database, selection: OrderSelection, settings: MetricSettings,
                     periods: [(label: String, days: ClosedRange<Int>)], rows: (first: Int64, last: Int64)? = nil) throws -> [PeriodFigures] {
        let malls = settings.marketplaces.condition("channel")
        var columns: [String] = [], mallBindings: [Value] = []
        for p in periods {
            // Day numbers are integers of ecsh's own, written into the SQL; channel names are bound.
            let inPeriod = "day BETWEEN \(p.days.lowerBound) AND \(p.days.upperBound)"
            func sum(_ expression: String) -> String { "coalesce(sum(CASE WHEN \(inPeriod) THEN \(expression) END), 0)" }
            columns += [sum(OrderMeasures.gmvSQL(nil))] + CostField.allCases.map { sum(OrderMeasures.costSQL($0, nil)) }
            columns.append("count(CASE WHEN \(inPeriod) THEN 1 END)")
            columns.append("coalesce(sum(CASE WHEN \(inPeriod) AND \(malls.sql) THEN amount END), 0)")
            mallBindings += malls.bindings
            columns += [sum(OrderMeasures.revenueSQL(nil)), sum(OrderMeasures.cm2SQL(nil))]
        }
        // The days first: SQLite tests the terms in the order written, and the counted-status test (a
        // lookup in the list of excluded statuses) then runs for the periods' orders only (1.2 s instead
        // of 2.3 s at 10M orders).
        let any = periods.map { "day BETWEEN \($0.days.lowerBound) AND \($0.days.upperBound)" }.joined(separator: " OR ")
        // The rowids first, so that SQLite seeks to them rather than scanning the table.
        let span = rows.map { "rowid BETWEEN \($0.first) AND \($0.last) AND " } ?? ""
        let query = SQLFragment("SELECT \(columns.joined(separator: ", ")) FROM \(quoteIdentifier(selection.table)) WHERE \(span)(\(any.isEmpty ? "0" : any)) AND ")
            + selection.condition
        let row = try db.query(query.sql, mallBindings + query.bindings).rows.first ?? []
        let n = row.map { $0.doubleValue ?? 0 }
        guard n.count == 10 * periods.count else { throw MetricsError("kpi tree: unexpected result reading the orders") }
        return periods.enumerated().map { p, period in
            var f = PeriodFigures(label: period.label)
            let v = Array(n[(10 * p)..<(10 * p + 10)])
            (f.gmv, f.discount, f.points, f.cogs, f.shipping, f.commission) = (v[0], v[1], v[2], v[3], v[4], v[5])
            (f.orders, f.mallGMV, f.revenue, f.margin) = (v[6], v[7], v[8], v[9])
            return f
        }
    }

    /// The period's sessions when traffic is loaded.
    static func sessions(_ db: Database, days: ClosedRange<Int>) throws -> Double? {
        guard try db.tableExists("traffic") else { return nil }
        return try db.scalar("SELECT sum(sessions) FROM traffic WHERE day BETWEEN ? AND ?",
                             [.integer(Int64(days.lowerBound)), .integer(Int64(days.upperBound))]).doubleValue
    }
}
