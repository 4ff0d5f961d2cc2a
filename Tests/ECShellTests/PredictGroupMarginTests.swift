import Foundation
import Testing
import ECTestSupport

/// `predict ltv` groups at their own margin: CM2/GMV of the group's customers' counted orders up to the calibration end.
@Suite struct PredictGroupMarginTests {
    /// Every cost 0, then cogs at `female` × amount for women's orders and `other` × amount for everyone else's.
    static func costs(female: Double, other: Double) -> String {
        "sql UPDATE orders SET discount = 0, points = 0, shipping = 0, commission = 0, cogs = amount * (CASE WHEN customer_id IN "
            + "(SELECT customer_id FROM customers WHERE gender = 'female') THEN \(female) ELSE \(other) END)"
    }

    /// The csv rows of the table by gender: label → (margin, clv_per_customer, customer_equity).
    static func rows(_ text: String) -> [String: [Double]] {
        var found: [String: [Double]] = [:]
        var columns: [String] = []
        for line in text.split(separator: "\n").map(String.init) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if cells.first == "gender" { columns = cells; continue }
            guard !columns.isEmpty, cells.count == columns.count else { continue }
            let pick = ["margin", "clv_per_customer", "customer_equity"].compactMap { columns.firstIndex(of: $0) }
            found[cells[0]] = pick.compactMap { Double(cells[$0].filter { "0123456789.-".contains($0) }) }
        }
        return found
    }

    /// `statement`'s rows with every cost 0 (costs change no purchase and no spend: the CLV is then the expected
    /// spend itself, margin 100%), its rows with women's cogs 50% and everyone else's 10%, and that run's output.
    static func freeAndCosted(_ statement: String) throws -> (spend: [String: [Double]], clv: [String: [Double]], costed: ProcessOutput) {
        let free = try runECSH(["--demo", "--format", "csv", "-c", costs(female: 0, other: 0), "-c", statement])
        let costed = try runECSH(["--demo", "--format", "csv", "-c", costs(female: 0.5, other: 0.1), "-c", statement])
        #expect(free.status == 0 && costed.status == 0, "\(free.stderr)\(costed.stderr)")
        return (rows(free.stdout), rows(costed.stdout), costed)
    }

    @Test func eachGroupAtItsOwnMargin() throws {
        let (spend, clv, costed) = try Self.freeAndCosted("predict ltv by gender")
        let female = try #require(spend["female"]), male = try #require(spend["male"])
        let femaleCLV = try #require(clv["female"]), maleCLV = try #require(clv["male"])
        // Women's orders keep 50% of their amount, men's 90%: the shop's one ratio (about 70%) gave both the same.
        #expect(abs(femaleCLV[2] - 0.5 * female[2]) <= 1, "female equity \(femaleCLV[2]) for 0.5 × \(female[2])")
        #expect(abs(maleCLV[2] - 0.9 * male[2]) <= 1, "male equity \(maleCLV[2]) for 0.9 × \(male[2])")
        #expect(abs(femaleCLV[0] - 0.5) < 1e-9 && abs(maleCLV[0] - 0.9) < 1e-9, "margin column: \(costed.stdout)")
        // The rows still add up to the total, and the note gives what the shop's ratio would have made it.
        let total = try #require(clv["total"])
        let sum = clv.filter { $0.key != "total" }.values.reduce(0) { $0 + $1[2] }
        #expect(abs(total[2] - sum) <= 2, "\(costed.stdout)")
        #expect(costed.stderr.contains("at the shop's "), "\(costed.stderr)")
    }

    @Test func separateFitsTakeTheGroupsMarginsToo() throws {
        let (spend, clv, _) = try Self.freeAndCosted("predict ltv by gender separate")
        let female = try #require(spend["female"]), femaleCLV = try #require(clv["female"])
        #expect(abs(femaleCLV[2] - 0.5 * female[2]) <= 1, "female equity \(femaleCLV[2]) for 0.5 × \(female[2])")
    }
}
