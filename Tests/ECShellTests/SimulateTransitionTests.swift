import Foundation
import Testing
import ECTestSupport

/// `simulate transition` and `assume` through the real binary on the sample shop.
@Suite struct SimulateTransitionTests {
    @Test func assumptionsCarryTheirSourceAndTheProjectionFollowsThem() throws {
        let out = try runECSH(["--demo", "--format", "csv",
                               "-c", "simulate transition from rakuten, yahoo to own by 25% per quarter for 4 quarters",
                               "-c", "kpi gmv, margin by channel from 2024-01 to 2024-12",
                               "-c", "assume own_retention 10%",
                               "-c", "simulate transition from rakuten, yahoo to own by 25% per quarter for 4 quarters"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        func value(_ name: String, occurrence: Int) -> Double? {
            let rows = lines.filter { $0.hasPrefix(name + ",") }
            guard occurrence < rows.count else { return nil }
            return Double(rows[occurrence].split(separator: ",")[1])
        }
        // Mall GMV per quarter = (rakuten + yahoo GMV over 2024) / 4, from the KPI table in the same run.
        let kpi = lines.filter { $0.hasPrefix("rakuten,") || $0.hasPrefix("yahoo,") }.map { $0.split(separator: ",").map(String.init) }
        let yearly = kpi.filter { $0.count == 3 }.reduce(0) { $0 + Double($1[1])! }
        #expect(abs((value("mall_gmv", occurrence: 0) ?? 0) - yearly / 4) < 0.01)
        #expect(lines.contains { $0.hasPrefix("own_retention,") && $0.contains("measured: own quarter-on-quarter retention_rate") })
        #expect(lines.contains { $0.hasPrefix("own_retention,0.1,set by you") })
        // Q+4 moves everything: mall GMV gone, own GMV + moved × own/mall retention.
        let q4 = lines.filter { $0.hasPrefix("Q+4,") }.map { $0.split(separator: ",").map { Double($0) ?? .nan } }
        #expect(q4.count == 2)
        if q4.count == 2, let own = value("own_gmv", occurrence: 1), let mall = value("mall_gmv", occurrence: 1),
           let retention = value("mall_retention", occurrence: 1) {
            #expect(q4[1][1] == 1)
            #expect(abs(q4[1][2] - (own + mall * 0.1 / retention)) < 1e-6 * q4[1][2])
        }
    }

    /// Without spend behind own_cac the moved buyers cost nothing to win and the transition "paid back in Q+1" without a
    /// word beyond the assumption's source; the result now says why ad_spend is 0 and the way out. The assumptions show
    /// each value in its unit (¥, buyers, %), CSV keeps the numbers.
    @Test func noSpendLoadedIsSaidAndAssumptionsShowTheirUnits() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = BuiltBinary.packageRoot.appendingPathComponent("samples/shop/orders.csv").path
        let db = dir.path("w.db")
        let out = try runECSH([db, "--format", "csv", "-c", "load orders from '\(orders)'", "-c", "simulate transition to own for 2 quarters"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\nown_cac,0.0,no spend loaded: 0\n"), "\(out.stdout)")
        #expect(out.stderr.contains("ad_spend is 0 because no spend is loaded: winning the moved buyers costs nothing here, so the payback "
            + "comes early; load spend from '…', or assume own_cac VALUE (the ad spend per new own customer)"), "\(out.stderr)")
        // The same figures in the table view, each in its unit: mall_gmv from the CSV's number, retention in percent.
        let lines = out.stdout.split(separator: "\n").map(String.init)
        let gmv = lines.first { $0.hasPrefix("mall_gmv,") }.flatMap { Double($0.split(separator: ",")[1]) } ?? .nan
        let retention = lines.first { $0.hasPrefix("own_retention,") }.flatMap { Double($0.split(separator: ",")[1]) } ?? .nan
        let table = try runECSH([db, "-c", "simulate transition to own for 2 quarters"], mergingStandardError: true)
        let yen = "¥" + Int(gmv.rounded(.toNearestOrEven)).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        #expect(table.stdout.contains("│ mall_gmv       │ \(yen)"), "\(yen) in \(table.stdout)")
        #expect(table.stdout.contains("│ own_retention  │ " + String(format: "%.1f%%", retention * 100)), "\(table.stdout)")
        // With spend loaded (the demo) own_cac is measured and nothing is said.
        let demo = try runECSH(["--demo", "--format", "csv", "-c", "simulate transition to own for 2 quarters"])
        #expect(demo.stdout.contains("\nown_cac,") && !demo.stderr.contains("ad_spend is 0"), "\(demo.stderr)")
    }

    @Test func theTableViewDrawsTheCumulativeCashFlowAndSplitsTheFees() throws {
        // Table notes go to stderr; merged here to read the payback note next to the chart.
        let out = try runECSH(["--demo", "-c", "simulate transition from rakuten, yahoo to own by 25% per quarter for 4 quarters"],
                              mergingStandardError: true)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("mall_fees_avoided") && out.stdout.contains("own_fees_added") && !out.stdout.contains("fees_saved"))
        // One bar row per quarter under the chart's header; the payback quarter of the note carries the mark.
        let lines = out.stdout.split(separator: "\n").map(String.init)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("quarter  cumulative_cash_flow (left of │ below zero)") }) else {
            Issue.record("no chart in \(out.stdout)")
            return
        }
        let bars = lines[(header + 1)...].prefix(4)
        #expect(bars.map { String($0.prefix(3)) } == ["Q+1", "Q+2", "Q+3", "Q+4"])
        #expect(bars.allSatisfy { $0.contains("│") })
        if let note = lines.first(where: { $0.contains("pays back in Q+") }), let at = note.range(of: "pays back in ") {
            let quarter = note[at.upperBound...].prefix { $0 != " " }
            #expect(bars.first { $0.hasPrefix(quarter + " ") }?.hasSuffix("← pays back") == true, "\(quarter): \(bars)")
            #expect(bars.filter { $0.hasSuffix("← pays back") }.count == 1)
        } else {
            #expect(lines.contains { $0.contains("does not pay back") } && !bars.contains { $0.contains("pays back") })
        }
        // Machine formats carry the table only.
        let csv = try runECSH(["--demo", "--format", "csv", "-c", "simulate transition to own for 2 quarters"])
        #expect(!csv.stdout.contains("below zero"))
    }

    @Test func errorsAreLocated() throws {
        let out = try runECSH(["--demo", "-c", "simulate transition from rakuten to own for 99 quarters"])
        #expect(out.status == 1 && out.stderr.contains("1 to 40 quarters") && out.stderr.contains("1:45"), "\(out.stderr)")
        let unknown = try runECSH(["--demo", "-c", "simulate transition from ebay to own"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no counted orders through channel 'ebay'") && unknown.stderr.contains("1:26"))
        let share = try runECSH(["--demo", "-c", "assume own_retention 150%"])
        #expect(share.status == 1 && share.stderr.contains("between 0% and 100%"))
        let explain = try runECSH(["--demo", "-c", "explain transition"])
        #expect(explain.status == 0 && explain.stdout.contains("payback quarter"))
    }
}
