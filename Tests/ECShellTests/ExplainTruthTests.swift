import Foundation
import Testing
import ECTestSupport

/// What `explain` says about this workspace is true of it: blanks in words, guest orders counted,
/// and an error about a KPI that cannot be split points at that KPI.
@Suite struct ExplainTruthTests {
    /// `kpi payback` is blank over the sample shop (CSV writes an empty field); explain says why, as
    /// docs/metrics.md does, instead of "payback (undefined)".
    @Test func paybackBlankSaysNotReachedYet() throws {
        let out = try runECSH(["--demo", "-csv", "-c", "kpi payback", "-c", "explain payback"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.prefix(2) == ["payback", ""], "kpi payback is blank here: \(lines.prefix(2))")
        #expect(!out.stdout.contains("undefined"))
        #expect(out.stdout.contains("In this workspace, payback is blank over all loaded data: the margin has not reached CAC in the data yet (or there is no spend)."))
    }

    /// The quoted figure is the last month's, as `kpi … by month` prints it: retention was quoted 21.38% (its
    /// column's two decimals, from months under 10%) beside churn 78.6%, which do not add to 100%; returning
    /// customers were quoted 0 over all data (everyone's first order is in range), and then the total row's 0.
    @Test func monthlyFiguresAreTheLastMonthsCells() throws {
        let out = try runECSH(["--demo", "-c", "explain retention_rate", "-c", "explain churn_rate", "-c", "explain returning_customers",
                               "-csv", "-c", "kpi returning_customers, retention_rate, churn_rate by month from 2024-12"])
        #expect(out.status == 0, "\(out.stderr)")
        let row = try #require(out.stdout.split(separator: "\n").last).split(separator: ",").map(String.init)
        #expect(row.first == "2024-12")
        let (returning, retention, churn) = (Int(row[1]) ?? -1, Double(row[2]) ?? -1, Double(row[3]) ?? -1)
        #expect(returning > 0 && abs(retention + churn - 1) < 1e-9)
        #expect(out.stdout.contains("In this workspace, retention_rate \(String(format: "%.1f", retention * 100))% in 2024-12."))
        #expect(out.stdout.contains("In this workspace, churn_rate \(String(format: "%.1f", churn * 100))% in 2024-12."))
        #expect(out.stdout.contains("In this workspace, returning_customers \(returning) in 2024-12."))
    }

    @Test func salesEquationNamesItsBlankComparisonsOnce() throws {
        let out = try runECSH(["--demo", "-c", "explain sales equation"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!out.stdout.contains("undefined"))
        #expect(out.stdout.contains("sessions_change, cvr_change, aov_change and revenue_change are blank: there is no earlier period to compare with (`kpi sales by month` compares months)."))
        #expect(out.stdout.contains("In this workspace, sessions 1,208,065, cvr 1.60%, aov ¥2,969, revenue ¥57,206,248 over all loaded data."))
    }

    /// Every order of the sample shop has a customer_id (Amazon's too): the old line said every Amazon
    /// order was a guest. With three own-site orders made guests, it counts them by channel.
    @Test func guestLineIsTrueOfTheWorkspace() throws {
        let count = "sql select count(*) from orders where customer_id is null"
        let out = try runECSH(["--demo", "-csv", "-c", count, "-c", "explain repeat_rate"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("count(*)\n0\n"))
        #expect(!out.stdout.contains("every Amazon order"))
        #expect(out.stdout.contains("In this workspace every order has a customer_id: none is left out."))
        let guests = try runECSH(["--demo", "-c",
                                  "sql update orders set customer_id = null where order_id in (select order_id from orders where channel = 'own' order by order_id limit 3)",
                                  "-c", "sql update orders set customer_id = null where order_id in (select order_id from orders where channel = 'amazon' order by order_id limit 2)",
                                  "-c", "explain repeat_rate"])
        #expect(guests.status == 0, "\(guests.stderr)")
        #expect(guests.stdout.contains("In this workspace: 5 guest orders (own 3, amazon 2)."), "\(guests.stdout)")
    }

    /// gmv and aov split by channel; retention_rate (no time grain), nps and cac (by region) cannot:
    /// the caret is under the one that cannot, as for `for SEGMENT` with cac.
    @Test func caretUnderTheKPIThatCannotBeSplit() throws {
        let cases: [(String, String)] = [
            ("kpi gmv, aov, retention_rate by channel", "  |               ^^^^^^^^^^^^^^\n"),
            ("kpi gmv, orders, nps by channel", "  |                  ^^^\n"),
            ("kpi gmv, cac by region", "  |          ^^^\n"),
        ]
        for (statement, caret) in cases {
            let out = try runECSH(["--demo", "-c", statement])
            #expect(out.status == 1)
            #expect(out.stderr.contains("1 | \(statement)\n" + caret), "\(out.stderr)")
        }
        // A defined KPI that reads retention is the one pointed at.
        let defined = try runECSH(["--demo", "-c", "define kpi kept = retention_rate * 100", "-c", "kpi gmv, kept"])
        #expect(defined.stderr.contains("1 | kpi gmv, kept\n  |          ^^^^\n"), "\(defined.stderr)")
    }
}
