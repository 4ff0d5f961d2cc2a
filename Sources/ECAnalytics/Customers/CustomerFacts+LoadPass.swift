import Foundation
import ECStore

extension CustomerFacts {
    /// Collects the customer facts and the order snapshot from an orders load's rows while they are
    /// parsed (a `LoadRowObserver`, on a thread of the load's pipeline), so that the load writes its derived
    /// data without reading `orders` back (issue 15, "built while loading"): that read was about a
    /// third of the build at 1M orders.
    ///
    /// Up to `limit` orders it holds what a one-pass, in-memory build holds (`build`). A file that by
    /// its size (seen from the first batch) holds more is collected as `build`'s first read takes a
    /// large table (`Spilled`): customers split into shares by a hash of their id, the first share's
    /// facts collected here, every later share's orders and the snapshot's orders written to scratch
    /// files, which the build then reads instead of `orders`. A load that turns out to have more rows
    /// than it was sized for (a pipe, whose size is unknown; a file whose first rows misled the
    /// estimate) stops collecting, lets go of what it held, and the build reads `orders` in bounded
    /// memory as before. So does a value of a type the table would store differently (text in a
    /// number column, say). What it collected is used only when the loader settles the table as
    /// holding exactly the rows seen (`isUsable`); the figures are the same either way (the tests
    /// build both ways and compare).
    public final class LoadPass: LoadRowObserver, @unchecked Sendable {
        let settings: MetricSettings
        let fixedAsOf: Int64?
        /// Orders held at most (`defaultLimit`).
        let limit: Int
        /// Less than `build`'s one pass in memory (2M orders): the pass holds its state while the loader's own
        /// memory (SQLite's cache, the row batches) is held too. A 2M-order load collected here peaked at
        /// 296 MB, against issue 15's 300 MB budget; at 1.5M about 240 MB, and 264 MB at 1.45M since the
        /// snapshot's blocks are cut into memory beside the facts write (`SnapshotBlocksJob`).
        public static let defaultLimit = 1_500_000
        /// Past `limit`, the customers go into shares of half this many orders (`CustomerFacts.sharesOfCustomers`).
        let ordersPerPass: Int
        /// Orders sorted in memory at a time for the snapshot, past `limit` (`defaultOrdersInMemory`).
        let ordersInMemory: Int
        /// Whether a file larger than `limit` is collected into scratch files (else the pass stops).
        let spills: Bool
        /// Rows to a chunk of the columns' codes (`OrderCodes.chunkRows`).
        let codeChunkRows: Int
        /// Rows taken at most once spilling (the shares were sized for a third fewer, the estimate's 1.5×):
        /// past that the shares would outgrow the memory they were planned for.
        private var spillCap = 0
        /// Shares of customers when the load's rows went to scratch files (nil: held in memory, one share).
        private(set) var spilledPasses: Int?
        private var state = Collector()
        private var columns = Columns()
        private var statuses = TextNumbering()
        private var statusCounts: [Bool] = []
        private var seen = 0
        private var reserved = false
        private(set) var collecting = true
        private var intact = false

        /// The number columns `build` reads, in `OrderNumbers`' order (the margin itself is OrderMeasures').
        static let numberColumns = ["amount", "discount", "points",
                                    "cogs", "shipping", "commission", "quantity"]

        struct Columns {
            var rowid = -1, customer = -1, day = -1, orderID = -1, channel = -1, status = -1
            /// amount, discount, points, cogs, shipping, commission, quantity (a tuple, not an array: the
            /// columns are read once per row, and an array would be retained and released each time).
            var numbers = (-1, -1, -1, -1, -1, -1, -1)
        }

        /// What one pass of `build` keeps, and the ties on a customer's first day, settled once the rows are
        /// in the table (`TieBreak` looks them up): customer, row, day, channel of each order that tied.
        struct Collector {
            var c = Collected()
            var st = BuildState()
            var held = HeldOrders()
            var ties: [FirstDayTie] = []
            /// Past `limit`: the later shares and the snapshot's orders, on their way to scratch files (`c`
            /// then holds the first share's customers, `held` nothing).
            var spilled: Spilled?
            /// The columns with few values, a byte per row (`OrderCodes`).
            var codes: OrderCodes.Collector?
        }

