import Foundation
import Testing
import ECTestSupport

/// Dates in `where`, cohorts' last period and weeks, on a hand-made shop of 16 orders (one cancelled).
@Suite struct TimeAndCohortTests {
    /// A: Jan 10, Feb 5, Apr 20. B: Jan 31 23:59:59, Feb 1 00:00:00. C: Jan 15 (cancelled), Feb 10, Mar 10.
    /// D: Feb 29, Mar 1. E: Feb 14. F: Mar 5, May 2. G: Jul 3. H: Jan 20, Jul 1. Nothing in June; the data
    /// ends on Wednesday 3 July 2024, 3 of July's 31 days.
    static let orders = """
        order_id,customer_id,order_date,amount,status
        1,A,2024-01-10 10:00:00,1000,completed
        2,A,2024-02-05 10:00:00,1000,completed
        3,A,2024-04-20 10:00:00,1000,completed
        4,B,2024-01-31 23:59:59,2000,completed
        5,B,2024-02-01 00:00:00,2000,completed
        6,C,2024-01-15 10:00:00,500,cancelled
        7,C,2024-02-10 10:00:00,500,completed
        8,C,2024-03-10 10:00:00,500,completed
        9,D,2024-02-29 12:00:00,800,completed
        10,D,2024-03-01 12:00:00,800,completed
        11,E,2024-02-14 12:00:00,300,completed
        12,F,2024-03-05 12:00:00,700,completed
        13,F,2024-05-02 12:00:00,700,completed
        14,G,2024-07-03 12:00:00,900,completed
        15,H,2024-01-20 12:00:00,400,completed
        16,H,2024-07-01 12:00:00,400,completed

        """

    /// Runs statements on a fresh workspace with the shop loaded.
    func run(_ statements: [String], format: String = "-csv") throws -> ProcessOutput {
        let dir = try TemporaryDirectory("ecsh-time")
        defer { dir.remove() }
        let csv = try dir.write("orders.csv", Self.orders)
        return try runECSH([format, dir.path("shop.db"), "load orders from '\(csv)'"] + statements)
    }

