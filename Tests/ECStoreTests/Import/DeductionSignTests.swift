import Testing
@testable import ECStore
import ECTestSupport

/// Discounts and points written as negative numbers are deductions; mixed signs stop the load (`settleCostSigns`).
@Suite struct DeductionSignTests {
    static let header = "order_id,customer_id,ordered_at,amount,discount,points,status\n"

    /// The QA repro: amount 1000, discount −100, points −50; amount 2000, discount −200.
    @Test func negativeDeductionsAreStoredPositiveWithANote() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("negdisc.csv", DeductionSignTests.header
            + "N1,C1,2024-01-05,1000,-100,-50,completed\nN2,C2,2024-01-06,2000,-200,0,completed\n"))
        #expect(try f.rows("SELECT order_id, discount, points FROM orders ORDER BY 1") == [["N1", 100.0, 50.0], ["N2", 200.0, 0.0]])
        // GMV 3000; revenue 3000 − 300 − 50 = 2650 (was 3350); discounts + points 350 / 3000 = 11.7% (was −11.7%).
        #expect(try f.rows("SELECT sum(amount), sum(amount - discount - points) FROM orders") == [[3000.0, 2650.0]])
        #expect(s.negatedDeductions == [LoadSummary.Count(name: "discount", count: 2), LoadSummary.Count(name: "points", count: 1)])
        #expect(s.notes.contains { $0.hasPrefix("'discount' has only negative values (2 of them): read as deductions written with a minus sign") })
    }

    @Test func positiveDeductionsAreLeftAsTheyAre() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("o.csv", DeductionSignTests.header + "A,C1,2024-01-05,1000,100,0,completed\n"))
        #expect(try f.rows("SELECT discount, points FROM orders") == [[100.0, 0.0]])
        #expect(s.negatedDeductions.isEmpty)
    }

    /// Two negative discounts and one positive: the positive one (line 4, column 5) is the odd one out.
    @Test func mixedSignsStopTheLoadAtTheRarerSign() throws {
        let f = try LoadFixture()
        try f.load(.role(.orders), try f.file("good.csv", DeductionSignTests.header + "Z,C9,2024-01-01,5,0,0,completed\n"))
        let before = try snapshot(f.db)
        let path = try f.file("mixed.csv", DeductionSignTests.header
            + "N1,C1,2024-01-05,1000,-100,0,completed\nN2,C2,2024-01-06,2000,-200,0,completed\nN3,C2,2024-01-07,2000,30,0,completed\n")
        do {
            try f.load(.role(.orders), path, append: true)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.line == 4 && e.column == 5 && e.field == "discount" && e.rawValue == "30")
            #expect(e.reason == "has its row's amount's sign, but 2 of the column's 3 non-zero values have the sign opposite to their amount's (a deduction written negative): ecsh cannot tell deductions from additions")
            #expect(e.help?.contains("write every discount with its amount's sign") == true)
        }
        #expect(try snapshot(f.db) == before)
    }

    /// One negative points value among positive ones: the negative one is named.
    @Test func aLoneNegativeIsNamed() throws {
        let f = try LoadFixture()
        let path = try f.file("o.csv", DeductionSignTests.header
            + "A,C1,2024-01-05,1000,0,10,completed\nB,C1,2024-01-06,1000,0,-10,completed\nC,C1,2024-01-07,1000,0,20,completed\n")
        #expect(throws: LoadError.self) { try f.load(.role(.orders), path) }
        do { try f.load(.role(.orders), path) } catch let e as LoadError {
            #expect(e.line == 3 && e.column == 6 && e.field == "points" && e.rawValue == "-10")
        }
    }

    // A deduction's sign is judged against its row's amount: a refund row writes its amount and its discount negative.
    static let refundHeader = "order_id,customer_id,order_date,amount,discount,status\n"

    /// The QA re-probe (a): refunds only, amount and discount both negative: kept as written (the flip made the
    /// discounts +100 and +200 and revenue −2,200 where −1,800 is right).
    @Test func refundRowsKeepTheirNegativeDeductions() throws {
        for options in [[], [("on_error", "skip")]] as [[(String, Value)]] {
            let f = try LoadFixture()
            let s = try f.load(.role(.orders), try f.file("refunds.csv", DeductionSignTests.refundHeader
                + "R1,c1,2024-01-10,-1000,-100,refunded\nR2,c2,2024-01-11,-2000,-200,completed\n"), options)
            #expect(try f.rows("SELECT order_id, amount, discount FROM orders ORDER BY 1") == [["R1", -1000.0, -100.0], ["R2", -2000.0, -200.0]])
            // Revenue of the sale R2 (R1 is refunded): −2000 − (−200) = −1800; both rows: −900 − 1800 = −2700.
            #expect(try f.rows("SELECT sum(amount - discount) FROM orders WHERE order_id = 'R2'") == [[-1800.0]])
            #expect(try f.rows("SELECT sum(amount - discount) FROM orders") == [[-2700.0]])
            #expect(s.negatedDeductions.isEmpty)
            #expect(!s.notes.contains { $0.contains("'discount' has only") })
        }
    }

    /// The QA re-probe (b): discounts 100, 200, 0 and a refund row −1000, −100: every deduction has its amount's sign.
    @Test func aRefundAmongOrdersDoesNotMixTheSigns() throws {
        for options in [[], [("on_error", "skip")]] as [[(String, Value)]] {
            let f = try LoadFixture()
            let s = try f.load(.role(.orders), try f.file("ref.csv", DeductionSignTests.refundHeader
                + "1,c1,2024-01-05,1000,100,completed\n2,c2,2024-01-06,2000,200,completed\n3,c3,2024-01-07,3000,0,completed\n"
                + "R1,c1,2024-01-10,-1000,-100,completed\n"), options)
            // GMV 1000 + 2000 + 3000 − 1000 = 5000; revenue 900 + 1800 + 3000 − 900 = 4800.
            #expect(try f.rows("SELECT sum(amount), sum(amount - discount) FROM orders") == [[5000.0, 4800.0]])
            #expect(s.negatedDeductions.isEmpty)
        }
    }

    /// Written negative, refund included: an order's −100 against 1000 and a refund's +100 against −1000 are both
    /// opposite to their amount; both turn (100 and −100), and the note says that not all were negative.
    @Test func deductionsOppositeToTheirAmountTurnIncludingARefunds() throws {
        for options in [[], [("on_error", "skip")]] as [[(String, Value)]] {
            let f = try LoadFixture()
            let s = try f.load(.role(.orders), try f.file("opp.csv", DeductionSignTests.refundHeader
                + "1,c1,2024-01-05,1000,-100,completed\n2,c2,2024-01-06,2000,0,completed\nR1,c1,2024-01-10,-1000,100,completed\n"), options)
            #expect(try f.rows("SELECT order_id, discount FROM orders ORDER BY 1") == [["1", 100.0], ["2", 0.0], ["R1", -100.0]])
            // Revenue 900 + 2000 − 900 = 2000.
            #expect(try f.rows("SELECT sum(amount - discount) FROM orders") == [[2000.0]])
            #expect(s.negatedDeductions == [LoadSummary.Count(name: "discount", count: 2)])
            #expect(s.notes.contains { $0.hasPrefix("'discount' has only values of the sign opposite to their row's amount (2 of them, 1 negative)") })
        }
    }

    /// A refund's positive discount among usual deductions is the odd one out: line 5 (R1), column 5.
    @Test func aRefundsPositiveDeductionAmongUsualOnesStops() throws {
        for options in [[], [("on_error", "skip")]] as [[(String, Value)]] {
            let f = try LoadFixture()
            let path = try f.file("odd.csv", DeductionSignTests.refundHeader
                + "1,c1,2024-01-05,1000,100,completed\n2,c2,2024-01-06,2000,200,completed\n3,c3,2024-01-07,3000,-0,completed\n"
                + "R1,c1,2024-01-10,-1000,100,completed\n")
            do {
                try f.load(.role(.orders), path, options)
                Issue.record("expected an error")
            } catch let e as LoadError {
                #expect(e.line == 5 && e.column == 5 && e.field == "discount" && e.rawValue == "100", "\(options): \(e)")
                #expect(e.reason == "has the sign opposite to its row's amount, but 2 of the column's 3 non-zero values have their amount's sign: ecsh cannot tell deductions from additions")
            }
        }
    }

    /// Under `on_error skip` and in a preset the signs are counted as stored, and the odd value's line is still its
    /// file line: a skipped bad row (line 5) and a quoted field over two lines (6–7) sit before it, so the stored
    /// row's position (5th row) is not its line (9).
    @Test func theOddValueIsNamedByItsFileLineWhenCountedAsStored() throws {
        let f = try LoadFixture()
        let skip = try f.file("skip.csv", """
            order_id,customer_id,ordered_at,amount,discount,note
            O1,C1,2024-01-05,1000,-100,a
            O2,C2,2024-01-06,2000,-200,b
            O3,C3,2024-01-07,3000,-300,c
            O4,C4,not-a-date,100,-10,d
            O5,C5,2024-01-09,5000,-500,"two
            lines"
            O6,C6,2024-01-10,6000,-600,e
            O7,C7,2024-01-11,7000,700,f

            """)
        do {
            try f.load(.role(.orders), skip, [("on_error", "skip")])
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.line == 9 && e.column == 5 && e.rawValue == "700", "\(e)")
        }
        // Rakuten: R1's two line items (the first over lines 2–3) and R2's two collapse; R3 (line 7) is the odd one.
        let rakuten = try f.file("rakuten.csv", """
            受注番号,メールアドレス,注文日時,合計,クーポン利用総額,ポイント利用額,商品名
            "R1","a@x.jp","2024-01-05 10:00:00","1000","-100","0","item
            two lines"
            "R1","a@x.jp","2024-01-05 10:00:00","1000","-100","0","item b"
            "R2","b@x.jp","2024-01-06 10:00:00","2000","-200","0","c"
            "R2","b@x.jp","2024-01-06 10:00:00","2000","-200","0","c2"
            "R3","c@x.jp","2024-01-07 10:00:00","3000","300","0","d"
            "R4","d@x.jp","2024-01-08 10:00:00","4000","-400","0","e"

            """)
        do {
            try f.load(.role(.orders), rakuten, preset: "rakuten")
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.line == 7 && e.column == 5 && e.rawValue == "300", "\(e)")
        }
    }

    /// An amount of zero or empty: a positive deduction is usual, a negative one written negative.
    @Test func aZeroAmountTakesAPositiveDeduction() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("z.csv", DeductionSignTests.refundHeader
            + "1,c1,2024-01-05,0,100,completed\n2,c2,2024-01-06,1000,100,completed\n"))
        #expect(try f.rows("SELECT sum(discount) FROM orders") == [[200.0]])
        #expect(s.negatedDeductions.isEmpty)
        let t = try f.load(.role(.orders), try f.file("z2.csv", DeductionSignTests.refundHeader
            + "1,c1,2024-01-05,0,-100,completed\n2,c2,2024-01-06,1000,-100,completed\n"))
        #expect(try f.rows("SELECT sum(discount) FROM orders") == [[200.0]])
        #expect(t.negatedDeductions == [LoadSummary.Count(name: "discount", count: 2)])
    }
}
