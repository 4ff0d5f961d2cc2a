import Foundation
import Testing
@testable import ECStore
import ECTestSupport

/// A derived table's rows written as pages and copied in (`TablePages`) hold what the same values bound to an
/// `INSERT` hold, value by value, type by type and byte for byte; rows the pages cannot hold are bound by the
/// caller and land the same; the file is detached once the transaction ends, whichever way it ends.
@Suite struct TablePagesTests {
    static let columns = "k INTEGER PRIMARY KEY, id TEXT, day TEXT, n INTEGER, amount REAL, share REAL, note TEXT"
    static let quoted = "k, quote(id), quote(day), quote(n), quote(amount), quote(share), quote(note), typeof(n), typeof(amount), typeof(share)"

    /// A row's values for key `k`: texts of several scripts and lengths (some overflowing a page), integers at
    /// serial-type edges, doubles that are whole (stored as integers by REAL affinity) and not, NaN and NULLs.
    static func values(key k: Int64, _ rng: inout SplitMix64) -> [Value] {
        let edges: [Int64] = [0, 1, -1, 127, 128, 32767, 32768, 8_388_608, 2_147_483_648, 140_737_488_355_328, .max, .min]
        let reals: [Double] = [0, -0.0, 1980, 1.5, -2.25, 1e300, .infinity, .nan, 140_737_488_355_328, Double(k) / 3]
        let note: Value = switch k % 7 {
        case 0: .null
        case 1: .text(String(repeating: "🛒注文", count: Int.random(in: 1...30_000, using: &rng)))
        default: .text("")
        }
        return [.integer(k), .text("C\(k)-顧客-\(String(repeating: "x", count: Int.random(in: 0...20, using: &rng)))"),
                .text("2024-0\(1 + k % 9)-1\(k % 10)"),
                k % 11 == 0 ? .null : .integer(edges.randomElement(using: &rng)! &+ k),
                .real(reals.randomElement(using: &rng)!), .real(Double(Int.random(in: -1000...100_000, using: &rng))), note]
    }

    /// Binds `values` to pages, texts alternately as bytes (copied at once) and as strings.
    static func bind(_ values: [Value], to s: TablePages) {
        for (i, v) in values.enumerated() {
            let at = Int32(i + 1)
            switch v {
            case .integer(let n): s.bind(int64: n, at: at)
            case .real(let d): s.bind(double: d, at: at)
            case .text(let t) where i % 2 == 1:
                let bytes = Array(t.utf8)
                bytes.withUnsafeBufferPointer { s.bind(stableUTF8: $0, at: at) }
            case .text(let t): s.bind(text: t, at: at)
            default: s.bindNull(at: at)
            }
        }
    }

    /// Rows keyed `keys` written to `pages` (a row it will not take, and every one after, bound to `f`) and bound to
    /// `g`. `notCopied`: keys whose `n` is a text, which the INTEGER column keeps as text.
    static func write(_ db: Database, pages: TablePages, keys: [Int64], seed: UInt64, notCopied: Set<Int64> = []) throws {
        var rng = SplitMix64(seed: seed)
        let insert = try db.prepare("INSERT INTO f VALUES (?, ?, ?, ?, ?, ?, ?)")
        let reference = try db.prepare("INSERT INTO g VALUES (?, ?, ?, ?, ?, ?, ?)")
        for k in keys {
            var row = values(key: k, &rng)
            if notCopied.contains(k) { row[3] = .text("12 apples") }
            bind(row, to: pages)
            if try !pages.addRow() {
                try insert.bind(row)
                _ = try insert.step()
                insert.reset()
            }
            try reference.bind(row)
            _ = try reference.step()
            reference.reset()
        }
    }

    static func workspace(_ dir: TemporaryDirectory) throws -> Database {
        let db = try Database(path: dir.path("w-\(UUID().uuidString).db"))
        try db.execute("CREATE TABLE f (\(columns))")
        try db.execute("CREATE TABLE g (\(columns))")
        return db
    }

    static func expectSame(_ db: Database, payload: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let copied = try db.query("SELECT \(quoted) FROM f ORDER BY k").rows
        let bound = try db.query("SELECT \(quoted) FROM g ORDER BY k").rows
        #expect(copied.count == bound.count && !bound.isEmpty, sourceLocation: sourceLocation)
        for (c, b) in zip(copied, bound) where c != b {
            Issue.record("copied \(c.map(\.description).joined(separator: " ").prefix(200)), bound \(b.map(\.description).joined(separator: " ").prefix(200))",
                         sourceLocation: sourceLocation)
            break
        }
        guard payload else { return }
        let sizes = try db.query("SELECT name, sum(payload) FROM dbstat WHERE name IN ('f', 'g') GROUP BY name ORDER BY name").rows
        #expect(sizes.count == 2 && sizes[0][1] == sizes[1][1], "payload bytes copied / bound: \(sizes)", sourceLocation: sourceLocation)
        #expect(try db.scalar("PRAGMA integrity_check").textValue == "ok", sourceLocation: sourceLocation)
    }

    static func attached(_ db: Database) throws -> [String] {
        try db.query("PRAGMA database_list").rows.compactMap { $0[1].textValue }.filter { $0 != "main" && $0 != "temp" }
    }

