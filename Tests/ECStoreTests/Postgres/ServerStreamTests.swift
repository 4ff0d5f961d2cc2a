import Testing
import Foundation
@testable import ECStore
import ECTestSupport

/// The two ways a load reaches a PostgreSQL server (ServerLoader): streamed to a binary COPY, and
/// staged through a local SQLite file. Each test loads the same file both ways and compares what
/// the server holds, cell by cell as psql prints it, and what the load reports; files the stream
/// must not take (repeated ids, bad rows, widened columns) are checked to go the staged way.
@Suite struct ServerStreamTests {
    /// Both ways into two fresh databases; returns (streamed, staged) summaries and the url of each.
    func bothWays(_ label: String, _ request: LoadRequest, settings: [(String, String)] = [])
        throws -> (streamed: LoadSummary?, staged: LoadSummary, streamedURL: String, stagedURL: String) {
        let a = try PostgresServer.freshDatabase(label + "s"), b = try PostgresServer.freshDatabase(label + "f")
        var streamed: LoadSummary?
        for url in [a, b] where !settings.isEmpty {
            for (name, value) in settings {
                _ = try PostgresServer.psql(url, "CREATE SCHEMA IF NOT EXISTS ecsh; CREATE TABLE IF NOT EXISTS ecsh.ecsh_settings (name text PRIMARY KEY, value text NOT NULL); INSERT INTO ecsh.ecsh_settings VALUES ('\(name)', '\(value)')")
            }
        }
        let da = try Database(postgres: a, interruptFlag: InterruptFlag())
        let loaderA = ServerLoader(database: da)
        try da.transaction {
            try Bookkeeping.createTables(da)
            streamed = try loaderA.streamed(request, words: try StatusVocabulary.workspaceWords(da), started: 0, progress: nil)
        }
        let db = try Database(postgres: b, interruptFlag: InterruptFlag())
        let loaderB = ServerLoader(database: db)
        let staged = try db.transaction {
            try Bookkeeping.createTables(db)
            return try loaderB.staged(request, words: try StatusVocabulary.workspaceWords(db), progress: nil)
        }
        return (streamed, staged, a, b)
    }

    /// What the server holds of a table and its bookkeeping, as psql prints it.
    func dump(_ url: String, _ table: String) throws -> String {
        try PostgresServer.psql(url, """
            SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '\(table)';
            SELECT * FROM \(table) ORDER BY 1, 2, 3;
            SELECT name, role, source, rows, min_date, max_date FROM ecsh.ecsh_datasets;
            SELECT * FROM ecsh.ecsh_fields ORDER BY dataset, field;
            SELECT count(*) FROM ecsh.ecsh_rejects
            """)
    }

    func same(_ a: LoadSummary, _ b: LoadSummary) {
        #expect(a.rows == b.rows)
        #expect(a.columns == b.columns)
        #expect(a.statuses == b.statuses)
        #expect(a.unknownStatuses == b.unknownStatuses)
        #expect(a.guests == b.guests)
        #expect(a.notes == b.notes)
    }

