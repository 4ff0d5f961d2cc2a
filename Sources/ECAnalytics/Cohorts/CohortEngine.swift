import CSQLite
import ECStore

/// Computes cohort matrices (retention, customers, orders, revenue, margin).
///
/// Visits the selected counted orders once (`OrderStream`), finds each
/// customer's first period, and accumulates every cell with range additions
/// over offsets, so the cost is linear in orders: a 24 × 24 monthly matrix on
/// a million orders does not sort or join in SQL.
public struct CohortEngine {
    public let db: Database

    public init(_ db: Database) { self.db = db }

    static let noOrders = StoreError("no counted orders to build cohorts from; load orders or loosen the filters")

    /// Runs a cohort query.
    /// - Throws: `StoreError` for bad arguments or an empty orders table; `DatabaseError` from SQLite.
    public func run(_ query: CohortQuery) throws -> CohortMatrix {
        guard query.periods >= 0 else { throw StoreError("periods must be 0 or more (got \(query.periods))") }
        if db.engine != .sqlite { return try runInEngine(query) }
        let unit = query.unit
        var label: SQLFragment?
        if case .attribute(let attribute) = query.grouping, case .firstOrder(let expression) = attribute.source {
            label = expression
        }
        // Observed up to as_of: a cancelled last order does not extend the window, `set as_of` cuts it.
        guard let lastDay = try query.asOfDay ?? query.orders.lastCountedDay(in: db) else { throw Self.noOrders }
        let stream = try OrderStream(db, selection: try query.orders.through(day: lastDay, in: db),
                                     money: query.measure == .revenue || query.measure == .margin, label: label)
        var notes: [String] = []
        guard let days = stream.days else { throw Self.noOrders }
        let lastPeriod = unit.index(ofDay: lastDay)
        let periodOf = PeriodTable(unit, days: days)
        let customers = stream.customers
        let n = query.periods

        // Cohort of each customer. Per-customer arrays hold 32-bit values: at 5M customers each is 20 MB, not 40.
        let firstPeriod = stream.firstDay.map { Int32(periodOf.index(ofDay: Int($0))) }
        let (cohortOf, labels) = try assignCohorts(query: query, stream: stream, firstPeriod: firstPeriod)
        let cohortCount = labels.count

        // Range additions per cohort over offsets 0...n (+1 for the closing mark).
        var eligible = Array(repeating: Array(repeating: 0.0, count: n + 2), count: cohortCount)
        // The measure's range additions, cohort by cohort, in one plain buffer: added to once per order,
        // where nested arrays checked both levels for a unique reference each time.
        let width = n + 2
        let totalCells = PlainBuffer<Double>(repeating: 0, count: cohortCount * width)
        var sizes = Array(repeating: 0, count: cohortCount)
        var lastOffset = [Int32](repeating: 0, count: customers)
        for c in 0..<customers {
            let cohort = Int(cohortOf[c])
            sizes[cohort] += 1
            // A customer is observed up to the data's last period.
            let last = min(lastPeriod - Int(firstPeriod[c]), n)
            lastOffset[c] = Int32(last)
            eligible[cohort][0] += 1
            eligible[cohort][last + 1] -= 1
        }

        func addRange(_ cohort: Int, _ from: Int, _ through: Int, _ value: Double) {
            guard from <= through else { return }
            totalCells[cohort * width + from] += value
            totalCells[cohort * width + through + 1] -= value
        }

        let visit: OrderStream.Visit
        if query.countsCustomers {
            switch query.effectiveMode {
            case .on:
                // One bit per (customer, offset) so several orders in a period count once.
                let words = (n + 64) / 64
                let seen = PlainBuffer<UInt64>(repeating: 0, count: customers * words)
                visit = try stream.forEach(prefetch: { c in
                    prefetchElement(firstPeriod, c)
                    prefetchElement(cohortOf, c)
                    seen.prefetch(c * words)
                }) { order in
                    let c = order.customer
                    let offset = periodOf.index(ofDay: order.day) - Int(firstPeriod[c])
                    guard offset <= n else { return }
                    let bit = UInt64(1) << UInt64(offset % 64)
                    let slot = c * words + offset / 64
                    if seen[slot] & bit == 0 {
                        seen[slot] |= bit
                        addRange(Int(cohortOf[c]), offset, offset, 1)
                    }
                }
            case .onOrAfter:
                let latestDay = PlainBuffer<Int32>(repeating: .min, count: customers)
                visit = try stream.forEach { order in latestDay[order.customer] = max(latestDay[order.customer], Int32(order.day)) }
                for c in 0..<customers {
                    let latest = min(periodOf.index(ofDay: Int(latestDay[c])) - Int(firstPeriod[c]), Int(lastOffset[c]))
                    addRange(Int(cohortOf[c]), 0, latest, 1)
                }
            case .cumulative:
                let secondDay = try stream.secondDays()
                for c in 0..<customers where secondDay[c] != .max {
                    let repeatOffset = periodOf.index(ofDay: Int(secondDay[c])) - Int(firstPeriod[c])
                    addRange(Int(cohortOf[c]), repeatOffset, Int(lastOffset[c]), 1)
                }
                visit = try stream.forEach { _ in }  // counts the orders skipped for the note
            }
        } else {
            let measure = query.measure
            let lastOffsets = lastOffset  // read below, never changed (a `var` read in the closure would be retained per order)
            visit = try stream.forEach(prefetch: { c in
                prefetchElement(firstPeriod, c)
                prefetchElement(cohortOf, c)
                prefetchElement(lastOffsets, c)
            }) { order in
                let c = order.customer
                let offset = periodOf.index(ofDay: order.day) - Int(firstPeriod[c])
                guard offset <= n else { return }
                let value: Double
                switch measure {
                case .revenue: value = OrderMeasures.revenue(amount: order.amount, discounts: order.discounts)
                case .margin: value = OrderMeasures.cm2(amount: order.amount, discounts: order.discounts, costs: order.costs, commission: order.commission)
                default: value = 1
                }
                addRange(Int(cohortOf[c]), offset, query.cumulative ? Int(lastOffsets[c]) : offset, value)
            }
            var missing: [CostField: Int] = [:]
            for field in missingFields(query: query, stream: stream) {
                missing[field] = stream.nullCounts[CostField.allCases.firstIndex(of: field)!]
            }
            if let note = ContributionMargin.missingNote(nullCounts: missing, orders: visit.orders) { notes.append(note) }
        }

        if let note = visit.skipped > 0 ? "\(visit.skipped) orders without customer_id or day were skipped" : nil { notes.append(note) }
        let totals = (0..<cohortCount).map { k in (0..<width).map { totalCells[k * width + $0] } }
        return try assemble(query: query, labels: labels, sizes: sizes, eligible: eligible, totals: totals, notes: notes,
                            lastPeriod: lastPeriod, lastDay: lastDay, sql: stream.sql,
                            missingCostFields: missingFields(query: query, stream: stream))
    }

