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
        var customerKey: [String: Int32] = [:]
    }

    /// Per-customer columns from the other datasets: the latest NPS score, and
    /// where each customer's row of `customers` is (its columns are copied row by
    /// row while the facts are written: no per-customer copy of every value).
    struct Extras {
        var nps: [Int32] = []
        var names: [String] = []
        var types: [String] = []
        /// rowid in `customers` per customer, 0 when the customer has no row there.
        var customerRow: [Int64] = []
    }

    static func collectExtras(_ db: Database, _ c: Collected) throws -> Extras {
        var x = Extras()
        x.nps = [Int32](repeating: -1, count: c.ids.count)
        if try db.tableExists("nps"), try db.columns(of: "nps").contains(where: { $0.name == "customer_id" }) {
            // Latest answer: ORDER BY day DESC, responded_at DESC (NULLs last), as the SQL window did.
            var best: [Int32: (day: Int64?, at: String?)] = [:]
            let s = try db.prepare("SELECT customer_id, day, responded_at, score FROM nps WHERE customer_id IS NOT NULL")
            while try s.step() {
                guard let k = c.customerKey[String(decoding: s.bytes(at: 0), as: UTF8.self)] else { continue }
                let day = s.isNull(at: 1) ? nil : s.int64(at: 1)
                let at = s.isNull(at: 2) ? nil : String(decoding: s.bytes(at: 2), as: UTF8.self)
                if let old = best[k] {
                    func later(_ a: Int64?, _ b: Int64?) -> Int { a == b ? 0 : (a == nil ? -1 : (b == nil ? 1 : (a! > b! ? 1 : -1))) }
                    let byDay = later(day, old.day)
                    let wins = byDay != 0 ? byDay > 0 : (at ?? "") > (old.at ?? "") && at != nil
                    if !wins { continue }
                }
                best[k] = (day, at)
                x.nps[Int(k)] = s.isNull(at: 3) ? -1 : Int32(truncatingIfNeeded: s.int64(at: 3))
            }
        }
        guard try db.tableExists("customers") else { return x }
        let taken = Set((ownColumns.map(\.name) + ["nps", "customer_key"]).map { $0.lowercased() })
        let extra = try db.columns(of: "customers").filter { !taken.contains($0.name.lowercased()) }
        guard !extra.isEmpty else { return x }
        x.names = extra.map(\.name)
        x.types = extra.map(\.type)
        x.customerRow = [Int64](repeating: 0, count: c.ids.count)
        // A customer listed twice takes the later row, as SQLite's GROUP BY customer_id did.
        let s = try db.prepare("SELECT rowid, customer_id FROM customers WHERE customer_id IS NOT NULL")
        while try s.step() {
            guard let k = c.customerKey[String(decoding: s.bytes(at: 1), as: UTF8.self)] else { continue }
            x.customerRow[Int(k)] = s.int64(at: 0)
        }
        return x
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
        if try db.tableExists("ecsh_datasets") {
            // Growing a hash map of millions of text keys rehashes them all each time: reserve.
            let expected = try db.scalar("SELECT max(rows) FROM ecsh_datasets WHERE name IN ('orders', 'customers')").intValue ?? 0
            customerKey.reserveCapacity(Int(expected) / 2)
        }
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
            let amount = number(5), commission = number(10)
            let discounts = OrderMeasures.discounts(discount: number(6), points: number(7))
            let costs = OrderMeasures.costs(cogs: number(8), shipping: number(9))
            c.day.append(day)
            c.channel.append(chan)
            c.amount.append(amount)
            c.discounts.append(discounts)
            c.costs.append(costs)
            c.commission.append(commission)
            c.units.append(number(11))
            // Guest orders count in order-level sums, so their missing costs are counted too.
            for f in 0..<5 where read.isNull(at: 6 + f) { c.costNulls[f] += 1 }
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
            c.orders[k] += 1
            c.revenue[k] += OrderMeasures.revenue(amount: amount, discounts: discounts)
            c.margin[k] += OrderMeasures.cm2(amount: amount, discounts: discounts, costs: costs, commission: commission)
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
        c.customerKey = customerKey
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
    static func writeFacts(_ db: Database, _ c: Collected, _ x: Extras, asOf: Int) throws {
        try createFactsTable(db, x, name: table)
        let marks = Array(repeating: "?", count: 18 + x.names.count).joined(separator: ",")
        let insert = try db.prepare("INSERT INTO ecsh_customer_facts VALUES (\(marks))")
        let customerRow = x.names.isEmpty ? nil
            : try db.prepare("SELECT \(x.names.map(quoteIdentifier).joined(separator: ", ")) FROM customers WHERE rowid = ?")
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
            insert.reset()
            insert.bind(int64: Int64(k), at: 1)
            insert.bind(text: c.ids[k], at: 2)
            insert.bind(text: first.date, at: 3)
            insert.bind(text: first.month, at: 4)
            if chan < 0 { insert.bindNull(at: 5) } else { insert.bind(text: c.channelNames[Int(chan)], at: 5) }
            insert.bind(text: last.date, at: 6)
            insert.bind(int64: Int64(c.orders[k]), at: 7)
            insert.bind(double: c.revenue[k], at: 8)
            insert.bind(double: c.margin[k], at: 9)
            insert.bind(double: c.revenue[k] / Double(c.orders[k]), at: 10)
            insert.bind(int64: Int64(asOf) - Int64(c.lastDay[k]), at: 11)
            insert.bind(int64: Int64(asOf) - Int64(c.firstDay[k]), at: 12)
            insert.bind(int64: Int64(c.channelMask[k].nonzeroBitCount + (extra[Int32(k)] ?? 0)), at: 13)
            insert.bind(int64: Int64(c.firstDay[k]), at: 14)
            if c.secondDay[k] == .max { insert.bindNull(at: 15) } else { insert.bind(int64: Int64(c.secondDay[k]), at: 15) }
            insert.bind(int64: Int64(c.lastDay[k]), at: 16)
            if let id = c.firstOrderID[k] { insert.bind(text: id, at: 17) } else { insert.bindNull(at: 17) }
            if x.nps[k] < 0 { insert.bindNull(at: 18) } else { insert.bind(int64: Int64(x.nps[k]), at: 18) }
            var found = false
            if let customerRow, x.customerRow[k] != 0 {
                customerRow.reset()
                customerRow.bind(int64: x.customerRow[k], at: 1)
                found = try customerRow.step()
            }
            for i in x.names.indices {
                if found, let customerRow { insert.bind(columnOf: customerRow, i, at: Int32(19 + i)) } else { insert.bindNull(at: Int32(19 + i)) }
            }
            try insert.step()
        }
    }

    /// Creates the (empty) facts table: `customer_key`, the own columns, `nps`, then the
    /// customers dataset's other columns (`x.names`).
    static func createFactsTable(_ db: Database, _ x: Extras, name: String) throws {
        let more = zip(x.names, x.types).map { ", \(quoteIdentifier($0)) \($1)" }.joined()
        try db.execute("""
            CREATE TABLE \(db.derivedSchema).\(name) (customer_key INTEGER PRIMARY KEY, customer_id TEXT, first_order TEXT, cohort TEXT,
              first_channel TEXT, last_order TEXT, orders INTEGER, revenue REAL, margin REAL, aov REAL, recency INTEGER,
              tenure INTEGER, channels INTEGER, first_day INTEGER, second_day INTEGER, last_day INTEGER, first_order_id TEXT,
              nps INTEGER\(more))
            """)
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
            func put<T>(_ field: OrderSnapshot.Field<T>, _ source: [T]) throws {
                try w.put("\(field.column.rawValue).\(b)", rows.map { source[Int($0)] })
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
