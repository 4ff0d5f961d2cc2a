import ECStore

/// The counted orders of a selection, visited one at a time, with what is
/// known per customer before the first visit (first and second order day,
/// the first order's label).
///
/// When the order snapshot holds the selection's counted orders (the label is
/// `channel` or none) the stream reads the snapshot block by block and keeps
/// nothing per order, narrowed by a `where` filter or segments when the
/// selection has them (`NarrowedOrders`, which may decline); otherwise it reads
/// the rows with SQL into memory (`OrderRows`). Either way customers are numbered
/// 0..<customers and `sql` is the reference query for the same orders.
struct OrderStream {
    /// One counted order that has a day (and a customer, unless guests were asked for).
    struct Order {
        /// Customer number; −1 for a guest order (only with `includingGuests`).
        var customer: Int
        var day: Int
        /// Index into `labelNames`; −1 for NULL or when no label was asked for.
        var label: Int32
        /// Money, NULL read as 0 (all 0 when money was not asked for).
        var amount: Double
        /// discount + points.
        var discounts: Double
        /// cogs + shipping.
        var costs: Double
        var commission: Double
    }

    /// What a pass saw.
    struct Visit {
        /// Orders passed to the body.
        var orders = 0
        /// Orders without customer_id (left out unless `includingGuests`) or day.
        var skipped = 0
        /// Guest orders passed to the body (`includingGuests`).
        var guests = 0
    }

    private enum Source {
        /// The snapshot's orders, narrowed or (nil) all of them.
        case snapshot(OrderSnapshot, Database, NarrowedOrders?)
        case rows(OrderRows)
    }

    private let source: Source
    private let money: Bool
    private let withLabel: Bool

    /// Customers, numbered 0..<customers.
    let customers: Int
    /// Per customer: the day of the first counted order.
    let firstDay: [Int32]
    /// Per customer, from SQL rows or a narrowed snapshot: the day of the second counted order (the
    /// whole snapshot reads it on demand).
    private let knownSecondDay: [Int32]
    /// Per customer: the first order's label (earliest day, then ordered_at, then order id); empty without a label.
    let firstLabel: [Int32]
    let labelNames: [String]
    /// NULLs per cost field (`CostField` order); zeros when money was not asked for.
    let nullCounts: [Int]
    /// The first and last day with a selected order; nil when there are none.
    let days: ClosedRange<Int>?
    /// The reference query: `SELECT customer_id, day[, money][, label, ordered_at, order_id] FROM … WHERE …`.
    let sql: SQLFragment

    var readsSnapshot: Bool {
        if case .snapshot = source { return true }
        return false
    }

    /// Opens the selection's orders.
    /// - Parameters:
    ///   - money: read amount and the cost fields.
    ///   - label: an expression over the order (e.g. `channel`) whose first-order value each customer gets.
    init(_ db: Database, selection: OrderSelection, money: Bool, label: SQLFragment? = nil) throws {
        self.money = money
        withLabel = label != nil
        let numberColumns = money ? ["amount"] + CostField.allCases.map(\.rawValue) : []
        let labelColumns = label.map { [$0] } ?? []
        sql = OrderRows.referenceQuery(selection: selection, numberColumns: numberColumns, labelColumns: labelColumns,
                                       withOrderedAt: label != nil)
        let channelOnly = label.map { $0.sql == "channel" && $0.bindings.isEmpty } ?? true
        let whole = OrderSelection(table: selection.table, countedOrders: selection.countedOrders)
        let narrowed = selection.orderFilter != nil || selection.customerFilter != nil
        if channelOnly, narrowed, let snapshot = try OrderSnapshot.holding(whole, in: db),
           let part = try NarrowedOrders.make(db, snapshot: snapshot, selection: selection, money: money, withLabel: label != nil) {
            source = .snapshot(snapshot, db, part)
            customers = part.customers
            firstDay = part.firstDay
            knownSecondDay = part.secondDay
            firstLabel = part.firstLabel
            labelNames = label == nil ? [] : snapshot.channelNames
            nullCounts = Array(repeating: 0, count: CostField.allCases.count)  // `make` declines money with NULL costs
            days = part.days
            return
        }
        if channelOnly, !narrowed, let snapshot = try OrderSnapshot.holding(selection, in: db), let costNulls = snapshot.costNulls {
            source = .snapshot(snapshot, db, nil)
            customers = snapshot.customers
            firstDay = try snapshot.customerColumn("first_day", in: db)
            knownSecondDay = []
            firstLabel = label == nil ? [] : try snapshot.customerColumn("first_channel", in: db)
            labelNames = label == nil ? [] : snapshot.channelNames
            nullCounts = money ? costNulls : Array(repeating: 0, count: CostField.allCases.count)
            if let first = snapshot.blocks.first, let last = snapshot.blocks.last, customers > 0 {
                days = first.firstDay...last.lastDay
            } else {
                days = nil
            }
            return
        }
        let rows = try OrderRows(db: db, selection: selection, numberColumns: numberColumns, labelColumns: labelColumns,
                                 withOrderedAt: label != nil)
        source = .rows(rows)
        customers = rows.customerIDs.count
        let spans = rows.customerSpans()
        firstDay = spans.firstDay
        knownSecondDay = spans.secondDay
        firstLabel = label == nil ? [] : spans.firstRow.map { rows.labels[0][Int($0)] }
        labelNames = label == nil ? [] : rows.labelNames[0]
        nullCounts = money ? Array(rows.nullCounts.dropFirst()) : Array(repeating: 0, count: CostField.allCases.count)
        if let low = rows.day.min(), let high = rows.day.max() { days = Int(low)...Int(high) } else { days = nil }
    }

