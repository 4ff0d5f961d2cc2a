import Foundation
import CSQLite
import ECStore

/// Builds the customer facts and the order snapshot by streaming `orders`, in bounded memory.
///
/// SQL would sort every order by customer for the window that finds first and
/// second orders, then build a covering index (85 s on 10M orders). Here the
/// orders are read in table order; customers are numbered through a hash map
/// in the order they first appear, and their facts accumulate in arrays. Memory
/// stays bounded on large tables:
/// - Nothing is kept per order but a customer key and a flag (5 bytes a row):
///   when the counted orders come in day order (an export sorted by date, the
///   usual case), the snapshot's blocks are written during the first read.
///   Up to `ordersInMemory` orders their snapshot values are held and sorted by
///   day; past that they also go to a temporary file (`OrderSpill`, 56 bytes an
///   order), read back once per range of days that fits in memory when they
///   turn out not to be in day order; those ranges are sorted and cut into blocks on
///   a second thread while this one writes them (`writeBlocksBeside`).
/// - Past `ordersPerPass` orders, customers are split by a hash of their id into
///   shares of half that many orders, whose facts are built one after the other:
///   the per-customer arrays and the hash map hold two shares at a time, one
///   written while the next is collected on a second thread (`LaterShares`). The
///   first read of `orders` builds share 0 and writes each later share's orders to
///   a temporary file of its own (`ShareSpill`), which that share's pass reads
///   instead of `orders`.
/// With one pass the customers are numbered as before (first appearance in
/// table order); the numbering is internal, the facts and every figure are the same.
extension CustomerFacts {
    /// Orders up to which the customers are built in one share; past it, in shares of half as many
    /// orders, two held at once (`sharesOfCustomers`). A share of 2M orders, about 1M customers in
    /// the sample shop's shape, holds ~130 MB.
    public static let defaultOrdersPerPass = 2_000_000

    /// Shares the customers of `orders` orders are split into: one up to `ordersPerPass`, else shares of
    /// half that, since two are held at once (one written while the next is collected, `LaterShares`).
    static func sharesOfCustomers(orders: Int, ordersPerPass: Int) -> Int {
        guard orders > ordersPerPass else { return 1 }
        let share = ordersPerShare(ordersPerPass: ordersPerPass)
        return (orders + share - 1) / share
    }

    /// Orders per share once the customers are split (half of `ordersPerPass`).
    static func ordersPerShare(ordersPerPass: Int) -> Int { max(1, ordersPerPass / 2) }

    /// Per-customer state of one pass: the customers of one share, numbered from 0
    /// (their `customer_key` is the pass's offset plus this number).
    struct Collected {
        /// The share's customer ids, numbered in the order they first appear.
        var customers = TextNumbering()
        var firstDay: [Int32] = []
        var secondDay: [Int32] = []
        var lastDay: [Int32] = []
        var firstChannel: [Int32] = []
        var firstRowid: [Int64] = []
        var firstOrderID: [String?] = []
        var orders: [Int32] = []
        var revenue: [Double] = []
        var margin: [Double] = []
        var channelMask: [UInt64] = []
        /// (customer << 32 | channel) for channel numbers ≥ 64.
        var moreChannels: Set<Int64> = []

        mutating func reserve(_ n: Int) {
            firstDay.reserveCapacity(n); secondDay.reserveCapacity(n); lastDay.reserveCapacity(n)
            firstChannel.reserveCapacity(n); firstRowid.reserveCapacity(n); firstOrderID.reserveCapacity(n); orders.reserveCapacity(n)
            revenue.reserveCapacity(n); margin.reserveCapacity(n); channelMask.reserveCapacity(n)
        }
    }

    /// What the whole build keeps across passes.
    struct BuildState {
        var channelNames: [String] = []
        var channelCode = TextNumbering()
        /// Counted orders left out: no day, or after as_of.
        var withoutDay = 0, afterAsOf = 0
        /// NULLs per cost field (discount, points, cogs, shipping, commission) among the snapshot's orders.
        var costNulls = [Int](repeating: 0, count: 5)
        /// The snapshot's orders whose amount is NULL or not stored as a number: its `amount` column
        /// holds what SQL's amount is for the others (`AmountVerdicts`).
        var amountsNotNumbers = 0
        /// Orders in the snapshot.
        var rows = 0
        /// Per customer, every pass, in key order: the snapshot's customer columns.
        var firstDay: [Int32] = [], secondDay: [Int32] = [], firstChannel: [Int32] = []
        /// Per row of `orders` (index rowid − lowRowid): the customer key (−1: none) and
        /// `inSnapshot | isFirst << 1`.
        var keyOfRow: [Int32] = []
        var flags: [UInt8] = []
        var lowRowid: Int64 = 0
        /// min/max day over all orders, max day over counted orders.
        var minDay: Int64?, maxDay: Int64?, maxCountedDay: Int64?
        /// The base's rows of every share, as pages, until `copyFacts` (`createFactsTables`).
        var factsPages: TablePages?

