import Testing
@testable import ECStore
import ECTestSupport

/// Ids proven distinct while parsing (`RepeatWatch`) against the exact way (a UNIQUE index, then the
/// repeat query): the same table, the same summary, the same located error, for random files.
@Suite struct RepeatWatchTests {
    /// One load with the watch on or off: the table's rows, the summary's counts, or the error.
    static func outcome(_ f: LoadFixture, _ role: DatasetRole, _ path: String, skip: Bool, proving: Bool) -> (String, LoadSummary?) {
        let loader = Loader(database: f.db)
        loader.provesIdsWhileParsing = proving
        do {
            let opts = try LoadOptions(pairs: skip ? [(name: "on_error", value: .text("skip"))] : [])
            let s = try loader.load(LoadRequest(target: .role(role), path: path, options: opts))
            let rows = try f.rows("SELECT * FROM \(role.rawValue) ORDER BY rowid")
            let rejects = try f.rows("SELECT line, col, field, reason FROM ecsh_rejects ORDER BY rowid")
            return ("rows \(s.rows) skipped \(s.skipped) exact \(s.exactRepeats) replaced \(s.replacedRepeats) guests \(s.guests) "
                    + "statuses \(s.statuses) notes \(s.notes)\n\(rows)\n\(rejects)", s)
        } catch let e as LoadError {
            return ("error line \(e.line.map(String.init) ?? "-") field \(e.field ?? "-"): \(e.reason)", nil)
        } catch {
            return ("error \(error)", nil)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as [UInt64])
    func watchedLoadsEqualTheExactWay(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let role: DatasetRole = seed % 3 == 0 ? .nps : .orders
        let n = Int.random(in: 1...60, using: &rng)
        // Half the files have distinct ids; the rest repeat some, exactly or not. Ids look like
        // numbers or text (07 and 7 are different texts), some are missing.
        let repeats = seed % 2 == 0
        var ids = (0..<n).map { k in ["O\(k)", "\(k)", "0\(k)", " x\(k)"][Int.random(in: 0..<4, using: &rng)] }
        ids = Array(Set(ids)).sorted().shuffled(using: &rng)
        var lines: [String] = []
        for (k, id) in ids.enumerated() {
            let idCell = Int.random(in: 0..<12, using: &rng) == 0 ? "" : "\"\(id)\""
            let line = role == .orders
                ? "\(idCell),c\(k % 7),2024-01-\(k % 28 + 1),\(100 + k),\(["paid", "cancelled", "返品"][k % 3])"
                : "\(idCell),c\(k % 7),2024-01-\(k % 28 + 1),\(k % 11)"
            lines.append(line)
            if repeats && Int.random(in: 0..<4, using: &rng) == 0 {
                lines.append(Bool.random(using: &rng) ? line : line.replacingOccurrences(of: ",c", with: ",d"))
            }
        }
        lines.shuffle(using: &rng)
        let header = role == .orders ? "order_id,customer_id,ordered_at,amount,status\n" : "response_id,customer_id,responded_at,score\n"
        for skip in [false, true] {
            let watched = try LoadFixture(), exact = try LoadFixture()
            let text = header + lines.joined(separator: "\n") + "\n"
            let a = Self.outcome(watched, role, try watched.file("f.csv", text), skip: skip, proving: true)
            let b = Self.outcome(exact, role, try exact.file("f.csv", text), skip: skip, proving: false)
            #expect(a.0 == b.0, "seed \(seed) skip \(skip)")
            let ids = lines.map { String($0.prefix { $0 != "," }) }.filter { !$0.isEmpty }
            // Proven exactly when the non-empty ids are distinct (an independent count).
            // An order without an id is a bad row: the load stops, or skips it.
            let loads = role == .nps || skip || ids.count == lines.count
            #expect(a.1.map(\.idsProven) ?? false == (loads && Set(ids).count == ids.count), "seed \(seed) skip \(skip): \(a.0)")
            #expect(b.1?.idsProven != true)
            // Proven ids leave no id index; the exact way keeps its UNIQUE one.
            let index = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = '\(role.rawValue)'"
            if a.1?.idsProven == true { #expect(try watched.rows(index) == [[0]]) }
            if b.1 != nil { #expect(try exact.rows(index) == [[1]]) }
        }
    }

    /// A table whose ids were proven (no index) takes an `append` with an overlapping export as before.
    @Test func appendOntoProvenIdsMergesByThem() throws {
        let f = try LoadFixture()
        let header = "order_id,customer_id,ordered_at,amount,status\n"
        let first = try f.load(.role(.orders), try f.file("a.csv", header + "A,c1,2024-01-01,100,paid\nB,c2,2024-01-02,200,paid\n"))
        #expect(first.idsProven)
        let s = try f.load(.role(.orders), try f.file("b.csv", header + "B,c2,2024-01-02,250,paid\nC,c3,2024-01-03,300,paid\nC,c3,2024-01-03,300,paid\n"), append: true)
        #expect(!s.idsProven && s.exactRepeats == 1)
        #expect(s.merge == LoadSummary.Merge(new: 1, updated: 1, unchanged: 0))
        #expect(try f.rows("SELECT order_id, amount FROM orders ORDER BY order_id") == [["A", 100.0], ["B", 250.0], ["C", 300.0]])
    }

    /// The check's radix sort against the standard library's sort, on random words, runs of few
    /// distinct values and the extremes.
    @Test(arguments: [0, 1, 2, 3, 1000, 70_000] as [Int])
    func radixSortOrdersLikeSort(count: Int) {
        var rng = SplitMix64(seed: UInt64(count) + 7)
        for few in [false, true] {
            var words = (0..<count).map { _ in few ? UInt64.random(in: 0...5, using: &rng) << 48 | 0xFFFF : UInt64.random(in: .min ... .max, using: &rng) }
            if count > 3 { words[0] = .max; words[1] = 0; words[2] = 1 << 63 }
            var sorted = words
            RepeatCheck.radixSort(&sorted)
            #expect(sorted == words.sorted())
        }
    }

    /// Values a UNIQUE constraint takes as equal hash equally; different ones (almost surely) not.
    @Test func equalIdsHashEqually() {
        let text = UnsafeMutablePointer<UInt8>.allocate(capacity: 8)
        defer { text.deallocate() }
        for (i, b) in Array("A1A1B1".utf8).enumerated() { text[i] = b }
        func h(_ c: Cell) -> UInt64? { RepeatCheck.hash(c, text: text)?.hash }
        #expect(h(.real(0.0)) == h(.real(-0.0)))
        #expect(h(.real(.nan)) == h(.real(-.nan)))
        #expect(h(.text(start: 0, count: 2)) == h(.text(start: 2, count: 2)))
        #expect(h(.text(start: 0, count: 2)) != h(.text(start: 4, count: 2)))
        #expect(h(.integer(7)) != h(.integer(8)))
        #expect(h(.null) == nil)
    }

    /// Customers keep their id index: other datasets join on customer_id.
    @Test func customersKeepTheirIndex() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.customers), try f.file("c.csv", "customer_id,acquisition_channel\nc1,ads\nc2,organic\n"))
        #expect(!s.idsProven)
        #expect(try f.rows("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'customers'") == [[1]])
    }
}