    /// Per customer: the day of the second counted order, `Int32.max` with one order.
    func secondDays() throws -> [Int32] {
        switch source {
        case .rows, .snapshot(_, _, .some): return knownSecondDay
        case .snapshot(let snapshot, let db, nil): return try snapshot.customerColumn("second_day", in: db)
        }
    }

    /// Customer ids by customer number.
    /// The snapshot the stream reads, if it reads one.
    var snapshot: OrderSnapshot? {
        guard case .snapshot(let snapshot, _, _) = source else { return nil }
        return snapshot
    }

    /// Each of the stream's customers' key in the customer facts, when the stream reads the snapshot
    /// (whose customers the facts number); nil otherwise.
    func factsKeys() -> [Int32]? {
        guard case .snapshot(_, _, let part) = source else { return nil }
        return part?.keys ?? (0..<Int32(customers)).map { $0 }
    }

    /// The stream's customers found by id: every id numbered by its bytes (`ids`) and, by that number,
    /// the stream's customer (`customer`, −1: not one of the stream's). From the snapshot, the facts'
    /// ids are read in key order without a `Value` or a String each (5M customers at 10M orders).
    func customerIndex() throws -> (ids: TextNumbering, customer: [Int32]) {
        var ids = TextNumbering()
        switch source {
        case .rows(let rows):
            ids.reserve(rows.customerIDs.count)
            var customer: [Int32] = []
            for (c, id) in rows.customerIDs.enumerated() {
                var id = id
                if id.withUTF8({ ids.add(UnsafeRawBufferPointer($0)).isNew }) { customer.append(Int32(c)) }
            }
            return (ids, customer)
        case .snapshot(let snapshot, let db, let part):
            ids.reserve(snapshot.customers)
            let s = try db.prepare("SELECT customer_id FROM \(try CustomerFacts.relation(for: "", db)) ORDER BY customer_key")
            while try s.step() { _ = ids.add(s.bytes(at: 0)) }
            guard let part else { return (ids, (0..<Int32(ids.count)).map { $0 }) }
            var customer = [Int32](repeating: -1, count: ids.count)
            for (c, key) in part.keys.enumerated() { customer[Int(key)] = Int32(c) }
            return (ids, customer)
        }
    }

    func customerIDs() throws -> [String] {
        switch source {
        case .rows(let rows): return rows.customerIDs
        case .snapshot(_, let db, let part):
            let ids = try db.query("SELECT customer_id FROM \(try CustomerFacts.relation(for: "", db)) ORDER BY customer_key").rows.map { $0[0].description }
            return part.map { $0.keys.map { ids[Int($0)] } } ?? ids
        }
    }