        /// As `build`'s first read keeps a table of more than one share: each later share's orders in a
        /// file of its own, the snapshot's orders in another, with what cutting them into days needs.
        struct Spilled {
            let passes: Int
            var shares: [ShareSpill?]
            let orders: OrderSpill
            var perDay = DayHistogram()
            var inDayOrder = true
            var lastSeenDay = Int64.min

            init(passes: Int) throws {
                self.passes = passes
                shares = try (0..<passes).map { $0 == 0 ? nil : try ShareSpill() }
                orders = try OrderSpill()
            }
        }

        public init(settings: MetricSettings, limit: Int = defaultLimit, ordersPerPass: Int = CustomerFacts.defaultOrdersPerPass,
                    ordersInMemory: Int = CustomerFacts.defaultOrdersInMemory, spills: Bool = true, codeChunkRows: Int? = nil) {
            self.codeChunkRows = codeChunkRows ?? OrderCodes.chunkRows
            self.settings = settings
            self.limit = limit
            self.ordersPerPass = ordersPerPass
            self.ordersInMemory = ordersInMemory
            self.spills = spills
            fixedAsOf = settings.asOf.flatMap(DayNumber.parseRange).map { Int64($0.lowerBound) }
        }

        /// Whether the facts can be built from what was collected.
        public var isUsable: Bool { collecting && intact }

        public func begin(columns names: [String]) {
            func at(_ name: String) -> Int { names.firstIndex(of: name) ?? -1 }
            columns = Columns(rowid: at("rowid"), customer: at("customer_id"), day: at("day"), orderID: at("order_id"),
                              channel: at("channel"), status: at("status"),
                              numbers: (at("amount"), at("discount"), at("points"), at("cogs"), at("shipping"), at("commission"),
                                        at("quantity")))
            let all = [columns.rowid, columns.customer, columns.day, columns.orderID, columns.channel, columns.status] + Self.numberColumns.map(at)
            if all.contains(-1) { return stop() }
            state.codes = OrderCodes.Collector(columns: names, skip: [columns.rowid], chunkRows: codeChunkRows)
        }

        public func willAdd(rows: Int, bytes: Int, of total: Int) {
            // From the first batch: a file that by its size holds more orders than can be held is collected
            // into scratch files, in shares of customers sized with half to spare (the first rows may be
            // longer or shorter than the rest; the shares cannot change once orders are in them).
            guard spills, collecting, seen == 0, !reserved, state.spilled == nil, total > 0, bytes > 0, rows > 0 else { return }
            let estimate = Double(rows) * Double(total) / Double(bytes)
            // Near the limit already: a file a little longer than its first rows suggest would outgrow it.
            guard estimate > Double(limit) * 0.95 else { return }
            let passes = max(2, CustomerFacts.sharesOfCustomers(orders: Int(estimate * 1.5), ordersPerPass: ordersPerPass))
            do {
                state.spilled = try Spilled(passes: passes)
            } catch {
                return stop()
            }
            reserved = true
            spilledPasses = passes
            spillCap = passes * CustomerFacts.ordersPerShare(ordersPerPass: ordersPerPass) * 3 / 2
            state.reserve(Int(estimate * 1.05) + 1024, shares: passes)
        }

        public func read(bytes: Int, of total: Int) {
            // A file that by its size holds more orders than can be held is left to the build that reads `orders`.
            guard collecting, state.spilled == nil, total > 0, bytes > 0, seen > 0 else { return }
            let estimate = Double(seen) * Double(total) / Double(bytes)
            if estimate > Double(limit) * 1.1 { return stop() }
            if !reserved {
                // Sized once from the first batch: doubling arrays and a growing hash table of customer
                // ids copy and rehash everything they hold each time.
                reserved = true
                state.reserve(min(limit, Int(estimate * 1.05) + 1024))
            }
        }

