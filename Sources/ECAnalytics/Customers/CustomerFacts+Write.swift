import ECStore
import Glibc

/// Writing the customer facts table from what a build pass collected: the pass's own columns, and
/// per customer the latest NPS answer and the row of the customers dataset, read from those tables.
extension CustomerFacts {
    /// Per-customer columns from the other datasets: the latest NPS score, and
    /// where each customer's row of `customers` is (its columns are copied row by
    /// row while the facts are written: no per-customer copy of every value).
    struct Extras {
        var nps: [Int32] = []
        var names: [String] = []
        var types: [String] = []
        /// rowid in `customers` per customer, 0 when the customer has no row there.
        var customerRow: [Int64] = []
        /// SQL joins the customers' rows by their id index once every customer is written (`joinAttributes`);
        /// `customerRow` is then empty.
        var joinedBySQL = false
    }

    /// `share`: the share `c` holds; rows of other shares' customers are skipped by their id's hash
    /// alone (every share reads both tables, and looking every id up cost most of a 10M build's time).
    static func collectExtras(_ db: Database, _ c: Collected, share: CustomerShare? = nil) throws -> Extras {
        var x = Extras()
        x.nps = [Int32](repeating: -1, count: c.customers.count)
        if try LatestScores.available(db) {
            var latest = LatestScores(customers: c.customers.count)
            let s = try db.prepare("SELECT customer_id, day, responded_at, score FROM nps WHERE customer_id IS NOT NULL")
            while try s.step() {
                let id = s.bytes(at: 0)
                if let share, !share.holds(id) { continue }
                guard let k = c.customers.find(id) else { continue }
                latest.add(s, key: k, into: &x.nps)
            }
        }
        let extra = try extraColumns(db)
        guard !extra.names.isEmpty else { return x }
        x.names = extra.names
        x.types = extra.types
        // One INSERT … SELECT through the customers' id index after the last share (`joinAttributes`) costs less
        // than a statement per customer: 0.45 s against 1.2 s for 503k customers.
        if try customersJoin(db) != nil {
            x.joinedBySQL = true
            return x
        }
        x.customerRow = [Int64](repeating: 0, count: c.customers.count)
        // A customer listed twice takes the later row, as SQLite's GROUP BY customer_id did.
        let s = try db.prepare("SELECT rowid, customer_id FROM customers WHERE customer_id IS NOT NULL")
        while try s.step() {
            let id = s.bytes(at: 1)
            if let share, !share.holds(id) { continue }
            guard let k = c.customers.find(id) else { continue }
            x.customerRow[Int(k)] = s.int64(at: 0)
        }
        return x
    }

    /// The customers dataset's columns the facts carry (names and types only).
    static func extraColumns(_ db: Database) throws -> Extras {
        var x = Extras()
        guard try db.tableExists("customers") else { return x }
        let taken = Set((ownColumns.map(\.name) + ["nps", "customer_key"]).map { $0.lowercased() })
        let extra = try db.columns(of: "customers").filter { !taken.contains($0.name.lowercased()) }
        x.names = extra.map(\.name)
        x.types = extra.map(\.type)
        return x
    }

