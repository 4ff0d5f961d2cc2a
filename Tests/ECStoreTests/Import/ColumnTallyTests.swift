import Testing
import ECTestSupport
@testable import ECStore

/// Each column's count, minimum and maximum as the load counts them while parsing (`ColumnTally`,
/// kept by `ColumnStatistics` for `describe`), checked against `count`, `min` and `max` in SQL over
/// the table the load left; and never used once the table changed.
@Suite struct ColumnTallyTests {
    /// Texts that order differently by bytes than by characters or case, prefixes of each other, non-ASCII,
    /// one character in two forms (equal as Swift strings, not as bytes).
    static let texts = ["a", "ab", "B", "b", "Ä", "A\u{308}", "ä", "z", "東京", "とうきょう", "ｶﾅ", "a b", "zz", "0", "~"]

    /// A file with an id, text of many shapes, integers, reals (negative, whole, fractional, -0 the largest),
    /// a column of one character in its two forms, a date, a timestamp, a column that widens from integer to real halfway, and one that turns to
    /// text; about a tenth of the cells empty.
    static func file(_ f: LoadFixture, seed: UInt64, rows: Int, statuses: Bool = false) throws -> String {
        var rng = SplitMix64(seed: seed)
        var text = "order_id,customer_id,ordered_at,amount,note,form,qty,ratio,negative,widens,turns,signup" + (statuses ? ",status" : "") + "\n"
        func maybe(_ s: String) -> String { rng.next() % 10 == 0 ? "" : s }
        for i in 0..<rows {
            let note = texts[Int(rng.next() % UInt64(texts.count))] + (rng.next() % 3 == 0 ? "\(rng.next() % 100)" : "")
            let amount = ["-0", "0", "12.5", "-3", "1e3", "99999.25", "7"][Int(rng.next() % 7)]
            let qty = Int64(rng.next() % 2_000_001) - 1_000_000
            let ratio = Double(Int64(rng.next() % 20_001) - 10_000) / 64
            let widens = i < rows / 2 ? "\(rng.next() % 50)" : "\(rng.next() % 50).5"
            let turns = i == rows - 3 ? "n/a" : "\(rng.next() % 9)"
            let day = "202\(3 + rng.next() % 2)-\(String(format: "%02d", 1 + rng.next() % 12))-\(String(format: "%02d", 1 + rng.next() % 28))"
            let status = ["completed", "発送済み", "キャンセル", "odd word", ""][Int(rng.next() % 5)]
            text += "O\(i),\(maybe("C\(rng.next() % 300)")),\(day) \(String(format: "%02d", rng.next() % 24)):00:00,\(amount),"
                + "\"\(maybe(note))\",\(rng.next() % 2 == 0 ? "Ä" : "A\u{308}"),\(maybe("\(qty)")),\(maybe("\(ratio)")),\(["-0", "-0.0", "-2.5"][Int(rng.next() % 3)]),\(widens),\(turns),\(maybe(day))"
                + (statuses ? ",\(status)" : "") + "\n"
        }
        return try f.file("t\(seed).csv", text)
    }

    /// SQL's figures for every column of `table`, and its row count.
    static func sqlFigures(_ db: Database, _ table: String) throws -> (rows: Int, figures: [String: ColumnStatistics.Figures]) {
        var figures: [String: ColumnStatistics.Figures] = [:]
        for c in try db.columns(of: table) {
            let q = quoteIdentifier(c.name)
            let r = try db.query("SELECT count(\(q)), min(\(q)), max(\(q)) FROM \(quoteIdentifier(table))").rows[0]
            figures[c.name] = ColumnStatistics.Figures(field: c.name, nonNull: Int(r[0].intValue ?? -1), min: r[1], max: r[2])
        }
        return (Int(try db.scalar("SELECT count(*) FROM \(quoteIdentifier(table))").intValue ?? -1), figures)
    }

