import Foundation
import Glibc
import Testing
@testable import ECStore
import ECTestSupport

/// Rows written as SQLite pages (`RowPages`): SQLite reads the file as a sound database (`integrity_check`), finds
/// every value it would have stored had the same values been bound to the same columns, and copies the records
/// into a table of the same columns as they are, at the same size as its own.
@Suite struct RowPagesTests {
    static let definitions = "\"i\" INTEGER, \"r\" REAL, \"t\" TEXT, \"j\" INTEGER, \"s\" REAL"
    static let kinds: [FieldKind] = [.integer, .real, .text, .integer, .real]

    /// Values at every edge of SQLite's integer serial types, of REAL's integer form, and texts long enough for
    /// chains of overflow pages at every page size tested.
    static func value(for kind: FieldKind, _ rng: inout SplitMix64, shortestText: Int = 0) -> Value {
        let edges: [Int64] = [0, 1, -1, 2, 127, 128, -128, -129, 32767, 32768, 8_388_607, 8_388_608, 2_147_483_647, 2_147_483_648,
                              140_737_488_355_327, 140_737_488_355_328, -140_737_488_355_328, -140_737_488_355_329,
                              Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: return .null
        default: break
        }
        switch kind {
        case .integer:
            return Bool.random(using: &rng) ? .integer(edges.randomElement(using: &rng)!) : .integer(Int64.random(in: -5_000...500_000, using: &rng))
        case .real:
            let reals: [Double] = [0, -0.0, 1, 1.5, -2.25, 1e300, -1e-300, .infinity, -.infinity, .nan, 9.2233720368547758e18,
                                   -9.2233720368547758e18, 140_737_488_355_327, 140_737_488_355_328, 4_503_599_627_370_496, 1980, 0.1]
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return .real(reals.randomElement(using: &rng)!)
            // An integer into a REAL column: kept as one up to 6 bytes, a double past them.
            case 3: return .integer(edges.randomElement(using: &rng)!)
            case 1: return .real(Double(Int.random(in: -100...100_000, using: &rng)))
            default: return .real(Double(edges.randomElement(using: &rng)!))
            }
        default:
            let lengths = [0, 1, 5, 40, 120, 600, 5_000, 70_000, 200_000]
            let n = Int.random(in: 0..<20, using: &rng) == 0 ? lengths.randomElement(using: &rng)!
                : Int.random(in: shortestText...(shortestText + 30), using: &rng)
            let letters = Array("abcxyz 注文顧客ß€🛒'\"".unicodeScalars)
            var s = ""
            while s.utf8.count < n { s.unicodeScalars.append(letters.randomElement(using: &rng)!) }
            return .text(s)
        }
    }

    /// Fills a batch's cells with `values`, texts in its arena.
    static func batch(_ rows: [[Value]]) -> RowBatch {
        let batch = RowBatch(width: rows.first?.count ?? 1, capacity: max(1, rows.count))
        for (r, row) in rows.enumerated() {
            for (k, v) in row.enumerated() {
                let cell: Cell
                switch v {
                case .null: cell = .null
                case .integer(let n): cell = .integer(n)
                case .real(let d): cell = .real(d)
                case .text(let s):
                    let bytes = Array(s.utf8)
                    batch.text.pointee.reserve(bytes.count)
                    let start = batch.text.pointee.count
                    bytes.withUnsafeBufferPointer { (batch.text.pointee.bytes + start).update(from: $0.baseAddress!, count: bytes.count) }
                    batch.text.pointee.count += bytes.count
                    cell = .text(start: start, count: bytes.count)
                default: cell = .null
                }
                batch.cells[r * batch.width + k] = cell
            }
            batch.status[r] = -1
        }
        batch.count = rows.count
        return batch
    }

    static let columnsQuoted = "rowid, quote(i), quote(r), quote(t), quote(j), quote(s), typeof(i), typeof(r), typeof(j), typeof(s)"

    /// A table of `kinds` (columns c0, c1, …): its declarations and the selection comparing rows value by value.
    struct Layout {
        let kinds: [FieldKind]
        var definitions: String { kinds.enumerated().map { "c\($0.offset) \($0.element.sqlType)" }.joined(separator: ", ") }
        var names: String { kinds.indices.map { "c\($0)" }.joined(separator: ", ") }
        var quoted: String { (["rowid"] + kinds.indices.map { "quote(c\($0)), typeof(c\($0))" }).joined(separator: ", ") }
    }

    @Test(arguments: [(512, UInt64(1)), (512, 2), (4096, 3), (65536, 4), (1024, 5)])
    func sqliteReadsWhatBindingWouldStore(pageSize: Int, seed: UInt64) throws {
        try check(Layout(kinds: Self.kinds), pageSize: pageSize, seed: seed, rows: pageSize == 65536 ? 3_000 : 2_500)
    }

    /// 140 columns: a record's header passes 127 bytes (its length then a varint of two bytes), and the values of
    /// one record (texts up to 200 KB each) outgrow the writer's buffer.
    @Test(arguments: [(4096, UInt64(6)), (65536, 7)])
    func wideRecords(pageSize: Int, seed: UInt64) throws {
        let layout = Layout(kinds: Array(repeating: Self.kinds, count: 28).flatMap { $0 })
        let rows = try check(layout, pageSize: pageSize, seed: seed, rows: 300, shortestText: 60)
        // The case this test is for: headers longer than 127 bytes (a text of 57 bytes or more takes a serial type of two).
        let longest = rows.map { row in
            row.map { v in if case .text(let t) = v { RowPages.varintLength(13 + 2 * UInt64(t.utf8.count)) } else { 1 } }.reduce(1, +)
        }.max() ?? 0
        #expect(longest > 127)
    }

    @discardableResult
    func check(_ layout: Layout, pageSize: Int, seed: UInt64, rows rowCount: Int, shortestText: Int = 0) throws -> [[Value]] {
        var rng = SplitMix64(seed: seed)
        let rows = (0..<rowCount).map { _ in layout.kinds.map { Self.value(for: $0, &rng, shortestText: shortestText) } }
        // Keys rise with gaps, as a file's lines do past a record of several lines.
        var keys: [Int64] = []
        var key: Int64 = 1
        for _ in rows { key += Int64.random(in: 0..<6, using: &rng) == 0 ? Int64.random(in: 2...40, using: &rng) : 1; keys.append(key) }

        let db = try Database()
        try db.execute("PRAGMA page_size = \(pageSize)")
        try db.execute("CREATE TABLE bound (\(layout.definitions))")
        let marks = Array(repeating: "?", count: layout.kinds.count + 1).joined(separator: ", ")
        for (row, key) in zip(rows, keys) {
            try db.execute("INSERT INTO bound (rowid, \(layout.names)) VALUES (\(marks))", [.integer(key)] + row)
        }
        let pages = try RowPages(columns: layout.kinds, tableColumns: layout.definitions, maxRecord: 1_000_000_000, pageSize: pageSize)
        let batch = Self.batch(rows)
        for r in 0..<rows.count { #expect(try pages.add(batch, row: r, key: keys[r]) == .added) }
        #expect(try pages.finish() == rows.count)
        try pages.attach(to: db, as: "ecsh_rows")
        #expect(try db.scalar("PRAGMA ecsh_rows.integrity_check").textValue == "ok")
        let bound = try db.query("SELECT \(layout.quoted) FROM bound ORDER BY rowid").rows
        let written = try db.query("SELECT \(layout.quoted) FROM ecsh_rows.t ORDER BY rowid").rows
        #expect(written.count == bound.count)
        for (w, b) in zip(written, bound) where w != b {
            Issue.record("row \(b[0]): written \(w.map(\.description).joined(separator: " ").prefix(300)), bound \(b.map(\.description).joined(separator: " ").prefix(300))")
            break
        }
        // SQLite copies the records as they are into a table of the same columns: their bytes add up to its own.
        try db.execute("CREATE TABLE copied (\(layout.definitions))")
        try db.execute("INSERT INTO copied SELECT * FROM ecsh_rows.t")
        let copied = try db.query("SELECT \(layout.quoted) FROM copied ORDER BY rowid").rows
        #expect(copied.map { Array($0.dropFirst()) } == bound.map { Array($0.dropFirst()) })
        let sizes = try db.query("SELECT name, sum(payload) FROM dbstat WHERE name IN ('bound', 'copied') GROUP BY name ORDER BY name").rows
        #expect(sizes.count == 2 && sizes[0][1] == sizes[1][1], "payload bytes bound / copied: \(sizes)")
        #expect(try db.scalar("PRAGMA integrity_check").textValue == "ok")
        return rows
    }
}