    /// Appends one pass's customers to the facts (`customer_key` = offset + number): their own columns to
    /// `ecsh_customer_base`, their latest score, where they have one, to `ecsh_customer_scores`, their row of
    /// the customers dataset, where they have one, to `ecsh_customer_attrs`.
    /// With `pages`, the base's rows go to them (copied in by `TablePages.copy` once every share is written) until
    /// they stop; the rest are bound.
    static func writeFacts(_ db: Database, _ c: Collected, _ x: Extras, asOf: Int, offset: Int, channels: TextNumbering,
                           pages: TablePages? = nil) throws {
        let width = 17
        let marks = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
        // Many rows per statement: SQLite's per-statement work (reset, step, the VM's start) is paid once a group.
        // OR FAIL spares the statement journal a multi-row INSERT keeps otherwise (see `Loader.insertRows`).
        let sql = "INSERT OR FAIL INTO \(db.derivedSchema).\(baseTable) VALUES "
        let group = max(1, min(32, 32_000 / width))
        let insert = try db.prepare(sql + marks)
        let insertGroup = try db.prepare(sql + Array(repeating: marks, count: group).joined(separator: ","))
        try writeAttributes(db, x, offset: offset)
        try writeScores(db, x.nps, offset: offset)
        // Dates, months, channels and ids are bound where they lie (no copy per value, `bind(stableUTF8:)`):
        // every first and last day's date is formatted once, numbered before the rows.
        var dates = TextNumbering()
        // A date's number by its day (from the first day on): an array, not a hash map, as it is read twice a row.
        let firstDay = Int(c.firstDay.min() ?? 0)
        var dateOf = [Int](repeating: -1, count: c.customers.count == 0 ? 0 : Int(c.lastDay.max() ?? 0) - firstDay + 1)
        func number(_ d: Int32) {
            guard dateOf[Int(d) - firstDay] < 0 else { return }
            var iso = DayNumber.isoDate(Int(d))
            dateOf[Int(d) - firstDay] = Int(iso.withUTF8 { dates.add(UnsafeRawBufferPointer($0)).key })
        }
        for k in 0..<c.customers.count {
            number(c.firstDay[k])
            number(c.lastDay[k])
        }
        var extra: [Int32: Int] = [:]
        for key in c.moreChannels { extra[Int32(truncatingIfNeeded: key >> 32), default: 0] += 1 }
        try dates.withIDs { dates in
            try channels.withIDs { channels in
                try c.customers.withIDs { ids in
                    func bind<S: ValueSink>(_ k: Int, into s: S, from base: Int32) {
                        let first = dates[dateOf[Int(c.firstDay[k]) - firstDay]], last = dates[dateOf[Int(c.lastDay[k]) - firstDay]]
                        let chan = c.firstChannel[k]
                        s.bind(int64: Int64(offset + k), at: base + 1)
                        s.bind(stableUTF8: ids[k], at: base + 2)
                        s.bind(stableUTF8: first, at: base + 3)
                        s.bind(stableUTF8: UnsafeBufferPointer(rebasing: first.prefix(7)), at: base + 4)
                        if chan < 0 { s.bindNull(at: base + 5) } else { s.bind(stableUTF8: channels[Int(chan)], at: base + 5) }
                        s.bind(stableUTF8: last, at: base + 6)
                        s.bind(int64: Int64(c.orders[k]), at: base + 7)
                        s.bind(double: c.revenue[k], at: base + 8)
                        s.bind(double: c.margin[k], at: base + 9)
                        s.bind(double: c.revenue[k] / Double(c.orders[k]), at: base + 10)
                        s.bind(int64: Int64(asOf) - Int64(c.lastDay[k]), at: base + 11)
                        s.bind(int64: Int64(asOf) - Int64(c.firstDay[k]), at: base + 12)
                        s.bind(int64: Int64(c.channelMask[k].nonzeroBitCount + (extra[Int32(k)] ?? 0)), at: base + 13)
                        s.bind(int64: Int64(c.firstDay[k]), at: base + 14)
                        if c.secondDay[k] == .max { s.bindNull(at: base + 15) } else { s.bind(int64: Int64(c.secondDay[k]), at: base + 15) }
                        s.bind(int64: Int64(c.lastDay[k]), at: base + 16)
                        if let id = c.firstOrderID[k] { s.bind(text: id, at: base + 17) } else { s.bindNull(at: base + 17) }
                    }
                    // The bound bytes live as long as this closure: no statement keeps them past it.
                    defer {
                        insertGroup.clearBindings()
                        insert.clearBindings()
                    }
                    let count = c.customers.count
                    var k = 0
                    if let pages {
                        while k < count {
                            bind(k, into: pages, from: 0)
                            guard try pages.addRow() else { break }
                            k += 1
                        }
                    }
                    while k + group <= count {
                        insertGroup.reset()
                        for j in 0..<group { bind(k + j, into: insertGroup, from: Int32(j * width)) }
                        try insertGroup.step()
                        k += group
                    }
                    while k < count {
                        insert.reset()
                        bind(k, into: insert, from: 0)
                        try insert.step()
                        k += 1
                    }
                }
            }
        }
    }