    @Test(arguments: [1, 2] as [UInt64])
    func copiedRowsAreWhatBindingStores(seed: UInt64) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try Self.workspace(dir)
        var rng = SplitMix64(seed: seed)
        var keys: [Int64] = []
        var k: Int64 = Int64.random(in: -50...50, using: &rng)
        for _ in 0..<3000 { k += Int64.random(in: 0..<5, using: &rng) == 0 ? Int64.random(in: 2...1000, using: &rng) : 1; keys.append(k) }
        try db.transaction {
            let pages = try #require(TablePages.make(db, schema: "main", table: "f"))
            try Self.write(db, pages: pages, keys: keys, seed: seed)
            #expect(!pages.stopped && pages.rows == keys.count)
            try pages.copy()
            // Attached for the copy, and kept while the transaction is open (SQLite refuses DETACH inside one).
            #expect(try Self.attached(db).count == 1)
        }
        #expect(try Self.attached(db).isEmpty)
        #expect(db.rowsCopiedFromPages == keys.count)
        try Self.expectSame(db)
    }

    /// A row the pages cannot hold (a value the column would convert; a key not above the last) stops them: the
    /// caller binds it and the rest, and what the pages held is still copied, in one table with the bound rows.
    @Test func rowsThePagesCannotHoldAreBound() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try Self.workspace(dir)
        let keys = Array(Int64(1)...Int64(900))
        try db.transaction {
            let pages = try #require(TablePages.make(db, schema: "main", table: "f"))
            try Self.write(db, pages: pages, keys: keys, seed: 3, notCopied: [400])
            #expect(pages.stopped && pages.rows == 399)
            try pages.copy()
        }
        #expect(db.rowsCopiedFromPages == 399)
        try Self.expectSame(db)
        #expect(try db.scalar("SELECT typeof(n) FROM f WHERE k = 400").textValue == "text")

        let again = try Self.workspace(dir)
        try again.transaction {
            let pages = try #require(TablePages.make(again, schema: "main", table: "f"))
            // Keys falling back after 500: the rest bound, their own keys kept.
            try Self.write(again, pages: pages, keys: Array(Int64(1)...Int64(500)) + Array(Int64(-300)...Int64(-1)), seed: 4)
            #expect(pages.stopped && pages.rows == 500)
            try pages.copy()
        }
        try Self.expectSame(again)
        #expect(try Self.attached(again).isEmpty)
    }

    /// A transaction that fails after the copy keeps none of the rows and leaves no file attached; a copy outside a
    /// transaction detaches at once.
    @Test func rollbackAndCopiesOutsideTransactions() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try Self.workspace(dir)
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.transaction {
                let pages = try #require(TablePages.make(db, schema: "main", table: "f"))
                try Self.write(db, pages: pages, keys: Array(1...200), seed: 5)
                try pages.copy()
                throw Stop()
            }
        }
        #expect(try Self.attached(db).isEmpty)
        #expect(try db.scalar("SELECT count(*) FROM f").intValue == 0)

        let pages = try #require(TablePages.make(db, schema: "main", table: "f"))
        try Self.write(db, pages: pages, keys: Array(1...200), seed: 6)
        try pages.copy()
        #expect(try Self.attached(db).isEmpty)
        try Self.expectSame(db)
        // Into `temp` too (a read-only workspace's derived tables live there).
        try db.execute("DELETE FROM g")
        try db.execute("DROP TABLE f")
        try db.execute("CREATE TEMP TABLE f (\(Self.columns))")
        try db.transaction {
            let temp = try #require(TablePages.make(db, schema: "temp", table: "f"))
            try Self.write(db, pages: temp, keys: Array(1...300), seed: 7)
            #expect(!temp.stopped)
            try temp.copy()
        }
        // The copy rolled back counts too: 200 + 200 + 300.
        #expect(db.rowsCopiedFromPages == 700)
        try Self.expectSame(db, payload: false)
    }

    /// Tables and workspaces whose rows are bound: no rowid column (or one not an integer), a column of another type, a
    /// default, NOT NULL, turned off, UTF-16.
    @Test func whenRowsAreBound() throws {
        let db = try Database()
        try db.execute("CREATE TABLE a (x INTEGER, y TEXT)")
        try db.execute("CREATE TABLE b (k INTEGER PRIMARY KEY, y NUMERIC)")
        try db.execute("CREATE TABLE c (k INTEGER PRIMARY KEY, y TEXT DEFAULT 'x')")
        try db.execute("CREATE TABLE d (k TEXT PRIMARY KEY, y TEXT)")
        try db.execute("CREATE TABLE n (k INTEGER PRIMARY KEY, y INTEGER NOT NULL)")
        try db.execute("CREATE TABLE e (k INTEGER PRIMARY KEY, y TEXT)")
        for table in ["a", "b", "c", "d", "n", "missing"] { #expect(TablePages.make(db, schema: "main", table: table) == nil, "\(table)") }
        #expect(TablePages.make(db, schema: "main", table: "e") != nil)
        db.writesDerivedPages = false
        #expect(TablePages.make(db, schema: "main", table: "e") == nil)
        let utf16 = try Database()
        try utf16.execute("PRAGMA encoding = 'UTF-16le'")
        try utf16.execute("CREATE TABLE e (k INTEGER PRIMARY KEY, y TEXT)")
        #expect(TablePages.make(utf16, schema: "main", table: "e") == nil)
    }
}
