import Foundation
import Synchronization
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// The customer facts and the order snapshot collected from a load's rows as they are parsed
/// (`CustomerFacts.LoadPass`) must be the very rows and bytes that the build reading `orders` back
/// writes (`CustomerFacts.build`, itself checked against SQL in StreamingBuildTests and
/// SnapshotRouteTests), on randomized exports with what makes the build careful: ties on a
/// customer's first day (broken by ordered_at, then order_id), guests, statuses spelled in
/// Japanese or unknown, NULL costs, rows out of day order, quoted line breaks (rowid gaps),
/// skipped bad rows, as_of and counted-status settings. Where the table does not hold exactly
/// the rows seen (repeated ids removed, an append) or there are too many rows to hold, the pass
/// must stand aside and the build read `orders` as before.
@Suite struct LoadPassTests {
    /// A randomized orders export of `rows` rows.
    static func export(seed: UInt64, rows: Int, repeatedID: Bool = false, badRow: Bool = false) -> String {
        var g = SplitMix64(seed: seed)
        func pick<T>(_ xs: [T]) -> T { xs[Int(g.next() % UInt64(xs.count))] }
        func maybe(_ p: Double) -> Bool { Double(g.next() % 1000) < p * 1000 }
        var out = "order_id,customer_id,ordered_at,amount,channel,status,discount,points,cogs,shipping,commission,quantity,product\n"
        let statuses = ["completed", "completed", "completed", "発送済み", "キャンセル", "返品", "cancelled", "shipped", "", "On Hold"]
        let channels = ["own", "Rakuten", "amazon", "yahoo", "", "OWN"]
        for i in 0..<rows {
            let customer = maybe(0.05) ? "" : "C\(g.next() % UInt64(rows / 6))"
            // Few days and few times: many orders of a customer on one day, some at the same second.
            let day = 1 + Int(g.next() % 30)
            let month = 1 + (day - 1) / 28, dom = 1 + (day - 1) % 28
            let time = pick(["09:00:00", "09:00:00", "12:30:00", "18:45:10"])
            let id = repeatedID && i == rows / 2 ? "O\(rows / 3)" : "O\(i % 3 == 1 ? pick(["A", "b"]) : "")\(i)"
            func cost() -> String { maybe(0.3) ? "" : String(Int(g.next() % 500)) }
            let amount = maybe(0.2) ? String(format: "%.1f", Double(g.next() % 100_000) / 10) : String(Int(g.next() % 20_000) + 100)
            let product = maybe(0.02) ? "\"two\nlines\"" : pick(["tea", "cup", ""])
            let fields = [id, customer, String(format: "2023-%02d-%02d %@", month, dom, time), amount, pick(channels), pick(statuses),
                          cost(), cost(), cost(), cost(), cost(), maybe(0.1) ? "" : String(1 + g.next() % 3), product]
            out += fields.joined(separator: ",") + "\n"
            if badRow && i == 7 { out += "bad,C1,not a date,12,own,completed,,,,,,,\n" }
        }
        return out
    }

    static func derived(_ db: Database) throws -> (facts: [[Value]], snapshot: [[Value]]) {
        (try db.query("SELECT * FROM \(CustomerFacts.table) ORDER BY customer_key").rows,
         try db.query("SELECT name, data FROM \(OrderSnapshot.table) WHERE name <> 'stamp' ORDER BY name").rows)
    }

    /// Loads `csv` into a new workspace with a pass; returns the workspace and the pass.
    static func load(_ csv: String, in dir: TemporaryDirectory, settings: MetricSettings, limit: Int? = nil,
                     options: LoadOptions = LoadOptions(), pass given: CustomerFacts.LoadPass? = nil) throws -> (Database, CustomerFacts.LoadPass) {
        let file = dir.path("orders-\(UUID().uuidString).csv")
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let db = try Database(path: dir.path("w-\(UUID().uuidString).db"))
        let pass = given ?? limit.map { CustomerFacts.LoadPass(settings: settings, limit: $0) } ?? CustomerFacts.LoadPass(settings: settings)
        _ = try Loader(database: db, rowObserver: pass).load(LoadRequest(target: .role(.orders), path: file, options: options), beforeCommit: {
            try CustomerFacts.refreshInLoad($0, role: .orders, settings: settings, collected: pass)
        })
        return (db, pass)
    }

