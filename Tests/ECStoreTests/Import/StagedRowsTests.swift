import Foundation
import Glibc
import Testing
@testable import ECStore
import ECTestSupport

/// A whole table loaded anew commits its rows in parts into a table of its own (`StagedRows`) before
/// the load's transaction adopts them: the same table as one transaction, readers that never see the
/// parts, nothing left behind by a failed load, and abandoned parts dropped by the next session.
@Suite struct StagedRowsTests {
    static let header = "order_id,customer_id,ordered_at,amount,status,channel\n"

    /// `n` orders (about 60 bytes each), ids distinct; `bad` puts a date nobody can read on that line.
    static func orders(_ n: Int, seed: UInt64, bad line: Int? = nil, idPrefix: String = "O") -> String {
        var rng = SplitMix64(seed: seed)
        var text = header
        for k in 0..<n {
            let day = line == k + 2 ? "2024-13-45" : "2024-\(String(format: "%02d", Int.random(in: 1...12, using: &rng)))-\(String(format: "%02d", Int.random(in: 1...28, using: &rng)))"
            let status = ["paid", "shipped", "cancelled", "返品", "発送済み"][Int.random(in: 0..<5, using: &rng)]
            text += "\(idPrefix)\(k),c\(Int.random(in: 0..<(n / 3 + 1), using: &rng)),\(day),\(Int.random(in: 1...90_000, using: &rng)),\(status),\(["shop", "rakuten", "amazon"][k % 3])\n"
        }
        return text
    }

    static func contents(_ db: Database) throws -> [[Value]] {
        try db.query("SELECT rowid, * FROM orders ORDER BY rowid").rows
            + db.query("SELECT name, role, source, rows, min_date, max_date FROM ecsh_datasets ORDER BY name").rows
            + db.query("SELECT name, type FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").rows
    }

    static func stagedTables(_ db: Database) throws -> Int {
        Int(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE \(Database.stagedNames)").intValue ?? -1)
    }

    /// Loads `path` into the workspace file at `dbPath`, staged in parts of `partBytes` or in one transaction.
    /// `replacingFrom`: the least file size at which a load replacing a table stages (lowered from 256 MB).
    static func load(_ dbPath: String, _ path: String, staged: Bool, partBytes: Int = 64 << 10, replacingFrom: Int = 1 << 20,
                     pages: Bool = true, progress: ((LoadProgress) -> Void)? = nil,
                     paged: ((Int) -> Void)? = nil) throws -> (LoadSummary, Int) {
        let db = try Database(path: dbPath)
        let loader = Loader(database: db)
        loader.stagesRows = staged
        loader.writesPages = pages
        defer { paged?(loader.pagedRows) }
        loader.stagePartBytes = partBytes
        loader.stageReplacingFrom = replacingFrom
        let s = try loader.load(LoadRequest(target: .role(.orders), path: path), progress: progress)
        db.finishLogCopy()
        return (s, loader.stagedParts)
    }

    /// Random files, loaded into a new workspace and then again over the first load: staged in parts
    /// or in one transaction, the same rows, bookkeeping and schema, and the same summary.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func stagedLoadsEqualOneTransaction(seed: UInt64) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let first = try dir.write("a.csv", Self.orders(30_000 + Int(seed) * 1_000, seed: seed))
        let second = try dir.write("b.csv", Self.orders(26_000, seed: seed + 100, idPrefix: "P"))
        for path in [first, second] {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            #expect(size >= StagedRows.minFileBytes)
        }
        let staged = dir.path("staged.db"), whole = dir.path("whole.db"), bound = dir.path("bound.db")
        for path in [first, second] {
            let (a, parts) = try Self.load(staged, path, staged: true)
            // In one transaction, the second replacing the first: rows as pages too, copied at the end; and bound.
            var paged = 0
            let (b, none) = try Self.load(whole, path, staged: false, paged: { paged = $0 })
            #expect(paged == b.rows - 1, "the first record, line 2, is bound; \(paged)")
            _ = try Self.load(bound, path, staged: false, pages: false)
            #expect(try Self.contents(Database(path: whole)) == Self.contents(Database(path: bound)), "seed \(seed), \(path)")
            // About one part per 64 KiB of the file (committed at the batch that passes the mark).
            #expect(parts > 5, "seed \(seed): \(parts) parts")
            #expect(none == 0)
            #expect(a.rows == b.rows && a.statuses == b.statuses && a.notes == b.notes && a.idsProven == b.idsProven)
            let x = try Database(path: staged), y = try Database(path: whole)
            #expect(try Self.contents(x) == Self.contents(y), "seed \(seed), \(path)")
            #expect(try Self.stagedTables(x) == 0)
            #expect(try x.scalar("PRAGMA integrity_check").textValue == "ok")
        }
    }