    /// The matrix from the range additions per cohort (`eligible`: customers observed; `totals`: the
    /// measure), whichever route gathered them.
    func assemble(query: CohortQuery, labels: [String?], sizes: [Int], eligible: [[Double]], totals: [[Double]],
                  notes extra: [String], lastPeriod: Int, lastDay: Int, sql: SQLFragment,
                  missingCostFields: [CostField]) throws -> CohortMatrix {
        let n = query.periods
        let cohortCount = labels.count
        var notes = extra
        // Prefix sums turn range additions into cell values.
        var matrixRows: [CohortMatrix.Row] = []
        var coveredByRow: [[Double]] = []
        let divides = query.measure == .retention || (!query.countsCustomers && query.perCustomer)
        for cohort in 0..<cohortCount {
            var running = 0.0, covered = 0.0
            var cells: [Double?] = [], coverage: [Double] = []
            for k in 0...n {
                running += totals[cohort][k]
                covered += eligible[cohort][k]
                coverage.append(covered)
                cells.append(covered > 0 ? (divides ? running / covered : running) : nil)
            }
            matrixRows.append(.init(label: labels[cohort], size: sizes[cohort], cells: cells, cac: nil, payback: nil))
            coveredByRow.append(coverage)
        }
        if case .period = query.grouping, let limit = query.cohortLimit, matrixRows.count > limit {
            matrixRows.removeFirst(matrixRows.count - limit)
            coveredByRow.removeFirst(coveredByRow.count - limit)
        }
        // The average row over the cohorts shown, weighted by the customers each cell covers.
        let average: [Double?] = (0...n).map { k in
            var numerator = 0.0, weight = 0.0
            for (row, coverage) in zip(matrixRows, coveredByRow) {
                guard let value = row.cells[k] else { continue }
                numerator += value * coverage[k]
                weight += coverage[k]
            }
            return weight > 0 ? numerator / weight : nil
        }

        notes.insert(contentsOf: describe(query: query, lastPeriod: lastPeriod, lastDay: lastDay), at: 0)
        var matrix = CohortMatrix(query: query, rows: matrixRows, average: average, sql: sql, notes: notes,
                                  missingCostFields: missingCostFields)
        if query.measure == .margin, query.cumulative, query.perCustomer {
            try addPayback(to: &matrix, asOfDay: lastDay)
        }
        return matrix
    }