    /// Visits every order (in day order from the snapshot, in table order from SQL).
    /// Guest orders (no customer) are skipped unless `includingGuests`; then they come with customer −1.
    /// From the snapshot, `prefetch` is told the customer of the order `SnapshotPass.lookahead`
    /// orders ahead, to start loading what `body` will read of that customer (`prefetchElement`): the
    /// orders come by day, their customers at random, and at millions of customers each is a cache miss.
    @discardableResult
    func forEach(includingGuests: Bool = false, prefetch: (Int) -> Void = { _ in }, _ body: (Order) throws -> Void) throws -> Visit {
        var visit = Visit()
        switch source {
        case .rows(let rows):
            let n = rows.numbers
            for r in 0..<rows.count {
                if rows.customer[r] < 0 {
                    if !includingGuests { visit.skipped += 1; continue }
                    visit.guests += 1
                }
                var order = Order(customer: Int(rows.customer[r]), day: Int(rows.day[r]), label: withLabel ? rows.labels[0][r] : -1,
                                  amount: 0, discounts: 0, costs: 0, commission: 0)
                if money {
                    order.amount = n[0][r]
                    order.discounts = OrderMeasures.discounts(discount: n[1][r], points: n[2][r])
                    order.costs = OrderMeasures.costs(cogs: n[3][r], shipping: n[4][r])
                    order.commission = n[5][r]
                }
                try body(order)
            }
            visit.orders = rows.count - (includingGuests ? 0 : rows.guests)
            visit.skipped += rows.skipped
        case .snapshot(let snapshot, let db, let part):
            visit.skipped = Int(snapshot.fields["without_day"] ?? "") ?? 0
            // One buffer per column, refilled block after block.
            var day: [Int32] = [], customer: [Int32] = [], label: [Int32] = [], numbers: [Int32] = []
            var amount: [Double] = [], discounts: [Double] = [], costs: [Double] = [], commission: [Double] = []
            for block in snapshot.blocks {
                let b = block.index
                try snapshot.column(.day, block: b, in: db, into: &day)
                try snapshot.column(.customer, block: b, in: db, into: &customer)
                if withLabel { try snapshot.column(.channel, block: b, in: db, into: &label) }
                // Narrowed: the selected orders alone (by position), customers numbered among the selected.
                let positions = part?.selected[b] ?? []
                if let part { part.renumber(block: b, customer: customer, into: &numbers) }
                let narrowed = part != nil, count = narrowed ? positions.count : block.rows
                if money {
                    try snapshot.column(.amount, block: b, in: db, into: &amount)
                    try snapshot.column(.discounts, block: b, in: db, into: &discounts)
                    try snapshot.column(.costs, block: b, in: db, into: &costs)
                    try snapshot.column(.commission, block: b, in: db, into: &commission)
                }
                let ahead = SnapshotPass.lookahead
                for k in 0..<count {
                    if k + ahead < count {
                        let next = narrowed ? numbers[k + ahead] : customer[k + ahead]
                        if next >= 0 { prefetch(Int(next)) }
                    }
                    let i = narrowed ? Int(positions[k]) : k
                    let c = Int(narrowed ? numbers[k] : customer[i])
                    if c < 0 {
                        if !includingGuests { visit.skipped += 1; continue }
                        visit.guests += 1
                    }
                    var order = Order(customer: c, day: Int(day[i]), label: withLabel ? label[i] : -1,
                                      amount: 0, discounts: 0, costs: 0, commission: 0)
                    if money {
                        order.amount = amount[i]
                        order.discounts = discounts[i]
                        order.costs = costs[i]
                        order.commission = commission[i]
                    }
                    try body(order)
                    visit.orders += 1
                }
            }
        }
        return visit
    }
}

/// Period index by day over a range of days: a table lookup instead of civil-date arithmetic per order.
struct PeriodTable {
    let unit: PeriodUnit
    private let firstDay: Int
    private let periods: [Int32]

    init(_ unit: PeriodUnit, days: ClosedRange<Int>?) {
        self.unit = unit
        firstDay = days?.lowerBound ?? 0
        // Ten years of days is 29 KB; longer ranges fall back to arithmetic.
        periods = days.map { $0.count > 20_000 ? [] : $0.map { Int32(unit.index(ofDay: $0)) } } ?? []
    }

    @inline(__always) func index(ofDay day: Int) -> Int {
        let i = day - firstDay
        return i >= 0 && i < periods.count ? Int(periods[i]) : unit.index(ofDay: day)
    }
}