extension RowPagesTests {
    /// Files attached inside a transaction, several per transaction (SQLite allows ATTACH there, not DETACH), in a
    /// workspace file in WAL mode: each copy reads its own file's rows; the files are detached after the commit.
    /// `removeAbandoned` reads each entry's name where readdir left it: among thousands of names of every length it
    /// removes the page file of a process that is gone, keeps this process's own and every other file. (The old code
    /// copied 256 bytes of each name and crashed once in CI past the end of readdir's buffer; that depends on the
    /// buffer's place in memory, so this test checks the reading, not the crash.)
    @Test func abandonedPageFilesAreFoundAmongManyNames() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var names: [String] = []
        for i in 0..<3000 { names.append("TemporaryDirectory." + String(repeating: "x", count: i % 200) + "\(i)") }
        let dead = RowPages.prefix + "\(Int32.max)-1.db", mine = RowPages.prefix + "\(getpid())-1.db"
        for name in names + [dead, mine] { #expect(FileManager.default.createFile(atPath: dir.path(name), contents: nil)) }
        RowPages.removeAbandoned(in: dir.url.path)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.url.path))
        #expect(!left.contains(dead) && left.contains(mine))
        #expect(left.count == names.count + 1)
    }

    @Test func filesAttachedInsideTransactions() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = try Database(path: dir.path("w.db"))
        try db.execute("CREATE TABLE s (\(Self.definitions))")
        var rng = SplitMix64(seed: 11)
        var all: [[Value]] = []
        for transaction in 0..<3 {
            try db.execute("BEGIN IMMEDIATE")
            var names: [String] = []
            for copy in 0..<4 {
                let n = [1, 3_000, 40, 0, 900, 2_000][(transaction * 4 + copy) % 6]
                let rows = (0..<n).map { _ in Self.kinds.map { Self.value(for: $0, &rng) } }
                let pages = try RowPages(columns: Self.kinds, tableColumns: Self.definitions, maxRecord: 1_000_000_000)
                let batch = Self.batch(rows)
                for r in rows.indices { _ = try pages.add(batch, row: r, key: Int64(r + 1)) }
                #expect(try pages.finish() == n)
                let name = "ecsh_rows_\(copy + 1)"
                try pages.attach(to: db, as: name)
                names.append(name)
                // The file is gone from the folder once attached.
                #expect(access(pages.path, F_OK) != 0)
                try db.execute("INSERT INTO s SELECT * FROM \(name).t")
                all += rows
                #expect(try db.scalar("SELECT count(*) FROM s").intValue == Int64(all.count), "transaction \(transaction), copy \(copy)")
            }
            #expect(throws: DatabaseError.self) { try db.execute("DETACH DATABASE ecsh_rows_1") }
            try db.execute("COMMIT")
            for name in names { try db.execute("DETACH DATABASE \(name)") }
        }
        try db.execute("CREATE TABLE bound (\(Self.definitions))")
        for row in all { try db.execute("INSERT INTO bound VALUES (?, ?, ?, ?, ?)", row) }
        #expect(try db.query("SELECT \(Self.columnsQuoted) FROM s").rows.map { Array($0.dropFirst()) }
                == db.query("SELECT \(Self.columnsQuoted) FROM bound").rows.map { Array($0.dropFirst()) })
        #expect(try !db.query("PRAGMA database_list").rows.contains { $0[1].textValue?.hasPrefix("ecsh_rows") == true })
    }
}

