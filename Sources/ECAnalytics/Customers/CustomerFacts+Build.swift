import Foundation
import ECStore

/// Builds the customer facts and the order snapshot in one read of `orders`.
///
/// SQL would sort every order by customer for the window that finds first and
/// second orders, then build a covering index (85 s on 10M orders); here the
/// orders are read once in table order, customers are numbered through a hash
/// map, the per-customer facts accumulate in arrays, and a counting sort by
/// day lays the snapshot out in day order.
extension CustomerFacts {
    /// What one read of the counted orders collects.
    struct Collected {
        // Per order, in table order.
        var day: [Int32] = []
        var customer: [Int32] = []
        var channel: [Int32] = []
        var amount: [Double] = []
        var discounts: [Double] = []
        var commission: [Double] = []
        var costs: [Double] = []
        var units: [Double] = []
        // Per customer.
        var ids: [String] = []
        var firstDay: [Int32] = []
        var secondDay: [Int32] = []
        var lastDay: [Int32] = []
        var firstRow: [Int32] = []
        var firstRowid: [Int64] = []
        var firstOrderID: [String?] = []
        var orders: [Int32] = []
        var revenue: [Double] = []
        var margin: [Double] = []
        var channelMask: [UInt64] = []
        /// (customer << 32 | channel) for channel numbers ≥ 64.
        var moreChannels: Set<Int64> = []
        var channelNames: [String] = []
        /// Counted orders left out: no day, or after as_of.
        var withoutDay = 0, afterAsOf = 0
        /// NULLs per cost field (discount, points, cogs, shipping, commission) among orders with a customer.
        var costNulls = [Int](repeating: 0, count: 5)
    }

    static func collect(_ db: Database, settings: MetricSettings, asOf: Int) throws -> Collected {
        let counted = settings.countedCondition()
        let read = try db.prepare("""
            SELECT rowid, customer_id, day, order_id, channel, amount, discount, points, cogs, shipping, commission, quantity, ordered_at
            FROM orders WHERE \(counted.sql)
            """)
        try read.bind(counted.bindings)
        // Ties on the first day are broken like SQL's ORDER BY day, ordered_at, order_id.
        let tieLookup = try db.prepare("SELECT ordered_at, order_id FROM orders WHERE rowid = ?")
        var c = Collected()
        var customerKey: [String: Int32] = [:]
        var channelCode: [String: Int32] = [:]

        func text(_ i: Int) -> String? {
            read.isNull(at: i) ? nil : String(decoding: read.bytes(at: i), as: UTF8.self)
        }
        func number(_ i: Int) -> Double { read.isNull(at: i) ? 0 : read.double(at: i) }

        while try read.step() {
            if read.isNull(at: 2) { c.withoutDay += 1; continue }
            let wide = read.int64(at: 2)
            if wide > asOf { c.afterAsOf += 1; continue }
            let row = Int32(c.day.count)
            let day = Int32(truncatingIfNeeded: wide)
            var chan: Int32 = -1
            if let name = text(4) {
                if let known = channelCode[name] { chan = known } else {
                    chan = Int32(c.channelNames.count)
                    channelCode[name] = chan
                    c.channelNames.append(name)
                }
            }
            let amount = number(5), discounts = number(6) + number(7), costs = number(8) + number(9), commission = number(10)
            c.day.append(day)
            c.channel.append(chan)
            c.amount.append(amount)
            c.discounts.append(discounts)
            c.costs.append(costs)
            c.commission.append(commission)
            c.units.append(number(11))
            guard let id = text(1) else { c.customer.append(-1); continue }
            let k: Int
            if let known = customerKey[id] {
                k = Int(known)
            } else {
                k = c.ids.count
                customerKey[id] = Int32(k)
                c.ids.append(id)
                c.firstDay.append(.max); c.secondDay.append(.max); c.lastDay.append(.min)
                c.firstRow.append(-1); c.firstRowid.append(0); c.firstOrderID.append(nil)
                c.orders.append(0); c.revenue.append(0); c.margin.append(0); c.channelMask.append(0)
            }
            c.customer.append(Int32(k))
            for f in 0..<5 where read.isNull(at: 6 + f) { c.costNulls[f] += 1 }
            c.orders[k] += 1
            c.revenue[k] += amount - discounts
            c.margin[k] += amount - discounts - costs - commission
            if chan >= 64 { c.moreChannels.insert(Int64(k) << 32 | Int64(chan)) } else if chan >= 0 { c.channelMask[k] |= 1 << UInt64(chan) }
            if day > c.lastDay[k] { c.lastDay[k] = day }
            var becomesFirst = day < c.firstDay[k]
            if day == c.firstDay[k] {
                // Same first day: the earlier (ordered_at, order_id) wins; NULL sorts first.
                tieLookup.reset()
                try tieLookup.bind([.integer(c.firstRowid[k])])
                _ = try tieLookup.step()
                let mine = (read.isNull(at: 12) ? nil : Array(read.bytes(at: 12)), read.isNull(at: 3) ? nil : Array(read.bytes(at: 3)))
                let theirs = (tieLookup.isNull(at: 0) ? nil : Array(tieLookup.bytes(at: 0)), tieLookup.isNull(at: 1) ? nil : Array(tieLookup.bytes(at: 1)))
                becomesFirst = precedes(mine, theirs)
            }
            if becomesFirst {
                c.secondDay[k] = c.firstDay[k]
                c.firstDay[k] = day
                c.firstRow[k] = row
                c.firstRowid[k] = read.int64(at: 0)
                c.firstOrderID[k] = text(3)
            } else if day < c.secondDay[k] {
                c.secondDay[k] = day
            }
        }
        return c
    }

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