    /// Puts each customer into a cohort; returns cohort numbers and labels in display order.
    private func assignCohorts(query: CohortQuery, stream: OrderStream, firstPeriod: [Int32]) throws -> ([Int32], [String?]) {
        switch query.grouping {
        case .all:
            return (Array(repeating: 0, count: stream.customers), ["all"])
        case .period(let unit):
            // Periods number a short span (months, weeks, days of the data): numbered through an array
            // over the span rather than a set and a dictionary of millions of customers' periods.
            guard let low = firstPeriod.min().map(Int.init), let high = firstPeriod.max().map(Int.init) else { return ([], []) }
            if high - low > max(1 << 20, 4 * firstPeriod.count) {
                let periods = Set(firstPeriod).sorted()
                var number: [Int32: Int32] = [:]
                for (i, p) in periods.enumerated() { number[p] = Int32(i) }
                return (firstPeriod.map { number[$0]! }, periods.map { unit.label(of: Int($0)) })
            }
            var number = [Int32](repeating: -1, count: high - low + 1)
            for p in firstPeriod { number[Int(p) - low] = 0 }
            var periods: [Int] = []
            for i in number.indices where number[i] == 0 {
                number[i] = Int32(periods.count)
                periods.append(low + i)
            }
            return (firstPeriod.map { number[Int($0) - low] }, periods.map(unit.label(of:)))
        case .attribute(let attribute):
            switch attribute.source {
            case .firstOrder:
                return firstOrderCohorts(stream)
            case .lookup:
                // Each customer's value as a code (0: none), values numbered by their bytes: no String per
                // customer (at 5M customers 11 s and 736 MB with them, `cohort retention by region`).
                var code = [Int32](repeating: 0, count: stream.customers)
                var values = ValueNumbering(strict: false)
                var valueList: [Value]? = nil
                if let keys = stream.factsKeys(), let snapshot = stream.snapshot, let column = try factsColumn(for: attribute) {
                    // From the snapshot: the facts carry the column (the customers dataset's row for each
                    // customer, the later of two, as segments read it), by the key the stream's customers
                    // have; numbered by customer key as KPIs grouped by it number it, and kept for the next
                    // statement (`CustomerColumnCodes`).
                    let kept = try CustomerColumnCodes.read(db, column: column, expression: "f." + quoteIdentifier(column), snapshot: snapshot)
                    for (c, key) in keys.enumerated() { code[c] = kept.codes[Int(key)] }
                    valueList = kept.values
                } else {
                    // Customers found by id (compared as text, as the customers' ids are), the last row's value winning.
                    let (ids, customerOf) = try stream.customerIndex()
                    let lookup = try attribute.lookupQuery(orders: nil)
                    let statement = try db.prepare(lookup.sql)
                    try statement.bind(lookup.bindings)
                    while try statement.step() {
                        guard statement.storageClass(at: 0) != SQLITE_NULL, let k = ids.find(statement.bytes(at: 0)) else { continue }
                        let c = customerOf[Int(k)]
                        let v = values.code(statement, at: 1)!
                        if c >= 0, v != 0 { code[Int(c)] = v }
                    }
                }
                // Groups by the value's text (NULL: nil, a group of its own), as a value and its text are one group.
                let text = (valueList ?? values.values).map { $0.isNull ? nil : $0.description }
                var used = [Bool](repeating: false, count: text.count)
                for v in code { used[Int(v)] = true }
                let names = Self.groupNames(Set(text.indices.filter { used[$0] }.map { text[$0] }))
                var cohort: [String?: Int32] = [:]
                for (i, name) in names.enumerated() { cohort[name] = Int32(i) }
                let cohortOfCode = text.map { cohort[$0] ?? -1 }
                return (code.map { cohortOfCode[Int($0)] }, names)
            }
        }
    }

