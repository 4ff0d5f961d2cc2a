/// What the snapshot pass (`SnapshotPass.scan`) counts each order into: a `Tally` of cells and
/// per-customer state, or `NoTally` when no total row is counted beside the pass's own rows.
extension SnapshotPass {
    /// What `scan` counts each order into.
    protocol OrderTally {
        var history: Bool { get }
        var needsNumbers: Bool { get }
        var wantsUnits: Bool { get }
        var wantsDetail: Bool { get }
        func prefetch(customer c: Int, channel ch: Int32, isFirst: Bool)
        func add(day d: Int32, customer c: Int, channel ch: Int32, key: Int32, isFirst: Bool, row i: Int, _ n: BlockNumbers)
    }

    /// No second tally beside the first (`scan`).
    struct NoTally: OrderTally {
        var history: Bool { false }
        var needsNumbers: Bool { false }
        var wantsUnits: Bool { false }
        var wantsDetail: Bool { false }
        @inline(__always) func prefetch(customer c: Int, channel ch: Int32, isFirst: Bool) {}
        @inline(__always) func add(day d: Int32, customer c: Int, channel ch: Int32, key: Int32, isFirst: Bool, row i: Int, _ n: BlockNumbers) {}
    }

    /// One pass's counting state while the blocks are read: its cells, and per customer (and
    /// channel, when split by channel) the last period seen and the last active day.
    ///
    /// The last period seen is kept as its slot + 1 (0: none yet) in the narrowest store that
    /// holds every slot (`SeenSlots`; `SnapshotPass` declines more than `maxSlots`): the store is
    /// read at random, once per order, and at 5M customers a byte each (5 MB) stays in cache where
    /// four (20 MB) did not; a bit each when there is one period.
    struct Tally<Seen: SeenSlots>: OrderTally {
        let pass: SnapshotPass
        let cells: SnapshotCells
        let customers: CustomerDays
        let isMall: [Bool]
        let combos: Int
        /// Order keys (key + 1) this tally keeps per-customer state for: `keys.lowerBound` + 0 ..<
        /// `channelWidth` (the whole `orderWidth` unless the pass counts a share of the keys at a time,
        /// `SnapshotPass.keyShares`); the scan gives it no order outside them.
        let keyLow: Int, channelWidth: Int
        let wantsCustomers: Bool, wantsReturning: Bool, wantsActive: Bool, wantsUnits: Bool, needsNumbers: Bool, history: Bool
        /// Whether a customer's first order counts toward something asked (new, F2, ever and repeat customers):
        /// each reads the customer's first and second days at random, a likely cache miss at millions of customers.
        let wantsFirsts: Bool
        /// Whether GMV through marketplaces is asked for (`mall_gmv`).
        let wantsMall: Bool
        /// No dimensions (one combination); every dimension the order's (`SnapshotPass.keyIsCombo`).
        let noDims: Bool, keyIsCombo: Bool
        /// Whether more than the amount is summed (revenue, margin, commission, discounts): else the pass
        /// reads two of the blocks' five number columns, 24 of 45 bytes an order (`BlockNumbers`).
        let wantsDetail: Bool
        let seenSlot: Seen, lastActive: PlainBuffer<Int32>
        let window: Int32, end: Int32, start: Int32, f2: Int32, asOf: Int32

        /// `cells`: the cells to count into (a share of the keys adds to the cells of the shares before it).
        init(_ pass: SnapshotPass, customers: CustomerDays, isMall: [Bool], keys: Range<Int>? = nil, cells: SnapshotCells? = nil) {
            let plan = pass.plan, m = plan.measures
            self.pass = pass
            self.customers = customers
            self.isMall = isMall
            combos = pass.comboCount
            self.cells = cells ?? SnapshotCells(cells: combos * pass.slotCount)
            let keys = keys ?? 0..<pass.orderWidth
            keyLow = keys.lowerBound
            channelWidth = keys.count
            let stateCount = pass.snapshot.customers * channelWidth
            wantsCustomers = SnapshotPass.keepsSeen(m)
            // A customer's first day is read at random for each order only when returning customers are asked for.
            wantsReturning = m.contains(.returning_customers)
            wantsActive = SnapshotPass.keepsActive(m)
            wantsFirsts = !m.isDisjoint(with: SnapshotPass.firstOrderMeasures)
            wantsMall = m.contains(.mall_gmv)
            noDims = pass.customerCodes.isEmpty
            keyIsCombo = pass.keyIsCombo
            wantsUnits = m.contains(.units)
            needsNumbers = !m.isDisjoint(with: [.gmv, .revenue, .margin, .mall_gmv, .units, .commission, .discounts])
            wantsDetail = !m.isDisjoint(with: [.revenue, .margin, .commission, .discounts])
            history = plan.needsHistory
            precondition(pass.slotCount <= Seen.maxSlots, "more periods than the state type holds")
            seenSlot = Seen(states: wantsCustomers ? stateCount : 0)
            lastActive = PlainBuffer(repeating: .min, count: wantsActive ? stateCount : 0)
            window = Int32(plan.windowDays); end = Int32(plan.endDay); start = Int32(plan.startDay)
            f2 = Int32(plan.f2Days); asOf = Int32(plan.asOfDay)
        }

