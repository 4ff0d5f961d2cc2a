import Foundation
import ECTestSupport
import Testing

/// How marketing KPIs read on screen: small conversion rates keep their second decimal, a blank
/// CAC or CPA says why, and a kpi tree ratio without a denominator is blank, not 0.
@Suite struct MarketingKPIDisplayTests {
    /// Orders: A own Feb 5 ¥1,000, B own Feb 10 ¥3,000, A own Mar 5 ¥2,000, C rakuten Mar 20 ¥1,000.
    /// Spend: Jan own ¥500, Feb own ¥1,000 + google ¥700, Mar own ¥0 + rakuten ¥2,000.
    /// Traffic: Jan 100, Feb 800, Mar 1,200 own + 400 rakuten sessions.
    static func shop(_ dir: TemporaryDirectory) throws -> [String] {
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,cogs,channel
            1,A,2024-02-05,1000,400,own
            2,B,2024-02-10,3000,1000,own
            3,A,2024-03-05,2000,800,own
            4,C,2024-03-20,1000,300,rakuten

            """)
        let spend = try dir.write("spend.csv", """
            date,channel,spend
            2024-01-01,own,500
            2024-02-01,own,1000
            2024-02-01,google,700
            2024-03-01,own,0
            2024-03-01,rakuten,2000

            """)
        let traffic = try dir.write("traffic.csv", """
            date,channel,sessions
            2024-01-01,own,100
            2024-02-01,own,800
            2024-03-01,own,1200
            2024-03-01,rakuten,400

            """)
        return ["-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'", "-c", "load traffic from '\(traffic)'"]
    }

    /// February: 2 orders / 800 sessions = 0.25%; the range: 4 / 2,500 = 0.16%. At one decimal they
    /// read 0.2% and 0.2% (as did March's 0.125%). CSV keeps the ratio unrounded.
    @Test func smallConversionRatesShowTwoDecimals() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try runECSH(Self.shop(dir) + ["-c", "kpi cvr by month", "-c", "kpi repeat_rate"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("│ 2024-02  │ 0.25% │"), "\(out.stdout)")
        #expect(out.stdout.contains("│ total    │ 0.16% │"), "\(out.stdout)")
        // A column without a rate under 10% keeps one decimal: repeat rate 1 of 3 customers.
        #expect(out.stdout.contains("33.3%"), "\(out.stdout)")
        let csv = try runECSH(["-csv"] + Self.shop(dir) + ["-c", "kpi cvr by month"])
        #expect(csv.stdout.contains("2024-02,0.0025\n") && csv.stdout.contains("total,0.0016\n"), "\(csv.stdout)")
    }

    /// January: ¥500 of spend, no order at all; google in February: ¥700, no order; own in March:
    /// ¥0 of spend, no new customer. Each blank CAC or CPA says which it is.
    @Test func aBlankCACSaysWhy() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try runECSH(["-csv"] + Self.shop(dir) + ["-c", "kpi cac, cpa by month", "-c", "kpi cac by channel",
                                                          "-c", "kpi cac by month, channel"])
        #expect(out.status == 0, "\(out.stderr)")
        // CAC by month: Feb ¥1,700 / 2 new = 850, Mar ¥2,000 / 1 = 2,000; January blank.
        #expect(out.stdout.contains("2024-01,,\n2024-02,850.0,850.0\n2024-03,2000.0,1000.0\n"), "\(out.stdout)")
        #expect(out.stderr.contains("cac blank (spend but no new customer): 2024-01 (¥500); cpa blank (spend but no order): 2024-01 (¥500) (nothing to divide by: a blank, not ¥0)"),
                "\(out.stderr)")
        #expect(out.stderr.contains("cac blank (spend but no new customer): google (¥700) (nothing"), "\(out.stderr)")
        #expect(out.stderr.contains("cac blank (no spend rows): 2024-01 google, 2024-01 rakuten, 2024-02 rakuten, 2024-03 google; "
                                    + "cac blank (spend but no new customer): 2024-01 own (¥500), 2024-02 google (¥700), 2024-03 own (¥0) (nothing"),
                "\(out.stderr)")
    }

    /// January has 100 sessions and no order: AOV and orders per customer are undefined (0 / 0), not
    /// ¥0 and 0 as the tree showed; cvr is 0 / 100 = 0, a real zero.
    @Test func kpiTreeLeavesUndefinedRatiosBlank() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try runECSH(["-csv"] + Self.shop(dir) + ["-c", "kpi tree revenue by month from 2024-01 to 2024-02"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("└─ aov,\"\",JPY,,2000.0,,,\"\"\n"), "\(out.stdout)")
        #expect(out.stdout.contains("├─ orders_per_customer,\"\",ratio,,1.0,,,\"\"\n"), "\(out.stdout)")
        #expect(out.stdout.contains("├─ cvr,\"\",ratio,0,0.0025,,,\"\"\n"), "\(out.stdout)")
    }

    /// Spend and traffic start on January 1, the first order is on February 5: January shows ¥0 GMV
    /// and roas 0.00 (¥0 / ¥500), which may only mean the orders file starts later. `from` keeps to it.
    @Test func aRangeStartingBeforeTheFirstOrderSaysSo() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try runECSH(["-csv"] + Self.shop(dir) + ["-c", "kpi gmv, roas by month"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("2024-01,0.0,0.0\n"), "\(out.stdout)")
        #expect(out.stderr.contains("the range starts 2024-01-01, the first day of the spend, traffic or NPS rows, but the first order "
                                    + "is on 2024-02-05: before it the rows show no orders, which may be the orders file starting later "
                                    + "(from 2024-02-05 keeps to the orders)"), "\(out.stderr)")
        let from = try runECSH(["-csv"] + Self.shop(dir) + ["-c", "kpi gmv, roas by month from 2024-02"])
        #expect(!from.stderr.contains("the range starts"), "\(from.stderr)")
    }

    /// `where ordered_at <= '2024-02-20'` keeps orders 1 and 2 (¥4,000) but the weeks run on to as_of
    /// (2024-03-20), W08 to W12 at ¥0 (written 0.0 in the real gmv column); `to 2024-02-20` ends them there, and the note says so.
    @Test func aDateBoundInWhereSaysItDoesNotNarrowThePeriods() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try runECSH(["-csv"] + Self.shop(dir) + ["-c", "kpi gmv by week from 2024-02-05 where ordered_at <= '2024-02-20'"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("2024-W06,4000.0\n2024-W07,0.0\n2024-W08,0.0\n2024-W09,0.0\n2024-W10,0.0\n2024-W11,0.0\n2024-W12,0.0\ntotal,4000.0"), "\(out.stdout)")
        #expect(out.stderr.contains("where bounds the orders at '2024-02-20', not the weeks: those after it run on to as_of with no orders; "
                                    + "`to 2024-02-20` ends the weeks there"), "\(out.stderr)")
        let to = try runECSH(["-csv"] + Self.shop(dir) + ["-c", "kpi gmv by week from 2024-02-05 to 2024-02-20 where ordered_at <= '2024-02-20'"])
        #expect(to.stdout.contains("2024-W06,4000.0\n2024-W07,0.0\n2024-W08,0.0\ntotal,4000.0"), "\(to.stdout)")
        #expect(!to.stderr.contains("where bounds"), "\(to.stderr)")
    }

    /// Own: customer A, CM2 1,000 − 900 − 300 = −200 in January and 2,000 − 1,900 − 300 = −200 in
    /// February; CAC (500 + 300) / 1 = 800. After 1 month the margin per customer is −400 = −50% of
    /// CAC: none of it recovered (it read "-50% of CAC recovered after 1 months").
    @Test func paybackWithANegativeMarginSaysSo() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("o.csv", """
            order_id,customer_id,ordered_at,amount,cogs,shipping,channel
            1,A,2024-01-05,1000,900,300,own
            2,B,2024-01-10,3000,2000,300,rakuten
            3,A,2024-02-05,2000,1900,300,own

            """)
        let spend = try dir.write("s.csv", "date,channel,spend\n2024-01-01,own,500\n2024-01-01,rakuten,700\n2024-02-01,own,300\n")
        let out = try runECSH(["-csv", "-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'", "-c", "unit economics by channel"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("own,1,800.0,800.0,2,1500.0,-200.0,"), "\(out.stdout)")
        #expect(out.stdout.contains(",not yet: margin per customer is negative after 1 month (-50% of CAC),"), "\(out.stdout)")
        // Rakuten: 3,000 − 2,000 − 300 = 700 of CAC 700 in month 0: paid back at once.
        #expect(out.stdout.contains(",M0,"), "\(out.stdout)")
    }
}
