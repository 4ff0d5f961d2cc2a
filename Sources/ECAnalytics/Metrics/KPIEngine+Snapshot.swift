import ECStore

/// The snapshot route: the order measures of a KPI query computed in one pass
/// over `OrderSnapshot` (orders in day order, customers numbered), written to
/// `temp.ecsh_kpi_measures`, then finished by the same SQL as the reference
/// route (spine of periods × groups, spend, traffic, NPS, formulas, order).
///
/// Per-customer state lives in arrays indexed by customer number (and
/// channel when split by channel), so distinct counts, activity stretches and
/// period-to-period retention are O(orders) with no sort. Queries with a
/// `where` filter or a dimension the snapshot does not hold take the SQL route.
extension KPIEngine {
    static let measuresTable = "temp.ecsh_kpi_measures"

    /// Measures the snapshot pass computes (everything but f2_final and the other datasets).
    static let snapshotMeasures: [Measure] = [
        .gmv, .revenue, .orders, .units, .margin, .commission, .discounts, .mall_gmv,
        .customers, .new_customers, .returning_customers, .f2_new, .f2_converted,
        .ever_customers, .repeat_customers, .active_members, .previous_active, .retained,
    ]

    /// Fills `temp.ecsh_kpi_measures` for the plan; false when the plan needs the SQL route.
    func fillMeasuresFromSnapshot(_ plan: Plan) throws -> Bool {
        // Lifetime measures (ltv, payback) follow customers past the range: the reference SQL computes them.
        guard plan.filter == nil, plan.needsBase, !plan.sources.contains(.lifetime) else { return false }
        if plan.dims.contains(where: { !$0.fromFacts && $0.name.lowercased() != "channel" }) { return false }
        // Plan.make has made the facts and snapshot current (CustomerFacts.ensureCurrent).
        guard let snapshot = try OrderSnapshot.load(db, settings: settings, asOfDay: plan.asOfDay),
              snapshot.channelNames.count <= 64 else { return false }
        var pass = try SnapshotPass(plan: plan, snapshot: snapshot, db: db)
        guard pass.comboCount <= 100_000 else { return false }
        try pass.run(settings: settings)
        return true
    }
}

/// One pass of the snapshot route.
struct SnapshotPass {
    let plan: KPIEngine.Plan
    let snapshot: OrderSnapshot
    let db: Database

    /// Dimension values: `codes[dim]` per customer (facts) or per channel; `values[dim][code]`.
    var dimValues: [[Value]] = []
    var customerCodes: [[Int32]?] = []
    var channelDims: [Int] = []
    var radix: [Int] = []
    var comboCount = 1

    // Days and periods.
    let dayBase: Int
    let firstSlot: Int
    var slotOfDay: [Int32] = []
    var slotStart: [Int] = []
    var slotNumber: [Int] = []
    var shownSlots: ClosedRange<Int>

    init(plan: KPIEngine.Plan, snapshot: OrderSnapshot, db: Database) throws {
        self.plan = plan
        self.snapshot = snapshot
        self.db = db
        for (i, d) in plan.dims.enumerated() {
            if d.fromFacts {
                let s = try db.prepare("SELECT customer_key, \(d.expression) FROM ecsh_customer_facts AS f")
                var codes = [Int32](repeating: 0, count: snapshot.customers)
                var known: [Value: Int32] = [.null: 0]
                var values: [Value] = [.null]
                while try s.step() {
                    let v = s.value(at: 1)
                    let code: Int32
                    if let k = known[v] { code = k } else {
                        code = Int32(values.count); known[v] = code; values.append(v)
                    }
                    codes[Int(s.int64(at: 0))] = code
                }
                dimValues.append(values)
                customerCodes.append(codes)
            } else {
                dimValues.append([.null] + snapshot.channelNames.map { .text($0) })
                customerCodes.append(nil)
                channelDims.append(i)
            }
            radix.append(comboCount)
            comboCount *= dimValues[i].count
        }
        // Day → period slot, from the earliest day any measure looks at to the end.
        let dataStart = snapshot.blocks.first?.firstDay ?? plan.startDay
        dayBase = min(plan.startDay, dataStart)
        func number(_ d: Int) -> Int {
            guard let g = plan.grain else { return d >= plan.startDay ? 0 : -1 }
            return PeriodCalendar.period(of: d, grain: g, weekStart: plan.settings.weekStart).number
        }
        let first = number(dayBase)
        firstSlot = first
        let days = max(0, plan.endDay - dayBase + 1)
        slotOfDay = [Int32](repeating: 0, count: days)
        for i in 0..<days {
            let n = number(dayBase + i)
            slotOfDay[i] = Int32(n - first)
            if n - first == slotNumber.count {
                slotNumber.append(n)
                slotStart.append(dayBase + i)
            }
        }
        let shownFirst = number(plan.startDay) - first
        shownSlots = shownFirst...max(shownFirst, slotNumber.count - 1)
    }

