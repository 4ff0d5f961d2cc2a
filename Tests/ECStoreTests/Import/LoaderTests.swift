import Testing
import Foundation
@testable import ECStore
import ECTestSupport

/// A workspace in memory plus a temp folder for input files.
final class LoadFixture {
    let db: Database
    let dir: TemporaryDirectory
    init() throws {
        db = try Database()
        dir = try TemporaryDirectory()
    }
    deinit { dir.remove() }

    func file(_ name: String, _ text: String) throws -> String { try dir.write(name, text) }
    func file(_ name: String, bytes: [UInt8]) throws -> String { try dir.write(name, bytes: bytes) }

    @discardableResult
    func load(_ target: LoadTarget, _ path: String, _ options: [(String, Value)] = [], map: [String: String] = [:],
              preset: String? = nil, append: Bool = false) throws -> LoadSummary {
        let opts = try LoadOptions(pairs: options.map { (name: $0.0, value: $0.1) })
        return try Loader(database: db).load(LoadRequest(target: target, path: path, options: opts, fieldMap: map,
                                                         preset: preset, append: append))
    }

    func rows(_ sql: String) throws -> [[Value]] { try db.query(sql).rows }
    func columns(_ table: String) throws -> [String] { try db.columns(of: table).map { "\($0.name) \($0.type)" } }
}