    /// The derived data as loaded equals a build that reads `orders` back.
    static func expectSameAsReadBack(_ db: Database, settings: MetricSettings, ordersPerPass: Int = CustomerFacts.defaultOrdersPerPass,
                                     ordersInMemory: Int = CustomerFacts.defaultOrdersInMemory,
                                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try OrderSnapshot.isCurrent(db), sourceLocation: sourceLocation)
        let loaded = try derived(db)
        try CustomerFacts.rebuild(db, settings: settings, ordersPerPass: ordersPerPass, ordersInMemory: ordersInMemory)
        let readBack = try derived(db)
        #expect(loaded.facts.count > 100, sourceLocation: sourceLocation)
        #expect(loaded.snapshot.count > 10, sourceLocation: sourceLocation)
        #expect(loaded.snapshot == readBack.snapshot, sourceLocation: sourceLocation)
        for (a, b) in zip(loaded.facts, readBack.facts) where a != b {
            Issue.record("as loaded \(a), read back \(b)", sourceLocation: sourceLocation)
            break
        }
        #expect(loaded.facts.count == readBack.facts.count, sourceLocation: sourceLocation)
    }

    static var settingsVariants: [MetricSettings] {
        var asOf = MetricSettings()
        asOf.asOf = "2023-02-05"
        var only = MetricSettings()
        only.counted = .only(["completed"])
        return [MetricSettings(), asOf, only]
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func sameAsReadingOrdersBack(seed: UInt64) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let csv = Self.export(seed: seed, rows: 3000)
        for settings in Self.settingsVariants {
            let (db, pass) = try Self.load(csv, in: dir, settings: settings)
            #expect(pass.isUsable, "the pass was not used: the test would compare the read-back build with itself")
            try Self.expectSameAsReadBack(db, settings: settings)
        }
        // The ties the export is built to have: customers whose first counted order is not the first of
        // their first day in table order (a later row won on ordered_at or order_id).
        let (db, _) = try Self.load(csv, in: dir, settings: MetricSettings())
        #expect(try Self.overtaken(db) > 5)
    }

    /// Customers whose first counted order is not the first of their first day in table order (a later
    /// row won the tie on ordered_at or order_id).
    static func overtaken(_ db: Database, settings: MetricSettings = MetricSettings()) throws -> Int {
        let counted = settings.countedCondition(alias: "o")
        return Int(try db.scalar("""
            SELECT count(*) FROM \(CustomerFacts.table) f
            WHERE (SELECT rowid FROM orders WHERE order_id = f.first_order_id)
                > (SELECT min(o.rowid) FROM orders o WHERE o.customer_id = f.customer_id AND o.day = f.first_day AND \(counted.sql))
            """, counted.bindings).intValue ?? 0)
    }

    /// The pass decides which orders count with `MetricSettings.counts(status:)`; SQL with `IN`. Two
    /// spellings of one word (composed and decomposed) are equal to Swift's `==` but not to SQLite.
    @Test func countedStatusesCompareBytesAsSQLiteDoes() throws {
        let composed = "\u{30AC}", decomposed = "\u{30AB}\u{3099}"
        #expect(composed == decomposed)
        let db = try Database()
        for (list, word) in [([composed], decomposed), ([decomposed], composed), ([composed], composed), (["completed"], "completed")] {
            for counted in [MetricSettings.CountedStatuses.only(list), .excluding(list)] {
                var s = MetricSettings()
                s.counted = counted
                let condition = s.countedCondition()
                let sql = try db.scalar("SELECT \(condition.sql) FROM (SELECT ? AS status)", condition.bindings + [.text(word)]).intValue
                #expect(s.counts(status: word) == (sql == 1), "\(counted) on \(Array(word.unicodeScalars))")
            }
        }
    }

    /// A bad row skipped (`on_error skip`) leaves a gap in the rows seen; the rest are used.
    @Test func skippedRowsLeaveTheRestUsable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (db, pass) = try Self.load(Self.export(seed: 9, rows: 2000, badRow: true), in: dir, settings: MetricSettings(),
                                       options: LoadOptions(onError: .skip))
        #expect(pass.isUsable)
        #expect(try db.scalar("SELECT count(*) FROM ecsh_rejects").intValue == 1)
        try Self.expectSameAsReadBack(db, settings: MetricSettings())
    }

    /// Rows removed after the insert (a repeated order id, the later row wins): the pass stands aside.
    @Test func repeatedIDsMakeTheBuildReadOrders() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (db, pass) = try Self.load(Self.export(seed: 4, rows: 2000, repeatedID: true), in: dir, settings: MetricSettings(),
                                       options: LoadOptions(onError: .skip))
        #expect(!pass.isUsable)
        #expect(try db.scalar("SELECT count(*) FROM orders").intValue == 1999)
        try Self.expectSameAsReadBack(db, settings: MetricSettings())
    }

    /// The file's rows are estimated from its first batch by the bytes behind the rows parsed, not by
    /// what was read ahead of them: a file of several batches gets the shares its size asks for.
    @Test func theSharesAreSizedByTheFirstBatchsRows() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pass = CustomerFacts.LoadPass(settings: MetricSettings(), limit: 2000, ordersPerPass: 3000)
        let (db, _) = try Self.load(Self.export(seed: 14, rows: 12_000), in: dir, settings: MetricSettings(), pass: pass)
        #expect(pass.isUsable)
        // 12,000 orders and half as many again, 1,500 a share (half of 3,000: two shares are held at once):
        // 12 (reading ahead made it 8 or fewer).
        let passes = try #require(pass.spilledPasses)
        #expect((11...13).contains(passes))
        let rows = Int(try db.scalar("SELECT max(rowid) - min(rowid) + 1 FROM orders").intValue!)
        let perPass = try #require((1...rows).reversed().first { CustomerFacts.sharesOfCustomers(orders: rows, ordersPerPass: $0) == passes })
        try Self.expectSameAsReadBack(db, settings: MetricSettings(), ordersPerPass: perPass)
    }

    /// The facts' base rows written as pages and copied in (`TablePages`) are those bound, value by value, type by type
    /// and byte for byte: from a load's rows in one share and in several (scratch files), and from a rebuild reading
    /// `orders` in one share and in several.
    @Test func factsWrittenAsPagesAreThoseBound() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // By id: several shares number the customers share by share.
        let names = CustomerFacts.ownColumns.map(\.name).joined(separator: ", ")
        let base = """
            SELECT \(names), typeof(revenue), typeof(margin), typeof(aov), typeof(second_day), typeof(first_order_id)
            FROM \(CustomerFacts.baseTable) ORDER BY customer_id
            """
        let payload = "SELECT sum(payload) FROM dbstat WHERE name = '\(CustomerFacts.baseTable)'"
        let csv = Self.export(seed: 14, rows: 12_000)
        let (db, _) = try Self.load(csv, in: dir, settings: MetricSettings())
        let customers = try db.query(base).rows.count
        #expect(customers > 1000 && db.rowsCopiedFromPages == customers)
        let asLoaded = (try db.query(base).rows, try db.scalar(payload))
        db.writesDerivedPages = false
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        #expect(db.rowsCopiedFromPages == customers)
        let bound = (try db.query(base).rows, try db.scalar(payload))
        #expect(asLoaded.0 == bound.0 && asLoaded.1 == bound.1)
        db.writesDerivedPages = true
        #expect(CustomerFacts.sharesOfCustomers(orders: 12_000, ordersPerPass: 3000) > 4)
        try CustomerFacts.rebuild(db, settings: MetricSettings(), ordersPerPass: 3000)
        #expect(db.rowsCopiedFromPages == 2 * customers)
        #expect(try db.query(base).rows == bound.0 && db.scalar(payload) == bound.1)

        let pass = CustomerFacts.LoadPass(settings: MetricSettings(), limit: 2000, ordersPerPass: 3000)
        let (spilled, _) = try Self.load(csv, in: dir, settings: MetricSettings(), pass: pass)
        #expect(try #require(pass.spilledPasses) > 4)
        #expect(spilled.rowsCopiedFromPages == customers)
        #expect(try spilled.query(base).rows == bound.0 && spilled.scalar(payload) == bound.1)
    }

    /// `TMPDIR` running low while the facts' rows go there as pages (`ScratchRoom`): the rows written before are
    /// copied, the rest bound, and the facts are those bound, row for row and byte for byte; with too little room
    /// from the start, every row is bound. (Until the twenty-seventh session a small TMPDIR failed every statement
    /// that built the facts.)
    @Test func factsPagesStopWhenTMPDIRRunsLow() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let names = CustomerFacts.ownColumns.map(\.name).joined(separator: ", ")
        let base = "SELECT \(names), typeof(revenue), typeof(margin) FROM \(CustomerFacts.baseTable) ORDER BY customer_key"
        let payload = "SELECT sum(payload) FROM dbstat WHERE name = '\(CustomerFacts.baseTable)'"
        let (db, _) = try Self.load(Self.export(seed: 15, rows: 20_000), in: dir, settings: MetricSettings())
        db.writesDerivedPages = false
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let bound = (try db.query(base).rows, try db.scalar(payload))
        // Enough rows for more than two pages of 64 KiB.
        let bytes = try #require(bound.1.intValue)
        #expect(bytes > 3 * 65536, "\(bytes)")
        db.writesDerivedPages = true
        final class Looks: Sendable { let count = Atomic<Int>(0) }
        for roomyLooks in [0, 2] {
            // The folder looked at when the file is made and after each page: roomy that many times, then full.
            let looks = Looks()
            db.derivedPagesRoom = ScratchRoom(reserve: 1 << 20, checkEvery: 65536) { _ in
                looks.count.add(1, ordering: .relaxed).newValue <= roomyLooks ? 1 << 40 : 0
            }
            let before = db.rowsCopiedFromPages
            try CustomerFacts.rebuild(db, settings: MetricSettings())
            let copied = db.rowsCopiedFromPages - before
            if roomyLooks == 0 {
                #expect(copied == 0)
            } else {
                #expect(copied > 0 && copied < bound.0.count, "\(copied) of \(bound.0.count)")
            }
            #expect(try db.query(base).rows == bound.0 && db.scalar(payload) == bound.1)
        }
    }

    /// More rows than the pass may hold, and no scratch files: it stops collecting, and the build reads `orders`.
    @Test func tooManyRowsMakeTheBuildReadOrders() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pass = CustomerFacts.LoadPass(settings: MetricSettings(), limit: 500, spills: false)
        let (db, _) = try Self.load(Self.export(seed: 5, rows: 2000), in: dir, settings: MetricSettings(), pass: pass)
        #expect(!pass.isUsable)
        try Self.expectSameAsReadBack(db, settings: MetricSettings())
    }

    /// A file that by its size holds more orders than the pass holds in memory: the first share of
    /// customers is collected, the later shares' orders and the snapshot's orders go to scratch files,
    /// and the facts and snapshot are those of a build that reads `orders` back in as many shares
    /// (the customers are numbered share by share), whether the rows come in day order (the snapshot's
    /// orders then read back once) or not (sorted one range of days at a time).
    @Test(arguments: [(11, false), (12, false), (13, true)] as [(UInt64, Bool)])
    func pastTheLimitTheRowsGoToScratchFilesAsTheBuildKeepsThem(seed: UInt64, dayOrder: Bool) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var csv = Self.export(seed: seed, rows: 3000)
        if dayOrder {
            // Sorted by ordered_at (a record's quoted line break keeps it whole: split on the id's start).
            var lines = csv.components(separatedBy: "\nO")
            let header = lines.removeFirst()
            lines.sort { $0.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)[2] < $1.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)[2] }
            csv = ([header] + lines).joined(separator: "\nO")
        }
        for settings in Self.settingsVariants {
            let pass = CustomerFacts.LoadPass(settings: settings, limit: 500, ordersPerPass: 700, ordersInMemory: 900)
            let (db, _) = try Self.load(csv, in: dir, settings: settings, pass: pass)
            #expect(pass.isUsable)
            // About 3,000 orders and half as many again, 350 a share (half of 700).
            let passes = try #require(pass.spilledPasses)
            #expect(passes == 13)
            let span = try db.query("SELECT min(rowid), max(rowid) FROM orders").rows[0]
            let rows = Int(span[1].intValue! - span[0].intValue! + 1)
            let perPass = try #require((1...rows).reversed().first { CustomerFacts.sharesOfCustomers(orders: rows, ordersPerPass: $0) == passes })
            try Self.expectSameAsReadBack(db, settings: settings, ordersPerPass: perPass, ordersInMemory: 900)
            // The later shares' ties are noted while collecting and broken afterwards (`LaterShares`): the same
            // facts as one share of every customer, whose ties are broken while reading (keys aside).
            let facts = "SELECT * FROM \(CustomerFacts.table) ORDER BY customer_id"
            let split = try db.query(facts).rows.map { Array($0.dropFirst()) }
            #expect(try Self.overtaken(db, settings: settings) > 3)
            try CustomerFacts.rebuild(db, settings: settings)
            let whole = try db.query(facts).rows.map { Array($0.dropFirst()) }
            #expect(split.count == whole.count)
            for (a, b) in zip(split, whole) where !zip(a, b).allSatisfy({ SnapshotRouteTests.same($0, $1) }) {
                Issue.record("in \(passes) shares \(a), in one \(b)")
                break
            }
            let descents = try db.scalar("SELECT count(*) FROM orders a JOIN orders b ON b.rowid = a.rowid + 1 WHERE b.day < a.day")
            #expect((descents.intValue == 0) == dayOrder)
        }
    }

    /// An append loads next to earlier rows the pass never saw.
    @Test func anAppendMakesTheBuildReadOrders() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (db, first) = try Self.load(Self.export(seed: 6, rows: 1000), in: dir, settings: MetricSettings())
        #expect(first.isUsable)
        let more = dir.path("more.csv")
        try Self.export(seed: 7, rows: 1000).replacingOccurrences(of: "\nO", with: "\nN").write(toFile: more, atomically: true, encoding: .utf8)
        let pass = CustomerFacts.LoadPass(settings: MetricSettings())
        _ = try Loader(database: db, rowObserver: pass).load(LoadRequest(target: .role(.orders), path: more, append: true), beforeCommit: {
            try CustomerFacts.refreshInLoad($0, role: .orders, settings: MetricSettings(), collected: pass)
        })
        #expect(!pass.isUsable)
        #expect(try db.scalar("SELECT count(*) FROM orders").intValue == 2000)
        try Self.expectSameAsReadBack(db, settings: MetricSettings())
    }
}