        @inline(__always) func slot(ofDay d: Int32) -> Int { Int(pass.slotOfDay[Int(d) - pass.dayBase]) }

        /// Customer `c`'s state for order key `key` (one of this tally's keys).
        @inline(__always) func state(customer c: Int, key: Int32) -> Int {
            c * channelWidth + (channelWidth == 1 ? 0 : Int(key) + 1 - keyLow)
        }

        /// Starts loading what `add` reads of customer `c` (its state, its first day), as a hint.
        @inline(__always) func prefetch(customer c: Int, channel ch: Int32, isFirst: Bool) {
            guard c >= 0 else { return }
            // The customer's dimension values (`combo`), when it has some.
            if !noDims && !keyIsCombo { prefetchElement(pass.customerPart, c) }
            let state = state(customer: c, key: ch)
            if wantsCustomers {
                seenSlot.prefetch(state)
                if wantsReturning { prefetchElement(customers.first, c) }
            }
            if isFirst, wantsFirsts {
                prefetchElement(customers.first, c)
                prefetchElement(customers.second, c)
            }
            if wantsActive { lastActive.prefetch(state) }
        }

        @inline(__always) func combo(customer c: Int, channel: Int32) -> Int { pass.combo(customer: c, channel: channel) }

        @inline(__always) func addEvent(_ e: SnapshotCells.Event, day: Int32, combo: Int, _ delta: Int32) {
            guard day <= end else { return }
            cells.add(e, slot(ofDay: day) * combos + combo, delta)
        }

        /// One order (row `row` of the block), already inside the read's range and segment.
        /// `ch`: the order's channel (mall GMV); `key`: its order key (`SnapshotPass.orderDims`).
        @inline(__always) func add(day d: Int32, customer c: Int, channel ch: Int32, key: Int32, isFirst: Bool, row i: Int, _ n: BlockNumbers) {
            if !history, d < start { return }
            let s = slot(ofDay: d)
            let k = noDims ? 0 : keyIsCombo ? Int(key) + 1 : combo(customer: c, channel: key)
            let cell = s * combos + k
            cells.addLine(cell, inRange: d >= start)
            cells.add(.orders, cell)
            if needsNumbers {
                let amount = n.amount[i]
                cells.add(.gmv, cell, amount)
                if wantsDetail {
                    let discounts = n.discounts[i], commission = n.commission[i]
                    cells.add(.revenue, cell, OrderMeasures.revenue(amount: amount, discounts: discounts))
                    cells.add(.margin, cell, OrderMeasures.cm2(amount: amount, discounts: discounts, costs: n.costs[i], commission: commission))
                    cells.add(.commission, cell, commission)
                    cells.add(.discounts, cell, discounts)
                }
                if wantsUnits { cells.add(.units, cell, n.units[i]) }
                if wantsMall, ch >= 0, isMall[Int(ch)] { cells.add(.mallGMV, cell, amount) }
            }
            guard c >= 0 else { return }
            let state = state(customer: c, key: key)
            let seen = wantsCustomers ? seenSlot.seen(state) : 0
            if wantsCustomers, seen != s + 1 {
                cells.add(.customers, cell)
                if wantsReturning, Int(customers.first[c]) < pass.slotStart[s] { cells.add(.returningCustomers, cell) }
                // Seen in the period before (slot s − 1, kept as s).
                if s > 0, seen == s { cells.add(.retained, cell) }
                seenSlot.mark(state, slot: s)
            }
            if isFirst, wantsFirsts {
                cells.add(.newCustomers, cell)
                let f = customers.first[c], second = customers.second[c]
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

        /// The cells once every order is counted: active stretches still open end `window` days after their last order.
        func finish() -> SnapshotCells {
            if wantsActive {
                for state in 0..<lastActive.count where lastActive[state] != .min {
                    let c = state / channelWidth
                    let key = Int32(keyLow + (channelWidth == 1 ? 0 : state % channelWidth)) - 1
                    addEvent(.activeMembers, day: lastActive[state] + window, combo: combo(customer: c, channel: key), -1)
                }
            }
            return cells
        }
    }
}
