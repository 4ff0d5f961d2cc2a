import ECStore

/// A snapshot pass's dimensions: an order's key (its channel and the codes of the columns of
/// `orders` it is grouped by), a customer's attribute codes, the combination both make, and the
/// shares of keys a pass counts at a time when the per-customer state would not fit.
extension SnapshotPass {
    /// Values a column of `orders` may take to be grouped by on this route (NULL included; the
    /// codes by row are bytes); more take the SQL route.
    static let maxOrderDimValues = 255
    /// Bytes of per-customer state (customers × order keys, `Tally`) a read of the blocks keeps at
    /// most: past it the order keys are counted a share at a time, one read each (`keyShares`).
    static let defaultStateBytes = 128 << 20

    /// Whether a tally keeps, per customer and order key, the last period seen (customers, returning,
    /// retained) and the last active day (active members).
    static func keepsSeen(_ m: Set<Measure>) -> Bool { !m.isDisjoint(with: [.customers, .returning_customers, .previous_active, .retained]) }
    static func keepsActive(_ m: Set<Measure>) -> Bool { m.contains(.active_members) }

    /// Bytes of `Tally` state per customer and order key: the last period seen in the narrowest
    /// store for the slots (an eighth of a byte for one period), and four for the last active day.
    var bytesPerState: Double {
        let m = plan.measures
        let seen: Double = !Self.keepsSeen(m) ? 0 : slotCount <= SeenBits.maxSlots ? 0.125
            : slotCount <= PlainBuffer<UInt8>.maxSlots ? 1 : 2
        return seen + (Self.keepsActive(m) ? 4 : 0)
    }

    /// Splits the order keys into shares whose per-customer state fits in `stateBytes` (at least one
    /// key a share): a statement grouped by a column of many values at millions of customers (`kpi
    /// customers by product`, 5.45M customers × 19 keys) counts in a few reads of the blocks rather
    /// than taking the SQL route. A customer's state for one key never looks at another key's, and
    /// an order's cell is its key's, so the shares add into one set of cells.
    mutating func shareKeys(stateBytes: Int) {
        let perKey = Double(snapshot.customers) * bytesPerState
        guard orderWidth > 1, perKey > 0, perKey * Double(orderWidth) > Double(stateBytes) else {
            keyShares = [0..<orderWidth]
            return
        }
        let width = max(1, Int(Double(stateBytes) / perKey))
        keyShares = stride(from: 0, to: orderWidth, by: width).map { $0..<min(orderWidth, $0 + width) }
    }

    /// `first_channel` and `cohort`, the customer's acquisition, by customer from the snapshot's own
    /// arrays, which the facts' columns are written from (the channel's name; the first day's
    /// 'YYYY-MM'): 4 bytes a customer instead of a read of every facts row through SQLite (0.6 s of
    /// 1.3 at 10M orders). nil for other dimensions.
    static func acquisitionCodes(_ d: KPIEngine.Plan.Dimension, snapshot: OrderSnapshot, db: Database) throws -> (codes: [Int32], values: [Value])? {
        switch d.expression {
        case "f." + quoteIdentifier("first_channel"):
            let first = try snapshot.customerColumn("first_channel", in: db)
            return (first.map { $0 + 1 }, [.null] + snapshot.channelNames.map { .text($0) })
        case "f." + quoteIdentifier("cohort"):
            let first = try snapshot.customerColumn("first_day", in: db)
            guard let low = first.min(), let high = first.filter({ $0 != .max }).max(), low <= high else {
                return ([Int32](repeating: 0, count: first.count), [.null])
            }
            // Each day's month, numbered once per day: 'YYYY-MM' as the facts write it (the ISO date's first seven).
            var values: [Value] = [.null]
            var codeOfMonth: [String: Int32] = [:]
            let codeOfDay = (Int(low)...Int(high)).map { day -> Int32 in
                let month = String(DayNumber.isoDate(day).prefix(7))
                if let code = codeOfMonth[month] { return code }
                let code = Int32(values.count)
                codeOfMonth[month] = code
                values.append(.text(month))
                return code
            }
            return (first.map { $0 == .max ? 0 : codeOfDay[Int($0 - low)] }, values)
        default:
            return nil
        }
    }

    /// Whether every dimension is the order's (none from the facts): then an order's combination
    /// is its key + 1, `orderRadix` and `radix` being the same products.
    var keyIsCombo: Bool { !customerCodes.isEmpty && customerCodes.allSatisfy { $0 == nil } }

    /// Whether an order dimension other than channel is read by row.
    var hasRowDims: Bool { rowCodes.contains { $0 != nil } }

    /// The combination of dimension values of an order of customer `c` (−1: none) with order key `key`:
    /// the customer's part plus the key's, both tabled (`comboParts`), as it is asked once per order.
    @inline(__always) func combo(customer c: Int, channel key: Int32) -> Int {
        (customerPart.isEmpty || c < 0 ? 0 : Int(customerPart[c])) + (keyPart.isEmpty ? 0 : Int(keyPart[Int(key) + 1]))
    }

    /// `customerPart` and `keyPart`: what the customer's dimensions (its codes, 0 for no customer) and
    /// what the order's (its key + 1 taken apart into each dimension's code) add to a combination.
    static func comboParts(customers: Int, customerCodes: [[Int32]?], dimValues: [[Value]], radix: [Int],
                           orderRadix: [Int], orderWidth: Int) -> (customer: [Int32], key: [Int32]) {
        var customer: [Int32] = []
        var key: [Int32] = []
        let orderDimCount = customerCodes.filter { $0 == nil }.count
        var j = 0
        for (i, codes) in customerCodes.enumerated() {
            if let codes {
                if customer.isEmpty { customer = [Int32](repeating: 0, count: customers) }
                for c in 0..<customers { customer[c] += Int32(radix[i]) * codes[c] }
            } else {
                if key.isEmpty { key = [Int32](repeating: 0, count: orderWidth) }
                // With one order dimension (channel alone, the common case) the key is its code − 1.
                for k1 in 0..<orderWidth {
                    key[k1] += Int32(radix[i] * (orderDimCount == 1 ? k1 : k1 / orderRadix[j] % dimValues[i].count))
                }
                j += 1
            }
        }
        return (customer, key)
    }

    /// Each order's key in a block (`orderDims`): its channel, combined with the codes by row, into
    /// `keys` (reused from block to block).
    func orderKeys(channel: [Int32], row: [Int32], into keys: inout [Int32]) {
        if keys.count != channel.count { keys = [Int32](repeating: 0, count: channel.count) }
        // One column of orders alone (`by category`): its code − 1.
        if rowCodes.count == 1, let codes = rowCodes[0] {
            codes.withUnsafeBufferPointer { codes in
                for i in row.indices {
                    let r = Int(row[i])
                    keys[i] = r < codes.count ? Int32(codes[r]) - 1 : -1
                }
            }
            return
        }
        for i in channel.indices {
            var k = 0
            for (j, codes) in rowCodes.enumerated() {
                let code: Int
                if let codes {
                    let r = Int(row[i])
                    code = r < codes.count ? Int(codes[r]) : 0
                } else {
                    code = Int(channel[i]) + 1
                }
                k += orderRadix[j] * code
            }
            keys[i] = Int32(k - 1)
        }
    }
}