    var slotCount: Int { slotNumber.count }

    mutating func run(settings: MetricSettings) throws {
        try db.execute("DROP TABLE IF EXISTS \(KPIEngine.measuresTable)")
        let dimColumns = plan.dims.indices.map { ", d\($0 + 1)" }.joined()
        let measureColumns = KPIEngine.snapshotMeasures.map { ", \($0.rawValue)" }.joined()
        try db.execute("CREATE TABLE \(KPIEngine.measuresTable) (segment, period_no\(dimColumns), lines, seen_range\(measureColumns))")
        let marks = Array(repeating: "?", count: 4 + plan.dims.count + KPIEngine.snapshotMeasures.count).joined(separator: ",")
        let insert = try db.prepare("INSERT INTO \(KPIEngine.measuresTable) VALUES (\(marks))")
        let firstDay = try snapshot.customerColumn("first_day", in: db)
        let secondDay = try snapshot.customerColumn("second_day", in: db)
        let mall = Set(settings.marketplaceChannels)
        let isMall = snapshot.channelNames.map { mall.contains($0) }
        for segment in plan.segments {
            var member: [Bool]?
            if plan.hasSegments {
                var m = [Bool](repeating: false, count: snapshot.customers)
                let s = try db.prepare("SELECT customer_key FROM ecsh_customer_facts WHERE " + segment.predicate.sql)
                try s.bind(segment.predicate.bindings)
                while try s.step() { m[Int(s.int64(at: 0))] = true }
                member = m
            }
            let cells = try scan(member: member, firstDay: firstDay, secondDay: secondDay, isMall: isMall)
            try write(cells, segment: segment.name, insert: insert)
        }
    }

    /// The one pass over the blocks for one segment.
    func scan(member: [Bool]?, firstDay: [Int32], secondDay: [Int32], isMall: [Bool]) throws -> SnapshotCells {
        let m = plan.measures
        let combos = comboCount, slots = slotCount
        var cells = SnapshotCells(cells: combos * slots)
        let channelWidth = channelDims.isEmpty ? 1 : snapshot.channelNames.count + 1
        let stateCount = snapshot.customers * channelWidth
        let wantsCustomers = !m.isDisjoint(with: [.customers, .returning_customers, .previous_active, .retained])
        let wantsActive = m.contains(.active_members)
        var seenSlot = wantsCustomers ? [Int32](repeating: .min, count: stateCount) : []
        var lastActive = wantsActive ? [Int32](repeating: .min, count: stateCount) : []
        let window = Int32(plan.windowDays), end = Int32(plan.endDay), start = Int32(plan.startDay)
        let f2 = Int32(plan.f2Days), asOf = Int32(plan.asOfDay)
        let history = plan.needsHistory
        let needsNumbers = !m.isDisjoint(with: [.gmv, .revenue, .margin, .mall_gmv, .units, .commission, .discounts])

        func slot(ofDay d: Int32) -> Int { Int(slotOfDay[Int(d) - dayBase]) }
        func combo(customer c: Int, channel: Int32) -> Int {
            var k = 0
            for (i, codes) in customerCodes.enumerated() {
                k += radix[i] * Int(codes.map { c >= 0 ? $0[c] : 0 } ?? (channel + 1))
            }
            return k
        }
        func addEvent(_ e: SnapshotCells.Event, day: Int32, combo: Int, _ delta: Int32) {
            guard day <= end else { return }
            cells.add(e, slot(ofDay: day) * combos + combo, delta)
        }

        for block in snapshot.blocks {
            if block.firstDay > plan.endDay { break }
            if !history, block.lastDay < plan.startDay { continue }
            let day: [Int32] = try snapshot.column(.day, block: block.index, in: db)
            let customer: [Int32] = try snapshot.column(.customer, block: block.index, in: db)
            let channel: [Int32] = try snapshot.column(.channel, block: block.index, in: db)
            let first: [UInt8] = try snapshot.column(.first, block: block.index, in: db)
            var amount: [Double] = [], discounts: [Double] = [], commission: [Double] = [], costs: [Double] = [], units: [Double] = []
            if needsNumbers {
                amount = try snapshot.column(.amount, block: block.index, in: db)
                discounts = try snapshot.column(.discounts, block: block.index, in: db)
                commission = try snapshot.column(.commission, block: block.index, in: db)
                costs = try snapshot.column(.costs, block: block.index, in: db)
                if m.contains(.units) { units = try snapshot.column(.units, block: block.index, in: db) }
            }
            for i in 0..<block.rows {
                let d = day[i]
                if d > end { break }
                if !history, d < start { continue }
                let c = Int(customer[i])
                if let member, c < 0 || !member[c] { continue }
                let s = slot(ofDay: d), ch = channel[i]
                let k = combo(customer: c, channel: ch)
                let cell = s * combos + k
                cells.lines[cell] += 1
                if d >= start { cells.inRange[cell] += 1 }
                cells.add(.orders, cell)
                if needsNumbers {
                    cells.add(.gmv, cell, amount[i])
                    cells.add(.revenue, cell, OrderMeasures.revenue(amount: amount[i], discounts: discounts[i]))
                    if !units.isEmpty { cells.add(.units, cell, units[i]) }
                    cells.add(.margin, cell, OrderMeasures.cm2(amount: amount[i], discounts: discounts[i], costs: costs[i], commission: commission[i]))
                    cells.add(.commission, cell, commission[i])
                    cells.add(.discounts, cell, discounts[i])
                    if ch >= 0, isMall[Int(ch)] { cells.add(.mallGMV, cell, amount[i]) }
                }
                guard c >= 0 else { continue }
                let state = c * channelWidth + (channelDims.isEmpty ? 0 : Int(ch) + 1)
                if wantsCustomers, seenSlot[state] != Int32(s) {
                    cells.add(.customers, cell)
                    if Int(firstDay[c]) < slotStart[s] { cells.add(.returningCustomers, cell) }
                    if seenSlot[state] == Int32(s - 1) { cells.add(.retained, cell) }
                    seenSlot[state] = Int32(s)
                }
                if first[i] == 1 {
                    cells.add(.newCustomers, cell)
                    let f = firstDay[c], second = secondDay[c]
                    if f + f2 <= asOf {
                        cells.add(.f2New, cell)
                        if second != .max, second - f <= f2 { cells.add(.f2Converted, cell) }
                    }
                    addEvent(.everCustomers, day: f, combo: k, 1)
                    if second != .max { addEvent(.repeatCustomers, day: second, combo: k, 1) }
                }
                if wantsActive {
                    let last = lastActive[state]
                    if last == .min || d - last >= window {
                        if last != .min { addEvent(.activeMembers, day: last + window, combo: k, -1) }
                        addEvent(.activeMembers, day: d, combo: k, 1)
                    }
                    lastActive[state] = d
                }
            }
        }
        if wantsActive {
            for state in 0..<stateCount where lastActive[state] != .min {
                let c = state / channelWidth
                addEvent(.activeMembers, day: lastActive[state] + window, combo: combo(customer: c, channel: Int32(state % channelWidth) - 1), -1)
            }
        }
        return cells
    }

