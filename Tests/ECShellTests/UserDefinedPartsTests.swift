import Foundation
import Testing
import ECTestSupport

/// Segments, defined KPIs and targets the way analysts write them, on a shop small enough to work by hand:
/// five customers with counted orders (¥8,800 of revenue), of whom c1 and c4 are in Tokyo, c3 in Osaka,
/// c2 has an empty region and c5 is not in the customers file at all.
@Suite struct UserDefinedPartsTests {
    func shop() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        _ = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,channel,status
            o1,c1,2024-01-05,1000,own,completed
            o2,c1,2024-02-05,2000,own,completed
            o3,c2,2024-01-10,500,mall,completed
            o4,c3,2024-02-11,3000,own,completed
            o5,c4,2024-02-12,1500,,completed
            o6,c5,2024-03-01,800,own,completed

            """)
        _ = try dir.write("customers.csv", "customer_id,region,tier\nc1,Tokyo,gold\nc2,,silver\nc3,Osaka,\nc4,Tokyo,gold\n")
        return dir
    }

    /// Loads the shop and runs the statements; `workspace`: in that file, which then keeps what they made.
    func run(_ statements: [String], in dir: TemporaryDirectory, workspace: String? = nil) throws -> ProcessOutput {
        try runECSH(["-c", "load orders from 'orders.csv'", "-c", "load customers from 'customers.csv'"]
                    + statements.flatMap { ["-c", $0] } + (workspace.map { [$0] } ?? []), directory: dir.url)
    }

    /// `region != 'Tokyo'` holds for c3 only: c2 and c5 have no region, so SQL's answer for them is unknown and
    /// they are in neither the segment (1) nor `region = 'Tokyo'` (2); 1 + 2 < 5 is said, with the way to count them in.
    @Test func aNegationOverAnEmptyAttributeSaysWhoItLeavesOut() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["segment nt = region != 'Tokyo'", "segment t = region = 'Tokyo'", "segment nott = not t"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("segment nt: 1 of 5 customers"))
        #expect(out.stderr.contains("note: 2 customers are in neither nt nor its opposite: no region (∅)"), "\(out.stderr)")
        #expect(out.stderr.contains("write `region is null or (…)`"))
        // A positive comparison leaves the unknown out as expected: no note for t.
        #expect(!out.stderr.contains("in neither t nor"))
        // Through another segment too.
        #expect(out.stderr.contains("note: 2 customers are in neither nott nor its opposite"), "\(out.stderr)")
        let empty = try run(["segment ins = region in ('Osaka', '')"], in: dir)
        #expect(empty.stderr.contains("segment ins: 1 of 5 customers"))
        #expect(empty.stderr.contains("note: '' matches no customer: an empty field is loaded as ∅ (null)"), "\(empty.stderr)")
    }

    /// `nps for nt` applies nt to every respondent, ordered or not: the note counts the respondents it leaves out, not
    /// the customers with orders (it said 2 customers: c2 and c5). Answers: c1 10, c2 3, c3 9, c5 10, c6 0 (no order, not
    /// in customers), c7 8 (not in customers) and c7 again 9. nt (region != 'Tokyo') holds for c3 only: NPS 100 × (1 − 0) / 1
    /// = 100; c2, c5, c6 and c7 have no region: 4 respondents with 5 answers are in neither nt nor its opposite.
    @Test func aNegatingSegmentsNPSNoteCountsRespondents() throws {
        let dir = try shop(); defer { dir.remove() }
        _ = try dir.write("nps.csv", "customer_id,responded_at,score\nc1,2024-03-02,10\nc2,2024-03-02,3\nc3,2024-03-02,9\n"
                          + "c5,2024-03-02,10\nc6,2024-03-02,0\nc7,2024-03-02,8\nc7,2024-03-05,9\n")
        let out = try run(["load nps from 'nps.csv'", "segment nt = region != 'Tokyo'", "nps for nt"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("│ all   │         1 │         1 │        0 │          0 │ 100.0 │"), "\(out.stdout)")
        #expect(out.stderr.contains("note on segment nt: 4 respondents (5 answers) are in neither nt nor its opposite: no region (∅)"), "\(out.stderr)")
    }

    /// `where channel != 'own'` keeps o3 (mall, ¥500) only: o5 has no channel, so it is in neither that filter
    /// nor `channel = 'own'` (¥6,800 of 4 orders); ¥500 + ¥6,800 < ¥8,800 is said.
    @Test func aWhereNegationOverAnEmptyColumnSaysWhichOrdersItLeavesOut() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["kpi revenue, orders where channel != 'own'"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("¥500"))
        #expect(out.stderr.contains("note: 1 order is in neither the filter nor its opposite: no channel (∅)"), "\(out.stderr)")
        #expect(out.stderr.contains("write `channel is null or (…)`"))
        let positive = try run(["kpi revenue where channel = 'own'"], in: dir)
        #expect(positive.stdout.contains("¥6,800"))
        #expect(!positive.stderr.contains("in neither"))
    }

    /// Redefining a segment (names are case-insensitive) says what it replaced and which segments follow it:
    /// big2 = big and region = 'Tokyo' goes from c1, c4 (revenue ≥ ¥1,000) to c1 (revenue ≥ ¥3,000).
    @Test func redefiningASegmentSaysWhatFollowsIt() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["segment big = revenue >= 1000", "segment big2 = big and region = 'Tokyo'", "segment Big = revenue >= 3000", "segments"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("note: replaces segment big = revenue >= 1000; big2 uses it and now follows the new definition"), "\(out.stderr)")
        #expect(out.stderr.contains("segment big2: 2 of 5 customers"))
        #expect(out.stdout.contains("big2    │ big and region = 'Tokyo' │         1"), "\(out.stdout)")
    }

    /// A defined KPI another one reads cannot be dropped (as with segments): the other would fail from then on.
    @Test func dropKPIRefusesWhileAnotherUsesIt() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["define kpi a1 = revenue * 2", "define kpi a2 = a1 + 1", "drop kpi a1"], in: dir, workspace: "shop.db")
        #expect(out.status != 0)
        #expect(out.stderr.contains("error: kpi 'a2' uses 'a1' (a2 = a1 + 1)"), "\(out.stderr)")
        #expect(out.stderr.contains("help: drop kpi a2 first, or redefine it"))
        // a2 still reads 2 × ¥8,800 + 1; dropping the user first works.
        let after = try runECSH(["-c", "kpi a2", "-c", "drop kpi a2", "-c", "drop kpi a1", "shop.db"], directory: dir.url)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.contains("¥17,601"))
        #expect(after.stderr.contains("dropped kpi a1"))
        // A defined KPI shadowing a built-in may go: the built-in takes its place in the formulas that read it.
        let shadow = try run(["define kpi aov = revenue / 2", "define kpi x = aov * 1", "drop kpi aov", "kpi x"], in: dir)
        #expect(shadow.status == 0, "\(shadow.stderr)")
        #expect(shadow.stdout.contains("¥1,467"))  // 8,800 / 6 orders
    }

    /// `drop kpi` takes the KPI's target with it: left behind, scorecard skipped it ("big: skipped (unknown KPI 'big')"),
    /// and for a KPI that shadowed a built-in, held the built-in to a target set for another formula.
    @Test func droppingAKPIDropsItsTarget() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["define kpi big = revenue * 2", "target big >= 100", "drop kpi big", "scorecard",
                           "define kpi aov = revenue / 2", "target aov >= 5000", "drop kpi aov",
                           "sql select count(*) as targets from ecsh_targets"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("dropped kpi big and its target (big >= ¥100)\n"), "\(out.stderr)")
        #expect(out.stderr.contains("dropped kpi aov and its target (aov >= ¥5,000)\n"), "\(out.stderr)")
        #expect(!out.stderr.contains("big: skipped"), "\(out.stderr)")
        #expect(out.stdout.contains("│       0 │"), "\(out.stdout)")
        // A KPI without a target says only that it was dropped.
        let plain = try run(["define kpi big = revenue * 2", "drop kpi big"], in: dir)
        #expect(plain.stderr.contains("dropped kpi big\n"), "\(plain.stderr)")
    }

    /// `segments` repeats, under its table, the notes about empty values that defining each segment gave:
    /// nt (region != 'Tokyo') counts 1 customer and leaves out c2 and c5 (no region); ins matches '' never.
    @Test func theSegmentListRepeatsTheEmptyValueNotes() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["segment nt = region != 'Tokyo'", "segment t = region = 'Tokyo'", "segment ins = region in ('Osaka', '')",
                           "segments"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("note on segment nt: 2 customers are in neither nt nor its opposite: no region (∅)"), "\(out.stderr)")
        #expect(out.stderr.contains("note on segment ins: '' matches no customer"), "\(out.stderr)")
        #expect(!out.stderr.contains("note on segment t:"))
    }

    /// `1e3` is a number (customers with revenue ≥ ¥3,000: c1 and c3); `50,000` is an error that says how to write it.
    @Test func exponentsAreNumbersAndThousandsSeparatorsSayHowToWriteThem() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["segment big = revenue >= 3e3"], in: dir)
        #expect(out.stderr.contains("segment big: 2 of 5 customers"), "\(out.stderr)")
        let comma = try run(["segment big = revenue >= 3,000"], in: dir)
        #expect(comma.status == 1)
        #expect(comma.stderr.contains("a comma separates list items, so 3,000 is not one number: write 3_000 (or 3000)"), "\(comma.stderr)")
        #expect(comma.stderr.contains(":1:27"), "\(comma.stderr)")
    }

    /// `target repeat_rate >= 30` read as 3,000%, a target no share can meet; 30% and 0.3 are the same target.
    @Test func aShareTargetAboveOneIsAnError() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["target repeat_rate >= 30"], in: dir)
        #expect(out.status != 0)
        #expect(out.stderr.contains("error: repeat_rate is a share: 30 reads as 3,000.0%, not 30%"), "\(out.stderr)")
        #expect(out.stderr.contains("help: write 30% (the same as 0.3)"))
        let ok = try run(["target repeat_rate >= 30%", "target retention_rate >= 0.3", "target orders >= 30"], in: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("target repeat_rate >= 30.0%"))
        #expect(ok.stderr.contains("target retention_rate >= 30.0%"))
        #expect(ok.stderr.contains("target orders >= 30"))
    }
}
