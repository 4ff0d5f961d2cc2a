import ECStore

/// An order's numbers as SQLite reads them as REAL (NULL as 0), with which cost fields were NULL.
struct OrderNumbers {
    var amount = 0.0, discount = 0.0, points = 0.0, cogs = 0.0, shipping = 0.0, commission = 0.0, units = 0.0
    /// Bit f set when cost field f (discount, points, cogs, shipping, commission) is NULL;
    /// `amountNotANumber` when amount is NULL or not stored as a number.
    var nulls: UInt8 = 0
    static let amountNotANumber: UInt8 = 1 << 5
}

extension CustomerFacts.BuildState {
    /// One row of `orders` into the build's totals (day range, channels, NULL costs) and its row's
    /// flag; returns its snapshot values, or nil when it stays out of the snapshot (not counted,
    /// without a day, after `fixedAsOf`). `numbers` is read only for an order that stays in.
    /// Shared by the build that reads `orders` and the one that sees the load's rows (`LoadPass`).
    mutating func admit(row r: Int, counted: Bool, day: Int64?, channel: UnsafeRawBufferPointer?, fixedAsOf: Int64?,
                        numbers: () -> OrderNumbers) -> OrderValues? {
        if let wide = day {
            minDay = min(minDay ?? wide, wide)
            maxDay = max(maxDay ?? wide, wide)
            if counted { maxCountedDay = max(maxCountedDay ?? wide, wide) }
        }
        guard counted else { return nil }
        guard let wide = day else { withoutDay += 1; return nil }
        if let fixedAsOf, wide > fixedAsOf { afterAsOf += 1; return nil }
        var chan: Int32 = -1
        if let name = channel {
            let (code, isNew) = channelCode.add(name)
            chan = code
            if isNew { channelNames.append(String(decoding: name, as: UTF8.self)) }
        }
        rows += 1
        flags[r] = 1
        let n = numbers()
        for f in 0..<5 where n.nulls & (1 << f) != 0 { costNulls[f] += 1 }
        if n.nulls & OrderNumbers.amountNotANumber != 0 { amountsNotNumbers += 1 }
        return OrderValues(day: Int32(truncatingIfNeeded: wide), channel: chan, amount: n.amount,
                           discounts: OrderMeasures.discounts(discount: n.discount, points: n.points), commission: n.commission,
                           costs: OrderMeasures.costs(cogs: n.cogs, shipping: n.shipping), units: n.units)
    }

    /// as_of: the settings' day, else the last counted day (else the last day of any order).
    func asOf(fixed: Int64?) throws -> Int64 {
        if let fixed { return fixed }
        guard let last = maxCountedDay ?? maxDay else { throw MetricsError("orders has no dates yet: load orders from 'file.csv'") }
        return last
    }
}

extension ShareOrder {
    /// A counted order of a customer, with its revenue and margin.
    init(row: Int32, _ v: OrderValues) {
        self.init(row: row, day: v.day, channel: v.channel, idLength: 0, orderIDLength: 0,
                  revenue: OrderMeasures.revenue(amount: v.amount, discounts: v.discounts),
                  margin: OrderMeasures.cm2(amount: v.amount, discounts: v.discounts, costs: v.costs, commission: v.commission))
    }
}

/// Breaks ties on a customer's first day like SQL's ORDER BY day, ordered_at, order_id (NULL first):
/// the incumbent first order's (ordered_at, order_id) is looked up by rowid.
struct TieBreak {
    let lookup: Statement

    init(_ db: Database) throws {
        lookup = try db.prepare("SELECT ordered_at, order_id FROM orders WHERE rowid = ?")
    }

    /// A row's (ordered_at, order_id).
    func key(of rowid: Int64) throws -> ([UInt8]?, [UInt8]?) {
        // Reset after use too: a statement left stepping keeps a read open on `orders`.
        lookup.reset()
        defer { lookup.reset() }
        try lookup.bind([.integer(rowid)])
        guard try lookup.step() else { return (nil, nil) }
        return (lookup.isNull(at: 0) ? nil : Array(lookup.bytes(at: 0)), lookup.isNull(at: 1) ? nil : Array(lookup.bytes(at: 1)))
    }

    /// Whether an order with key `mine` comes before the order at rowid `incumbent`.
    func precedes(_ mine: ([UInt8]?, [UInt8]?), _ incumbent: Int64) throws -> Bool {
        CustomerFacts.precedes(mine, try key(of: incumbent))
    }
}