    /// What the load counted equals SQL over the table, column for column and value for value (types
    /// included, `Value` being equal only within a storage class: a whole amount reads back REAL); the columns it could not count are the retyped ones.
    static func expectAgreement(_ db: Database, _ table: String, uncounted: Set<String>) throws {
        let counted = try #require(try ColumnStatistics.current(db, dataset: table))
        let sql = try sqlFigures(db, table)
        #expect(counted.rows == sql.rows)
        #expect(Set(sql.figures.keys).subtracting(counted.figures.keys) == uncounted)
        for (name, f) in counted.figures {
            let s = try #require(sql.figures[name])
            #expect(f == s, "\(table).\(name): counted \(f), SQL \(s)")
            // Strings compare canonically equivalent forms equal, and Doubles -0.0 equal to 0.0: bytes and signs too.
            #expect([f.min, f.max].map { $0.textValue.map { Array($0.utf8) } } == [s.min, s.max].map { $0.textValue.map { Array($0.utf8) } },
                    "\(table).\(name)")
            #expect([f.min, f.max].map(\.doubleValue?.sign) == [s.min, s.max].map(\.doubleValue?.sign), "\(table).\(name)")
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func aPlainTableAgreesWithSQL(seed: UInt64) throws {
        let f = try LoadFixture()
        try f.load(.table("t"), try Self.file(f, seed: seed, rows: 2000))
        try Self.expectAgreement(f.db, "t", uncounted: ["widens", "turns"])
    }

    @Test(arguments: [4, 5] as [UInt64]) func ordersAgreeWithSQL(seed: UInt64) throws {
        let f = try LoadFixture()
        try RowTallyTests.setOwnWord(f)
        try f.load(.role(.orders), try Self.file(f, seed: seed, rows: 2000, statuses: true))
        try Self.expectAgreement(f.db, "orders", uncounted: ["widens", "turns"])
        // The statuses as the load reported them, as a scan reads them (unknown words included).
        let statuses = try #require(try ColumnStatistics.current(f.db, dataset: "orders")?.statuses)
        let scanned = try Loader.statusBreakdown(f.db, table: "orders")
        #expect(statuses.known == scanned.known && statuses.unknown == scanned.unknown && !scanned.unknown.isEmpty)
    }

    /// A new table's date range in `ecsh_datasets` (`tables`) comes from its main date column's figures
    /// rather than a scan; the same as SQL's `substr(min(…), 1, 10)`, for customers with timestamps, bare
    /// dates and empty cells, and for answers dated with slashes.
    @Test func theDateRangeOfANewTableIsSQLs() throws {
        let f = try LoadFixture()
        var rng = SplitMix64(seed: 21)
        var customers = "customer_id,signed_up_at,region\n"
        for i in 0..<1500 {
            let day = "202\(2 + rng.next() % 3)-\(String(format: "%02d", 1 + rng.next() % 12))-\(String(format: "%02d", 1 + rng.next() % 28))"
            customers += "C\(i),\(i % 7 == 0 ? "" : day + (i % 2 == 0 ? " \(String(format: "%02d", rng.next() % 24)):30:00" : "")),R\(i % 5)\n"
        }
        try f.load(.role(.customers), try f.file("c.csv", customers))
        var answers = "responded_at,customer_id,score\n"
        for i in 0..<300 { answers += "2024/\(1 + i % 12)/\(1 + i % 27),C\(i),\(i % 11)\n" }
        try f.load(.role(.nps), try f.file("n.csv", answers))
        for (table, date) in [("customers", "signed_up_at"), ("nps", "responded_at")] {
            let recorded = try f.rows("SELECT rows, min_date, max_date FROM ecsh_datasets WHERE name = '\(table)'")
            let sql = try f.rows("SELECT count(*), substr(min(\(date)), 1, 10), substr(max(\(date)), 1, 10) FROM \(table)")
            #expect(recorded == sql, "\(table)")
            #expect(try ColumnStatistics.current(f.db, dataset: table)?.figures[date] != nil, "\(table): counted while parsing")
        }
        #expect(try f.rows("SELECT min_date, max_date FROM ecsh_datasets WHERE name = 'nps'") == [[.text("2024-01-01"), .text("2024-12-27")]])
    }

    /// The cut of a counted text to SQL's first ten characters: code points, as SQLite's `substr` counts
    /// them, not Swift's characters (a letter with a combining accent is two); numbers are left to SQL.
    @Test func theCutIsSubstrs() throws {
        let db = try Database()
        for text in ["2024-01-02 03:04:05", "2024-01-02", "e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}", "２０２４年０１月０２日です", "short", ""] {
            let figures = ColumnStatistics.Figures(field: "d", nonNull: 1, min: .text(text), max: .text(text))
            let cut = try #require(Bookkeeping.dateRange(figures))
            let sql = try db.scalar("SELECT substr(?, 1, 10)", [.text(text)])
            #expect(cut.min == sql && cut.max == sql, "\(text)")
            #expect(cut.min.textValue.map { Array($0.utf8) } == sql.textValue.map { Array($0.utf8) })
        }
        #expect(Bookkeeping.dateRange(ColumnStatistics.Figures(field: "d", nonNull: 1, min: .integer(20240101), max: .integer(20240102))) == nil)
        #expect(Bookkeeping.dateRange(ColumnStatistics.Figures(field: "d", nonNull: 0, min: .null, max: .null)).map { [$0.min, $0.max] } == [.null, .null])
    }

    /// Rows committed in parts into a table of their own, then adopted: the same figures.
    @Test func stagedRowsAgreeWithSQL() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let (s, parts) = try StagedRowsTests.load(dir.path("w.db"), try dir.write("o.csv", StagedRowsTests.orders(30_000, seed: 9)),
                                                  staged: true)
        #expect(s.rows == 30_000 && parts > 1)
        try Self.expectAgreement(try Database(path: dir.path("w.db")), "orders", uncounted: [])
    }