    /// Each customer's row of the customers dataset (`x.customerRow`) copied into `ecsh_customer_attrs`
    /// under its key (`offset` + number); customers without one get no row (the view's join gives NULLs).
    static func writeAttributes(_ db: Database, _ x: Extras, offset: Int) throws {
        guard !x.names.isEmpty, !x.joinedBySQL else { return }
        let names = x.names.map(quoteIdentifier).joined(separator: ", ")
        let copy = try db.prepare("""
            INSERT OR FAIL INTO \(db.derivedSchema).\(attributesTable) (customer_key, \(names))
            SELECT ?1, \(names) FROM customers WHERE rowid = ?2
            """)
        for (k, row) in x.customerRow.enumerated() where row != 0 {
            copy.reset()
            copy.bind(int64: Int64(offset + k), at: 1)
            copy.bind(int64: row, at: 2)
            try copy.step()
        }
    }

    /// Appends to `ecsh_customer_scores` the scores of `scores` (by key − `offset`; −1: none, no row).
    static func writeScores(_ db: Database, _ scores: [Int32], offset: Int) throws {
        try insertPairs(db, into: "\(db.derivedSchema).\(scoresTable)", scores.indices.lazy.filter { scores[$0] >= 0 }) {
            (Int64(offset + $0), Int64(scores[$0]))
        }
    }

    /// Inserts into `table` (two integer columns) the pair `pair(i)` of each of `indices`, many rows a
    /// statement, as `writeFacts` writes its rows.
    /// Bound, not written as pages (`TablePages`): for rows this narrow the pages took longer (5.1M pairs of a customers
    /// join at 10M: 1.5–1.8 s against 1.1 s).
    static func insertPairs(_ db: Database, into table: String, _ indices: some Sequence<Int>, pair: (Int) -> (Int64, Int64)) throws {
        let sql = "INSERT OR FAIL INTO " + table + " VALUES "
        let group = 500
        let insert = try db.prepare(sql + "(?, ?)")
        let insertGroup = try db.prepare(sql + Array(repeating: "(?, ?)", count: group).joined(separator: ", "))
        var held: [Int] = []
        held.reserveCapacity(group)
        for i in indices {
            held.append(i)
            guard held.count == group else { continue }
            insertGroup.reset()
            for (j, i) in held.enumerated() {
                let (a, b) = pair(i)
                insertGroup.bind(int64: a, at: Int32(2 * j + 1))
                insertGroup.bind(int64: b, at: Int32(2 * j + 2))
            }
            try insertGroup.step()
            held.removeAll(keepingCapacity: true)
        }
        for i in held {
            let (a, b) = pair(i)
            insert.reset()
            insert.bind(int64: a, at: 1)
            insert.bind(int64: b, at: 2)
            try insert.step()
        }
    }