    /// Rows of `temp.ecsh_kpi_measures` for the shown periods and every combination seen.
    func write(_ cells: SnapshotCells, segment: String, insert: Statement) throws {
        let combos = comboCount
        var seen = [Bool](repeating: false, count: combos)
        for (cell, n) in cells.lines.enumerated() where n > 0 { seen[cell % combos] = true }
        // Stocks (repeat, active) are sums of events up to each period.
        var stocks = cells.events.map { _ in [Int64](repeating: 0, count: combos) }
        let integerUnits = snapshot.integerUnits
        for s in 0..<slotCount {
            for k in 0..<combos {
                for e in stocks.indices { stocks[e][k] += Int64(cells.events[e][s * combos + k]) }
            }
            guard shownSlots.contains(s) else { continue }
            for k in 0..<combos where seen[k] {
                let cell = s * combos + k
                var values: [Value] = [.text(segment), .integer(Int64(slotNumber[s]))]
                var rest = k
                for i in plan.dims.indices.reversed() {
                    values.insert(dimValues[i][rest / radix[i]], at: 2)
                    rest %= radix[i]
                }
                values += [.integer(Int64(cells.lines[cell])), .integer(Int64(cells.inRange[cell]))]
                for measure in KPIEngine.snapshotMeasures {
                    switch measure {
                    case .units where integerUnits: values.append(.integer(Int64(cells[.units, cell])))
                    case .previous_active:
                        values.append(.integer(s > 0 ? Int64(cells[.customers, cell - combos]) : 0))
                    default:
                        if let e = SnapshotCells.Event(measure) { values.append(.integer(stocks[e.rawValue][k])) }
                        else if let x = SnapshotCells.Sum(measure) { values.append(.real(cells[x, cell])) }
                        else if let x = SnapshotCells.Count(measure) { values.append(.integer(Int64(cells[x, cell]))) }
                        else { values.append(.null) }
                    }
                }
                insert.reset()
                try insert.bind(values)
                try insert.step()
            }
        }
    }
}
