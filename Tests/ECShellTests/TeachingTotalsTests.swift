import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECShell

/// Figures the teaching side prints agree with each other as printed: the scorecard's change in points is the
/// difference of the two figures on its row, a lesson's total is the sum of the column it shows, and a lesson
/// that shows two totals of one measure says why they differ.
@Suite struct TeachingTotalsTests {
    static let counted = TeachingArithmeticTests.counted

    /// The cells of the table row whose first cell is `label` (box-drawn output, trimmed).
    static func boxRow(_ text: String, _ label: String) throws -> [String] {
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("│ \(label) ") }, "no row \(label) in \(text)")
        return line.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Retention 2024-Q3 → 2024-Q4 is 24.22% → 28.66% (counted by SQL below): printed 24.2% and 28.7%, the
    /// scorecard said +4.4 pt (the unrounded 4.44); the row's own figures differ by 4.5. NPS -16.17 → -23.94
    /// printed -16.2 and -23.9 said -7.8 pt for a printed difference of -7.7.
    @Test func scorecardChangeIsTheDifferenceOfThePrintedFigures() throws {
        func buyers(_ from: String, _ to: String) -> String {
            "SELECT DISTINCT customer_id FROM orders WHERE \(Self.counted) AND substr(ordered_at, 1, 10) BETWEEN '\(from)' AND '\(to)'"
        }
        let q3 = buyers("2024-07-01", "2024-09-30"), q4 = buyers("2024-10-01", "2024-12-31")
        let kept = try TeachingArithmeticTests.figure("SELECT count(*) FROM (\(q3) INTERSECT \(q4))")
        let base = try TeachingArithmeticTests.figure("SELECT count(*) FROM (\(q3))")
        let q2 = buyers("2024-04-01", "2024-06-30")
        let keptBefore = try TeachingArithmeticTests.figure("SELECT count(*) FROM (\(q2) INTERSECT \(q3))")
        let baseBefore = try TeachingArithmeticTests.figure("SELECT count(*) FROM (\(q2))")
        let before = String(format: "%.1f", keptBefore / baseBefore * 100), now = String(format: "%.1f", kept / base * 100)
        let change = String(format: "%+.1f pt", Double(now)! - Double(before)!)

        let out = try runECSH(["--demo", "-c", "scorecard"])
        #expect(out.status == 0, "\(out.stderr)")
        let retention = try Self.boxRow(out.stdout, "retention_rate")
        #expect(Array(retention[1...3]) == ["\(before)%", "\(now)%", change], "\(retention)")
        // Every row changed in points: the change is its latest figure less its previous one, as printed.
        for line in out.stdout.split(separator: "\n") where line.contains(" pt ") {
            let cells = line.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) }
            let number = { (s: String) in Double(s.replacingOccurrences(of: "%", with: "")) }
            let previous = try #require(number(cells[1])), latest = try #require(number(cells[2]))
            let places = cells[2].split(separator: ".").last.map { $0.filter(\.isNumber).count } ?? 1
            #expect(cells[3] == String(format: "%+.\(places)f pt", latest - previous), "\(line)")
        }
    }

    /// The rule on its own, with a rate under 10% (two places) and a score: 1.58% → 1.55% is -0.03 pt, NPS
    /// -16.17 → -23.94 is -7.7 pt, equal printed figures are +0.0 pt however the raw values differ.
    @Test func pointsChangeOfPrintedFigures() {
        #expect(Session.pointsChange(4.44, before: .real(0.24223), now: .real(0.28664), format: .percent(places: 1)) == "+4.5 pt")
        #expect(Session.pointsChange(-0.026, before: .real(0.01576), now: .real(0.0155), format: .percent(places: 2)) == "-0.03 pt")
        #expect(Session.pointsChange(-7.77, before: .real(-16.17), now: .real(-23.94), format: .decimal(places: 1)) == "-7.7 pt")
        #expect(Session.pointsChange(0.03, before: .real(0.2421), now: .real(0.2424), format: .percent(places: 1)) == "+0.0 pt")
    }

    /// Lesson 10 quoted the by-cohort customer equity (¥3,844,088) under a by-channel table totalling ¥3,931,087,
    /// with no word on why: each group's spend is priced at that group's own margin. Both totals are named now.
    @Test func predictedCLVLessonNamesBothEquityTotals() throws {
        let predicted = try runECSH(["--demo", "--format", "csv", "-c", "predict ltv horizon 12 months"])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        func total(_ header: String) throws -> String {
            // The first "total" row after the table's header line (two tables in one CSV output).
            let lines = predicted.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let start = try #require(lines.firstIndex { $0.first == header }, "\(predicted.stdout)")
            let row = try #require(lines[start...].first { $0.first == "total" })
            let cell = Dictionary(uniqueKeysWithValues: zip(lines[start], row))["customer_equity"] ?? ""
            return Say.yen(try #require(Double(cell), "\(predicted.stdout)"))
        }
        let byChannel = try total("first_channel"), byCohort = try total("cohort")
        #expect(byChannel != byCohort)
        let lesson = try runECSH(["-c", "tutorial 10"], environment: ["COLUMNS": "400"])
        let meaning = try #require(lesson.stdout.replacingOccurrences(of: "\n", with: " ").components(separatedBy: "What this means: ").last)
        #expect(meaning.contains("customer equity \(byCohort) (the cohort table)"), "\(meaning)")
        #expect(meaning.contains("The first_channel table totals \(byChannel): the same purchases and spend"), "\(meaning)")
    }

    /// Lesson 12 said "after ¥718,013 of ads in all" under eight quarters of ¥89,752 (¥718,016): the total is the
    /// sum of the column as printed, as the cumulative cash flow is.
    @Test func transitionLessonAdsAreTheSumOfTheColumn() throws {
        let statement = "simulate transition from rakuten, yahoo to own by 10% per quarter for 8 quarters"
        let sim = try runECSH(["--demo", "--format", "csv", "-c", statement])
        #expect(sim.status == 0, "\(sim.stderr)")
        var sum = 0.0
        for q in 1...8 {
            let cell = try TeachingArithmeticTests.row(sim.stdout, "Q+\(q)", header: "quarter")["ad_spend"] ?? ""
            sum += try #require(Double(cell)).rounded()
        }
        let lesson = try runECSH(["-c", "tutorial 12"], environment: ["COLUMNS": "400"])
        #expect(lesson.stdout.replacingOccurrences(of: "\n", with: " ").contains("after \(Say.yen(sum)) of ads in all"), "\(Say.yen(sum)): \(lesson.stdout)")
    }
}
