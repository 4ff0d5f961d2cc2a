import Foundation
import Testing
import ECTestSupport

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
}