        public func settled(intact: Bool) { self.intact = intact }

        /// Stops collecting and lets go of what was held.
        private func stop() {
            collecting = false
            state = Collector()
        }

        /// What was collected (left empty here).
        func take() -> Collector {
            defer { state = Collector() }
            return state
        }

        /// A number cell as a double (NULL: 0, with `bit` set in `nulls`); clears `ok` for any other cell.
        @inline(__always) private static func number(_ row: LoadedRow, _ c: Int, bit: UInt8, _ nulls: inout UInt8, _ ok: inout Bool) -> Double {
            if row.isNull(c) { nulls |= bit; return 0 }
            guard let v = row.number(c) else { ok = false; return 0 }
            return v
        }

        @inline(__always) private static func textOrNull(_ row: LoadedRow, _ c: Int) -> Bool { row.isNull(c) || row.isText(c) }

        public func add(_ row: LoadedRow) {
            guard collecting else { return }
            seen += 1
            guard seen <= (state.spilled == nil ? limit : spillCap), let rowid = row.integer(columns.rowid) else { return stop() }
            if seen == 1 { state.st.lowRowid = rowid }
            // Counted as the table will say: the status as stored (mapped), through the settings' rule.
            var counted = true
            if !row.isNull(columns.status) {
                guard row.isText(columns.status) else { return stop() }
                let word = row.bytes(columns.status)
                let (k, isNew) = statuses.add(word)
                if isNew { statusCounts.append(settings.counts(status: String(decoding: word, as: UTF8.self))) }
                counted = statusCounts[Int(k)]
            }
            var day: Int64?
            if !row.isNull(columns.day) {
                guard let d = row.integer(columns.day) else { return stop() }
                day = d
            }
            // Numbers as SQLite's column_double reads them: NULL as 0; text (a widened column) is not taken.
            var n = OrderNumbers(), ok = true
            let at = columns.numbers
            n.amount = Self.number(row, at.0, bit: OrderNumbers.amountNotANumber, &n.nulls, &ok)
            n.discount = Self.number(row, at.1, bit: 1, &n.nulls, &ok)
            n.points = Self.number(row, at.2, bit: 2, &n.nulls, &ok)
            n.cogs = Self.number(row, at.3, bit: 4, &n.nulls, &ok)
            n.shipping = Self.number(row, at.4, bit: 8, &n.nulls, &ok)
            n.commission = Self.number(row, at.5, bit: 16, &n.nulls, &ok)
            n.units = Self.number(row, at.6, bit: 0, &n.nulls, &ok)
            let texts = Self.textOrNull(row, columns.channel) && Self.textOrNull(row, columns.customer) && Self.textOrNull(row, columns.orderID)
            guard ok && texts else { return stop() }
            guard state.take(row, rowid: rowid, counted: counted, day: day, numbers: n, columns: columns, fixedAsOf: fixedAsOf) else {
                return stop()
            }
            state.codes?.add(row, at: Int(rowid - state.st.lowRowid))
        }
    }
}

extension CustomerFacts.LoadPass.Collector {
    /// Room for about `rows` orders (and a customer per 1.6 of them, as `build` reserves), the customers
    /// of one of `shares` shares; the snapshot's orders are held only with one share (else spilled).
    mutating func reserve(_ rows: Int, shares: Int = 1) {
        if shares == 1 { held.reserve(rows) }
        st.flags.reserveCapacity(rows)
        st.keyOfRow.reserveCapacity(rows)
        c.customers.reserve(rows / shares * 5 / 8)
        c.reserve(rows / shares * 5 / 8)
    }

