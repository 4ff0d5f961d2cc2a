import Testing
import ECTestSupport
@testable import ECStore

/// Statuses mapped and rows counted while an orders file is parsed (`RowTally`), checked against
/// SQL over the loaded table: what the loader computed with scans and an UPDATE before.
@Suite struct RowTallyTests {
    static let words = ["completed", "発送済み", "shipped", "Paid", "キャンセル", "ｷｬﾝｾﾙ", "canceled", "返品", "保留",
                        "Weird Thing", "ＷＥＩＲＤ thing", "出荷保留", "", "Pending", "PAID", "paid", "pending", "WEIRD THING"]

    /// A random orders file: statuses from `words` (one of them the workspace's own), guests, dates out
    /// of order, and every 97th row bad (skipped). Returns the file and what its good rows hold.
    static func shop(_ f: LoadFixture, seed: UInt64, rows: Int = 3000, repeatLast: Bool = false) throws
        -> (path: String, good: Int, guests: Int, days: [String], written: [String: String]) {
        var rng = SplitMix64(seed: seed)
        var text = "order_id,customer_id,ordered_at,amount,status\n"
        var good = 0, guests = 0
        var days: [String] = [], written: [String: String] = [:]
        var last = ""
        for i in 0..<rows {
            let word = words[Int(rng.next() % UInt64(words.count))]
            let guest = rng.next() % 10 == 0
            let day = "202\(3 + rng.next() % 2)-\(String(format: "%02d", 1 + rng.next() % 12))-\(String(format: "%02d", 1 + rng.next() % 28))"
            let bad = i % 97 == 50
            last = "O\(i),\(guest ? "" : "C\(rng.next() % 500)"),\(day) 10:00:00,\(bad ? "abc" : "\(100 + i)"),\(word)\n"
            text += last
            if !bad {
                good += 1
                if guest { guests += 1 }
                days.append(day)
                written["O\(i)"] = word
            }
        }
        if repeatLast { text += last }
        return (try f.file("o\(seed).csv", text), good, guests, days, written)
    }

    static func setOwnWord(_ f: LoadFixture) throws {
        try f.db.execute("CREATE TABLE IF NOT EXISTS ecsh_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        try f.db.execute("INSERT OR REPLACE INTO ecsh_settings VALUES (?, 'cancelled')", [.text("status_word:" + StatusVocabulary.key("出荷保留"))])
    }

    /// Everything the load reports and stores equals SQL over the table it left, for a new table.
    @Test(arguments: [1, 2, 3] as [UInt64]) func theLoadAgreesWithSQLOverTheTable(seed: UInt64) throws {
        let f = try LoadFixture()
        try Self.setOwnWord(f)
        let shop = try Self.shop(f, seed: seed)
        let s = try f.load(.role(.orders), shop.path, [("on_error", "skip")])
        #expect(s.rows == shop.good && s.skipped == 3000 - shop.good)
        // Each stored status is its word's meaning; the word stays in status_raw.
        let own = try StatusVocabulary.workspaceWords(f.db)
        #expect(own.count == 1)
        for row in try f.rows("SELECT order_id, status, status_raw FROM orders") {
            let word = try #require(shop.written[row[0].description])
            let meaning = word.isEmpty ? nil : StatusVocabulary.status(of: word, extra: own) ?? StatusVocabulary.unknownForm(word)
            guard row[1].textValue == meaning && row[2].textValue == (word.isEmpty ? nil : word) else {
                Issue.record("\(row): written \(word), meaning \(meaning ?? "NULL")")
                return
            }
        }
        #expect(try f.rows("SELECT count(*) FROM orders WHERE status_raw = '出荷保留' AND status <> 'cancelled'") == [[0]])
        // The breakdown as SQL reads it from the table; the guests and the date range likewise.
        let sql = try Loader.statusBreakdown(f.db, table: "orders")
        #expect(s.statuses == sql.known && s.unknownStatuses == sql.unknown)
        #expect(s.unknownStatuses.map(\.raw).sorted() == ["WEIRD THING", "Weird Thing", "ＷＥＩＲＤ thing"])
        #expect(s.guests == shop.guests)
        #expect(try f.rows("SELECT count(*) FROM orders WHERE customer_id IS NULL") == [[.integer(Int64(shop.guests))]])
        let recorded = try f.rows("SELECT rows, min_date, max_date FROM ecsh_datasets WHERE name = 'orders'")
        #expect(recorded == [[.integer(Int64(shop.good)), .text(shop.days.min()!), .text(shop.days.max()!)]])
        #expect(try f.rows("SELECT count(*), substr(min(ordered_at), 1, 10), substr(max(ordered_at), 1, 10) FROM orders") == recorded)
    }

    /// A repeated row removes one of the load's rows after parsing: the counts come from SQL again.
    @Test func aRepeatedRowIsCountedOnce() throws {
        let f = try LoadFixture()
        let shop = try Self.shop(f, seed: 4, rows: 400, repeatLast: true)
        let s = try f.load(.role(.orders), shop.path, [("on_error", "skip")])
        #expect(s.rows == shop.good)
        let sql = try Loader.statusBreakdown(f.db, table: "orders")
        #expect(s.statuses == sql.known && s.unknownStatuses == sql.unknown)
        #expect(s.statuses.map(\.count).reduce(0, +) + s.unknownStatuses.map(\.count).reduce(0, +) == shop.good)
        #expect(s.guests == shop.guests)
        #expect(try f.rows("SELECT rows FROM ecsh_datasets WHERE name = 'orders'") == [[.integer(Int64(shop.good))]])
    }

    /// Appended rows: the breakdown is the new rows', the date range the whole table's.
    @Test func anAppendCountsItsOwnRowsAndRecordsTheWholeRange() throws {
        let f = try LoadFixture()
        let first = try Self.shop(f, seed: 5, rows: 300)
        try f.load(.role(.orders), first.path, [("on_error", "skip")])
        var rng = SplitMix64(seed: 6)
        var text = "order_id,customer_id,ordered_at,amount,status\n"
        let mine = ["completed", "発送済み", "キャンセル", "canceled"]
        for i in 0..<200 { text += "N\(i),\(i % 4 == 0 ? "" : "C\(i)"),2025-0\(1 + rng.next() % 9)-15 09:00:00,100,\(mine[i % 4])\n" }
        let s = try f.load(.role(.orders), try f.file("more.csv", text), append: true)
        #expect(s.rows == 200 && s.guests == 50)
        #expect(s.statuses == [LoadSummary.Count(name: "completed", count: 100), LoadSummary.Count(name: "cancelled", count: 100)])
        #expect(try f.rows("SELECT rows, min_date, max_date FROM ecsh_datasets WHERE name = 'orders'")
                == f.rows("SELECT count(*), substr(min(ordered_at), 1, 10), substr(max(ordered_at), 1, 10) FROM orders"))
    }