    /// A date compares with a timestamp's day, a month with its month: January holds 3 counted orders
    /// (A's, H's and B's at 23:59:59), 31 January 1, after it 15 − 3 = 12, outside February–June 3 + 2 = 5.
    /// As text, '2024-01-31 23:59:59' > '2024-01-31', so these were 2, 2, 2, 0, 13, 0 and 2.
    @Test(arguments: [
        ("ordered_at between '2024-01-01' and '2024-01-31'", 3),
        ("ordered_at between 2024-01-01 and 2024-01-31", 3),
        ("ordered_at <= 2024-01-31", 3),
        ("ordered_at = 2024-01-31", 1),
        ("ordered_at > 2024-01-31", 12),
        ("ordered_at between 2024-01 and 2024-01", 3),
        ("ordered_at not between '2024-02' and 2024-06-30", 5),
    ])
    func datesCompareWithTheTimestampsDay(_ predicate: String, _ orders: Int) throws {
        let out = try run(["kpi orders where \(predicate)"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.split(separator: "\n").last == "\(orders)"[...], "\(out.stdout)")
    }

    /// The customers' first orders are dates: a month compares with their month (A, B and H began in January).
    @Test func segmentOnAMonth() throws {
        let out = try run(["segment jan = first_order between 2024-01 and 2024-01"])
        #expect((out.stdout + out.stderr).contains("segment jan: 3 of 8 customers"), "\(out.stdout)\(out.stderr)")
    }

    /// Cohorts by first counted order: January A, B, H; February C (her January order was cancelled), D, E;
    /// March F; July G. January's M1 is A and B of 3; M6 (July) is H. The data ends on 3 July: July's cells
    /// (January's M6, February's M5, March's M4, July's M0) hold 3 of its 31 days, and the notes say so.
    @Test func lastPeriodIsMarkedPartial() throws {
        let out = try run(["cohort customers periods 7"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = out.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.dropFirst().map { $0.prefix(2).joined(separator: " ") } == ["2024-01 3", "2024-02 3", "2024-03 1", "2024-07 1", "average 8"])
        #expect(rows[1].dropFirst(2).joined(separator: " ") == "3.0 2.0 0.0 1.0 0.0 0.0 1.0", "\(rows[1])")
        #expect(out.stderr.contains("data ends in 2024-07*;"), "\(out.stderr)")
        #expect(out.stderr.contains("* 2024-07 is partial: 2024-07-01 to 2024-07-03, 3 of its 31 days observed; a cohort's cell in it counts only those days"),
                "\(out.stderr)")
        // A week ends on Sunday: as_of on Sunday 7 July makes the week of Monday 1 July whole, and the note goes.
        let whole = try run(["set as_of 2024-07-07", "cohort by week periods 1"])
        #expect(whole.stderr.contains("data ends in 2024-07-01;") && !whole.stderr.contains("partial"), "\(whole.stderr)")
    }

    /// Cohort weeks are Monday weeks; with week_start sunday `kpi … by week` counts Sunday weeks, and a note says
    /// the two differ (B's Wednesday 31 January is in cohort week 2024-01-29 either way; the note is the point).
    @Test func cohortWeeksSayTheyAreMondayWeeks() throws {
        let out = try run(["set week_start sunday", "cohort by week periods 2"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\n2024-01-29,1,"), "\(out.stdout)")
        #expect(out.stderr.contains("cohort weeks run Monday to Sunday: week_start sunday applies to kpi … by week"), "\(out.stderr)")
        let monday = try run(["cohort by week periods 2"])
        #expect(!monday.stderr.contains("cohort weeks run"), "\(monday.stderr)")
    }

    /// A range written backwards selects nothing; it is an error at the range, not 0 orders.
    @Test func reversedDateRangeIsAnError() throws {
        let out = try run(["kpi orders where ordered_at between 2024-02-01 and '2024-01-01'"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("error: the date range is empty: 2024-02-01 is after 2024-01-01"), "\(out.stderr)")
        #expect(out.stderr.contains("between 2024-01-01 and 2024-02-01") || out.stderr.contains("between '2024-01-01' and 2024-02-01"), "\(out.stderr)")
    }

    /// `day` holds day numbers; compared with a date it held for all 15 counted orders (the old ecsh: `day <= 2024-01-31`
    /// gave 15, January has 3). It is an error pointing at `ordered_at`.
    @Test func dayComparedWithADateIsAnError() throws {
        let out = try run(["kpi orders where day <= 2024-01-31"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("error: 'day' is the order's day number (days since 1970-01-01), not a date: comparing it with 2024-01-31 "
            + "would hold for every order or none"), "\(out.stderr)")
        #expect(out.stderr.contains("compare ordered_at with the date instead: a date compares with its day"), "\(out.stderr)")
        let right = try run(["kpi orders where ordered_at <= 2024-01-31"])
        #expect(right.stdout.contains("orders\n3\n"), "\(right.stdout)")
    }

    /// `cohort … where` picks the orders before first orders are found: with `ordered_at >= 2024-02` A and B (first
    /// ordered in January) are in the 2024-02 cohort with C, D and E (5), and H in 2024-07 with G (2). A note says so.
    @Test func cohortWhereSaysItPicksOrdersFirst() throws {
        let out = try run(["cohort customers where ordered_at >= 2024-02"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\n2024-02,5,") && out.stdout.contains("\n2024-07,2,"), "\(out.stdout)")
        #expect(out.stderr.contains("where picks the orders first: each customer's cohort is the period of their first counted order "
            + "among the rows it keeps"), "\(out.stderr)")
        let plain = try run(["cohort customers"])
        #expect(!plain.stderr.contains("where picks the orders first"), "\(plain.stderr)")
    }
}
