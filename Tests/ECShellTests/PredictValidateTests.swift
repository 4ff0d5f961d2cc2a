import Foundation
import Testing
import ECTestSupport

/// `predict validate` through the real binary: the default holdout is the last quarter,
/// and the actual money matches plain SQL over the orders.
@Suite struct PredictValidateTests {
    @Test func lastQuarterHoldoutActualsMatchSQL() throws {
        let counted = "status not in ('cancelled', 'returned', 'refunded')"
        let day = "CAST(julianday('2024-09-30') - 2440587.5 AS INTEGER)"
        // Holdout spend of customers acquired (first counted order) by 2024-09-30, and their holdout purchase days.
        let sql = """
            sql select sum(amount), count(distinct customer_id || '/' || day) from orders \
            where \(counted) and day > \(day) and day <= \(day) + 92 \
            and customer_id in (select customer_id from orders where \(counted) and day <= \(day))
            """
        let out = try runECSH(["--demo", "--format", "csv", "-c", "predict validate", "-c", sql])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        let actual = try #require(lines.first { $0.hasPrefix("actual,") }).split(separator: ",").map(String.init)
        let check = try #require(lines.last).split(separator: ",").map(String.init)
        #expect(abs(Double(actual[2])! - Double(check[0])!) < 0.5, "\(actual) vs \(check)")
        #expect(Double(actual[1])! == Double(check[1])!)
        #expect(lines.contains("calibration_x,actual_purchases,predicted_purchases"))
        let table = try runECSH(["--demo", "-c", "predict validate model mbgnbd"])
        #expect((table.stdout + table.stderr).contains("Calibration to 2024-09-30, holdout 2024-10-01 to 2024-12-31 (13.1 weeks), the last quarter"))
        #expect((table.stdout + table.stderr).contains("MBG/NBD fitted on the calibration period"))
        #expect((table.stdout + table.stderr).contains("total error (predicted vs actual): purchases"))
    }

    @Test(arguments: [("predict validate holdout 3 months", "Calibration to 2024-09-30, holdout 2024-10-01 to 2024-12-31 (13.1 weeks);"),
                      ("predict validate holdout 1 year", "Calibration to 2023-12-31, holdout 2024-01-01 to 2024-12-31 (52.3 weeks);"),
                      ("predict validate holdout 13 weeks", "Calibration to 2024-10-01, holdout 2024-10-02 to 2024-12-31 (13.0 weeks);")])
    func monthsAreCalendarMonths(statement: String, line: String) throws {
        // The demo's last counted order is on 2024-12-31: 3 months back is the quarter (92 days, not 90), a year is 2024 (366 days).
        let out = try runECSH(["--demo", "-c", statement])
        #expect(out.status == 0, "\(out.stderr)")
        #expect((out.stdout + out.stderr).contains(line), "\(out.stdout)\(out.stderr)")
    }

    @Test func theCalibrationTableExportsAsAChart() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let svg = dir.path("calibration.svg")
        let out = try runECSH(["--demo", "-c", "predict validate holdout 13 weeks", "-c", "export to '\(svg)'"])
        #expect(out.status == 0, "\(out.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("<svg") && text.contains("actual_purchases") && text.contains("predicted_purchases"))
    }
}