    /// Loads whose rows change after parsing record nothing: repeats removed, statuses mapped by SQL
    /// (a preset's line items), an append; an earlier load's figures go with them.
    @Test func changedRowsRecordNothing() throws {
        let f = try LoadFixture()
        let path = try Self.file(f, seed: 6, rows: 300)
        try f.load(.role(.orders), path)
        #expect(try ColumnStatistics.current(f.db, dataset: "orders") != nil)
        // The same file again with its last row repeated.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try f.load(.role(.orders), try f.file("rep.csv", text + text.split(separator: "\n").last! + "\n"))
        #expect(try ColumnStatistics.current(f.db, dataset: "orders") == nil)
        #expect(try f.rows("SELECT count(*) FROM ecsh_column_stats WHERE dataset = 'orders'") == [[0]])
        #expect(try f.rows("SELECT count(*) FROM ecsh_status_stats WHERE dataset = 'orders'") == [[0]])
        try f.load(.role(.orders), path)
        try f.load(.role(.orders), try f.file("more.csv", "order_id,customer_id,ordered_at,amount\nX1,C1,2025-01-01,5\n"), append: true)
        #expect(try ColumnStatistics.current(f.db, dataset: "orders") == nil)
        try f.load(.role(.orders), try f.file("shopify.csv", PresetTests.shopify), [("timezone", "Asia/Tokyo")],
                   preset: "shopify")
        #expect(try ColumnStatistics.current(f.db, dataset: "orders") == nil)
    }

    /// The scan in Swift (`ColumnScan`) against SQL's aggregates on columns of every storage class at once:
    /// integers near the ends of Int64 beside reals that round to them, whole reals equal to integers
    /// (the first one seen stays), texts in both forms of a character, blobs, NULLs; each column's values
    /// in a random order, several seeds. In memory the scan is one; in a workspace file it is split
    /// between two connections from `splitFrom` rows (here every table), merged in rowid order.
    @Test(arguments: [11, 12, 13, 14] as [UInt64]) func aScanAgreesWithSQLOnEveryStorageClass(seed: UInt64) throws {
        try Self.scanAgrees(try Database(), seed: seed)
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let file = try Database(path: dir.path("w.db"))
        try Self.scanAgrees(file, seed: seed, split: true)
        // Inside a transaction the second connection would not see its rows: one scan, the same figures.
        try file.execute("BEGIN; INSERT INTO m (a) VALUES ('zzz')")
        #expect(try !ColumnScan.scanInTwo(file, table: "m", select: "SELECT a FROM m", into: ColumnScan.Tally(1), from: 2))
        let inside = try #require(try ColumnScan.figures(file, table: "m", columns: ["a"], splitFrom: 2))
        let sqlInside = try Self.sqlFigures(file, "m")
        #expect(inside.rows == 301 && sqlInside.rows == 301 && inside.figures[0] == sqlInside.figures["a"])
        try file.execute("ROLLBACK")
    }