        /// Copies the facts' rows the pages hold into the base, once every share is written.
        mutating func copyFacts() throws {
            guard let pages = factsPages else { return }
            factsPages = nil
            LoadTrace.mark("facts: customers written as pages (\(pages.rows) rows)")
            try pages.copy()
            LoadTrace.mark("facts: customers' pages copied")
        }
    }

    /// Builds facts and snapshot (inside the caller's transaction, after `OrderSnapshot.invalidate`).
    /// Returns nothing; throws `MetricsError` when orders have no dates.
    static func build(_ db: Database, settings: MetricSettings, integerUnits: Bool, ordersPerPass: Int,
                      ordersInMemory: Int = defaultOrdersInMemory) throws {
        let counted = settings.countedCondition()
        let span = try OrderSnapshot.rowidSpan(db)
        var st = BuildState()
        st.lowRowid = span[0].intValue ?? 1
        let rowSpan = Int((span[1].intValue ?? 0) - st.lowRowid + 1)
        st.keyOfRow = [Int32](repeating: -1, count: max(0, rowSpan))
        st.flags = [UInt8](repeating: 0, count: max(0, rowSpan))
        let passes = sharesOfCustomers(orders: rowSpan, ordersPerPass: ordersPerPass)
        let expected = try db.tableExists("ecsh_datasets")
            ? Int(try db.scalar("SELECT max(rows) FROM ecsh_datasets WHERE name IN ('orders', 'customers')").intValue ?? 0) : 0
        if passes > 1 {
            for a in [\BuildState.firstDay, \.secondDay, \.firstChannel] { st[keyPath: a].reserveCapacity(expected * 5 / 8) }
        }
        // as_of from the settings, else the last counted day (known after the first read: no order is after it).
        let fixedAsOf: Int64? = settings.asOf.flatMap(DayNumber.parseRange).map { Int64($0.lowerBound) }
        var asOf = fixedAsOf ?? 0
        // After these 14 columns, the others with few values as the load's own build keeps them (`OrderCodes`).
        let codes = try OrderCodes.Collector.reading(db, after: 14)
        let read = try db.prepare("""
            SELECT rowid, customer_id, day, order_id, channel, amount, discount, points, cogs, shipping, commission, quantity, ordered_at,
              \(counted.sql)\(codes.map { ", " + $0.select } ?? "") FROM orders
            """)
        try read.bind(counted.bindings)
        let ties = try TieBreak(db)
        let writer = try SnapshotWriter(db)
        var blocks = SnapshotBlocks()
        // Up to `ordersInMemory` orders the snapshot's columns are kept from the first read and sorted
        // by day at the end; past that, in day order they go straight into blocks, out of order
        // they are read again one range of days at a time (`writeSortedChunks`).
        let inMemory = rowSpan <= ordersInMemory
        var held = HeldOrders()
        if inMemory { held.reserve(rowSpan) }
        // Past that, the snapshot's orders also go to a temporary file, read back per range of days
        // if they turn out not to be in day order (rather than reading `orders` again per range).
        let spill: OrderSpill? = inMemory ? nil : try OrderSpill()
        var perDay = DayHistogram()
        var inDayOrder = true
        var lastSeenDay = Int64.min

        // Past one share, the first read writes each later share's orders to its own file, which that
        // share's pass reads instead of scanning `orders` again (`ShareSpill`).
        let shareSpills: [ShareSpill?] = passes > 1 ? try (0..<passes).map { $0 == 0 ? nil : try ShareSpill() } : []

        // Growing a hash map of millions of text keys rehashes them all each time, and holds the
        // old and the new table at once: reserve for a customer per 1.6 orders (the sample shop has 1.8).
        // The same for the per-customer arrays (a doubling array briefly holds both copies).
        let share = expected * 5 / 8 / passes
        var c = Collected()
        c.customers.reserve(share)
        if passes > 1 { c.reserve(share) }
        read.reset()
        while try read.step() {
            let r = Int(read.int64(at: 0) - st.lowRowid)
            codes?.collector.add(OrderCodes.StatementRow(read), at: r)
            let isCounted = !read.isNull(at: 13) && read.int64(at: 13) != 0
            // Each number once (a NULL reads as 0, as SQLite's column_double gives it).
            guard let values = st.admit(row: r, counted: isCounted, day: read.isNull(at: 2) ? nil : read.int64(at: 2),
                                        channel: read.isNull(at: 4) ? nil : read.bytes(at: 4), fixedAsOf: fixedAsOf, numbers: {
                var n = OrderNumbers(amount: read.double(at: 5), discount: read.double(at: 6), points: read.double(at: 7),
                                     cogs: read.double(at: 8), shipping: read.double(at: 9), commission: read.double(at: 10),
                                     units: read.double(at: 11))
                for f in 0..<5 where read.isNull(at: 6 + f) { n.nulls |= 1 << f }
                let amount = read.storageClass(at: 5)
                if amount != SQLITE_INTEGER && amount != SQLITE_FLOAT { n.nulls |= OrderNumbers.amountNotANumber }
                return n
            }) else { continue }
            let wide = read.int64(at: 2)
            if inDayOrder && wide < lastSeenDay {
                // Not in day order: the blocks are written after the passes, those written so far dropped
                // (they would be written again under the same names).
                inDayOrder = false
                if !inMemory {
                    blocks = SnapshotBlocks()
                    try writer.removeAll()
                }
            }
            lastSeenDay = wide
            if !inMemory { perDay.add(values.day) }
            if inMemory {
                held.add(row: Int32(r), values)
            } else {
                try spill?.append(row: Int32(r), values)
                if inDayOrder {
                    blocks.add(values, row: Int32(r))
                    if blocks.isFull { try blocks.flush(writer) }
                }
            }
            guard !read.isNull(at: 1) else { continue }
            let idBytes = read.bytes(at: 1)
            let orderID: UnsafeRawBufferPointer? = read.isNull(at: 3) ? nil : read.bytes(at: 3)
            let order = ShareOrder(row: Int32(r), values)
            if passes > 1 {
                // A later share's order goes to that share's file, read by its pass.
                let owner = Self.share(of: idBytes, shares: passes)
                guard owner == 0 else {
                    try shareSpills[owner]?.append(order, id: idBytes, orderID: orderID)
                    continue
                }
            }
            try c.add(order, id: idBytes, orderID: orderID, offset: 0, st: &st) { _, incumbent in
                try ties.precedes((read.isNull(at: 12) ? nil : Array(read.bytes(at: 12)), orderID.map { Array($0) }), incumbent)
            }
        }
        read.reset()
        asOf = try st.asOf(fixed: fixedAsOf)
        if !inMemory && inDayOrder && blocks.count > 0 { try blocks.flush(writer) }
        st.factsPages = try createFactsTables(db, try extraColumns(db))
        // Every later share from its file, collected beside the write of the one before (`writeShares`).
        let customers = try writeShares(db, first: &c, files: consume shareSpills, reserving: share, st: &st, ties: ties, asOf: asOf)
        LoadTrace.mark("facts: \(passes) shares of customers written")
        try writeCustomerColumns(writer, st: &st)
        if inMemory {
            blocks.withCustomers = true
            try held.write(into: &blocks, writer, keyOfRow: st.keyOfRow, flags: st.flags)
        } else if inDayOrder {
            // Table order is day order: the customer and first-order columns of the blocks written above.
            var b = 0
            var customer: [Int32] = [], first: [UInt8] = []
            customer.reserveCapacity(OrderSnapshot.blockSize)
            first.reserveCapacity(OrderSnapshot.blockSize)
            func flush() throws {
                try writer.put(.customer, block: b, customer)
                try writer.put(.first, block: b, first)
                customer.removeAll(keepingCapacity: true)
                first.removeAll(keepingCapacity: true)
                b += 1
            }
            for r in st.flags.indices where st.flags[r] & 1 != 0 {
                customer.append(st.keyOfRow[r])
                first.append(st.flags[r] >> 1)
                if customer.count == OrderSnapshot.blockSize { try flush() }
            }
            if !customer.isEmpty { try flush() }
        } else {
            guard let spill else { throw MetricsError("internal: the snapshot's orders were not kept for sorting") }
            // Sorted and cut on a thread of their own while this one writes them.
            let orders = HandedOver(value: spill), keyOfRow = st.keyOfRow, flags = st.flags, perDay = perDay, limit = ordersInMemory
            blocks = try writeBlocksBeside(writer) { queue in
                var blocks = SnapshotBlocks()
                blocks.withCustomers = true
                try writeSortedChunks(orders.value, perDay: perDay, limit: limit, keyOfRow: keyOfRow, flags: flags, into: &blocks, queue)
                return blocks
            }
        }
        try codes?.collector.write(to: writer)
        try finishSnapshot(writer, st: st, blocks: &blocks, customers: customers, asOf: asOf, settings: settings,
                           integerUnits: integerUnits, counted: counted)
    }

