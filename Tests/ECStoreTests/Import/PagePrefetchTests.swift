import Foundation
import Glibc
import Testing
@testable import ECStore
import ECTestSupport

/// The pages a load replacing a table reads ahead (`PagePrefetch`): found from the interior pages alone, they are
/// every page SQLite's own `dbstat` lists for the tables and their indexes (overflow pages aside); a damaged file
/// never makes the walk fail or leave the file; a replacing load asks for exactly the old tables' pages.
@Suite struct PagePrefetchTests {
    /// The b-tree pages (interior and leaf; overflow pages too when `overflow`) `dbstat` lists for `names` and
    /// their indexes, as ranges.
    static func dbstatRanges(_ db: Database, _ names: [String], pageSize: Int, overflow: Bool = false) throws -> [Range<Int>] {
        let list = names.map { "'\($0)'" }.joined(separator: ", ")
        let pages = try db.query("""
            SELECT pageno FROM dbstat WHERE pagetype IN ('internal', 'leaf'\(overflow ? ", 'overflow'" : ""))
              AND name IN (SELECT name FROM sqlite_schema WHERE name IN (\(list)) OR tbl_name IN (\(list)))
            """).rows.compactMap { $0[0].intValue.map(Int.init) }
        return PagePrefetch.merged(pages, pageSize: pageSize)
    }

