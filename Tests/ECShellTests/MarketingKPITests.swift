import Foundation
import ECTestSupport
import Testing

/// Marketing KPIs where the spend or traffic file does not cover every month of the orders (an ad
/// export of one month beside four months of orders): rows without spend or traffic data are blank,
/// not ¥0 or 0 sessions, and a note says which orders the whole range divides by nothing.
@Suite struct MarketingKPITests {
    /// A January, B January, A March, B April; spend only in January (¥10,000), traffic for
    /// January (1,000 sessions) and February (900).
    static func shop(_ dir: TemporaryDirectory) throws -> [String] {
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,channel
            1,A,2024-01-05,10000,own
            2,B,2024-01-10,6000,own
            3,A,2024-03-03,5000,own
            4,B,2024-04-10,7000,own

            """)
        let spend = try dir.write("spend.csv", "date,channel,spend\n2024-01-01,own,10000\n")
        let traffic = try dir.write("traffic.csv", "date,sessions\n2024-01-01,1000\n2024-02-01,900\n")
        return ["-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'", "-c", "load traffic from '\(traffic)'"]
    }

    /// March and April have orders but no spend rows: CPA is blank there, as CAC is (it was ¥0:
    /// ¥0 of spend / 1 order), and no traffic rows: sessions are blank (they were 0, and the sales
    /// equation's sessions_change read -100% in March).
    @Test func monthsWithoutSpendOrTrafficAreBlank() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try runECSH(["-csv"] + Self.shop(dir) + ["-c", "kpi cpa, sessions, cvr by month", "-c", "kpi sales by month"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("""
            month,cpa,sessions,cvr
            2024-01,5000.0,1000,0.002
            2024-02,,900,0.0
            2024-03,,,
            2024-04,,,
            """), "\(out.stdout)")
        #expect(out.stdout.contains("2024-03,,,,,5000.0,,5000.0,\n"), "\(out.stdout)")
    }

    /// Over the whole range, 4 orders over ¥10,000 of January spend: CPA ¥2,500 and ROAS 2.80 are
    /// the catalogue's formula, but 2 of the orders (March, April) have no spend data; the note
    /// says so and gives the range that keeps to the spend's month. cac alone: both customers were
    /// acquired in January, so its CAC (¥5,000) is whole and there is no note.
    @Test func aRangeWiderThanTheSpendFileIsNamed() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try runECSH(Self.shop(dir) + ["-c", "kpi cpa, roas", "-c", "kpi cac", "-c", "kpi cvr"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("¥2,500 │ 2.80"), "\(out.stdout)")
        #expect(out.stderr.contains("spend has rows from 2024-01-01 to 2024-01-01 only: 2 counted orders from 2024-01-01 to 2024-04-10 fall in months without spend rows; in cpa, roas over the range they count with no spend of their own (from 2024-01-01 to 2024-01-31 keeps to its months)"), "\(out.stderr)")
        #expect(!out.stderr.contains("in cac over the range"), "\(out.stderr)")
        #expect(out.stderr.contains("traffic has rows from 2024-01-01 to 2024-02-01 only: 2 counted orders from 2024-01-01 to 2024-04-10 fall in months without traffic rows; in cvr over the range they count with no traffic of their own (from 2024-01-01 to 2024-02-29 keeps to its months)"), "\(out.stderr)")
    }

    /// unit economics: a customer acquired in March, when the spend file has no rows, makes the
    /// blended CAC ¥10,000 / 3 customers; the note names that customer's month as uncovered.
    @Test func unitEconomicsNamesCustomersAcquiredWithoutSpendData() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let more = try dir.write("more.csv", "order_id,customer_id,ordered_at,amount,channel\n5,C,2024-03-20,4000,own\n")
        let out = try runECSH(Self.shop(dir) + ["-c", "load orders from '\(more)' append", "-c", "unit economics"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("│ ¥10,000 │ ¥3,333 │"), "\(out.stdout)")   // ¥10,000 / A, B, C
        #expect(out.stderr.contains("spend has rows from 2024-01-01 to 2024-01-01 only: 1 customer acquired from 2024-01-05 to 2024-04-10 falls in months without spend rows; in CAC, LTV/CAC and payback over the range it counts with no spend of its own (from 2024-01-05 to 2024-01-31 keeps to its months)"), "\(out.stderr)")
    }

    /// A cogs column filled on some orders only: margin counts the empty ones as cost 0 (as defined), and
    /// the note says on how many counted orders of the range (it named only fields empty on every order).
    @Test func partlyEmptyCostsAreCounted() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,cogs,channel
            1,A,2024-01-05,10000,12000,own
            2,B,2024-01-10,6000,,own
            3,A,2024-03-03,5000,1000,own

            """)
        let out = try runECSH(["-c", "load orders from '\(orders)'", "-c", "kpi margin"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("¥8,000"), "\(out.stdout)")   // (10000 − 12000) + 6000 + (5000 − 1000)
        #expect(out.stderr.contains("margin: no shipping, commission in orders; cogs empty on 1 of 3 counted orders; counted as 0"), "\(out.stderr)")
    }

    /// kpi tree revenue for March against April: traffic has no April rows, so the sessions tree cannot be
    /// drawn and a note says why (it was left out unsaid). February (no orders) against March: GMV rose
    /// from 0, which the biggest-mover note called "(no change)".
    @Test func kpiTreeSaysWhatItCannotShow() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try runECSH(Self.shop(dir) + ["-c", "kpi tree revenue from 2024-03 to 2024-04", "-c", "kpi tree gmv from 2024-02 to 2024-03"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("revenue = sessions × cvr × aov is left out: traffic has no rows in 2024-03 or 2024-04"), "\(out.stderr)")
        #expect(out.stderr.contains("gmv = mall_gmv + own_gmv: own_gmv (up from 0) explains 100.0% of the change (up from 0)"), "\(out.stderr)")
        #expect(!out.stderr.contains("(no change)"), "\(out.stderr)")
    }

    /// Channels typed in full width (`ｒａｋｕｔｅｎ` in a spend file, `ＡＭＡＺＯＮ` in orders) are folded to ASCII by the
    /// load, as upper case is: rakuten's spend meets rakuten's new customers and amazon is one channel. By hand: rakuten
    /// spend ¥3,000 + ¥6,000 over its 1 new customer = CAC ¥9,000 (the old ecsh: ¥3,000, the full-width row a channel
    /// of its own); amazon 2 orders, ¥5,000.
    @Test func fullWidthChannelsAreOneChannel() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,channel
            1,A,2024-01-05,10000,rakuten
            2,B,2024-01-10,2000,ＡＭＡＺＯＮ
            3,C,2024-01-12,3000,amazon

            """)
        let spend = try dir.write("spend.csv", "date,channel,spend\n2024-01-01,Rakuten,3000\n2024-01-02,ｒａｋｕｔｅｎ,6000\n")
        let out = try runECSH(["-csv", dir.path("w.db"), "-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'",
                               "-c", "kpi cac by channel", "-c", "kpi orders, gmv by channel"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\nrakuten,9000.0\n"), "\(out.stdout)")
        #expect(out.stdout.contains("\namazon,2,5000.0\n") && !out.stdout.contains("ａｍａｚｏｎ") && !out.stdout.contains("ＡＭＡＺＯＮ"), "\(out.stdout)")
    }
}
