import Foundation
import Testing
import ECTestSupport

/// Two silent or dead ends of session 46's probes: an as_of far after the data, and `kpi nps by X`.
@Suite struct WayOutNotesTests {
    /// Orders end on 2024-03-05. March 5 → April 5 is 26 + 5 = 31 days: no note (a month's end after the export's
    /// last day is usual); April 6 is 32 days: said, since recency and the windows then measure from a day the
    /// data does not reach (`recency <= 30` counts nobody). `set as_of 'last order'` goes back.
    @Test func anAsOfLongAfterTheLastOrderIsSaid() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("o.csv", "order_id,customer_id,ordered_at,amount,status\n"
            + "A1,C1,2024-01-10,1000,completed\nA2,C2,2024-02-20,2000,completed\nA3,C3,2024-03-05,3000,completed\n")
        let db = dir.path("w.db")
        #expect(try runECSH([db, "-c", "load orders from '\(orders)'"]).status == 0)
        let month = try runECSH([db, "-c", "set as_of 2024-04-05"])
        #expect(month.status == 0 && !month.stderr.contains("note: as_of"), "\(month.stderr)")
        let later = try runECSH([db, "-c", "set as_of 2024-04-06", "-c", "segment recent = recency <= 30"])
        #expect(later.stderr.contains("note: as_of is 32 days after the last order (2024-03-05): recency, tenure, active_members "
            + "and the windows measure from it, as if nobody bought since; set as_of 'last order' measures from the data's last day"),
                "\(later.stderr)")
        #expect(later.stderr.contains("segment recent: 0 of 3"), "\(later.stderr)")
        // The way out the note gives: C3 bought 0 days before the last order's day, C2 14.
        let back = try runECSH([db, "-c", "set as_of 'last order'", "-c", "segment recent = recency <= 30"])
        #expect(back.status == 0 && back.stderr.contains("segment recent: 2 of 3"), "\(back.stderr)")
    }

    /// `kpi nps by first_channel` said "nps can be split by time and segment only" and nothing more; it now names
    /// the `nps` statement that groups by it, and that statement runs.
    @Test func kpiNPSByAnAttributeNamesTheNPSStatement() throws {
        let define = "segment repeaters = orders >= 2"
        let out = try runECSH(["--demo", "-c", define, "-c", "kpi nps by first_channel for repeaters"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("error: nps can be split by time and segment only in kpi; by first_channel, write "
            + "nps by first_channel for repeaters (each group's NPS with its margin of error)"), "\(out.stderr)")
        let suggested = try runECSH(["--demo", "-c", define, "-c", "nps by first_channel for repeaters"])
        #expect(suggested.status == 0, "\(suggested.stderr)")
        #expect(suggested.stdout.contains("own"), "\(suggested.stdout)")
    }
}