    /// Rows written as SQLite pages and copied in (`RowPages`) against the same rows bound: orders with a note
    /// of several lines here and there (the next record's rowid, its line, skips: bound with it, the pages going
    /// on after), then so many that the pages stop and the rest is bound. The same rows, rowids and summary.
    @Test(arguments: [(7, 4), (8, 300), (9, 0)] as [(UInt64, Int)])
    func rowsCopiedFromPagesEqualRowsBound(seed: UInt64, notes: Int) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var rng = SplitMix64(seed: seed)
        var lines = Self.orders(30_000, seed: seed).split(separator: "\n").map(String.init)
        lines[0] += ",note"
        let noted = Set((0..<notes).map { _ in Int.random(in: 1..<lines.count, using: &rng) })
        for k in 1..<lines.count {
            lines[k] += noted.contains(k) ? ",\"a note,\non two lines 注文\"" : (k % 7 == 0 ? ",\"短い, note\"" : ",")
        }
        let path = try dir.write("n.csv", lines.joined(separator: "\n") + "\n")
        var paged: [Int] = []
        let (a, parts) = try Self.load(dir.path("pages.db"), path, staged: true, paged: { paged.append($0) })
        let (b, _) = try Self.load(dir.path("bound.db"), path, staged: true, pages: false, paged: { paged.append($0) })
        var wholePaged = 0
        let (c, none) = try Self.load(dir.path("whole.db"), path, staged: false, paged: { wholePaged = $0 })
        #expect(parts > 5 && none == 0)
        #expect(a.rows == 30_000 && a.rows == b.rows && b.rows == c.rows && a.statuses == b.statuses && a.notes == c.notes)
        let x = try Database(path: dir.path("pages.db"))
        let contents = try Self.contents(x)
        #expect(try contents == Self.contents(Database(path: dir.path("bound.db"))))
        #expect(try contents == Self.contents(Database(path: dir.path("whole.db"))))
        // Rowids are the records' lines: the last record's line counts the lines of the notes before it.
        #expect(try x.scalar("SELECT max(rowid) FROM orders").intValue == Int64(30_001 + noted.count))
        #expect(try x.scalar("SELECT count(*) FROM orders WHERE note LIKE '%' || char(10) || '%'").intValue == Int64(noted.count))
        // Bound: the first record (line 2, the pages' first rowid would be 1) and each after a note, up to 64 of them;
        // past those the pages stop.
        let bound = min(1 + noted.count, PagedRows.maxBoundRows + 1)
        if noted.count < PagedRows.maxBoundRows {
            #expect(paged == [30_000 - bound, 0], "\(paged), \(noted.count) notes")
        } else {
            #expect(paged[0] > 0 && paged[0] < 30_000 - 1_000 && paged[1] == 0, "\(paged)")
        }
        // In one transaction a copy after each note takes a file of its own, and past 8 files the rest is bound.
        if noted.count < 8 {
            #expect(wholePaged == 30_000 - bound, "\(wholePaged), \(noted.count) notes")
        } else {
            #expect(wholePaged > 0 && wholePaged < 30_000 - 1_000, "\(wholePaged)")
        }
        #expect(try x.scalar("PRAGMA integrity_check").textValue == "ok")
    }

    /// A load in one transaction (here replacing a table from a file under 256 MB, twice on one connection) detaches
    /// the files it copied from once its transaction ends (that none is left in the folder, FaultInjectionTests checks
    /// with a TMPDIR of its own: other tests write there meanwhile).
    @Test func aLoadInOneTransactionDetachesItsFiles() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let path = try dir.write("o.csv", Self.orders(30_000, seed: 21))
        let db = try Database(path: dir.path("w.db"))
        let loader = Loader(database: db)
        loader.stagesRows = false
        for _ in 0..<2 {
            _ = try loader.load(LoadRequest(target: .role(.orders), path: path))
            #expect(loader.stagedParts == 0 && loader.pagedRows == 29_999)
            #expect(try db.query("PRAGMA database_list").rows.compactMap { $0[1].textValue }.filter { $0.hasPrefix("ecsh_rows") } == [])
        }
        #expect(try db.scalar("SELECT count(*) FROM orders").intValue == 30_000)
    }

    /// A workspace in UTF-16 (made by another program) cannot attach the pages' UTF-8 files: its staged load binds
    /// every row, and loads what a UTF-8 workspace loads.
    @Test func aWorkspaceInUTF16BindsItsRows() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let memory = try Database()
        try memory.execute("PRAGMA encoding = 'UTF-16le'")
        try memory.execute("CREATE TABLE note (x TEXT)")
        try memory.execute("VACUUM INTO ?", [.text(dir.path("utf16.db"))])
        let path = try dir.write("o.csv", Self.orders(30_000, seed: 12))
        var paged: [Int] = []
        let (a, parts) = try Self.load(dir.path("utf16.db"), path, staged: true, paged: { paged.append($0) })
        let (b, _) = try Self.load(dir.path("utf8.db"), path, staged: true, paged: { paged.append($0) })
        #expect(try Database(path: dir.path("utf16.db")).scalar("PRAGMA encoding").textValue == "UTF-16le")
        #expect(parts > 5 && a.rows == 30_000 && a.rows == b.rows && a.statuses == b.statuses)
        #expect(paged == [0, 30_000 - 1], "\(paged)")
        #expect(try Self.contents(Database(path: dir.path("utf16.db"))).prefix(30_000) == Self.contents(Database(path: dir.path("utf8.db"))).prefix(30_000))
    }

    /// Exact repeats (collapsed by the adopting transaction's SQL, the ids not proven while parsing), guest
    /// orders and odd status words, staged or not: the same rows, the same counts and notes.
    @Test func stagedRepeatsAndGuestsEqualOneTransaction() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var lines = Self.orders(30_000, seed: 21).split(separator: "\n").map(String.init)
        // Guests: no customer id on every 50th order; exact repeats of every 400th.
        for k in stride(from: 1, to: lines.count, by: 50) {
            var cells = lines[k].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[1] = ""
            lines[k] = cells.joined(separator: ",")
        }
        lines += stride(from: 3, to: lines.count, by: 400).map { lines[$0] }
        let path = try dir.write("r.csv", lines.joined(separator: "\n") + "\n")
        let (a, parts) = try Self.load(dir.path("staged.db"), path, staged: true)
        let (b, _) = try Self.load(dir.path("whole.db"), path, staged: false)
        #expect(parts > 5)
        #expect(a.exactRepeats == 75 && b.exactRepeats == 75 && !a.idsProven)
        #expect(a.guests == 600 && b.guests == 600)
        #expect(a.rows == 30_000 && a.rows == b.rows && a.statuses == b.statuses && a.notes == b.notes)
        let x = try Database(path: dir.path("staged.db")), y = try Database(path: dir.path("whole.db"))
        #expect(try Self.contents(x) == Self.contents(y))
        #expect(try Self.stagedTables(x) == 0)
    }

    /// A table of the file's own columns (`load table`), one of them widened past the sample near the
    /// end (the adopting transaction rebuilds the table with the wider type): staged or not, the same.
    @Test func aStagedTableWithAWidenedColumnEqualsOneTransaction() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var text = "n,q,label\n"
        for i in 1...80_000 { text += "\(i),\(i * 7),item \(i % 97)\n" }
        text += "80001,2.5,late\n80002,n/a,later\n"
        let path = try dir.write("t.csv", text)
        var results: [[[Value]]] = []
        for staged in [true, false] {
            let db = try Database(path: dir.path("\(staged).db"))
            let loader = Loader(database: db)
            loader.stagesRows = staged
            loader.stagePartBytes = 64 << 10
            let s = try loader.load(LoadRequest(target: .table("t"), path: path))
            #expect((loader.stagedParts > 5) == staged, "\(loader.stagedParts) parts")
            #expect(s.notes.contains { $0.contains("'q' became text at line 80002 (was integer)") }, "\(s.notes)")
            db.finishLogCopy()
            results.append(try db.query("SELECT rowid, n, q, typeof(q), label FROM t ORDER BY rowid").rows
                           + db.query("SELECT name, type FROM pragma_table_info('t')").rows
                           + db.query("SELECT name FROM sqlite_schema ORDER BY name").rows)
        }
        #expect(results[0] == results[1])
        // Independently of the one-transaction load: the file's values, the earlier ones as text now.
        #expect(results[0][79_999][2] == "560000" && results[0][80_000][2] == "2.5" && results[0][80_001][2] == "n/a")
    }

    /// A load replacing a table from a file under `StagedRows.minReplacingFileBytes` goes in one transaction,
    /// reusing the old rows' pages; staged, the file keeps room for both (the old pages left free).
    @Test func smallReplacingLoadsReuseTheOldPages() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let file = try dir.write("o.csv", Self.orders(40_000, seed: 4))
        func pages(_ path: String) throws -> Int { Int(try Database(path: path).scalar("PRAGMA page_count").intValue ?? 0) }
        let reused = dir.path("reused.db"), staged = dir.path("staged.db")
        #expect(try Self.load(reused, file, staged: true).1 > 0)
        #expect(try Self.load(staged, file, staged: true).1 > 0)
        let first = try pages(reused)
        #expect(try Self.load(reused, file, staged: true, replacingFrom: StagedRows.minReplacingFileBytes).1 == 0)
        #expect(try Self.load(staged, file, staged: true).1 > 0)
        let (afterReuse, afterStaged) = (try pages(reused), try pages(staged))
        #expect(afterReuse <= first + 2, "\(first) → \(afterReuse)")
        #expect(afterStaged > first + first / 4, "\(first) → \(afterStaged)")
    }

    /// A second connection, asked at each progress report of a staged load: it still reads the old
    /// orders (and `tableNames` never lists the parts), while the parts are committed in the file.
    @Test func readersSeeTheOldRowsWhileThePartsCommit() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let dbPath = dir.path("w.db")
        _ = try Self.load(dbPath, try dir.write("old.csv", Self.orders(30, seed: 9)), staged: true)
        let reader = try Database(path: dbPath)
        var seen: [(orders: Int, staged: Int, listed: [String])] = []
        func count(_ sql: String) -> Int { ((try? reader.scalar(sql).intValue) ?? nil).map(Int.init) ?? -1 }
        let new = try dir.write("new.csv", Self.orders(40_000, seed: 10))
        let (s, parts) = try Self.load(dbPath, new, staged: true, partBytes: 256 << 10) { _ in
            let part = (try? reader.query("SELECT name FROM sqlite_schema WHERE \(Database.stagedNames)").rows.first?.first?.textValue) ?? nil
            seen.append((count("SELECT count(*) FROM orders"), part.map { count("SELECT count(*) FROM \(quoteIdentifier($0))") } ?? 0,
                         (try? reader.tableNames()) ?? ["failed"]))
        }
        #expect(s.rows == 40_000 && parts > 4, "\(parts) parts")
        #expect(!seen.isEmpty)
        #expect(seen.allSatisfy { $0.orders == 30 && $0.listed == ["orders"] }, "\(seen)")
        // Some rows were committed to the parts before the load's own commit.
        #expect(seen.contains { $0.staged > 0 }, "\(seen)")
        #expect(try reader.scalar("SELECT count(*) FROM orders").intValue == 40_000)
        #expect(try Self.stagedTables(reader) == 0)
    }

    /// A bad row near the end of a staged load (many parts committed by then): a located error, the
    /// old rows as they were, and no parts left in the file.
    @Test func aFailedStagedLoadLeavesTheWorkspaceAsItWas() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let dbPath = dir.path("w.db")
        _ = try Self.load(dbPath, try dir.write("old.csv", Self.orders(30, seed: 1)), staged: true)
        let before = try Self.contents(try Database(path: dbPath))
        let bad = try dir.write("bad.csv", Self.orders(30_000, seed: 2, bad: 29_990))
        let db = try Database(path: dbPath)
        let loader = Loader(database: db)
        loader.stagePartBytes = 64 << 10
        #expect {
            try loader.load(LoadRequest(target: .role(.orders), path: bad))
        } throws: { error in
            (error as? LoadError).map { $0.line == 29_990 && $0.field == "ordered_at" } ?? false
        }
        db.finishLogCopy()
        #expect(try Self.contents(db) == before)
        #expect(try Self.stagedTables(db) == 0)
        #expect(try db.scalar("PRAGMA integrity_check").textValue == "ok")
    }

    /// A staged load stopped (Ctrl-C) after parts of its rows were copied from pages: the old rows as they were,
    /// no parts left, and the pages' file detached (the connection has its workspace alone).
    @Test func aLoadStoppedAfterPagesWereCopiedLeavesTheWorkspaceAsItWas() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let dbPath = dir.path("w.db")
        _ = try Self.load(dbPath, try dir.write("old.csv", Self.orders(30, seed: 1)), staged: true)
        let before = try Self.contents(try Database(path: dbPath))
        let flag = InterruptFlag()
        let db = try Database(path: dbPath, interruptFlag: flag)
        let loader = Loader(database: db)
        loader.stagePartBytes = 64 << 10
        loader.stageReplacingFrom = 1 << 20
        var reports = 0
        var stagedRows: [Int] = []
        let reader = try Database(path: dbPath)
        #expect(throws: DatabaseError.self) {
            try loader.load(LoadRequest(target: .role(.orders), path: try dir.write("new.csv", Self.orders(40_000, seed: 3)))) { _ in
                reports += 1
                let part = (try? reader.query("SELECT name FROM sqlite_schema WHERE \(Database.stagedNames)").rows.first?.first?.textValue) ?? nil
                stagedRows.append(part.flatMap { Int((try? reader.scalar("SELECT count(*) FROM \(quoteIdentifier($0))").intValue) ?? -1) } ?? 0)
                if reports == 2 { flag.raise() }
            }
        }
        #expect(stagedRows.contains { $0 > 10_000 }, "\(stagedRows)")
        db.finishLogCopy()
        #expect(try Self.contents(db) == before)
        #expect(try Self.stagedTables(db) == 0)
        #expect(try !db.query("PRAGMA database_list").rows.contains { $0[1].textValue?.hasPrefix("ecsh_rows") == true })
        #expect(try db.scalar("PRAGMA integrity_check").textValue == "ok")
    }

    /// Staged tables of a process that no longer runs are dropped when the workspace next opens for
    /// writing, and by the next load; another running process's are left alone.
    @Test func abandonedPartsAreDroppedAndOthersKept() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let dbPath = dir.path("w.db")
        // A process id that has ended: a child that ran and was waited for.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        #expect(kill(dead, 0) != 0)
        do {
            let db = try Database(path: dbPath)
            try db.execute("CREATE TABLE ecsh_staged_\(dead)_12 (order_id TEXT)")
            try db.execute("INSERT INTO ecsh_staged_\(dead)_12 VALUES ('x')")
            // Process 1 runs as long as the machine does.
            try db.execute("CREATE TABLE ecsh_staged_1_34 (order_id TEXT)")
        }
        let db = try Database(path: dbPath)
        #expect(try db.query("SELECT name FROM sqlite_schema WHERE \(Database.stagedNames)").rows == [["ecsh_staged_1_34"]])
        try db.execute("CREATE TABLE ecsh_staged_\(getpid())_56 (order_id TEXT)")
        // A load drops this process's own leftovers too (a load here stages one at a time).
        _ = try Self.load(dbPath, try dir.write("o.csv", Self.orders(20_000, seed: 3)), staged: true)
        #expect(try db.query("SELECT name FROM sqlite_schema WHERE \(Database.stagedNames)").rows == [["ecsh_staged_1_34"]])
    }
}

