import ECStore

/// A tie on a customer's first day, noted while the customer's orders are collected and broken once
/// the rows can be looked up (`CustomerFacts.Collected.breakTies`): the share's customer number, and
/// the tying order's row index, day and channel.
struct FirstDayTie {
    var customer: Int32
    var row: Int32
    var day: Int32
    var channel: Int32
}

/// The shares of customers after the first, each collected from its file (`ShareSpill`) on a thread of
/// its own while the writing thread puts the share before it into the facts table (issue 15: the facts
/// step of a 10M-order load ran on one core, its shares' collection about 3 of its 13 s).
///
/// The writing thread hands out one share at a time (`collect`) and takes it back (`take`) before the
/// next: the collecting thread owns the rows' customer keys (`BuildState.keyOfRow`) meanwhile, and the
/// share's file. A tie on a first day is only noted there (the lookup reads `orders` through the
/// writing connection) and broken on the writing thread, as the load's own pass breaks them. Two shares
/// are held at once, one written and one collected.
final class LaterShares: @unchecked Sendable {
    private var files: [ShareSpill?]
    private let lowRowid: Int64
    private let reserving: Int
    /// The rows' customer keys, taken from the build's state for as long as shares are collected.
    private var keyOfRow: [Int32]
    private var job: BackgroundJob<Result<Collected, Error>>?

    struct Collected: @unchecked Sendable {
        var c: CustomerFacts.Collected
        var ties: [FirstDayTie]
    }

    /// Takes the rows' customer keys out of `st` until `finish` (nothing else reads them meanwhile).
    init(files: [ShareSpill?], reserving: Int, st: inout CustomerFacts.BuildState) {
        self.files = files
        count = files.count
        self.reserving = reserving
        lowRowid = st.lowRowid
        keyOfRow = st.keyOfRow
        st.keyOfRow = []
    }

    /// Shares, the first included (a constant: the collecting thread changes `files`).
    let count: Int

    /// Starts collecting share `k` (≥ 1), its customers keyed from `offset`.
    func collect(_ k: Int, offset: Int) {
        precondition(job == nil, "a share is collected while another still is")
        job = BackgroundJob(name: "ecsh-facts-share") { [self] in
            Result { try collectShare(k, offset: offset) }
        }
    }

    /// Share `k`'s customers, on the collecting thread.
    private func collectShare(_ k: Int, offset: Int) throws -> Collected {
        guard let file = files[k] else { throw MetricsError("internal: share \(k)'s orders were not kept") }
        defer { files[k] = nil }
        var st = CustomerFacts.BuildState()
        st.lowRowid = lowRowid
        // Moved, not copied: the keys are changed in place and given back below.
        st.keyOfRow = keyOfRow
        keyOfRow = []
        defer {
            keyOfRow = st.keyOfRow
            st.keyOfRow = []
        }
        var share = Collected(c: CustomerFacts.Collected(), ties: [])
        share.c.customers.reserve(reserving)
        share.c.reserve(reserving)
        try file.forEach { o, id, orderID in
            var tie: Int?
            try share.c.add(o, id: id, orderID: orderID, offset: offset, st: &st) { k, _ in
                tie = k
                return false
            }
            if let tie { share.ties.append(FirstDayTie(customer: Int32(tie), row: o.row, day: o.day, channel: o.channel)) }
        }
        return share
    }

    /// The share being collected, once it is (its ties not yet broken).
    func take() throws -> Collected {
        guard let running = job else { throw MetricsError("internal: no share is being collected") }
        job = nil
        return try running.take().get()
    }

    /// Gives the rows' customer keys back to `st` (waits for a share still being collected).
    func finish(into st: inout CustomerFacts.BuildState) {
        if let running = job {
            job = nil
            _ = running.take()
        }
        st.keyOfRow = keyOfRow
        keyOfRow = []
    }
}

extension CustomerFacts {
    /// Writes the first share's customers (`first`, let go of once written), then the later shares' from
    /// their files, each collected on a thread of its own while the one before it is written (`LaterShares`).
    /// Returns the customers of every share.
    static func writeShares(_ db: Database, first: inout Collected, files: [ShareSpill?], reserving: Int, st: inout BuildState,
                            ties: TieBreak, asOf: Int64) throws -> Int {
        let shares = LaterShares(files: files, reserving: reserving, st: &st)
        defer { shares.finish(into: &st) }
        var customers = first.customers.count
        if shares.count > 1 { shares.collect(1, offset: customers) }
        markFirstOrders(first, st: &st)
        // Each share's customers by the hash that split them (no shares: one `files` entry or none).
        let shareOf = { (k: Int) in shares.count > 1 ? CustomerShare(index: k, of: shares.count) : nil }
        try writeShare(db, first, st: &st, asOf: asOf, offset: 0, share: shareOf(0))
        first = Collected()
        for k in 1..<max(1, shares.count) {
            var share = try shares.take()
            if k + 1 < shares.count { shares.collect(k + 1, offset: customers + share.c.customers.count) }
            try share.c.breakTies(share.ties, lowRowid: st.lowRowid, tieBreak: ties)
            share.ties = []
            markFirstOrders(share.c, st: &st)
            try writeShare(db, share.c, st: &st, asOf: asOf, offset: customers, share: shareOf(k))
            customers += share.c.customers.count
        }
        try st.copyFacts()
        return customers
    }
}

extension CustomerFacts.Collected {
    /// Ties on a first day noted while collecting (`FirstDayTie`, in table order), broken now that the
    /// rows can be looked up: the earlier (ordered_at, order_id) wins, the earlier row on equal keys, as a
    /// build that breaks them while reading decides it.
    mutating func breakTies(_ ties: [FirstDayTie], lowRowid: Int64, tieBreak: TieBreak) throws {
        for t in ties where firstDay[Int(t.customer)] == t.day {
            let k = Int(t.customer), rowid = lowRowid + Int64(t.row)
            let mine = try tieBreak.key(of: rowid)
            if try tieBreak.precedes(mine, firstRowid[k]) {
                firstRowid[k] = rowid
                firstChannel[k] = t.channel
                firstOrderID[k] = mine.1.map { String(decoding: $0, as: UTF8.self) }
            }
        }
    }
}