    /// Fills `ecsh_customer_attrs` from the customers dataset by its id index (`customersJoin`), once
    /// `ecsh_customer_base` holds every customer; the builds and rejoins whose `collectExtras` left that to SQL.
    /// Nothing when the customers dataset has no other column or no id index to join by.
    ///
    /// Ids that grow with the first order (numbered members) take one join in key order, which reads the
    /// customers' id index nearly in order. Ids in no such order (hashed from e-mail addresses, a marketplace's
    /// buyer ids) made nearly every lookup of that join a page SQLite's cache had lost: the join of a 10M-order
    /// shop's 5M customers took 54 s instead of 6 (BENCHMARKS.md, "Lookups by id at random"), and at 1M
    /// orders needed a 64 MB cache to take 0.9 s. Those take two steps, neither of which looks anything up
    /// at random: each customer's row of customers is found by walking the facts' id index beside the
    /// customers' (`customerRows`), and the rows are then copied in key order through a temporary table of
    /// (key, row). `inTwoSteps` forces the choice (tests).
    static func joinAttributes(_ db: Database, inTwoSteps: Bool? = nil) throws {
        let x = try extraColumns(db)
        guard !x.names.isEmpty, let join = try customersJoin(db) else { return }
        let schema = db.derivedSchema
        let names = x.names.map(quoteIdentifier)
        let insert = "INSERT INTO \(schema).\(attributesTable) (customer_key, \(names.joined(separator: ", ")))"
        let copied = names.map { "c." + $0 }.joined(separator: ", ")
        let count = try customerCount(db)
        guard try inTwoSteps ?? !idsFollowKeys(db, customers: count) else {
            // Ids in key order read the index in order: no lookup cache needed (nor its 64 MB).
            return try db.execute("\(insert) SELECT f.customer_key, \(copied) FROM \(schema).\(baseTable) AS f JOIN customers AS c ON \(join) ORDER BY f.customer_key")
        }
        // Int64.min: no row (a rowid SQLite never gives a row itself; 0 and negative ones can be set by hand).
        let rowOf = try customerRows(db, customers: count)
        LoadTrace.mark("facts: customers' rows found in id order")
        let pairs = "temp.ecsh_customer_rows"
        try db.execute("DROP TABLE IF EXISTS " + pairs)
        try db.execute("CREATE TABLE " + pairs + " (customer_key INTEGER PRIMARY KEY, row INTEGER NOT NULL)")
        defer { try? db.execute("DROP TABLE IF EXISTS " + pairs) }
        try insertPairs(db, into: pairs, (0..<count).lazy.filter { rowOf[$0] != .min }) { (Int64($0), rowOf[$0]) }
        LoadTrace.mark("facts: keys and rows written")
        try db.execute("\(insert) SELECT t.customer_key, \(copied) FROM \(pairs) AS t JOIN customers AS c ON c.rowid = t.row ORDER BY t.customer_key")
    }

    /// Each customer's row of the customers dataset by key (`Int64.min`: none), as `customersJoin` finds it: the
    /// row whose id has the facts' id's bytes, the last such row. Found by walking the facts' id index and the
    /// customers' id index side by side, each read once in order (SQLite's join looked each facts id up in the
    /// customers' index from its root: 3.6 s against 3.0 s for 5.04M hashed ids in a load's transaction).
    static func customerRows(_ db: Database, customers count: Int) throws -> [Int64] {
        var rowOf = [Int64](repeating: .min, count: count)
        // Both in binary order, whatever collation a column was declared with: the order of their id indexes (binary,
        // as `customersJoin` requires), so no sort. Text ids only, as SQL's `=` matches a text id with text alone.
        let f = try db.prepare("SELECT customer_id, customer_key FROM \(db.derivedSchema).\(baseTable) WHERE typeof(customer_id) = 'text' ORDER BY customer_id COLLATE BINARY")
        let c = try db.prepare("SELECT customer_id, rowid FROM customers WHERE typeof(customer_id) = 'text' ORDER BY customer_id COLLATE BINARY")
        defer { f.reset(); c.reset() }
        var inFacts = try f.step()
        var inCustomers = try c.step()
        while inFacts && inCustomers {
            let order = binaryOrder(f.bytes(at: 0), c.bytes(at: 0))
            if order < 0 { inFacts = try f.step(); continue }
            if order > 0 { inCustomers = try c.step(); continue }
            // The last of the customers' rows with this id (an index lists equal ids by rowid; max all the same).
            var row = c.int64(at: 1)
            while true {
                inCustomers = try c.step()
                guard inCustomers, binaryOrder(f.bytes(at: 0), c.bytes(at: 0)) == 0 else { break }
                row = max(row, c.int64(at: 1))
            }
            rowOf[try key(f, at: 1, below: count)] = row
            inFacts = try f.step()
        }
        return rowOf
    }

    /// SQLite's BINARY collation: the bytes compared up to the shorter length, then the shorter first.
    static func binaryOrder(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0, let x = a.baseAddress, let y = b.baseAddress {
            let d = memcmp(x, y, n)
            if d != 0 { return Int(d) }
        }
        return a.count - b.count
    }