    /// Writes `ecsh_customer_facts` (one row per customer, `customer_key` = number).
    static func writeFacts(_ db: Database, _ c: Collected, asOf: Int) throws {
        try db.execute("""
            CREATE TABLE ecsh_customer_facts (customer_key INTEGER PRIMARY KEY, customer_id TEXT, first_order TEXT, cohort TEXT,
              first_channel TEXT, last_order TEXT, orders INTEGER, revenue REAL, margin REAL, aov REAL, recency INTEGER,
              tenure INTEGER, channels INTEGER, first_day INTEGER, second_day INTEGER, last_day INTEGER, first_order_id TEXT)
            """)
        let insert = try db.prepare("INSERT INTO ecsh_customer_facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        // Dates and months repeat: format each day once.
        var dates: [Int32: (date: String, month: String)] = [:]
        func label(_ d: Int32) -> (date: String, month: String) {
            if let known = dates[d] { return known }
            let iso = DayNumber.isoDate(Int(d))
            let l = (iso, String(iso.prefix(7)))
            dates[d] = l
            return l
        }
        var extra: [Int32: Int] = [:]
        for key in c.moreChannels { extra[Int32(truncatingIfNeeded: key >> 32), default: 0] += 1 }
        for k in 0..<c.ids.count {
            let first = label(c.firstDay[k]), last = label(c.lastDay[k])
            let chan = c.channel[Int(c.firstRow[k])]
            let values: [Value] = [
                .integer(Int64(k)), .text(c.ids[k]), .text(first.date), .text(first.month),
                chan < 0 ? .null : .text(c.channelNames[Int(chan)]), .text(last.date),
                .integer(Int64(c.orders[k])), .real(c.revenue[k]), .real(c.margin[k]), .real(c.revenue[k] / Double(c.orders[k])),
                .integer(Int64(asOf) - Int64(c.lastDay[k])), .integer(Int64(asOf) - Int64(c.firstDay[k])),
                .integer(Int64(c.channelMask[k].nonzeroBitCount + (extra[Int32(k)] ?? 0))),
                .integer(Int64(c.firstDay[k])), c.secondDay[k] == .max ? .null : .integer(Int64(c.secondDay[k])),
                .integer(Int64(c.lastDay[k])), c.firstOrderID[k].map { .text($0) } ?? .null,
            ]
            insert.reset()
            try insert.bind(values)
            try insert.step()
        }
    }

    /// Writes the snapshot: orders in day order (a stable counting sort), in blocks.
    static func writeSnapshot(_ db: Database, _ c: Collected, asOf: Int, settings: MetricSettings, integerUnits: Bool,
                              ordersDays: (first: Int?, last: Int?)) throws {
        let w = try SnapshotWriter(db)
        let n = c.day.count
        var order = [Int32](repeating: 0, count: n)
        if n > 0 {
            let lo = Int(c.day.min()!), hi = Int(c.day.max()!)
            var start = [Int](repeating: 0, count: hi - lo + 2)
            for d in c.day { start[Int(d) - lo + 1] += 1 }
            for i in 1..<start.count { start[i] += start[i - 1] }
            for (row, d) in c.day.enumerated() {
                order[start[Int(d) - lo]] = Int32(row)
                start[Int(d) - lo] += 1
            }
        }
        var isFirst = [UInt8](repeating: 0, count: n)
        for row in c.firstRow { isFirst[Int(row)] = 1 }
        var blockDays: [Int32] = []
        var b = 0, from = 0
        while from < n {
            let rows = order[from..<min(from + OrderSnapshot.blockSize, n)]
            func put<T>(_ column: OrderSnapshot.Column, _ source: [T]) throws {
                try w.put("\(column.rawValue).\(b)", rows.map { source[Int($0)] })
            }
            try put(.day, c.day)
            try put(.customer, c.customer)
            try put(.channel, c.channel)
            try put(.first, isFirst)
            try put(.amount, c.amount)
            try put(.discounts, c.discounts)
            try put(.commission, c.commission)
            try put(.costs, c.costs)
            try put(.units, c.units)
            blockDays += [c.day[Int(rows.first!)], c.day[Int(rows.last!)]]
            b += 1
            from += OrderSnapshot.blockSize
        }
        try w.put("blocks", blockDays)
        try w.put("customer.first_day", c.firstDay)
        try w.put("customer.second_day", c.secondDay)
        try w.put("customer.first_channel", c.firstRow.map { c.channel[Int($0)] })
        try w.put("channels", text: c.channelNames.joined(separator: "\u{1F}"))
        try w.put("meta", text: """
            rows=\(n)
            customers=\(c.ids.count)
            as_of=\(asOf)
            counted=\(settings.countedDescription)
            integer_units=\(integerUnits ? 1 : 0)
            orders_first_day=\(ordersDays.first.map(String.init) ?? "")
            orders_last_day=\(ordersDays.last.map(String.init) ?? "")
            counted_sql=\(countedKey(settings.countedCondition()))
            without_day=\(c.withoutDay)
            after_as_of=\(c.afterAsOf)
            cost_nulls=\(c.costNulls.map(String.init).joined(separator: ","))
            """)
    }
}