    /// Flags one pass's customers' first orders among the rows (`BuildState.flags`), for the snapshot.
    static func markFirstOrders(_ c: Collected, st: inout BuildState) {
        for k in 0..<c.customers.count { st.flags[Int(c.firstRowid[k] - st.lowRowid)] |= 2 }
    }

    /// The share (of `shares`) the customer with id `bytes` belongs to: the one split of customers
    /// into shares, by the reads that spill later shares' orders and by `CustomerShare`.
    @inline(__always) static func share(of bytes: UnsafeRawBufferPointer, shares: Int) -> Int {
        Int(hash(bytes) % UInt64(shares))
    }

    /// Share `index` of `of` shares of customers (`share(of:shares:)`).
    struct CustomerShare {
        var index: Int
        var of: Int

        /// Whether the customer with id `bytes` is in this share.
        @inline(__always) func holds(_ bytes: UnsafeRawBufferPointer) -> Bool { CustomerFacts.share(of: bytes, shares: of) == index }
    }

    /// One pass's customers into the facts table (created before the first), their snapshot columns
    /// kept for `writeCustomerColumns` (their first orders flagged before: `markFirstOrders`).
    /// `share`: which of how many shares `c` is (customers split by `hash(id) % of`), nil for all customers.
    static func writeShare(_ db: Database, _ c: Collected, st: inout BuildState, asOf: Int64, offset: Int,
                           share: CustomerShare? = nil) throws {
        try writeFacts(db, c, try collectExtras(db, c, share: share), asOf: Int(asOf), offset: offset, channels: st.channelCode,
                       pages: st.factsPages)
        st.firstDay += c.firstDay
        st.secondDay += c.secondDay
        st.firstChannel += c.firstChannel
    }