    /// One row into the build's state, as `build`'s first read takes a row of `orders`; false when
    /// its rowid is out of order.
    mutating func take(_ row: LoadedRow, rowid: Int64, counted: Bool, day: Int64?, numbers: OrderNumbers,
                       columns: CustomerFacts.LoadPass.Columns, fixedAsOf: Int64?) -> Bool {
        let r = Int(rowid - st.lowRowid)
        guard r >= st.flags.count else { return false }
        st.flags.append(contentsOf: repeatElement(0, count: r + 1 - st.flags.count))
        st.keyOfRow.append(contentsOf: repeatElement(-1, count: r + 1 - st.keyOfRow.count))
        let channel = row.isNull(columns.channel) ? nil : row.bytes(columns.channel)
        guard let values = st.admit(row: r, counted: counted, day: day, channel: channel, fixedAsOf: fixedAsOf, numbers: { numbers }) else {
            return true
        }
        let orderID = row.isNull(columns.orderID) ? nil : row.bytes(columns.orderID)
        if spilled != nil {
            // As `build`'s first read keeps a table of more than one share.
            do {
                try spilled!.orders.append(row: Int32(r), values)
                let wide = day ?? 0
                if wide < spilled!.lastSeenDay { spilled!.inDayOrder = false }
                spilled!.lastSeenDay = wide
                spilled!.perDay.add(values.day)
                guard !row.isNull(columns.customer) else { return true }
                let id = row.bytes(columns.customer)
                let owner = CustomerFacts.share(of: id, shares: spilled!.passes)
                if owner != 0 {
                    try spilled!.shares[owner]?.append(ShareOrder(row: Int32(r), values), id: id, orderID: orderID)
                    return true
                }
            } catch {
                return false
            }
        } else {
            held.add(row: Int32(r), values)
        }
        guard !row.isNull(columns.customer) else { return true }
        var tie: Int?
        // The closure only notes the tie: it cannot throw.
        try? c.add(ShareOrder(row: Int32(r), values), id: row.bytes(columns.customer), orderID: orderID, offset: 0, st: &st) { k, _ in
            tie = k
            return false
        }
        if let tie { ties.append(FirstDayTie(customer: Int32(tie), row: Int32(r), day: values.day, channel: values.channel)) }
        return true
    }
}

extension CustomerFacts {
    /// Writes the facts and the snapshot from what `pass` collected during the load (inside its
    /// transaction, after `OrderSnapshot.invalidate`), as `build` writes them after its read.
    static func build(_ db: Database, from pass: LoadPass, settings: MetricSettings, integerUnits: Bool) throws {
        var s = pass.take()
        // A tie on a first day kept the earlier order; now that the rows are in, the earlier (ordered_at,
        // order_id) wins, in table order, as `build` decides it while reading.
        let tieBreak = try TieBreak(db)
        try s.c.breakTies(s.ties, lowRowid: s.st.lowRowid, tieBreak: tieBreak)
        s.ties = []
        let asOf = try s.st.asOf(fixed: pass.fixedAsOf)
        if s.spilled != nil {
            return try buildSpilled(db, &s, tieBreak: tieBreak, asOf: asOf, ordersInMemory: pass.ordersInMemory,
                                    settings: settings, integerUnits: integerUnits)
        }
        // First orders flagged before the facts are written, so that the snapshot's order blocks are sorted
        // and cut on a thread of their own meanwhile (past one share, `writeShares` flags each share's).
        markFirstOrders(s.c, st: &s.st)
        let job = SnapshotBlocksJob(s.held, keyOfRow: s.st.keyOfRow, flags: s.st.flags)
        s.held = HeldOrders()
        s.st.factsPages = try createFactsTables(db, try extraColumns(db))
        try writeShare(db, s.c, st: &s.st, asOf: asOf, offset: 0)
        try s.st.copyFacts()
        LoadTrace.mark("facts: customers written")
        let customers = s.c.customers.count
        s.c = Collected()
        // The snapshot's table made after the facts, not before: its first pages, written to the log and then
        // changed again by every put, would otherwise make the commit rewrite the checksums of the facts'
        // frames (see `Bookkeeping.createRejectsTable`).
        let writer = try SnapshotWriter(db)
        try writeCustomerColumns(writer, st: &s.st)
        var blocks = try job.write(to: writer)
        LoadTrace.mark("facts: snapshot blocks written")
        try s.codes?.write(to: writer)
        try finishSnapshot(writer, st: s.st, blocks: &blocks, customers: customers, asOf: asOf, settings: settings,
                           integerUnits: integerUnits, counted: settings.countedCondition())
    }
}