    /// A clean orders file with what text and numbers can hold: statuses in English and Japanese
    /// (`shipped` counts as completed) and an unknown word (stored folded), guests, empty fields, a
    /// tab, a newline, a backslash and quotes inside fields, integers in a decimal column, and a
    /// negative amount.
    @Test func aCleanFileStreamsToTheSameRowsAsTheStagedWay() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let file = try dir.write("orders.csv", #"""
            order_id,customer_id,ordered_at,amount,discount,quantity,status,product
            A1,C1,2024-01-05 10:00:00,1000,0,1,Completed,"tea\#tcup"
            A2,,2024-01-06 11:30:00,2000.5,,2,キャンセル,"line one
            line two"
            A3,C1,2024-02-07 09:15:00,1500,100,,shipped,"back\slash ""quoted"""
            A4,C3,2023-12-31 23:59:59,-300,0,1,Gift Wrap,
            A5,C3,2024-02-09 00:00:00,700.25,5.5,3,返品,抹茶

            """#)
        let request = LoadRequest(target: .role(.orders), path: file)
        let (streamed, staged, a, b) = try bothWays("clean", request)
        let s = try #require(streamed, "the stream declined a clean file")
        same(s, staged)
        #expect(try dump(a, "orders") == dump(b, "orders"))
        // Worked out by hand: 5 orders, one guest (A2), the range of ordered_at, 'on hold' unknown.
        #expect(s.rows == 5 && s.guests == 1)
        #expect(s.unknownStatuses.map(\.raw) == ["Gift Wrap"])
        #expect(try PostgresServer.psql(a, "SELECT min_date, max_date FROM ecsh.ecsh_datasets") == "2023-12-31|2024-02-09\n")
        #expect(try PostgresServer.psql(a, "SELECT status, status_raw FROM orders ORDER BY order_id")
                == "completed|Completed\ncancelled|キャンセル\ncompleted|shipped\ngift wrap|Gift Wrap\nreturned|返品\n")
        #expect(try PostgresServer.psql(a, "SELECT product FROM orders WHERE order_id = 'A3'") == #"back\slash "quoted""# + "\n")
    }

    /// `set status 'WORD', STATUS` is stored on the server: both ways map the word with it
    /// (the staged way used to read the words from its own staging file, and missed them).
    @Test func theWorkspacesStatusWordsApplyBothWays() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let file = try dir.write("orders.csv", "order_id,customer_id,ordered_at,amount,status\nA1,C1,2024-01-05,1000,on hold\nA2,C2,2024-01-06,500,completed\n")
        let (streamed, staged, a, b) = try bothWays("words", LoadRequest(target: .role(.orders), path: file),
                                                    settings: [("status_word:onhold", "pending")])
        let s = try #require(streamed)
        same(s, staged)
        #expect(s.unknownStatuses.isEmpty)
        for url in [a, b] {
            #expect(try PostgresServer.psql(url, "SELECT status FROM orders ORDER BY order_id") == "pending\ncompleted\n")
        }
    }

    /// Files the stream hands to the staged way, which gives the SQLite loader's result: an exact
    /// repeat collapses, a differing repeat is a located error, a bad row is an error (or a reject),
    /// a column that widens mid-file is retyped.
    @Test func filesThatNeedTheWholeLoaderGoTheStagedWay() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let header = "order_id,customer_id,ordered_at,amount\n"
        let exact = try dir.write("exact.csv", header + "A1,C1,2024-01-05,1000\nA2,C2,2024-01-06,500\nA1,C1,2024-01-05,1000\n")
        var (streamed, staged, _, b) = try bothWays("exact", LoadRequest(target: .role(.orders), path: exact))
        #expect(streamed == nil)
        #expect(staged.exactRepeats == 1 && staged.rows == 2)
        #expect(try PostgresServer.psql(b, "SELECT count(*), sum(amount) FROM orders") == "2|1500\n")

        let differing = try dir.write("differing.csv", header + "A1,C1,2024-01-05,1000\nA2,C2,2024-01-06,500\nA1,C1,2024-01-05,900\n")
        #expect(throws: LoadError.self) { _ = try bothWays("differ", LoadRequest(target: .role(.orders), path: differing)) }

        let bad = try dir.write("bad.csv", header + "A1,C1,2024-01-05,1000\nA2,C2,2024-01-06,abc\nA3,C2,2024-01-07,300\n")
        (streamed, staged, _, b) = try bothWays("bad", LoadRequest(target: .role(.orders), path: bad, options: LoadOptions(onError: .skip)))
        #expect(streamed == nil)
        #expect(staged.skipped == 1)
        #expect(try PostgresServer.psql(b, "SELECT line, col, field FROM ecsh.ecsh_rejects") == "3|4|amount\n")

        // Past the 1,000 records that settle the types, an integer column meets a decimal.
        var rows = "id,qty\n"
        for i in 1...1200 { rows += "r\(i),\(i == 1100 ? "2.5" : String(i))\n" }
        let widened = try dir.write("widened.csv", rows)
        (streamed, staged, _, b) = try bothWays("widen", LoadRequest(target: .table("t"), path: widened))
        #expect(streamed == nil)
        #expect(staged.notes.contains { $0.contains("became real at line 1101") }, "\(staged.notes)")
        // Σ 1…1200 − 1100 + 2.5
        #expect(try PostgresServer.psql(b, "SELECT data_type FROM information_schema.columns WHERE table_name = 't' AND column_name = 'qty'; SELECT sum(qty) FROM t")
                == "double precision\n\(1200 * 1201 / 2 - 1100 + 2).5\n")
    }

    /// Meta's summary row and an NPS answer exported twice are settled with SQL after the insert: the stream hands
    /// such files to the staged way, which leaves them out (¥9,600, not ¥19,200; 2 answers, not 3).
    @Test func rangeSpendAndNPSWithoutIdsGoTheStagedWay() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let meta = try dir.write("meta.csv", "Reporting starts,Reporting ends,Campaign name,Amount spent (JPY)\n"
            + "2024-03-01,2024-03-03,,9600\n2024-03-01,2024-03-01,A,3000\n2024-03-02,2024-03-02,A,3500\n2024-03-03,2024-03-03,A,3100\n")
        var (streamed, staged, _, b) = try bothWays("meta", LoadRequest(target: .role(.spend), path: meta))
        #expect(streamed == nil && staged.rows == 3)
        #expect(try PostgresServer.psql(b, "SELECT count(*), sum(spend) FROM spend") == "3|9600\n")
        let nps = try dir.write("nps.csv", "Timestamp,Email Address,score\n2024/03/05 15:00:00,b@x.jp,9\n2024/03/05 15:00:00,b@x.jp,9\n2024/03/06 10:00:00,c@x.jp,3\n")
        (streamed, staged, _, b) = try bothWays("npsrep", LoadRequest(target: .role(.nps), path: nps))
        #expect(streamed == nil && staged.rows == 2)
        #expect(try PostgresServer.psql(b, "SELECT count(*) FROM nps") == "2\n")
    }

    /// The repeat check finds a repeat inside a run, across spilled runs (runs of 2 hashes here, so
    /// the 4th row's id meets the 1st only in the merge), and none in a clean file.
    @Test func repeatedIdsAreFoundAcrossSpilledRuns() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let file = try dir.write("orders.csv", "order_id,customer_id,ordered_at,amount\nA1,C1,2024-01-05,1000\nA2,C2,2024-01-06,500\nA3,C2,2024-01-07,300\nA1,C1,2024-01-05,1000\nA4,C3,2024-01-08,10\n")
        let url = try PostgresServer.freshDatabase("runs")
        let db = try Database(postgres: url, interruptFlag: InterruptFlag())
        let request = LoadRequest(target: .role(.orders), path: file)
        for runSize in [2, 1 << 20] {
            try db.transaction {
                try Bookkeeping.createTables(db)
                #expect(throws: StreamDeclined.self) {
                    _ = try ServerStream(database: db, words: [:], runSize: runSize).load(request, started: 0, progress: nil)
                }
            }
        }
        let clean = try dir.write("clean.csv", "order_id,customer_id,ordered_at,amount\nA1,C1,2024-01-05,1000\nA2,C2,2024-01-06,500\nA3,C2,2024-01-07,300\nA4,C3,2024-01-08,10\nA5,C3,2024-01-09,20\n")
        let summary = try db.transaction {
            try Bookkeeping.createTables(db)
            return try ServerStream(database: db, words: [:], runSize: 2).load(LoadRequest(target: .role(.orders), path: clean), started: 0, progress: nil)
        }
        #expect(summary.rows == 5)
        #expect(try PostgresServer.psql(url, "SELECT count(*), sum(amount) FROM orders") == "5|1830\n")
    }

    /// The check itself on many hashes: distinct values in runs of 1,000 pass; one repeat anywhere
    /// (inside a run, or the first value again at the very end) is found.
    @Test func theRepeatCheckMergesItsRuns() throws {
        var rng = SplitMix64(seed: 11)
        let values = (0..<25_000).map { _ in rng.next() }
        #expect(Set(values).count == values.count)
        let clean = RepeatCheck(runSize: 1000)
        for v in values { #expect(try clean.add(v)) }
        #expect(try clean.finish())
        let across = RepeatCheck(runSize: 1000)
        for v in values { _ = try across.add(v) }
        _ = try across.add(values[0])
        #expect(try !across.finish())
        let inside = RepeatCheck(runSize: 1000)
        var found = false
        for v in Array(values.prefix(500)) + [values[10]] + Array(values.dropFirst(500)) {
            if try !inside.add(v) { found = true; break }
        }
        #expect(found)
    }
}