    /// Whether the facts' ids mostly grow with their keys: of a thousand customers evenly spread over the keys,
    /// nine in ten pairs of neighbours in key order are in id order too (hashed ids: about half).
    static func idsFollowKeys(_ db: Database, customers count: Int) throws -> Bool {
        let s = try db.prepare("SELECT CAST(customer_id AS BLOB) FROM \(db.derivedSchema).\(baseTable) WHERE customer_key = ?")
        var previous: [UInt8]?
        var pairs = 0, ascending = 0
        for k in stride(from: 0, to: count, by: max(1, count / 1000)) {
            s.reset()
            s.bind(int64: Int64(k), at: 1)
            guard try s.step() else { continue }
            let id = [UInt8](s.bytes(at: 0))
            if let previous {
                pairs += 1
                if previous.lexicographicallyPrecedes(id) { ascending += 1 }
            }
            previous = id
        }
        return ascending * 10 >= pairs * 9
    }

    /// Creates the (empty) facts: the table `ecsh_customer_base` (`customer_key`, the own columns), the table
    /// `ecsh_customer_scores` (`customer_key`, `nps`), the table `ecsh_customer_attrs` (`customer_key`, the
    /// customers dataset's other columns `x.names`; none when there are none) and the view `ecsh_customer_facts`
    /// joining them (the own columns, `nps`, the customers columns). Returns pages for the base's rows
    /// (`TablePages`; nil: they are bound), which `BuildState.copyFacts` copies in once every share is written.
    static func createFactsTables(_ db: Database, _ x: Extras) throws -> TablePages? {
        let schema = db.derivedSchema
        try dropFacts(db)
        try db.execute("""
            CREATE TABLE \(schema).\(baseTable) (customer_key INTEGER PRIMARY KEY, customer_id TEXT, first_order TEXT, cohort TEXT,
              first_channel TEXT, last_order TEXT, orders INTEGER, revenue REAL, margin REAL, aov REAL, recency INTEGER,
              tenure INTEGER, channels INTEGER, first_day INTEGER, second_day INTEGER, last_day INTEGER, first_order_id TEXT)
            """)
        try db.execute("CREATE TABLE \(schema).\(scoresTable) (customer_key INTEGER PRIMARY KEY, nps INTEGER NOT NULL)")
        try createAttributes(db, x)
        return TablePages.make(db, schema: schema, table: baseTable)
    }

    /// Creates `ecsh_customer_attrs` for `x`'s columns (none: no table) and the view over it, the base and the scores.
    static func createAttributes(_ db: Database, _ x: Extras) throws {
        let schema = db.derivedSchema
        try db.execute("DROP VIEW IF EXISTS \(schema).\(table)")
        try db.execute("DROP TABLE IF EXISTS \(schema).\(attributesTable)")
        let own = (["customer_key"] + ownColumns.map(\.name)).map { "b." + quoteIdentifier($0) } + ["s.nps AS nps"]
        // LEFT JOINs on the key: a customer without a score or a row of attributes has NULLs there.
        let scores = "FROM \(baseTable) AS b LEFT JOIN \(scoresTable) AS s ON s.customer_key = b.customer_key"
        guard !x.names.isEmpty else {
            return try db.execute("CREATE VIEW \(schema).\(table) AS SELECT \(own.joined(separator: ", ")) \(scores)")
        }
        let more = zip(x.names, x.types).map { ", \(quoteIdentifier($0)) \($1)" }.joined()
        try db.execute("CREATE TABLE \(schema).\(attributesTable) (customer_key INTEGER PRIMARY KEY\(more))")
        let joined = x.names.map { "a." + quoteIdentifier($0) }
        try db.execute("""
            CREATE VIEW \(schema).\(table) AS SELECT \((own + joined).joined(separator: ", "))
            \(scores) LEFT JOIN \(attributesTable) AS a ON a.customer_key = b.customer_key
            """)
    }