extension CustomerFacts {
    /// Writes the facts and the snapshot from what a load of more than one share of customers collected
    /// (`LoadPass.Spilled`), as `build` writes them after its first read of a table that large: the
    /// first share's facts (its first orders flagged, its ties broken), then each later share's from its
    /// file, then the snapshot's orders from theirs, in day order. Each part is let go of once written
    /// (`s` is taken apart in place: a copy of its per-row arrays would hold them twice).
    private static func buildSpilled(_ db: Database, _ s: inout LoadPass.Collector, tieBreak: TieBreak, asOf: Int64, ordersInMemory: Int,
                                     settings: MetricSettings, integerUnits: Bool) throws {
        guard var spilled = s.spilled else { return }
        s.spilled = nil
        s.st.factsPages = try createFactsTables(db, try extraColumns(db))
        let files = spilled.shares
        spilled.shares = []
        // Each share sized as the first turned out, with a tenth to spare (a growing hash map rehashes everything).
        let first = s.c.customers.count
        let customers = try writeShares(db, first: &s.c, files: consume files, reserving: first + first / 10, st: &s.st,
                                        ties: tieBreak, asOf: asOf)
        LoadTrace.mark("facts: \(spilled.passes) shares of customers written")
        let writer = try SnapshotWriter(db)
        try writeCustomerColumns(writer, st: &s.st)
        // The orders sorted (if need be) and cut into blocks on a thread of their own while this one writes them.
        let orders = HandedOver(value: spilled.orders), keyOfRow = s.st.keyOfRow, flags = s.st.flags
        let inDayOrder = spilled.inDayOrder, perDay = spilled.perDay
        var blocks = try writeBlocksBeside(writer) { queue in
            var blocks = SnapshotBlocks()
            blocks.withCustomers = true
            if inDayOrder {
                try writeInDayOrder(orders.value, keyOfRow: keyOfRow, flags: flags, into: &blocks, queue)
            } else {
                try writeSortedChunks(orders.value, perDay: perDay, limit: ordersInMemory, keyOfRow: keyOfRow, flags: flags,
                                      into: &blocks, queue)
            }
            return blocks
        }
        try s.codes?.write(to: writer)
        try finishSnapshot(writer, st: s.st, blocks: &blocks, customers: customers, asOf: asOf, settings: settings,
                           integerUnits: integerUnits, counted: settings.countedCondition())
    }
}

/// Sorts a load's held orders by day and cuts them into the snapshot's blocks (`HeldOrders.write`) on a
/// thread of its own, into memory, while the loading thread writes the customer facts: about a tenth of
/// the facts step of a 1M-order load, which SQLite's one writing connection need not wait for. The
/// blocks are then written in the order a build on one thread writes them.
struct SnapshotBlocksJob {
    private let buffer = SnapshotBuffer()
    private let job: BackgroundJob<Result<SnapshotBlocks, Error>>

    init(_ held: HeldOrders, keyOfRow: [Int32], flags: [UInt8]) {
        let buffer = self.buffer
        job = BackgroundJob(name: "ecsh-snapshot-blocks") {
            var blocks = SnapshotBlocks()
            blocks.withCustomers = true
            return Result {
                try held.write(into: &blocks, buffer, keyOfRow: keyOfRow, flags: flags)
                return blocks
            }
        }
    }

    /// Waits for the blocks, writes the full ones to `writer` and returns the blocks' state (the last,
    /// partly filled block still to write, the days of those written).
    func write(to writer: SnapshotWriter) throws -> SnapshotBlocks {
        let blocks = try job.value().get()
        try buffer.write(to: writer)
        return blocks
    }
}