    /// A workspace file of 512-byte pages (deep b-trees from a few thousand rows): a rowid table with an index,
    /// a table without rowid, rows long enough for overflow pages, a table deleted from at random (leaves in no
    /// order of the file), and a small table whose root is its only page.
    static func deepWorkspace(_ dir: TemporaryDirectory, seed: UInt64) throws -> String {
        var rng = SplitMix64(seed: seed)
        let memory = try Database()
        try memory.execute("PRAGMA page_size = 512")
        try memory.execute("CREATE TABLE t (id TEXT, amount REAL, note TEXT)")
        try memory.execute("CREATE INDEX t_id ON t(id)")
        try memory.execute("CREATE TABLE w (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID")
        try memory.execute("CREATE TABLE gaps (n INTEGER, pad TEXT)")
        try memory.execute("CREATE TABLE one (n INTEGER)")
        try memory.execute("INSERT INTO one VALUES (1)")
        // Entries like the snapshot's: a name and a blob, most of them longer than a page.
        try memory.execute("CREATE TABLE blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
        for k in 0..<(150 + Int(seed) * 20) {
            let size = [Int.random(in: 1...400, using: &rng), Int.random(in: 400...6_000, using: &rng), Int.random(in: 20_000...60_000, using: &rng)][k % 3]
            try memory.execute("INSERT INTO blobs VALUES (?, zeroblob(?))", [.text("entry.\(k)"), .integer(Int64(size))])
        }
        try memory.transaction {
            for k in 0..<(6_000 + Int(seed) * 500) {
                let long = Int.random(in: 0..<40, using: &rng) == 0 ? String(repeating: "x", count: 1_500) : "n\(k)"
                try memory.execute("INSERT INTO t VALUES (?, ?, ?)", [.text("C\(UInt32.random(in: 0...UInt32.max, using: &rng))"), .real(Double(k)), .text(long)])
                try memory.execute("INSERT INTO w VALUES (?, ?)", [.text("k\(UInt64.random(in: 0...UInt64.max, using: &rng))"), .integer(Int64(k))])
                try memory.execute("INSERT INTO gaps VALUES (?, ?)", [.integer(Int64(k)), .text(String(repeating: "p", count: 40))])
            }
            try memory.execute("DELETE FROM gaps WHERE abs(random()) % 3 = 0")
            try memory.execute("INSERT INTO gaps SELECT n + 100000, pad FROM gaps WHERE n % 2 = 0")
        }
        let path = dir.path("deep-\(seed).db")
        try memory.execute("VACUUM INTO '\(path)'")
        return path
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theInteriorPagesLeadToEveryPageDbstatLists(seed: UInt64) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = try Database(path: try Self.deepWorkspace(dir, seed: seed))
        #expect(try db.scalar("PRAGMA page_size").intValue == 512)
        // Deep enough to have levels of interior pages below the root.
        #expect(try db.scalar("SELECT max(length(path) - length(replace(path, '/', ''))) FROM dbstat WHERE name = 't'").intValue ?? 0 >= 3)
        #expect(try db.scalar("SELECT count(*) FROM dbstat WHERE name = 't' AND pagetype = 'overflow'").intValue ?? 0 > 0)
        // Every page, overflow pages included (t's long notes, written in one go); indexes (w is one, without rowid):
        // their interior pages and leaves.
        for name in ["t", "w", "gaps", "one", "t_id"] {
            let found = PagePrefetch.ranges(of: [name], in: db)
            #expect(!found.isEmpty)
            #expect(found == (try Self.dbstatRanges(db, [name], pageSize: 512, overflow: true)), "seed \(seed), \(name)")
        }
        // A table of more leaves than `overflowLeaves`: its interior pages and leaves only (reading every leaf of a
        // dataset's table for overflow pages would be the DROP's own reads).
        let fd = try #require(PagePrefetch.descriptor(of: db))
        let root = Int(try db.scalar("SELECT rootpage FROM sqlite_schema WHERE name = 't'").intValue ?? 0)
        var few = BTreePages(descriptor: fd, pageSize: 512, pageCount: Int(try db.scalar("PRAGMA page_count").intValue ?? 0))
        few.overflowLeaves = 10
        let tableOnly = try db.query("SELECT pageno FROM dbstat WHERE name = 't' AND pagetype IN ('internal', 'leaf')").rows.compactMap { $0[0].intValue.map(Int.init) }
        #expect(Set(few.all(root: root)) == Set(tableOnly), "seed \(seed)")
        #expect(Set(PagePrefetch.ranges(of: ["t"], in: db).flatMap { stride(from: $0.lowerBound, to: $0.upperBound, by: 512).map { $0 / 512 + 1 } })
                .isStrictSuperset(of: Set(tableOnly)))
        // A table of few leaves, blobs longer than a page written in one go: its overflow pages too, each chain guessed
        // from its first page and the payload's length.
        #expect(try db.scalar("SELECT count(*) FROM dbstat WHERE name = 'blobs' AND pagetype = 'overflow'").intValue ?? 0 > 1_000)
        #expect(PagePrefetch.ranges(of: ["blobs"], in: db) == (try Self.dbstatRanges(db, ["blobs"], pageSize: 512, overflow: true)), "seed \(seed)")
        // Several names: each one's pages in turn, in the order given; a page named twice (the index, with its
        // table and by its own name) only the first time.
        let names = ["gaps", "t", "w", "t_id", "one"]
        #expect(PagePrefetch.ranges(of: names, in: db)
                == (try ["gaps", "t", "w", "one"].flatMap { try Self.dbstatRanges(db, [$0], pageSize: 512, overflow: true) }), "seed \(seed)")
        // The table's own index comes with it; names not in the schema, none.
        #expect(PagePrefetch.ranges(of: ["t"], in: db) != PagePrefetch.ranges(of: ["t_id"], in: db))
        #expect(PagePrefetch.ranges(of: ["nothing"], in: db).isEmpty)
        #expect(PagePrefetch.ranges(of: [], in: db).isEmpty)
    }

    /// SQLite's own descriptor of a workspace file is found (were SQLite's Unix VFS laid out otherwise, no prefetch
    /// would ever happen: this fails then); none for a workspace in memory.
    @Test func theDescriptorIsSQLitesOwn() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let path = dir.path("w.db")
        let db = try Database(path: path)
        try db.execute("CREATE TABLE t (n INTEGER)")
        let fd = try #require(PagePrefetch.descriptor(of: db))
        var a = stat(), b = stat()
        #expect(fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
        #expect(PagePrefetch.descriptor(of: try Database()) == nil)
    }

    /// Pages of random bytes (a damaged file, or pages the log holds newer copies of): the walk ends, names only
    /// pages inside the file, and reads nothing past it.
    @Test(arguments: [7, 8, 9, 10] as [UInt64])
    func aDamagedFileEndsTheWalk(seed: UInt64) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var rng = SplitMix64(seed: seed)
        let pageCount = 64, pageSize = 512
        var bytes = (0..<(pageCount * pageSize)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        // Interior pages (some with cell counts past the page) whose children point anywhere, the file's first page too.
        for page in stride(from: 0, to: pageCount, by: 3) {
            let header = page == 0 ? 100 : 0
            bytes[page * pageSize + header] = [0x05, 0x02, 0x0D, 0x0A][Int.random(in: 0..<4, using: &rng)]
        }
        let path = try dir.write("damaged", bytes: bytes)
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        let pages = BTreePages(descriptor: fd, pageSize: pageSize, pageCount: pageCount)
        for root in [0, 1, 2, 3, 6, 63, 64, 65, -1] {
            let found = pages.all(root: root)
            #expect(found.allSatisfy { (1...pageCount).contains($0) }, "root \(root)")
            if !(1...pageCount).contains(root) { #expect(found.isEmpty) }
        }
    }

    /// A staged load replacing a table asks for the pages of the old table, its index and the tables named as
    /// replaced with it, exactly (as `dbstat` lists them before the load), and loads the new rows. (Pages whose
    /// latest copy is still in the log are found as the file has them: a hint, see `PagePrefetch`.)
    @Test func aReplacingLoadAsksForTheOldTablesPages() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let first = try dir.write("a.csv", StagedRowsTests.orders(30_000, seed: 5))
        let second = try dir.write("b.csv", StagedRowsTests.orders(25_000, seed: 6, idPrefix: "P"))
        let path = dir.path("w.db")
        _ = try StagedRowsTests.load(path, first, staged: true)
        let db = try Database(path: path)
        try db.execute("CREATE TABLE derived (k INTEGER PRIMARY KEY, v TEXT)")
        try db.execute("INSERT INTO derived SELECT rowid, customer_id FROM orders")
        try db.execute("CREATE INDEX orders_customer ON orders(customer_id)")
        // As after a load, whose log is copied into the file before the next big write: the walk reads the file.
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let pageSize = Int(try db.scalar("PRAGMA page_size").intValue ?? 0)
        // The replaced table's pages first (the adoption drops it first), then the derived tables'.
        let expected = try Self.dbstatRanges(db, ["orders"], pageSize: pageSize) + Self.dbstatRanges(db, ["derived"], pageSize: pageSize)
        #expect(expected.count >= 2)
        let loader = Loader(database: db, alsoReplaced: ["derived", "not_there"])
        loader.stagePartBytes = 64 << 10
        loader.stageReplacingFrom = 1 << 20
        let summary = try loader.load(LoadRequest(target: .role(.orders), path: second))
        db.finishLogCopy()
        #expect(loader.stagedParts > 5)
        #expect(loader.prefetchedRanges == expected)
        #expect(summary.rows == 25_000)
        #expect(try db.scalar("SELECT count(*) FROM orders WHERE order_id LIKE 'P%'").intValue == 25_000)
        #expect(try db.scalar("PRAGMA integrity_check").textValue == "ok")
        // A load into a new table has no old pages to ask for.
        let fresh = Loader(database: try Database(path: dir.path("new.db")), alsoReplaced: ["derived"])
        fresh.stagePartBytes = 64 << 10
        _ = try fresh.load(LoadRequest(target: .role(.orders), path: second))
        #expect(fresh.stagedParts > 5 && fresh.prefetchedRanges.isEmpty)
    }

    /// What is asked for stays within half the memory the kernel has available: the first bytes, in order.
    @Test func theRequestsStayWithinTheMemoryAvailable() {
        let ranges = [0..<100, 200..<260, 1000..<1010]
        #expect(PagePrefetch.limited(ranges, to: 1_000) == ranges)
        #expect(PagePrefetch.limited(ranges, to: 170) == ranges)
        #expect(PagePrefetch.limited(ranges, to: 130) == [0..<100, 200..<230])
        #expect(PagePrefetch.limited(ranges, to: 100) == [0..<100])
        #expect(PagePrefetch.limited(ranges, to: 0).isEmpty)
        #expect(PagePrefetch.limited(ranges, to: -5).isEmpty)
        let meminfo = "MemTotal:       24684220 kB\nMemFree:        20733440 kB\nMemAvailable:   24121344 kB\nBuffers:  1 kB\n"
        #expect(PagePrefetch.memoryBudget(meminfo: meminfo) == 24_121_344 * 1024 / 2)
        #expect(PagePrefetch.memoryBudget(meminfo: "MemTotal: 5 kB\n") == nil)
        #expect(PagePrefetch.memoryBudget(meminfo: nil) == nil)
        // This machine's own figure can be read.
        #expect((PagePrefetch.memoryBudget() ?? 0) > 0)
    }
}