    /// The tally itself, on a batch: the status cell now holds the meaning, the raw cell the word.
    @Test func aBatchRowGetsItsMeaningAndIsCounted() {
        let columns = ["order_id", "customer_id", "ordered_at", "status", "status_raw"].map {
            ColumnPlan(name: $0, source: .field(0), header: nil, kind: .text)
        }
        let batch = RowBatch(width: 5, capacity: 4)
        func put(_ row: Int, _ values: [String?]) {
            for (k, v) in values.enumerated() {
                guard let v else { batch.cells[row * 5 + k] = .null; continue }
                let bytes = Array(v.utf8)
                batch.text.pointee.reserve(bytes.count)
                let at = batch.text.pointee.count
                for (i, b) in bytes.enumerated() { batch.text.pointee.bytes[at + i] = b }
                batch.text.pointee.count += bytes.count
                batch.cells[row * 5 + k] = .text(start: at, count: bytes.count)
            }
        }
        func text(_ row: Int, _ k: Int) -> String? {
            guard case .text(let start, let count) = batch.cells[row * 5 + k] else { return nil }
            return String(decoding: UnsafeBufferPointer(start: batch.text.pointee.bytes + start, count: count), as: UTF8.self)
        }
        put(0, ["O1", "C1", "2024-05-01 10:00:00", "発送済み", "発送済み"])
        put(1, ["O2", nil, "2023-12-31 23:00:00", "paid", "Paid"])
        put(2, ["O3", "C2", nil, nil, nil])
        put(3, ["O4", "C1", "2024-05-02 08:00:00", "発送済み", "発送済み"])
        let tally = RowTally(columns: columns, role: .orders, words: [:])
        for r in 0..<4 { tally.add(batch, row: r) }
        #expect((0..<4).map { text($0, 3) } == ["completed", "completed", nil, "completed"])
        #expect((0..<4).map { text($0, 4) } == ["発送済み", "Paid", nil, "発送済み"])
        #expect(tally.rows == 4 && tally.guests == 1)
        let pairs = tally.statusPairs?.map { "\($0.status ?? "NULL")/\($0.raw ?? "NULL")/\($0.count)" }
        #expect(pairs == ["completed/発送済み/2", "completed/Paid/1", "NULL/NULL/1"])
        #expect(tally.dateRange.map { "\($0.min) \($0.max)" } == "2023-12-31 2024-05-02")

        // A status that is not text, or a date whose first ten bytes are not ASCII: those counts do not hold.
        batch.cells[3] = .integer(7)
        put(1, ["O5", "C3", "２０２４-01-01", "paid", "paid"])
        tally.add(batch, row: 0)
        tally.add(batch, row: 1)
        #expect(tally.statusPairs == nil && tally.dateRange == nil && tally.rows == 6)
    }
}