    /// The facts column holding `attribute`'s values: its own column, or the customers dataset's
    /// column the facts carry; nil for any other table.
    private func factsColumn(for attribute: CustomerAttribute) throws -> String? {
        guard let (table, column) = attribute.tableColumn, table == CustomerFacts.table || table == "customers" else { return nil }
        let name = column.lowercased()
        guard name != "customer_id", name != "customer_key" else { return nil }
        // A customers column named like one the facts derive (`cohort`, `nps`) is not the facts' column.
        if table == "customers", name == "nps" || CustomerFacts.ownColumns.contains(where: { $0.name == name }) { return nil }
        return try db.columns(of: CustomerFacts.table).map(\.name).contains(column) ? column : nil
    }

    /// Named groups sorted, customers without a value (nil) last.
    static func groupNames(_ values: some Collection<String?>) -> [String?] {
        values.sorted { a, b in
            guard let a, let b else { return b == nil && a != nil }
            return a < b
        }
    }

    /// Cohorts by the first order's label: groups by the label's name, as for any attribute, found
    /// per label code (a few) rather than per customer (millions of strings to hash).
    private func firstOrderCohorts(_ stream: OrderStream) -> ([Int32], [String?]) {
        precondition(stream.firstLabel.count == stream.customers, "a first-order grouping reads every customer's label")
        // Name by code + 1 (0: no value), and which codes occur.
        let nameOf: [String?] = [nil] + stream.labelNames
        var occurs = [Bool](repeating: false, count: nameOf.count)
        for label in stream.firstLabel { occurs[Int(max(label, -1)) + 1] = true }
        let names = Self.groupNames(Set(nameOf.indices.filter { occurs[$0] }.map { nameOf[$0] }))
        var number: [String?: Int32] = [:]
        for (i, name) in names.enumerated() { number[name] = Int32(i) }
        let cohortOfCode = nameOf.map { number[$0] ?? -1 }
        return (stream.firstLabel.map { cohortOfCode[Int(max($0, -1)) + 1] }, names)
    }

    /// The cost fields the measure subtracts that have NULLs.
    private func missingFields(query: CohortQuery, stream: OrderStream) -> [CostField] {
        let fields: [CostField]
        switch query.measure {
        case .margin: fields = CostField.allCases
        case .revenue: fields = [.discount, .points]
        default: fields = []
        }
        return fields.filter { stream.nullCounts[CostField.allCases.firstIndex(of: $0)!] > 0 }
    }

    /// The definition in force, for the notes under the table.
    func describe(query: CohortQuery, lastPeriod: Int, lastDay: Int) -> [String] {
        let unit = query.unit
        var lines: [String] = []
        switch query.measure {
        case .retention, .customers:
            switch query.effectiveMode {
            case .on: lines.append("retention (on): customers with ≥1 counted order in period c+k / cohort size")
            case .onOrAfter: lines.append("retention (on or after): customers with a counted order in period c+k or later / cohort size")
            case .cumulative: lines.append("retention (cumulative): customers whose second counted order is by period c+k / cohort size")
            }
        case .orders: lines.append("orders at offset k" + (query.perCustomer ? " per cohort customer" : ""))
        case .revenue: lines.append("revenue = amount − discount − points at offset k" + (query.perCustomer ? ", per cohort customer" : ""))
        case .margin: lines.append(ContributionMargin.formula + (query.perCustomer ? ", per cohort customer" : ""))
        }
        if query.cumulative && !query.countsCustomers { lines.append("cumulative: running total from offset 0 through k") }
        let label = unit.label(of: lastPeriod)
        let start = unit.firstDay(of: lastPeriod), length = unit.firstDay(of: lastPeriod + 1) - start
        let partial = lastDay - start + 1 < length
        lines.append("data ends in \(label)\(partial ? "*" : ""); later cells are empty; the average is weighted by the customers each cell covers")
        if partial {
            // Each cohort's last cell falls in this period: with a few of its days observed it reads as a drop.
            lines.append("* \(label) is partial: \(DayNumber.isoDate(start)) to \(DayNumber.isoDate(lastDay)), \(lastDay - start + 1) of its \(length) days "
                         + "observed; a cohort's cell in it counts only those days and reads low: compare it with whole periods with care")
        }
        return lines
    }
}
