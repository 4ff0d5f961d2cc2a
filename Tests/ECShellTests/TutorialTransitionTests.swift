import Foundation
import Testing
import ECTestSupport

/// Lesson 12 (the mall-to-own transition): its question's answer and its payback claim are checked
/// against an independent reading of the same simulation run in `ecsh --demo` as CSV: the cash flow
/// recomputed as margin change − ad spend and summed by hand, not the lesson's own reading.
@Suite struct TutorialTransitionTests {
    static let statement = "simulate transition from rakuten, yahoo to own by 10% per quarter for 8 quarters"

    /// (quarter, cash flow recomputed, cumulative as shown) per row of the CSV quarter table.
    static func quarters() throws -> [(label: String, cashFlow: Double, cumulative: Double)] {
        let out = try runECSH(["--demo", "--format", "csv", "-c", statement])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        guard let header = lines.first(where: { $0.hasPrefix("quarter,") })?.split(separator: ",").map(String.init),
              let change = header.firstIndex(of: "margin_change"), let ads = header.firstIndex(of: "ad_spend"),
              let flow = header.firstIndex(of: "cash_flow"), let cumulative = header.firstIndex(of: "cumulative_cash_flow")
        else { Issue.record("no quarter table: \(out.stdout)"); return [] }
        return lines.filter { $0.hasPrefix("Q+") }.compactMap { line in
            let cells = line.split(separator: ",").map(String.init)
            guard let c = Double(cells[change]), let a = Double(cells[ads]), let f = Double(cells[flow]),
                  let total = Double(cells[cumulative]) else { return nil }
            #expect(abs((c - a) - f) < 0.01, "cash flow ≠ margin change − ad spend in \(cells[0])")
            return (cells[0], c - a, total)
        }
    }

    @Test func questionAnswerIsTheHandSummedCashFlow() throws {
        let rows = try Self.quarters()
        #expect(rows.count == 8)
        guard let last = rows.last else { return }
        let summed = rows.reduce(0) { $0 + $1.cashFlow }
        #expect(abs(summed - last.cumulative) < 1, "cumulative \(last.cumulative) vs hand sum \(summed)")
        let millions = summed / 1_000_000
        let right = String(format: "%.1f", millions), wrong = String(format: "%.1f", millions + 0.5)
        let out = try runECSH(["-c", "tutorial 12", "-c", "answer \(wrong)", "-c", "answer \(right)"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("Lesson 12 of 12"))
        #expect(out.stdout.contains("Not quite. Hint: Read the last row of cumulative_cash_flow"))
        #expect(out.stdout.contains("Right."), "\(out.stdout)")
        // The lesson's prose quotes the same total, rounded to the yen as the table shows it.
        let yen = Int(summed.rounded()).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        #expect(out.stdout.contains("¥\(yen)"), "\(yen) not in \(out.stdout)")
    }

    @Test func paybackQuarterIsTheFirstFromWhichTheHandSumStaysNonNegative() throws {
        let rows = try Self.quarters()
        var running = 0.0
        let sums = rows.map { row -> (String, Double) in running += row.cashFlow; return (row.label, running) }
        let lastNegative = sums.lastIndex { $0.1 < 0 }
        let payback = lastNegative.map { $0 + 1 < sums.count ? sums[$0 + 1].0 : nil } ?? sums.first?.0
        let out = try runECSH(["-c", "tutorial 12"])
        #expect(out.status == 0, "\(out.stderr)")
        let prose = out.stdout.replacingOccurrences(of: "\n", with: " ")
        if let payback {
            #expect(prose.contains("The transition pays back in \(payback):"), "\(prose)")
        } else {
            #expect(prose.contains("has not paid back"), "\(prose)")
        }
    }
}
