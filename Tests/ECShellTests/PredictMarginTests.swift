import Foundation
import Testing
import ECTestSupport

/// The margin `predict` multiplies expected spend by: CM2/GMV of the counted orders up to the
/// calibration end (never the orders after it, which are the future being predicted), and a word
/// when cost fields are missing, as `kpi margin` says it.
@Suite struct PredictMarginTests {
    /// CM2/GMV of the demo's counted orders up to 2024-06-30, in percent, by plain SQL.
    static let marginToJune = """
        sql select round(100.0 * sum(amount - coalesce(discount, 0) - coalesce(points, 0) - coalesce(cogs, 0) \
        - coalesce(shipping, 0) - coalesce(commission, 0)) / sum(amount), 1) from orders \
        where status not in ('cancelled', 'returned', 'refunded') \
        and day <= CAST(julianday('2024-06-30') - 2440587.5 AS INTEGER)
        """

    @Test func asOfTakesTheMarginOfTheOrdersUpToIt() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "predict ltv as_of 2024-06-30", "-c", Self.marginToJune])
        #expect(out.status == 0, "\(out.stderr)")
        let expected = try #require(out.stdout.split(separator: "\n").last.map(String.init))
        // The demo's margin rate rises in the second half (16.2% over all orders, 14.9% to June): taking every
        // order's margin let the six months after as_of into a prediction made as of June.
        #expect(out.stderr.contains("the shop's is \(expected)%), discounted"), "margin \(expected)%: \(out.stderr)")
    }

    @Test(arguments: ["predict ltv", "predict alive top 1", "predict validate"])
    func missingCostsAreSaid(statement: String) throws {
        let out = try runECSH(["--demo", "-c", "sql UPDATE orders SET commission = NULL", "-c", statement])
        #expect(out.status == 0, "\(out.stderr)")
        #expect((out.stdout + out.stderr).contains("margin: no commission in orders; counted as 0 in the CLV's margin too, which overstates it"),
                "\(out.stdout)\(out.stderr)")
    }

    @Test func noNoteWhenEveryCostIsThere() throws {
        let out = try runECSH(["--demo", "-c", "predict alive top 1"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!(out.stdout + out.stderr).contains("counted as 0"))
    }
}

/// Refund rows (a counted order of a negative amount) through the real binary: they make no one a repeat customer.
@Suite struct PredictRefundTests {
    /// A refund of ¥1,000 on the demo's last day for five customers who bought once, a month or more before.
    static let refunds = """
        sql INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, status, status_raw) \
        SELECT 'R' || customer_id, customer_id, '2024-12-31 12:00:00', (SELECT max(day) FROM orders), -1000, 'completed', 'completed' \
        FROM orders GROUP BY customer_id HAVING count(*) = 1 AND max(day) < (SELECT max(day) FROM orders) - 30 LIMIT 5
        """

    @Test func refundsMakeNoRepeatCustomers() throws {
        let plain = try runECSH(["--demo", "--format", "csv", "-c", "predict ltv by first_channel"])
        let refunded = try runECSH(["--demo", "--format", "csv", "-c", Self.refunds, "-c", "predict ltv by first_channel"])
        #expect(plain.status == 0 && refunded.status == 0, "\(plain.stderr)\(refunded.stderr)")
        func total(_ text: String) -> [String] {
            text.split(separator: "\n").first { $0.hasPrefix("total,") }.map { $0.split(separator: ",").map(String.init) } ?? []
        }
        // customers and repeat_customers: the five refunds on a later day were five repeat purchases.
        #expect(Array(total(refunded.stdout).prefix(3)) == Array(total(plain.stdout).prefix(3)), "\(refunded.stdout)")
        #expect(refunded.stderr.contains("5 counted orders of a negative amount (refunds of ¥5,000 in all) left out"), "\(refunded.stderr)")
        #expect(!plain.stderr.contains("negative amount"))
    }
}