    static func scanAgrees(_ db: Database, seed: UInt64, split: Bool = false) throws {
        try db.execute("CREATE TABLE m (a, b INTEGER, c REAL, d TEXT, e BLOB, f, g, h)")
        var rng = SplitMix64(seed: seed)
        let pool: [Value] = [.null, .integer(1), .real(1.0), .integer(-1), .real(-0.5), .integer(Int64.max), .integer(Int64.min),
                             .real(9.223372036854775807e18), .real(-9.3e18), .integer(1 << 53 + 1), .real(Double(1 << 53)),
                             .real(1e300), .text(""), .text("a"), .text("ab"), .text("Ä"), .text("A\u{308}"), .text("10"),
                             .text("東京"), .blob([]), .blob([0]), .blob([0, 1]), .blob([255])]
        let between: [Value] = [.integer(3), .real(3.5), .real(4.5), .integer(4), .real(2.5)]
        let insert = try db.prepare("INSERT INTO m VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for _ in 0..<300 {
            insert.reset()
            // f: 1 and 1.0 only, equal at both ends (the first seen is the answer); g: NULLs; h: integers and
            // reals between them (an integer against a real of the same whole part).
            var row: [Value] = (0..<5).map { k in pool[Int(rng.next() % UInt64(k == 0 ? pool.count : 8 + k))] }
            row.append(pool[1 + Int(rng.next() % 2)])
            row.append(.null)
            row.append(between[Int(rng.next() % UInt64(between.count))])
            try insert.bind(row)
            _ = try insert.step()
        }
        let columns = ["a", "b", "c", "d", "e", "f", "g", "h"]
        let select = "SELECT \(columns.joined(separator: ", ")) FROM m"
        #expect(try ColumnScan.scanInTwo(db, table: "m", select: select, into: ColumnScan.Tally(columns.count), from: 2) == split)
        let scan = try #require(try ColumnScan.figures(db, table: "m", columns: columns, splitFrom: 2))
        let sql = try Self.sqlFigures(db, "m")
        #expect(scan.rows == sql.rows)
        for f in scan.figures {
            let s = try #require(sql.figures[f.field])
            #expect(f == s, "\(f.field): scan \(f), SQL \(s)")
            #expect([f.min, f.max].map { $0.textValue.map { Array($0.utf8) } } == [s.min, s.max].map { $0.textValue.map { Array($0.utf8) } })
            #expect([f.min, f.max].map(\.doubleValue?.sign) == [s.min, s.max].map(\.doubleValue?.sign))
        }
        // Text ordered by another collation, and a view: SQL's to compute.
        try db.execute("CREATE TABLE n (x TEXT COLLATE NOCASE); CREATE VIEW v AS SELECT * FROM m")
        #expect(try ColumnStatistics.scan(db, dataset: "n", columns: ["x"]) == nil)
        #expect(try ColumnStatistics.scan(db, dataset: "v", columns: ["a"]) == nil)
    }

    /// Either table missing (dropped by hand, or a workspace of a build that had only the first): a
    /// load writes both again, and figures without statuses still serve.
    @Test func aMissingTableIsMadeAgain() throws {
        let f = try LoadFixture()
        let path = try Self.file(f, seed: 10, rows: 2000, statuses: true)
        try f.load(.role(.orders), path)
        try f.db.execute("DROP TABLE ecsh_status_stats")
        #expect(try ColumnStatistics.current(f.db, dataset: "orders")?.statuses == nil)
        #expect(try ColumnStatistics.current(f.db, dataset: "orders")?.figures.isEmpty == false)
        try f.load(.role(.orders), path)
        #expect(try ColumnStatistics.current(f.db, dataset: "orders")?.statuses != nil)
        try f.db.execute("DROP TABLE ecsh_column_stats")
        try f.load(.role(.orders), path)
        try Self.expectAgreement(f.db, "orders", uncounted: ["widens", "turns"])
    }

    /// A later change to the table (a writing statement, another program's VACUUM renumbering rows) leaves
    /// the figures unused; a load of another table does not.
    @Test func figuresGoUnusedOnceTheTableChanges() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let f = try LoadFixture()
        try f.load(.table("t"), try Self.file(f, seed: 7, rows: 500))
        try f.load(.table("u"), try Self.file(f, seed: 8, rows: 50))
        #expect(try ColumnStatistics.current(f.db, dataset: "t") != nil)
        try f.db.transaction {
            try f.db.execute("UPDATE t SET qty = 5000000 WHERE rowid = 10")
            try InputVersion.bump(f.db, table: InputVersion.anyTable, cause: "sql UPDATE")
        }
        #expect(try ColumnStatistics.current(f.db, dataset: "t") == nil)
        #expect(try ColumnStatistics.current(f.db, dataset: "u") == nil)
        // Rows renumbered behind ecsh's back (no new version): the rowids moved.
        let path = dir.path("w.db")
        let db = try Database(path: path)
        _ = try Loader(database: db).load(LoadRequest(target: .table("t"), path: try Self.file(f, seed: 7, rows: 500),
                                                  options: try LoadOptions(pairs: []), fieldMap: [:], preset: nil, append: false))
        #expect(try ColumnStatistics.current(db, dataset: "t") != nil)
        try db.execute("DELETE FROM t WHERE rowid = 100")
        try db.execute("VACUUM")
        #expect(try ColumnStatistics.current(db, dataset: "t") == nil)
    }
}