@Suite struct LoaderTests {
    @Test func plainTableInfersTypesAndNulls() throws {
        let f = try LoadFixture()
        let path = try f.file("t.csv", "id,price,when,at,name,zip\n1,\"1,200\",2024/3/5,2024-03-05 10:00,a,007\n2,,2024-03-06,2024/03/06 11:30,,010\n")
        let s = try f.load(.table("t"), path)
        #expect(s.rows == 2 && s.columns == 6)
        #expect(try f.columns("t") == ["id INTEGER", "price INTEGER", "when TEXT", "at TEXT", "name TEXT", "zip TEXT"])
        #expect(try f.rows("SELECT * FROM t ORDER BY id") == [
            [1, 1200, "2024-03-05", "2024-03-05 10:00:00", "a", "007"],
            [2, nil, "2024-03-06", "2024-03-06 11:30:00", nil, "010"],
        ])
        #expect(try f.rows("SELECT field, type FROM ecsh_fields WHERE dataset = 't' ORDER BY rowid") == [
            ["id", "integer"], ["price", "integer"], ["when", "date"], ["at", "timestamp"], ["name", "text"], ["zip", "text"],
        ])
    }

    /// A value past the 1,000-row sample that does not fit widens the column, keeping every value
    /// (header is line 1, so "1501,2.5" is line 1502).
    @Test func laterMisfitWidensWithoutLoss() throws {
        let f = try LoadFixture()
        var text = "n,q\n"
        for i in 1...1500 { text += "\(i),\(i)\n" }
        text += "1501,2.5\n1502,n/a\n"
        let s = try f.load(.table("w"), try f.file("w.csv", text))
        #expect(try f.columns("w") == ["n INTEGER", "q TEXT"])
        #expect(s.notes.contains { $0.contains("'q' became text at line 1502 (was integer)") })
        // Independent check: the values as written in the file, compared as text.
        let back = try f.rows("SELECT q FROM w ORDER BY n").map { $0[0].description }
        #expect(back == (1...1500).map(String.init) + ["2.5", "n/a"])
        #expect(try f.rows("SELECT typeof(q), count(*) FROM w GROUP BY 1") == [["text", 1502]])
    }

    @Test func integerToRealWidening() throws {
        let f = try LoadFixture()
        var text = "v\n"
        for i in 0..<1200 { text += "\(i)\n" }
        text += "0.5\n"
        try f.load(.table("r"), try f.file("r.csv", text))
        #expect(try f.columns("r") == ["v REAL"])
        // Sum of 0..1199 is 1199*1200/2 = 719,400; plus 0.5.
        #expect(try f.db.scalar("SELECT sum(v) FROM r") == .real(719_400.5))
    }

    @Test func ordersFromEnglishHeaders() throws {
        let f = try LoadFixture()
        let path = try f.file("o.csv", """
            Order ID,Customer ID,Order Date,Total,Sales Channel,Status,Discount Amount,Qty,Product Name,Gift wrap
            A1,c1,2024-03-05 23:30:00+09:00,"1,980",Rakuten,Shipped,100,2,Tea,yes
            A2,c2,2024/03/06,500,OWN,CANCELLED,,1,Cup,no

            """)
        // In Tokyo, +09:00 is local time: the timestamp stays as written.
        let s = try f.load(.role(.orders), path, [("timezone", "Asia/Tokyo")])
        #expect(s.rows == 2 && s.role == .orders)
        #expect(try f.db.columns(of: "orders").map(\.name) == [
            "order_id", "customer_id", "ordered_at", "day", "amount", "channel", "status", "status_raw", "discount", "points", "cogs",
            "shipping", "commission", "quantity", "product", "category", "Gift wrap",
        ])
        // day: 2024-03-05 is 19,787 days after 1970-01-01 (54 years incl. 13 leap days = 19,723, + Jan 31 + Feb 29 + 4).
        #expect(try f.rows("SELECT order_id, customer_id, ordered_at, day, amount, channel, status, status_raw, discount, points, quantity, product, \"Gift wrap\" FROM orders ORDER BY order_id") == [
            ["A1", "c1", "2024-03-05 23:30:00", 19787, 1980.0, "rakuten", "completed", "Shipped", 100.0, nil, 2, "Tea", "yes"],
            ["A2", "c2", "2024-03-06", 19788, 500.0, "own", "cancelled", "CANCELLED", nil, nil, 1, "Cup", "no"],
        ])
        #expect(try f.rows("SELECT role, source, rows, min_date, max_date FROM ecsh_datasets") == [["orders", .text(path), 2, "2024-03-05", "2024-03-06"]])
        #expect(try f.rows("SELECT source_header, type FROM ecsh_fields WHERE field IN ('ordered_at', 'points', 'amount') ORDER BY field") == [
            ["Total", "real"], ["Order Date", "timestamp"], [nil, "real"],
        ])
    }

    @Test func ordersFromJapaneseHeaders() throws {
        let f = try LoadFixture()
        let path = try f.file("j.csv", """
            注文番号,会員ID,注文日時,合計金額,ポイント,送料,手数料,原価,ステータス,販売チャネル,数量,商品名,カテゴリ
            1001,M-1,2024/04/01 09:15,¥3,300,100,500,30,1200,発送済み,楽天,3,緑茶,飲料

            """.replacingOccurrences(of: "¥3,300", with: "\"¥3,300\""))
        try f.load(.role(.orders), path)
        #expect(try f.rows("SELECT order_id, customer_id, ordered_at, amount, points, shipping, commission, cogs, status, channel, quantity, product, category FROM orders") == [
            ["1001", "M-1", "2024-04-01 09:15:00", 3300.0, 100.0, 500.0, 30.0, 1200.0, "completed", "楽天", 3, "緑茶", "飲料"],
        ])
    }

    @Test func explicitMapWinsAndMissingRequiredExplains() throws {
        let f = try LoadFixture()
        let path = try f.file("m.csv", "ref,who,when,value\nx,c,2024-01-02,10\n")
        do {
            try f.load(.role(.orders), path)
            Issue.record("expected a missing-field error")
        } catch let e as LoadError {
            #expect(e.reason.contains("order_id") && e.reason.contains("\"ref\", \"who\", \"when\", \"value\""))
            #expect(e.help?.contains("map order_id = \"ref\"") == true)
        }
        try f.load(.role(.orders), path, map: ["order_id": "ref", "customer_id": "who", "ordered_at": "when", "amount": "value"])
        #expect(try f.rows("SELECT order_id, customer_id, ordered_at, amount FROM orders") == [["x", "c", "2024-01-02", 10.0]])
    }

    @Test func otherRoles() throws {
        let f = try LoadFixture()
        try f.load(.role(.spend), try f.file("s.csv", "日付,広告費,チャネル,クリック数\n2024-01-01,1000,Google,12\n"))
        #expect(try f.rows("SELECT date, day, spend, channel, campaign, impressions, clicks FROM spend") == [["2024-01-01", 19723, 1000.0, "google", nil, nil, 12]])
        try f.load(.role(.traffic), try f.file("t.csv", "date,sessions\n2024-01-02,340\n"))
        #expect(try f.rows("SELECT date, day, sessions, channel FROM traffic") == [["2024-01-02", 19724, 340, nil]])
        try f.load(.role(.customers), try f.file("c.csv", "顧客ID,登録日,流入経路,地域\nc1,2023/12/31,Instagram,Tokyo\n"))
        #expect(try f.rows("SELECT * FROM customers") == [["c1", "2023-12-31", "instagram", "Tokyo"]])
        try f.load(.role(.nps), try f.file("n.csv", "回答日,スコア,コメント\n2024-02-01,9,良い\n"))
        #expect(try f.rows("SELECT score, responded_at, day, customer_id, comment FROM nps") == [[9, "2024-02-01", 19754, nil, "良い"]])
    }

    @Test func reloadReplacesAndAppendAdds() throws {
        let f = try LoadFixture()
        let a = try f.file("a.csv", "date,sessions\n2024-01-01,1\n2024-01-02,2\n")
        let b = try f.file("b.csv", "date,sessions\n2024-01-03,3\n")
        try f.load(.role(.traffic), a)
        try f.load(.role(.traffic), a)
        #expect(try f.db.scalar("SELECT count(*) FROM traffic") == 2)
        try f.load(.role(.traffic), b, append: true)
        #expect(try f.rows("SELECT sum(sessions), count(*) FROM traffic") == [[6, 3]])
        #expect(try f.rows("SELECT rows, min_date, max_date FROM ecsh_datasets WHERE name = 'traffic'") == [[3, "2024-01-01", "2024-01-03"]])
    }

    @Test func cdnowWhitespaceFile() throws {
        let f = try LoadFixture()
        let path = BuiltBinary.sharedDirectory.appendingPathComponent("data/cdnow/CDNOW_sample.txt").path
        guard FileManager.default.fileExists(atPath: path) else { return }
        let s = try f.load(.table("cdnow"), path, [("delimiter", "whitespace"), ("date_format", "%Y%m%d")])
        // Independent count: the file's non-blank lines, and the sum of its 5th column, computed in Swift.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        let total = lines.map { Double($0.split(whereSeparator: \.isWhitespace).last!)! }.reduce(0, +)
        #expect(s.rows == lines.count)
        #expect(try f.columns("cdnow") == ["column1 TEXT", "column2 TEXT", "column3 TEXT", "column4 INTEGER", "column5 REAL"])
        #expect(try f.rows("SELECT column1, column3 FROM cdnow LIMIT 1") == [["00004", "1997-01-01"]])
        let sum = try f.db.scalar("SELECT sum(column5) FROM cdnow").doubleValue!
        #expect(abs(sum - total) < 1e-6)
        try f.load(.role(.orders), path, [("delimiter", "whitespace"), ("date_format", "%Y%m%d")],
                   map: ["order_id": "#line", "customer_id": "column1", "ordered_at": "column3", "quantity": "column4", "amount": "column5"])
        #expect(try f.db.scalar("SELECT count(DISTINCT order_id) FROM orders") == .integer(Int64(lines.count)))
    }

    @Test func optionsAreChecked() throws {
        #expect(throws: StoreError.self) { try LoadOptions(pairs: [(name: "delimter", value: ",")]) }
        do { _ = try LoadOptions(pairs: [(name: "bogus", value: 1)]) } catch let e as StoreError {
            #expect(e.message.contains("bogus") && e.message.contains("date_format") && e.message.contains("on_error"))
        }
        let o = try LoadOptions(pairs: [(name: "delimiter", value: "tab"), (name: "header", value: "false"), (name: "skip", value: 2),
                                        (name: "decimal", value: ","), (name: "on_error", value: "skip"), (name: "encoding", value: "sjis")])
        #expect(o == LoadOptions(delimiter: .byte(9), header: false, encoding: "sjis", skip: 2, decimal: ",", onError: .skip))
    }

    @Test func skipAndHeaderOptions() throws {
        let f = try LoadFixture()
        let path = try f.file("k.csv", "Export of 2024\ngenerated by shop\n1;2,5\n3;4,0\n")
        try f.load(.table("k"), path, [("skip", 2), ("header", "false"), ("decimal", ","), ("delimiter", ";")])
        #expect(try f.rows("SELECT * FROM k") == [[1, 2.5], [3, 4.0]])
    }

    @Test func summaryLineAndProgress() throws {
        let f = try LoadFixture()
        var text = "date,sessions\n"
        for i in 0..<20_000 { text += "2024-01-01,\(i)\n" }
        let path = try f.file("p.csv", text)
        var reports: [LoadProgress] = []
        let opts = try LoadOptions(pairs: [])
        let s = try Loader(database: f.db).load(LoadRequest(target: .role(.traffic), path: path, options: opts)) { reports.append($0) }
        #expect(s.description.hasPrefix("loaded 20,000 traffic (4 columns) from '\(path)' in "))
        #expect(s.description.hasSuffix(" rows/s)"))
        #expect(!reports.isEmpty && reports.last!.rows == 20_000)
        #expect(reports.last!.bytesTotal == text.utf8.count && reports.last!.bytesDone == text.utf8.count)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.rows <= $1.rows })
        #expect(LoadSummary(table: "orders", role: .orders, source: "x.csv", rows: 12_345, columns: 14, skipped: 0,
                            seconds: 0.41, notes: []).description == "loaded 12,345 orders (14 columns) from 'x.csv' in 0.41 s (30,110 rows/s)")
    }

    @Test func fileWorkspaceStaysInWALAfterLoad() throws {
        let f = try LoadFixture()
        let db = try Database(path: f.dir.path("w.db"))
        let path = try f.file("t.csv", "date,sessions\n2024-01-01,1\n")
        _ = try Loader(database: db).load(LoadRequest(target: .role(.traffic), path: path))
        #expect(try db.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(throws: LoadError.self) {
            try Loader(database: db).load(LoadRequest(target: .role(.traffic), path: try f.file("b.csv", "date,sessions\nx,1\n")))
        }
        #expect(try db.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try db.scalar("SELECT sum(sessions) FROM traffic") == .integer(1))
    }

    @Test func headerOnlyAndEmptyFiles() throws {
        let f = try LoadFixture()
        let s = try f.load(.table("h"), try f.file("h.csv", "a,b\n"))
        #expect(s.rows == 0)
        #expect(try f.db.columns(of: "h").map(\.name) == ["a", "b"])
        #expect(throws: LoadError.self) { try f.load(.table("e"), try f.file("e.csv", "")) }
        #expect(throws: StoreError.self) { try f.load(.table("x"), f.dir.path("missing.csv")) }
        #expect(throws: StoreError.self) { try f.load(.table("ecsh_x"), try f.file("a.csv", "a\n1\n")) }
    }
}

