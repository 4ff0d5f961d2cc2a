import Testing
import Foundation
@testable import ECStore

/// Every table's schema and rows, for before/after comparisons.
func snapshot(_ db: Database) throws -> [String] {
    var out = try db.query("SELECT type, name, sql FROM sqlite_schema ORDER BY name").rows.map { $0.map(\.description).joined(separator: "|") }
    for name in try db.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").rows.compactMap({ $0[0].textValue }) {
        out += try db.query("SELECT * FROM \(quoteIdentifier(name)) ORDER BY 1, 2").rows.map { "\(name): " + $0.map(\.description).joined(separator: "|") }
    }
    return out
}

@Suite struct LoadSafetyTests {
    static let good = "order_id,customer_id,ordered_at,amount\nA,c1,2024-01-01,10\nB,c2,2024-01-02,20\n"

    @Test(arguments: [
        ("wrong field count", "order_id,customer_id,ordered_at,amount\nX,c,2024-01-01,1\nY,c,2024-01-02\n", 3, nil as Int?, "has 3 fields, expected 4"),
        ("unterminated quote", "order_id,customer_id,ordered_at,amount\nX,c,2024-01-01,1\nY,\"c,2024-01-02,5\n", 3, 2, "never closed"),
        ("required empty", "order_id,customer_id,ordered_at,amount\nX,c,2024-01-01,1\n,c,2024-01-02,5\n", 3, 1, "is required"),
        ("unreadable amount", "order_id,customer_id,ordered_at,amount\nX,c,2024-01-01,1\nY,c,2024-01-02,12x\n", 3, 4, "is not a number"),
        ("unreadable date", "order_id,customer_id,ordered_at,amount\nX,c,2024-01-01,1\nY,c,yesterday,5\n", 3, 3, "is not a date"),
    ])
    func badRowStopsAndLeavesWorkspaceAsItWas(_ name: String, _ text: String, _ line: Int, _ column: Int?, _ reason: String) throws {
        let f = try LoadFixture()
        try f.load(.role(.orders), try f.file("good.csv", LoadSafetyTests.good))
        let before = try snapshot(f.db)
        let path = try f.file("bad.csv", text)
        do {
            try f.load(.role(.orders), path)
            Issue.record("expected \(name) to stop the load")
        } catch let e as LoadError {
            #expect(e.line == line && e.column == column && e.file == path)
            #expect(e.description.contains(reason), "\(e)")
        }
        #expect(try snapshot(f.db) == before)
        #expect(f.db.isInTransaction == false)
    }

    @Test func firstLoadFailingLeavesNoTables() throws {
        let f = try LoadFixture()
        let before = try snapshot(f.db)
        #expect(throws: LoadError.self) {
            try f.load(.role(.nps), try f.file("n.csv", "score,responded_at\n5,2024-01-01\n11,2024-01-02\n"))
        }
        #expect(try snapshot(f.db) == before)
        #expect(before.isEmpty)
    }

    @Test func skipModeRecordsRejects() throws {
        let f = try LoadFixture()
        let path = try f.file("n.csv", "score,responded_at,comment\n9,2024-01-01,great\n11,2024-01-02,too high\n7,2024-01-03\n-1,2024-01-04,neg\n10,2024-01-05,ok\n")
        let s = try f.load(.role(.nps), path, [("on_error", "skip")])
        #expect(s.rows == 2 && s.skipped == 3)
        #expect(s.description.contains("skipped 3 bad rows (see ecsh_rejects)"))
        #expect(s.notes.contains { $0.contains("ecsh_rejects") })
        #expect(try f.rows("SELECT score FROM nps ORDER BY score") == [[9], [10]])
        #expect(try f.rows("SELECT dataset, source, line, col, field, raw FROM ecsh_rejects ORDER BY line") == [
            ["nps", .text(path), 3, 1, "score", "11,2024-01-02,too high"],
            ["nps", .text(path), 4, nil, nil, "7,2024-01-03"],
            ["nps", .text(path), 5, 1, "score", "-1,2024-01-04,neg"],
        ])
        #expect(try f.rows("SELECT reason FROM ecsh_rejects WHERE line = 3") == [["is outside 0..10 (score)"]])
        // Reloading replaces the rejects of that dataset too.
        try f.load(.role(.nps), try f.file("ok.csv", "score,responded_at\n1,2024-01-01\n"))
        #expect(try f.db.scalar("SELECT count(*) FROM ecsh_rejects") == 0)
    }

    /// Many rows with bad ones scattered: good rows go in grouped, bad ones to rejects, nothing lost or doubled.
    @Test func skipModeAcrossGroupedInserts() throws {
        let f = try LoadFixture()
        var text = "date,sessions\n"
        var expected: [Int64] = []
        let bad: Set<Int> = [5, 40, 41, 77, 4500]
        for i in 0..<5000 {
            if bad.contains(i) { text += "2024-01-01,lots\n" } else { text += "2024-01-01,\(i)\n"; expected.append(Int64(i)) }
        }
        let s = try f.load(.role(.traffic), try f.file("t.csv", text), [("on_error", "skip")])
        #expect(s.rows == 4995 && s.skipped == 5)
        #expect(try f.rows("SELECT sessions FROM traffic ORDER BY rowid").map { $0[0].intValue! } == expected)
        // Line = index + 2 (header is line 1).
        #expect(try f.rows("SELECT line FROM ecsh_rejects ORDER BY line").map { $0[0].intValue! } == bad.sorted().map { Int64($0 + 2) })
    }

    @Test func interruptStopsAndRollsBack() throws {
        let flag = InterruptFlag()
        let db = try Database(interruptFlag: flag)
        let f = try LoadFixture()
        var text = "date,sessions\n"
        for i in 0..<10_000 { text += "2024-01-01,\(i)\n" }
        let path = try f.file("t.csv", text)
        flag.raise()
        do {
            _ = try Loader(database: db).load(LoadRequest(target: .role(.traffic), path: path))
            Issue.record("expected interruption")
        } catch let e as DatabaseError {
            #expect(e.isInterrupt)
        }
        flag.clear()
        #expect(try snapshot(db).isEmpty)
    }

    @Test func hundredThousandColumnsIsAClearError() throws {
        let f = try LoadFixture()
        let header = (1...100_000).map { "c\($0)" }.joined(separator: ",")
        let path = try f.file("wide.csv", header + "\n" + (1...100_000).map(String.init).joined(separator: ",") + "\n")
        do {
            try f.load(.table("wide"), path)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.reason.contains("at most 2000 columns"), "\(e)")
        }
    }

    @Test func fiftyMegabyteFieldIsAClearError() throws {
        let f = try LoadFixture()
        var bytes = Array("id,text\n1,\"".utf8)
        bytes += [UInt8](repeating: 0x61, count: 50 << 20)
        bytes += Array("\"\n".utf8)
        let path = try f.file("big.csv", bytes: bytes)
        do {
            try f.load(.table("big"), path)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.line == 2 && e.reason.contains("longer than 16 MB"), "\(e)")
        }
    }

    @Test func mapNamingAMissingColumnListsHeaders() throws {
        let f = try LoadFixture()
        do {
            try f.load(.role(.traffic), try f.file("t.csv", "day,visits\n2024-01-01,3\n"), map: ["sessions": "Sessions!"])
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.reason.contains("\"Sessions!\"") && e.help?.contains("\"day\", \"visits\"") == true)
        }
    }
}