    /// Drops the facts: the view (or, in a workspace from before the view, the table) and its tables.
    static func dropFacts(_ db: Database) throws {
        let schema = db.derivedSchema
        if db.engine == .sqlite,
           try db.scalar("SELECT count(*) FROM \(schema).sqlite_schema WHERE name = ? AND type = 'view'", [.text(table)]).intValue ?? 0 > 0 {
            try db.execute("DROP VIEW \(schema).\(table)")
        }
        try db.execute("DROP TABLE IF EXISTS \(schema).\(table)")
        try db.execute("DROP TABLE IF EXISTS \(schema).\(attributesTable)")
        try db.execute("DROP TABLE IF EXISTS \(schema).\(scoresTable)")
        try db.execute("DROP TABLE IF EXISTS \(schema).\(baseTable)")
    }
}

/// Each customer's latest NPS answer, as the facts' `nps` column takes it: latest `day`, then latest
/// `responded_at` (NULLs last), the first row read among equals, as SQL's window over the rows in
/// table order did.
struct LatestScores {
    /// The best answer so far of a customer: its day (`hasDay` false: NULL) and its `responded_at`
    /// as bytes `at ..< at + length` of `times` (`length` −1: NULL).
    private struct Best {
        var day: Int64
        var at: Int
        var length: Int
        var hasDay: Bool
    }

    /// Per customer key, the index of its best answer in `best` (−1: none yet). Arrays, not a dictionary
    /// of strings: at 753k answers the dictionary's allocations took about a third of an NPS load's
    /// rejoin, and its peak memory (docs/decisions.md).
    private var slot: [Int32]
    private var best: [Best] = []
    private var times: [UInt8] = []

    /// Answers of customers with keys `0 ..< customers`.
    init(customers: Int) {
        slot = [Int32](repeating: -1, count: customers)
    }

    /// Whether the workspace has answers with customer ids to take scores from.
    static func available(_ db: Database) throws -> Bool {
        try db.tableExists("nps") && db.columns(of: "nps").contains(where: { $0.name == "customer_id" })
    }

    /// Takes the answer in the row at `s` (columns 1...3: day, responded_at, score) for customer `k`,
    /// setting `scores[k]` (−1: NULL) when it is the latest so far: the latest day (NULL before any day),
    /// then the latest `responded_at` by its bytes (NULL before any), the earlier row among equals.
    mutating func add(_ s: Statement, key k: Int32, into scores: inout [Int32]) {
        let hasDay = !s.isNull(at: 1)
        let day = hasDay ? s.int64(at: 1) : 0
        let hasAt = !s.isNull(at: 2)
        let at = hasAt ? s.bytes(at: 2) : UnsafeRawBufferPointer(start: nil, count: 0)
        let i = Int(slot[Int(k)])
        if i >= 0 {
            let old = best[i]
            if hasDay != old.hasDay {
                if !hasDay { return }
            } else if hasDay && day != old.day {
                if day < old.day { return }
            } else {
                // The same day: a later responded_at wins; NULL never does, and beats nothing.
                guard hasAt, old.length < 0 || Self.compare(at, times, from: old.at, count: old.length) > 0 else { return }
            }
        }
        let b = Best(day: day, at: times.count, length: hasAt ? at.count : -1, hasDay: hasDay)
        times.append(contentsOf: at)
        if i >= 0 { best[i] = b } else { slot[Int(k)] = Int32(best.count); best.append(b) }
        scores[Int(k)] = s.isNull(at: 3) ? -1 : Int32(truncatingIfNeeded: s.int64(at: 3))
    }

    /// `a` against `count` bytes of `arena` from `from`, byte by byte (SQLite's BINARY order).
    private static func compare(_ a: UnsafeRawBufferPointer, _ arena: [UInt8], from: Int, count: Int) -> Int {
        arena.withUnsafeBufferPointer { buffer in
            let n = min(a.count, count)
            if n > 0, let p = a.baseAddress, let q = buffer.baseAddress {
                let c = memcmp(p, q + from, n)
                if c != 0 { return Int(c) }
            }
            return a.count - count
        }
    }
}