/// Wide files: a row batch holds at most `Loader.batchCells` cells (fuzzing found three batches of
/// a 2,000-column, 4 KB file taking 590 MB), and a file spread over more, smaller batches loads the same.
@Suite struct WideFileBatchTests {
    @Test func batchRowsBoundCellsAndFileBytes() {
        #expect(Loader.batchCells == 262_144)
        #expect(Loader.batchRows(width: 2000, fileBytes: 4096) == 131)  // 262,144 / 2,000
        #expect(Loader.batchRows(width: 2000, fileBytes: 4096) * 2000 <= Loader.batchCells)
        #expect(Loader.batchRows(width: 64, fileBytes: 10_000_000) == 4096)  // as before for up to 64 columns
        #expect(Loader.batchRows(width: 10, fileBytes: 10_000_000) == 4096)
        #expect(Loader.batchRows(width: 10, fileBytes: 5) == 6)  // a small file: small batches, as before
        #expect(Loader.batchRows(width: 0, fileBytes: 0) == 1)
        #expect(Loader.batchRows(width: 1_000_000, fileBytes: 10_000_000) == 1)
    }

    /// 1,500 columns: 174 rows a batch, so the 400 rows fill three batches. Row i, column j holds i × j:
    /// column j sums to j × (1 + … + 400) = j × 80,200.
    @Test func wideFileOverSeveralBatchesLoadsEveryRow() throws {
        let width = 1500, rows = 400
        #expect(Loader.batchRows(width: width, fileBytes: 3_000_000) == 174)
        var text = (1...width).map { "c\($0)" }.joined(separator: ",") + "\n"
        for i in 1...rows { text += (1...width).map { String(i * $0) }.joined(separator: ",") + "\n" }
        let f = try LoadFixture()
        let s = try f.load(.table("w"), try f.file("w.csv", text))
        #expect(s.rows == rows && s.columns == width)
        #expect(try f.rows("SELECT count(*), sum(c1), sum(c2), sum(c750), sum(c1500), min(c1500), max(c1500) FROM w")
                == [[400, 80_200, 160_400, 60_150_000, 120_300_000, 1500, 600_000]])  // j × 80,200 for j = 1, 2, 750, 1,500
        #expect(try f.rows("SELECT rows FROM ecsh_datasets WHERE name = 'w'") == [[400]])
        // Every row whole and in its place: row i (rowid i) holds i × j in every column j checked.
        let checks = [1, 2, 173, 174, 175, 777, 1499, 1500].map { "c\($0) = rowid * \($0)" }.joined(separator: " AND ")
        #expect(try f.rows("SELECT count(*) FROM w WHERE \(checks)") == [[400]])
    }
}
