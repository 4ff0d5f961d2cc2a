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
            #expect(e.reason == "is positive, but 2 of the column's 3 non-zero values are negative: ecsh cannot tell deductions from additions")
            #expect(e.help?.contains("write every discount with one sign") == true)
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
}