extension StagedRowsTests {
    /// Files of every kind of field an export has (whole numbers of every size, zero-padded codes, decimals with
    /// separators and currency marks, dates, empty fields, quotes, text of several lines and scripts) loaded as a
    /// table of the file's own columns: written as pages or bound, the same values of the same types, row by row.
    @Test(arguments: [31, 32, 33] as [UInt64])
    func messyFieldsCopiedFromPagesEqualFieldsBound(seed: UInt64) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var rng = SplitMix64(seed: seed)
        func field(_ kind: Int) -> String {
            if Int.random(in: 0..<25, using: &rng) == 0 { return "" }
            switch kind {
            case 0: return String([Int64.random(in: -9...9, using: &rng), Int64.random(in: -200_000...200_000, using: &rng),
                                   Int64.max, Int64.min + 1, 140_737_488_355_328, 0, 1][Int.random(in: 0..<7, using: &rng)])
            case 1: return ["\"1,980\"", "\"¥2,500\"", "3.25", "-0.5", "1e3", "980円", "12", "0", "1", "2.5e-7", "$ 12.50"][Int.random(in: 0..<11, using: &rng)]
            case 2: return ["007", "0123", "42", "A-17", "00"][Int.random(in: 0..<5, using: &rng)]
            case 3: return "2024-\(String(format: "%02d", Int.random(in: 1...12, using: &rng)))-0\(Int.random(in: 1...9, using: &rng))" + (Bool.random(using: &rng) ? " 10:2\(Int.random(in: 0...9, using: &rng))" : "")
            default:
                let words = ["plain", "\"quoted, with comma\"", "\"two\nlines\"", "注文 テスト", "emoji 🛒", "\"say \"\"hi\"\"\"", "  padded  "]
                return words[Int.random(in: 0..<(Int.random(in: 0..<50, using: &rng) == 0 ? words.count : 2), using: &rng)]
            }
        }
        var text = "n,amount,code,day,note\n"
        while text.utf8.count < 1_300_000 { text += (0..<5).map { field($0) }.joined(separator: ",") + "\n" }
        // A field late in the file that widens a column the sample typed as numbers.
        if seed == 33 { text += "n/a,7,code-x,2024-01-01,late\n" }
        let path = try dir.write("m.csv", text)
        var results: [[[Value]]] = []
        var paged: [Int] = []
        for pages in [true, false] {
            let db = try Database(path: dir.path("\(pages).db"))
            let loader = Loader(database: db)
            loader.stagePartBytes = 64 << 10
            loader.writesPages = pages
            _ = try loader.load(LoadRequest(target: .table("m"), path: path))
            #expect(loader.stagedParts > 5)
            paged.append(loader.pagedRows)
            results.append(try db.query("""
                SELECT rowid, quote(n), typeof(n), quote(amount), typeof(amount), quote(code), typeof(code), quote(day), quote(note) FROM m ORDER BY rowid
                """).rows + db.query("SELECT name, type FROM pragma_table_info('m')").rows)
        }
        #expect(results[0].count > 20_000)
        #expect(results[0] == results[1])
        #expect(paged[0] > 1_000 && paged[1] == 0, "\(paged)")
    }
}