    /// The snapshot's customer columns once every customer is written (then let go).
    static func writeCustomerColumns(_ writer: SnapshotWriter, st: inout BuildState) throws {
        try writer.put("customer.first_day", st.firstDay)
        try writer.put("customer.second_day", st.secondDay)
        try writer.put("customer.first_channel", st.firstChannel)
        st.firstDay = []; st.secondDay = []; st.firstChannel = []
    }

    /// The snapshot after its order blocks: the last block, the blocks' days, the channels and the meta.
    static func finishSnapshot(_ writer: SnapshotWriter, st: BuildState, blocks: inout SnapshotBlocks, customers: Int,
                               asOf: Int64, settings: MetricSettings, integerUnits: Bool, counted: SQLFragment) throws {
        if blocks.count > 0 { try blocks.flush(writer) }
        // The rowids of `orders` as the blocks' rows count them (`OrderSnapshot.rowBase`).
        let rowids = try OrderSnapshot.rowidSpan(writer.db).map { $0.intValue.map(String.init) ?? "" }
        try writer.put("blocks", blocks.writtenDays)
        try writer.put("channels", text: st.channelNames.joined(separator: "\u{1F}"))
        try writer.put("meta", text: """
            rows=\(st.rows)
            low_rowid=\(st.lowRowid)
            orders_rowids=\(rowids.joined(separator: ","))
            customers=\(customers)
            as_of=\(asOf)
            counted=\(settings.countedDescription)
            integer_units=\(integerUnits ? 1 : 0)
            orders_first_day=\(st.minDay.map { String($0) } ?? "")
            orders_last_day=\(st.maxDay.map { String($0) } ?? "")
            counted_sql=\(countedKey(counted))
            without_day=\(st.withoutDay)
            after_as_of=\(st.afterAsOf)
            cost_nulls=\(st.costNulls.map(String.init).joined(separator: ","))
            amounts_not_numbers=\(st.amountsNotNumbers)
            """)
    }

    /// Orders held in memory before the snapshot past this many (about 52 bytes each).
    public static let defaultOrdersInMemory = 2_500_000

    /// In day order: the spilled orders (table order) into the blocks as they come, with each order's
    /// customer key and first flag.
    static func writeInDayOrder<W: SnapshotSink>(_ spill: OrderSpill, keyOfRow: [Int32], flags: [UInt8], into blocks: inout SnapshotBlocks,
                                                 _ writer: W) throws {
        try keyOfRow.withUnsafeBufferPointer { keyOfRow in
            try flags.withUnsafeBufferPointer { flags in
                try spill.forEach { o in
                    let r = Int(o.row)
                    blocks.add(o.values, row: o.row, customer: keyOfRow[r], first: flags[r] >> 1)
                    if blocks.isFull { try blocks.flush(writer) }
                }
            }
        }
    }

