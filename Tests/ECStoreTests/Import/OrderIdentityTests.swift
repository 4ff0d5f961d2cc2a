import Testing
@testable import ECStore
import ECTestSupport

/// One id, one row: repeats in a file, overlapping exports loaded with `append`, customers and NPS.
@Suite struct OrderIdentityTests {
    static let header = "order_id,customer_id,ordered_at,amount,status\n"

    @Test func exactRepeatsCollapseAndAreCounted() throws {
        let f = try LoadFixture()
        let path = try f.file("o.csv", OrderIdentityTests.header + "A,c1,2024-01-01,100,paid\nB,c2,2024-01-02,200,paid\nA,c1,2024-01-01,100,paid\nA,c1,2024-01-01,100,paid\n")
        let s = try f.load(.role(.orders), path)
        #expect(s.rows == 2 && s.exactRepeats == 2)
        #expect(s.notes.contains("collapsed 2 exact repeat rows (same order_id, same values)"))
        #expect(try f.rows("SELECT order_id, amount FROM orders ORDER BY order_id") == [["A", 100.0], ["B", 200.0]])
    }

    @Test func differingRepeatIsALocatedErrorNamingBothLines() throws {
        let f = try LoadFixture()
        try f.load(.role(.orders), try f.file("good.csv", OrderIdentityTests.header + "Z,c9,2024-01-01,5,paid\n"))
        let before = try snapshot(f.db)
        let path = try f.file("o.csv", OrderIdentityTests.header + "A,c1,2024-01-01,100,paid\nB,c2,2024-01-02,200,paid\nA,c1,2024-01-01,100,refunded\n")
        do {
            try f.load(.role(.orders), path)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.file == path && e.line == 2 && e.field == "order_id")
            #expect(e.reason == "order_id 'A' is also at line 4 with different values (status: 'completed' vs 'refunded')")
            #expect(e.help?.contains("on_error skip") == true)
        }
        #expect(try snapshot(f.db) == before)
    }

    @Test func skipModeKeepsTheLaterRow() throws {
        let f = try LoadFixture()
        let path = try f.file("o.csv", OrderIdentityTests.header + "A,c1,2024-01-01,100,paid\nB,c2,2024-01-02,200,paid\nA,c1,2024-01-01,100,refunded\n")
        let s = try f.load(.role(.orders), path, [("on_error", "skip")])
        #expect(s.rows == 2 && s.replacedRepeats == 1 && s.skipped == 1)
        #expect(try f.rows("SELECT order_id, status, status_raw FROM orders ORDER BY order_id") == [["A", "refunded", "refunded"], ["B", "completed", "paid"]])
        #expect(try f.rows("SELECT line, field FROM ecsh_rejects") == [[2, "order_id"]])
    }

    @Test func appendReplacesOlderRowsAndCounts() throws {
        let f = try LoadFixture()
        try f.load(.role(.orders), try f.file("a.csv", OrderIdentityTests.header + "A,c1,2024-01-01,100,paid\nB,c2,2024-01-02,200,paid\nC,c3,2024-01-03,300,pending\n"))
        let s = try f.load(.role(.orders), try f.file("b.csv", OrderIdentityTests.header + "B,c2,2024-01-02,200,paid\nC,c3,2024-01-03,300,cancelled\nD,c4,2024-01-04,400,paid\n"), append: true)
        // B is the same, C changed (pending → cancelled), D is new.
        #expect(s.merge == LoadSummary.Merge(new: 1, updated: 1, unchanged: 1))
        #expect(s.description.contains("; 1 new, 1 updated, 1 unchanged"))
        #expect(try f.rows("SELECT order_id, status FROM orders ORDER BY order_id") == [
            ["A", "completed"], ["B", "completed"], ["C", "cancelled"], ["D", "completed"],
        ])
        #expect(try f.rows("SELECT rows FROM ecsh_datasets WHERE name = 'orders'") == [[4]])
    }

    @Test func customersAndNPSUpsertByTheirIds() throws {
        let f = try LoadFixture()
        try f.load(.role(.customers), try f.file("c1.csv", "customer_id,acquisition_channel\nc1,ads\nc2,organic\n"))
        let s = try f.load(.role(.customers), try f.file("c2.csv", "customer_id,acquisition_channel\nc2,referral\nc3,ads\n"), append: true)
        #expect(s.merge == LoadSummary.Merge(new: 1, updated: 1, unchanged: 0))
        #expect(try f.rows("SELECT customer_id, acquisition_channel FROM customers ORDER BY 1") == [["c1", "ads"], ["c2", "referral"], ["c3", "ads"]])
        try f.load(.role(.nps), try f.file("n1.csv", "response_id,customer_id,responded_at,score\nr1,c1,2024-01-01,9\nr2,c2,2024-01-02,3\n"))
        let n = try f.load(.role(.nps), try f.file("n2.csv", "response_id,customer_id,responded_at,score\nr2,c2,2024-01-02,3\nr3,c3,2024-01-03,10\n"), append: true)
        #expect(n.merge == LoadSummary.Merge(new: 1, updated: 0, unchanged: 1))
        #expect(try f.rows("SELECT response_id, score FROM nps ORDER BY 1") == [["r1", 9], ["r2", 3], ["r3", 10]])
        // Without a response id, responses simply add up.
        try f.load(.role(.nps), try f.file("n3.csv", "customer_id,responded_at,score\nc1,2024-01-01,9\nc1,2024-01-01,9\n"))
        #expect(try f.rows("SELECT count(*) FROM nps") == [[2]])
    }

    /// A random order set split into overlapping exports, later exports changing statuses and amounts:
    /// loading them in sequence with `append` gives exactly the final truth loaded once.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func overlappingExportsEqualTheFinalTruth(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let statuses = ["paid", "pending", "shipped", "cancelled", "canceled", "返品", "refunded", "キャンセル確定"]
        let n = Int.random(in: 20...80, using: &rng)
        // truth[id] = the newest version; every export draws a window of ids and may change them.
        var truth: [Int: String] = [:]
        var exports: [[Int: String]] = []
        func row(_ id: Int, _ version: Int) -> String {
            let status = statuses[Int.random(in: 0..<statuses.count, using: &rng)]
            let amount = 100 * (id % 7 + 1) + version
            return "O\(id),C\(id % 11),2024-0\(id % 9 + 1)-1\(id % 10),\(amount),\(status)"
        }
        for e in 0..<Int.random(in: 2...4, using: &rng) {
            let start = Int.random(in: 0..<n, using: &rng)
            let length = Int.random(in: n / 3...n, using: &rng)
            var export: [Int: String] = [:]
            for k in 0..<length {
                let id = (start + k) % n
                // Half the time an overlapping order comes back unchanged, else in a new version.
                if let old = truth[id], Bool.random(using: &rng) { export[id] = old } else { export[id] = row(id, e) }
            }
            exports.append(export)
            for (id, text) in export { truth[id] = text }
        }
        let f = try LoadFixture()
        var expectedRows = 0
        var seen: [Int: String] = [:]
        for (e, export) in exports.enumerated() {
            // Rows in a shuffled order, with one exact repeat thrown in.
            var lines = export.values.shuffled(using: &rng)
            lines.append(lines[0])
            let path = try f.file("e\(e).csv", OrderIdentityTests.header + lines.joined(separator: "\n") + "\n")
            let s = try f.load(.role(.orders), path, append: e > 0)
            // Independent count of new / updated / unchanged against what was loaded before.
            let new = export.keys.filter { seen[$0] == nil }.count
            let unchanged = export.filter { seen[$0.key] == $0.value }.count
            #expect(s.exactRepeats == 1)
            if e > 0 { #expect(s.merge == LoadSummary.Merge(new: new, updated: export.count - new - unchanged, unchanged: unchanged)) }
            for (id, text) in export { seen[id] = text }
            expectedRows += new
        }
        let once = try LoadFixture()
        try once.load(.role(.orders), try once.file("truth.csv", OrderIdentityTests.header + truth.values.sorted().joined(separator: "\n") + "\n"))
        let columns = "order_id, customer_id, ordered_at, day, amount, status, status_raw"
        let sequence = try f.rows("SELECT \(columns) FROM orders ORDER BY order_id")
        #expect(sequence.count == truth.count && sequence.count == expectedRows)
        #expect(sequence == (try once.rows("SELECT \(columns) FROM orders ORDER BY order_id")))
    }
}
