import ECStore

// The order snapshot's blocks as the facts builds fill them: the orders held in table order, one
// order's values, the blocks being filled, and orders per day for cutting the days into ranges.

/// The snapshot's per-order columns of the block being filled, written block by block.
struct SnapshotBlocks {
    var day: [Int32] = [], channel: [Int32] = [], customer: [Int32] = [], first: [UInt8] = []
    /// Each order's row in `orders`: rowid − the build's lowest rowid (`low_rowid` in the meta).
    var row: [Int32] = []
    var amount: [Double] = [], discounts: [Double] = [], commission: [Double] = [], costs: [Double] = [], units: [Double] = []
    /// Whether `customer` and `first` are filled here (else written after the passes).
    var withCustomers = false
    var written = 0
    /// First and last day of every block written.
    var writtenDays: [Int32] = []

    var count: Int { day.count }
    var isFull: Bool { day.count == OrderSnapshot.blockSize }

    mutating func add(_ v: OrderValues, row r: Int32, customer cu: Int32 = -1, first f: UInt8 = 0) {
        day.append(v.day); row.append(r); channel.append(v.channel); amount.append(v.amount); discounts.append(v.discounts)
        commission.append(v.commission); costs.append(v.costs); units.append(v.units)
        if withCustomers { customer.append(cu); first.append(f) }
    }

    mutating func flush<W: SnapshotSink>(_ w: W) throws {
        let b = written
        try w.put(.day, block: b, day)
        try w.put(.channel, block: b, channel)
        try w.put(.row, block: b, row)
        try w.put(.amount, block: b, amount)
        try w.put(.discounts, block: b, discounts)
        try w.put(.commission, block: b, commission)
        try w.put(.costs, block: b, costs)
        try w.put(.units, block: b, units)
        if withCustomers {
            try w.put(.customer, block: b, customer)
            try w.put(.first, block: b, first)
        }
        writtenDays += [day.first!, day.last!]
        written += 1
        day.removeAll(keepingCapacity: true); row.removeAll(keepingCapacity: true); channel.removeAll(keepingCapacity: true); customer.removeAll(keepingCapacity: true)
        first.removeAll(keepingCapacity: true); amount.removeAll(keepingCapacity: true); discounts.removeAll(keepingCapacity: true)
        commission.removeAll(keepingCapacity: true); costs.removeAll(keepingCapacity: true); units.removeAll(keepingCapacity: true)
    }
}

/// One order's snapshot values.
struct OrderValues {
    var day: Int32
    var channel: Int32
    var amount: Double
    var discounts: Double
    var commission: Double
    var costs: Double
    var units: Double
}

/// Orders held in table order (with their row index), written to the blocks in day order.
struct HeldOrders {
    var rows: [Int32] = []
    var values: [OrderValues] = []

    mutating func reserve(_ n: Int) {
        rows.reserveCapacity(n)
        values.reserveCapacity(n)
    }

    mutating func add(row: Int32, _ v: OrderValues) {
        rows.append(row)
        values.append(v)
    }

    /// A stable counting sort by day, then the blocks with each order's customer key and first flag.
    func write<W: SnapshotSink>(into blocks: inout SnapshotBlocks, _ writer: W, keyOfRow: [Int32], flags: [UInt8]) throws {
        guard let lo = values.lazy.map(\.day).min(), let hi = values.lazy.map(\.day).max() else { return }
        var start = [Int](repeating: 0, count: Int(hi) - Int(lo) + 2)
        for v in values { start[Int(v.day) - Int(lo) + 1] += 1 }
        for i in 1..<start.count { start[i] += start[i - 1] }
        var order = [Int32](repeating: 0, count: values.count)
        for (i, v) in values.enumerated() {
            order[start[Int(v.day) - Int(lo)]] = Int32(i)
            start[Int(v.day) - Int(lo)] += 1
        }
        // Through buffer pointers: subscripting the arrays here was not inlined (3 % of a 1M build).
        try values.withUnsafeBufferPointer { values in
            try rows.withUnsafeBufferPointer { rows in
                try keyOfRow.withUnsafeBufferPointer { keyOfRow in
                    try flags.withUnsafeBufferPointer { flags in
                        for i in order {
                            let r = Int(rows[Int(i)])
                            blocks.add(values[Int(i)], row: Int32(r), customer: keyOfRow[r], first: flags[r] >> 1)
                            if blocks.isFull { try blocks.flush(writer) }
                        }
                    }
                }
            }
        }
    }
}

/// Orders per day, for cutting the days into ranges that fit in memory.
struct DayHistogram {
    var first = 0
    var counts: [Int] = []

    mutating func add(_ day: Int32) {
        let d = Int(day)
        if counts.isEmpty { first = d; counts = [0] }
        if d < first {
            // Grown by at least its size, so days arriving in descending order cost linear time.
            let more = max(first - d, counts.count)
            counts.insert(contentsOf: repeatElement(0, count: more), at: 0)
            first -= more
        } else if d >= first + counts.count {
            counts.append(contentsOf: repeatElement(0, count: d - first - counts.count + 1))
        }
        counts[d - first] += 1
    }
}