    /// Out of day order and too many to hold: reads the spilled orders (table order) once per range
    /// of days holding at most `limit` of them (by `perDay`, counted in the first read), sorts each
    /// range by day (stable: table order within a day, as SQL's ORDER BY day, rowid) and appends
    /// it to the blocks.
    static func writeSortedChunks<W: SnapshotSink>(_ spill: OrderSpill, perDay: DayHistogram, limit: Int, keyOfRow: [Int32], flags: [UInt8],
                                                   into blocks: inout SnapshotBlocks, _ writer: W) throws {
        var from = 0
        while from < perDay.counts.count {
            var to = from, n = perDay.counts[from]
            while to + 1 < perDay.counts.count && n + perDay.counts[to + 1] <= limit { to += 1; n += perDay.counts[to] }
            let lo = Int32(perDay.first + from), hi = Int32(perDay.first + to)
            var held = HeldOrders()
            // Sized up front: a doubling array of millions of orders would briefly hold two copies.
            held.reserve(n)
            try spill.forEach { o in
                if o.values.day >= lo && o.values.day <= hi { held.add(row: o.row, o.values) }
            }
            try held.write(into: &blocks, writer, keyOfRow: keyOfRow, flags: flags)
            from = to + 1
        }
    }

    /// FNV-1a over a customer id's bytes: which share (pass) a customer belongs to.
    @inline(__always) static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 { TextNumbering.hash(bytes) }

    /// A counted-order condition as one line, to tell whether a selection is the snapshot's.
    static func countedKey(_ f: SQLFragment) -> String {
        (f.sql + " | " + f.bindings.map(\.description).joined(separator: ", ")).replacingOccurrences(of: "\n", with: " ")
    }

    /// SQLite's ascending order on (ordered_at, order_id) with NULLs first.
    static func precedes(_ a: ([UInt8]?, [UInt8]?), _ b: ([UInt8]?, [UInt8]?)) -> Bool {
        func compare(_ x: [UInt8]?, _ y: [UInt8]?) -> Int {
            switch (x, y) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case let (x?, y?): return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
            }
        }
        let first = compare(a.0, b.0)
        return first != 0 ? first < 0 : compare(a.1, b.1) < 0
    }
}

extension CustomerFacts.Collected {
    /// One counted order of this share into its customer's facts (customers numbered from
    /// `offset` in the order they first appear). A method with its state passed in, not a
    /// local function: a local function capturing the build's variables made Swift check
    /// exclusive access to them at run time on every order (6 % of a 1M build).
    mutating func add(_ o: ShareOrder, id idBytes: UnsafeRawBufferPointer, orderID: UnsafeRawBufferPointer?, offset: Int,
                      st: inout CustomerFacts.BuildState, precedesFirst: (_ customer: Int, _ incumbent: Int64) throws -> Bool) throws {
        let day = o.day, chan = o.channel, row = Int(o.row)
        let rowid = st.lowRowid + Int64(row)
        let (key, isNew) = customers.add(idBytes)
        let k = Int(key)
        if isNew {
            firstDay.append(.max); secondDay.append(.max); lastDay.append(.min); firstChannel.append(-1)
            firstRowid.append(0); firstOrderID.append(nil)
            orders.append(0); revenue.append(0); margin.append(0); channelMask.append(0)
        }
        st.keyOfRow[row] = Int32(offset + k)
        orders[k] += 1
        revenue[k] += o.revenue
        margin[k] += o.margin
        if chan >= 64 { moreChannels.insert(Int64(k) << 32 | Int64(chan)) } else if chan >= 0 { channelMask[k] |= 1 << UInt64(chan) }
        if day > lastDay[k] { lastDay[k] = day }
        // Same first day: the earlier (ordered_at, order_id) wins (`TieBreak`). Either way both days are that day.
        var becomesFirst = day < firstDay[k]
        if day == firstDay[k] { becomesFirst = try precedesFirst(k, firstRowid[k]) }
        if becomesFirst {
            secondDay[k] = firstDay[k]
            firstDay[k] = day
            firstChannel[k] = chan
            firstRowid[k] = rowid
            firstOrderID[k] = orderID.map { String(decoding: $0, as: UTF8.self) }
        } else if day < secondDay[k] {
            secondDay[k] = day
        }
    }
}
