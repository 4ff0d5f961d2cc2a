import Foundation
import Testing
import ECTestSupport
import ECStore
@testable import ECShell

/// Figures the lessons state, checked against an independent query of the sample shop, not the lesson's
/// own reading of its tables.
@Suite struct TutorialFiguresTests {
    /// Lesson 9 said the half-price campaign "bought customers for ¥900 each", written in advance; its
    /// spend ÷ its customers with a counted order is what the lesson must say.
    @Test func acquisitionLessonStatesTheCampaignsCACFromTheData() throws {
        let counted = "SELECT customer_id FROM orders WHERE status IS NULL OR status NOT IN ('cancelled', 'returned', 'refunded', 'failed')"
        let query = "sql SELECT (SELECT sum(spend) FROM spend WHERE campaign = 'half_price_welcome') / "
            + "(SELECT count(*) FROM customers WHERE acquisition_campaign = 'half_price_welcome' AND customer_id IN (\(counted)))"
        let figure = try runECSH(["--demo", "--format", "csv", "-c", query])
        #expect(figure.status == 0, "\(figure.stderr)")
        let cac = try #require(figure.stdout.split(separator: "\n").last.flatMap { Double($0) })
        let yen = "¥" + Int(cac.rounded()).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        let out = try runECSH(["-c", "tutorial 9"], environment: ["COLUMNS": "100"])
        #expect(out.status == 0, "\(out.stderr)")
        let prose = out.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(prose.contains("bought customers for \(yen) each (its spend ÷ its cohort's size), the cheapest of any campaign"),
                "\(yen): \(out.stdout)")
    }

    /// Lesson 4 asks for own ÷ rakuten; the question says so, and that ratio is accepted.
    @Test func f2QuestionSaysWhichWayToDivide() throws {
        let rates = try runECSH(["--demo", "--format", "csv", "-c", "kpi f2_rate by first_channel"])
        func rate(_ channel: String) -> Double? {
            rates.stdout.split(separator: "\n").first { $0.hasPrefix(channel + ",") }.flatMap { Double($0.split(separator: ",")[1]) }
        }
        let ratio = try #require(rate("own")) / #require(rate("rakuten"))
        let out = try runECSH(["-c", "tutorial 4", "-c", "answer \(String(format: "%.1f", ratio))"], environment: ["COLUMNS": "100"])
        let prose = out.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(prose.contains("The own site's F2 rate is how many times rakuten's? (own ÷ rakuten, one decimal)"), "\(out.stdout)")
        #expect(!out.stdout.contains("Not quite"), "\(out.stdout)")
    }

    /// Lesson 1 said "That was the May 2024 promotion", written in advance; it now names the share of GMV
    /// that discounts and points took in the peak month and the month before, as plain SQL computes it.
    @Test func gmvTrapLessonStatesTheDiscountShareFromTheData() throws {
        func share(_ month: String) throws -> String {
            let query = "sql SELECT sum(discount + points) * 1.0 / sum(amount) FROM orders WHERE substr(ordered_at, 1, 7) = '\(month)' "
                + "AND (status IS NULL OR status NOT IN ('cancelled', 'returned', 'refunded', 'failed'))"
            let out = try runECSH(["--demo", "--format", "csv", "-c", query])
            let value = try #require(out.stdout.split(separator: "\n").last.flatMap { Double($0) })
            return String(format: "%.1f%%", value * 100)
        }
        let may = try share("2024-05"), april = try share("2024-04")
        let out = try runECSH(["-c", "tutorial 1", "-c", "tutorial 2"], environment: ["COLUMNS": "100"])
        #expect(out.status == 0, "\(out.stderr)")
        let prose = out.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(prose.contains("Discounts and points took \(may) of 2024-05's GMV against \(april) in 2024-04"), "\(may) \(april): \(out.stdout)")
        #expect(!prose.contains("May 2024") && !prose.contains("May promotion"))
    }
}

/// The lessons' prose follows the tables shown: on a shop where the facts differ, the claims written for the
/// sample shop are not made.
@Suite struct TutorialProseTests {
    static func table(_ columns: [String], _ rows: [[Value]]) -> ResultTable { ResultTable(columns: columns, rows: rows) }

    @Test func gmvTrapOnAMonthWhoseMarginRose() throws {
        // 2024-02: GMV 200 (from 100), margin 40 (from 20): a good month, no discounts.
        let t = Self.table(["month", "gmv", "revenue", "margin"],
                           [[.text("2024-01"), .real(100), .real(100), .real(20)], [.text("2024-02"), .real(200), .real(200), .real(40)]])
        let text = try Lessons.gmvTrap.interpret(Shown(tables: [t]))
        #expect(text.contains("Its margin went from ¥20 to ¥40 (+100.0%)"), "\(text)")
        #expect(!text.contains("fell") && !text.contains("gave away"), "\(text)")
    }

    @Test func salesLessonOnFewerVisits() throws {
        // Sessions fell 50%, AOV rose 10%: not "more visitors came".
        let cols = ["month", "sessions", "sessions_change", "cvr", "cvr_change", "aov", "aov_change", "revenue", "revenue_change"]
        let t = Self.table(cols, [[.text("2024-01"), .real(1000), .null, .real(0.02), .null, .real(100), .null, .real(2000), .null],
                                  [.text("2024-02"), .real(500), .real(-0.5), .real(0.02), .real(0), .real(110), .real(0.1), .real(1100), .real(-0.45)]])
        let text = try Lessons.salesEquation.interpret(Shown(tables: [t]))
        #expect(text.contains("500 sessions × 2.0000% CVR ≈ 10 orders, and 10 orders × ¥110.00 AOV ≈ ¥1,100"), "\(text)")
        #expect(!text.contains("More visitors came") && !text.contains("promotion"), "\(text)")
    }

    @Test func cohortLessonSaysTheShareLostFromTheAverageRow() throws {
        var t = Self.table(["cohort", "size", "Q1", "Q4"], [[.text("2024-Q1"), .integer(10), .real(0.6), .real(0.7)],
                                                           [.text("average"), .integer(10), .real(0.6), .real(0.7)]])
        t.summaryRows = [1]
        let question = try Lessons.cohorts.question(Shown(tables: [t]))
        #expect(question.explanation == "60.0%: the other 40.0% of new customers do not buy in the next quarter.")
        let text = try Lessons.cohorts.interpret(Shown(tables: [t]))
        #expect(!text.contains("most customers are lost"), "\(text)")
    }
}
