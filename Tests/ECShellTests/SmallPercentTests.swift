import Foundation
import Testing
import ECStore
import ECTestSupport

/// One rule for small rates: a percent column (or a scorecard row) with a rate under 10% shows two decimals;
/// a `_change` column keeps one. CVR 0.25% and 0.15% both read 0.2% at one decimal.
@Suite struct SmallPercentTests {
    @Test func ratesUnderTenPercentGetTwoDecimalsChangesDoNot() {
        let table = ResultTable(columns: ["cvr", "cvr_change", "repeat_rate"],
                                rows: [[.real(0.0025), .real(0.05), .real(0.25)], [.real(0.0015), .real(-0.4), .real(0.31)]],
                                formats: Array(repeating: .percent(places: 1), count: 3))
        #expect(table.formatsWithFinerSmallPercents { $0.hasSuffix("_change") }
                == [.percent(places: 2), .percent(places: 1), .percent(places: 1)])
        #expect(ColumnFormat.percent(places: 1).finer(forRates: [.null, .real(0)]) == .percent(places: 1))
        #expect(ColumnFormat.currency(code: "JPY").finer(forRates: [.real(0.01)]) == .currency(code: "JPY"))
    }

    /// The sample shop's CVR is 1.58% in 2024-Q3 and 1.55% in 2024-Q4 (README tour): the scorecard read
    /// 1.6%, 1.6% and a change of -0.0 pt; now 1.58%, 1.55%, -0.03 pt (1.55 − 1.58, to two decimals).
    @Test func theScorecardShowsASmallRateAndItsPointsChange() throws {
        let out = try runECSH(["--demo", "-c", "target cvr >= 2%", "-c", "scorecard"])
        let cvr = try #require(out.stdout.split(separator: "\n").first { $0.contains("│ cvr ") })
        let cells = cvr.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Array(cells.prefix(4)) == ["cvr", "1.58%", "1.55%", "-0.03 pt"])
    }
}
