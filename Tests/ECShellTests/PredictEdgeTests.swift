import Foundation
import Testing
import ECTestSupport

/// `predict`'s edges through the real binary: where the calibration ends, dates outside the purchases,
/// `top 0`, and which margin `predict alive` and `predict validate` put on money.
@Suite struct PredictEdgeTests {
    /// One refund row of ¥1,000, 20 days after the demo's last order (2024-12-31): no purchase.
    static let lateRefund = """
        sql INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, status, status_raw) \
        SELECT 'R1', customer_id, '2025-01-20 12:00:00', (SELECT max(day) FROM orders) + 20, -1000, 'completed', 'completed' \
        FROM orders LIMIT 1
        """

    static func line(_ text: String, _ prefix: String) -> String? {
        text.split(separator: "\n").map(String.init).first { $0.hasPrefix(prefix) }
    }

    @Test func aLaterRefundRowDoesNotMoveTheCalibrationEnd() throws {
        let plain = try runECSH(["--demo", "--format", "csv", "-c", "predict ltv by first_channel"])
        let refunded = try runECSH(["--demo", "--format", "csv", "-c", Self.lateRefund, "-c", "predict ltv by first_channel"])
        #expect(plain.status == 0 && refunded.status == 0, "\(plain.stderr)\(refunded.stderr)")
        // The calibration ended on the refund's day: every customer's T 20 days longer, equity 3,931,087 → 3,237,918.
        #expect(refunded.stderr.contains("calibration ends 2024-12-31."), "\(refunded.stderr)")
        let total = try #require(Self.line(plain.stdout, "total,"))
        #expect(Self.line(refunded.stdout, "total,") == total, "\(refunded.stdout)")
        #expect(refunded.stderr.contains("the orders end at the last purchase, 2024-12-31: the counted orders after it, to 2025-01-20, "
                                         + "are refund rows only, which are no purchase (as_of 2025-01-20 ends there)"), "\(refunded.stderr)")
        #expect(!plain.stderr.contains("the orders end at"))
        // predict validate: the holdout was 2024-10-01 to 2025-01-20, 16 weeks for 13 weeks of purchases.
        let validate = try runECSH(["--demo", "-c", Self.lateRefund, "-c", "predict validate"])
        #expect((validate.stdout + validate.stderr).contains("holdout 2024-10-01 to 2024-12-31 (13.1 weeks), the last quarter"),
                "\(validate.stdout)\(validate.stderr)")
    }

    @Test func asOfOutsideThePurchases() throws {
        let before = try runECSH(["--demo", "-c", "predict ltv as_of 2022-06-01"])
        #expect(before.status != 0)
        #expect(before.stderr.contains("as_of 2022-06-01 is before the first purchase (2023-01-01): no customer has a history to fit"), "\(before.stderr)")
        #expect(before.stderr.contains("help: give as_of from 2023-01-01 to 2024-12-31"), "\(before.stderr)")
        // 2024-12-31 to 2026-06-01: 365 days of 2025 and 152 of 2026.
        let after = try runECSH(["--demo", "-c", "predict ltv as_of 2026-06-01"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stderr.contains("as_of 2026-06-01 is 517 days after the last purchase (2024-12-31): the model takes them as days in which no customer bought"),
                "\(after.stderr)")
        let inside = try runECSH(["--demo", "-c", "predict ltv as_of 2024-06-30"])
        #expect(inside.status == 0 && !inside.stderr.contains("after the last purchase"), "\(inside.stderr)")
    }

    @Test func aHoldoutLongerThanThePurchasesSaysTheLongestThatFits() throws {
        let out = try runECSH(["--demo", "-c", "predict validate holdout 3 years"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("the holdout from 2022-01-01 to 2024-12-31 leaves no calibration period: the first purchase is on 2023-01-01"), "\(out.stderr)")
        // 104 weeks (730 days of purchases) was offered, and left 0 repeat buyers to fit. The 10th customer's second purchase
        // day (counted orders, by a script over samples/shop/orders.csv) is 2023-02-03, 697 days before 2024-12-31: 99 whole weeks.
        #expect(out.stderr.contains("help: hold out at most 99 weeks (holdout 99 weeks): the calibration period then runs from 2023-01-01 to 2023-02-07, "
                                    + "by when 10 customers had bought again"), "\(out.stderr)")
    }

    /// 12 customers buy on 2024-01-01 and again on 2024-02-01 … 02-12; C0 once more on 2024-04-30. The 10th repeat is on
    /// 2024-02-10, 80 days before the last purchase: 11 weeks hold out to 2024-02-13 (12 repeat buyers); 12 weeks end on
    /// 2024-02-06 (6). The old help offered 17 weeks ((2024-04-30 − 2024-01-01) / 7, no repeat buyer) and "holdout 4 weeks".
    @Test func theSuggestedHoldoutLeavesEnoughRepeatBuyers() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var rows = ["order_id,customer_id,ordered_at,amount,status"]
        for i in 0..<12 {
            rows.append("A\(i),C\(i),2024-01-01,\(1000 + 250 * i),completed")
            rows.append("B\(i),C\(i),2024-02-\(String(format: "%02d", i + 1)),\(900 + 310 * (i % 5) + 40 * i),completed")
        }
        rows.append("Z,C0,2024-04-30,1500,completed")
        let orders = try dir.write("orders.csv", rows.joined(separator: "\n") + "\n")
        let db = dir.path("w.db")
        #expect(try runECSH([db, "-c", "load orders from '\(orders)'"]).status == 0)
        let help = "help: hold out at most 11 weeks (holdout 11 weeks): the calibration period then runs from 2024-01-01 to 2024-02-13, "
            + "by when 10 customers had bought again"
        let long = try runECSH([db, "-c", "predict validate holdout 20 weeks"])
        #expect(long.stderr.contains("leaves no calibration period") && long.stderr.contains(help), "\(long.stderr)")
        let twelve = try runECSH([db, "-c", "predict validate holdout 12 weeks"])
        #expect(twelve.stderr.contains("only 6 customers made a repeat purchase") && twelve.stderr.contains(help), "\(twelve.stderr)")
        // 11 weeks gets past the repeat buyers (12 of them).
        let eleven = try runECSH([db, "-c", "predict validate holdout 11 weeks"])
        #expect(!eleven.stderr.contains("made a repeat purchase"), "\(eleven.stderr)")
        // On 12 histories alike the BG/NBD fit runs off; the error had no way out.
        #expect(eleven.stderr.contains("BG/NBD estimates are degenerate"), "\(eleven.stderr)")
        #expect(eleven.stderr.contains("help: hold out less (the default holdout is the last quarter), so the calibration period holds more "
                                       + "repeat purchases; or try another purchase model (model mbgnbd or model paretonbd), or load a longer order history"),
                "\(eleven.stderr)")
        // The help names the other models, not the one that ran off (Pareto/NBD's said "model paretonbd").
        let pareto = try runECSH([db, "-c", "predict validate holdout 11 weeks model paretonbd"])
        #expect(pareto.stderr.contains("Pareto/NBD estimates are degenerate")
                && pareto.stderr.contains("try another purchase model (model bgnbd or model mbgnbd)"), "\(pareto.stderr)")
    }

    @Test func topZeroIsAnError() throws {
        let out = try runECSH(["--demo", "-c", "predict alive top 0"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("error: 'top' needs at least 1 customer") && out.stderr.contains("help: e.g. top 20"), "\(out.stderr)")
    }

    /// `predict alive`'s equity (10% a year, 12 months) is what `predict ltv`'s note says the shop's one margin makes.
    @Test func aliveEquityIsTheShopMarginEquityInTheCurrency() throws {
        let alive = try runECSH(["--demo", "-c", "predict alive top 1"])
        let ltv = try runECSH(["--demo", "-c", "predict ltv by first_channel"])
        #expect(alive.status == 0 && ltv.status == 0, "\(alive.stderr)\(ltv.stderr)")
        let note = try #require(ltv.stderr.components(separatedBy: "customer equity would be ").last?.split(separator: "\n").first)
        #expect(note.hasPrefix("¥"), "\(note)")
        #expect(alive.stderr.contains("customer equity (all 10,280 customers) = \(note)\n"), "\(alive.stderr) vs \(note)")
        #expect(alive.stderr.contains("margin: the shop's CM2/GMV up to the calibration end, the same for every customer"), "\(alive.stderr)")
    }

    /// The margin note of `predict validate` gives the ratios its two margin figures are made with.
    @Test func validateSaysWhichMarginItUses() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "predict validate"])
        #expect(out.status == 0, "\(out.stderr)")
        func cells(_ prefix: String) throws -> [Double] {
            try #require(Self.line(out.stdout, prefix)).split(separator: ",").dropFirst().compactMap { Double($0) }
        }
        let actual = try cells("actual,"), predicted = try cells("predicted,")
        let shop = String(format: "%.1f%%", predicted[2] / predicted[1] * 100), own = String(format: "%.1f%%", actual[2] / actual[1] * 100)
        #expect(out.stderr.contains("predicted margin = that × the shop's CM2/GMV of the calibration period, \(shop), the same for every customer; "
                                    + "actual margin = each customer's own CM2 on the holdout orders (\(own) of the actual spend)"), "\(out.stderr)")
        #expect(shop != own)
    }

    /// A missing region and a region spelled "(none)" are two groups, not one summed under one label; the missing one
    /// is a null key (an empty CSV cell, as `kpi … by region` writes it), last, and holds the customers without a region
    /// (counted by SQL over the customers with a counted order).
    @Test func aMissingValueIsNotMergedWithAValueOfTheSameLabel() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "sql UPDATE customers SET region = '(none)' WHERE rowid % 5 = 0",
                               "-c", "sql UPDATE customers SET region = NULL WHERE rowid % 3 = 0", "-c", "predict ltv by region",
                               "-c", "sql select count(*) from customers c where region is null and exists (select 1 from orders o where o.customer_id = c.customer_id and o.status = 'completed')"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("(none),") }.count == 1, "\(out.stdout)")
        let total = try #require(lines.firstIndex { $0.hasPrefix("total,") })
        let missing = lines[total - 1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(missing.first == "" && missing.count > 2, "\(out.stdout)")
        #expect(missing.dropFirst().first.map(String.init) == lines.last, "\(out.stdout)")
    }
}