extension RowPagesTests {
    /// A file written and never attached (the load failed or was stopped before its copy) is removed with its writer;
    /// one attached is gone from the folder at once.
    @Test func noFileIsLeftInTheFolder() throws {
        var path = ""
        do {
            let pages = try RowPages(columns: Self.kinds, tableColumns: Self.definitions, maxRecord: 1_000_000_000)
            let batch = Self.batch([[.integer(1), .real(2.5), .text("x"), .null, .null]])
            _ = try pages.add(batch, row: 0, key: 1)
            try pages.finish()
            path = pages.path
            #expect(access(path, F_OK) == 0)
            #expect(path.hasPrefix("\(TemporaryFile.folder)/ecsh-rows-\(getpid())-"))
        }
        #expect(access(path, F_OK) != 0)
    }

    /// A folder that cannot take a file (here: one that does not exist): the writer is not made, with an error naming
    /// the folder and the reason, and nothing is freed twice (the buffers were, once by the failed init and once by
    /// `deinit`, which aborted the process). The callers bind those rows instead (FaultInjectionTests).
    @Test func aFolderThatCannotTakeAFile() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let missing = dir.path("missing")
        for _ in 0..<3 {
            do {
                _ = try RowPages(affinities: [.integer, .real, .text], tableColumns: "a INTEGER, b REAL, c TEXT",
                                 maxRecord: 1_000_000_000, folder: missing)
                Issue.record("a writer was made in \(missing)")
            } catch let error as StoreError {
                #expect(error.message == "cannot make a temporary file for rows to copy into the workspace in \(missing): No such file or directory")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    /// The folder's room (`ScratchRoom`): rows are taken while it has more than the reserve free (looked at when the
    /// file is made and every `checkEvery` bytes), then none; the file holds the rows taken, whole. Here the folder
    /// behaves as a file system of 200 KB: its free space is that less what it holds.
    @Test(arguments: [200 << 10, 60 << 10])
    func rowsStopWhenTheFolderRunsLow(size: Int) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let room = ScratchRoom(reserve: 64 << 10, checkEvery: 16 << 10) { folder in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return size - names.reduce(0) { used, name in
                used + ((try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)"))?[.size] as? Int ?? 0)
            }
        }
        let pages = try RowPages(affinities: [.integer, .text], tableColumns: "k INTEGER, t TEXT", maxRecord: 1 << 30,
                                 pageSize: 4096, folder: dir.url.path, room: room)
        let rows = 2000
        let batch = Self.batch((0..<rows).map { [.integer(Int64($0)), .text(String(repeating: "x", count: 200))] })
        var taken = 0, refused = 0
        for r in 0..<rows {
            switch try pages.add(batch, row: r, key: Int64(r + 1)) {
            case .added:
                #expect(refused == 0, "row \(r) taken after one was refused")
                taken += 1
            case .outOfRoom: refused += 1
            case .notCopied: Issue.record("row \(r) not copied")
            }
        }
        let fileBytes = try #require(try FileManager.default.attributesOfItem(atPath: pages.path)[.size] as? Int)
        if size < 64 << 10 {
            #expect(taken == 0)
        } else {
            // Stopped once less than the reserve was left, at most `checkEvery` and a page later.
            #expect(taken > 100 && taken < rows)
            #expect(fileBytes >= size - (64 << 10) - 4096 && fileBytes <= size - (64 << 10) + (16 << 10) + 4096, "\(fileBytes)")
        }
        #expect(taken + refused == rows)
        try pages.finish()
        let db = try Database()
        try pages.attach(to: db, as: "ecsh_rows")
        let row = try db.query("SELECT count(*), min(rowid), max(rowid), min(k), max(k), total(length(t)) FROM ecsh_rows.t").rows[0]
        #expect(row == [.integer(Int64(taken)), taken == 0 ? .null : .integer(1), taken == 0 ? .null : .integer(Int64(taken)),
                        taken == 0 ? .null : .integer(0), taken == 0 ? .null : .integer(Int64(taken - 1)), .real(Double(200 * taken))])
        #expect(try db.scalar("PRAGMA ecsh_rows.integrity_check").textValue == "ok")
    }

    /// The files of a process that was killed between writing a file and attaching it are removed by the next load's
    /// sweep; this process's and another running process's are left, as is anything else in the folder.
    @Test func filesOfEndedProcessesAreRemoved() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let names = ["ecsh-rows-\(dead)-a1b2c3", "ecsh-rows-\(getpid())-d4e5f6", "ecsh-rows-1-g7h8i9", "ecsh-rows-x", "notes.txt"]
        for name in names { _ = try dir.write(name, "x") }
        RowPages.removeAbandoned(in: dir.url.path)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted()
        #expect(left == names.dropFirst().sorted(), "\(left)")
    }
}
