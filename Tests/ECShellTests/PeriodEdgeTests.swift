import Foundation
import Testing
import ECTestSupport

/// Partial first and last periods are marked, for every grain, with how many of their days count.
@Suite struct PeriodEdgeTests {
    /// 2024-12-01 is a Sunday: its Monday-start week 2024-W48 (25 Nov – 1 Dec) holds one day of the range;
    /// 2024-12-31 is a Tuesday: 2025-W01 (30 Dec – 5 Jan) holds two. The weeks between are whole.
    @Test func partialWeeksAreStarredWithAFootnote() throws {
        let out = try runECSH(["--demo", "-c", "kpi customers by week from 2024-12-01 to 2024-12-31",
                               "-c", ".mode csv", "-c", "select count(distinct customer_id) from orders where substr(ordered_at, 1, 10) = '2024-12-01' and status not in ('cancelled', 'returned', 'refunded')"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = out.stdout.split(separator: "\n").filter { $0.hasPrefix("│ 20") }.map { $0.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(rows.map { $0[0] } == ["2024-W48*", "2024-W49", "2024-W50", "2024-W51", "2024-W52", "2025-W01*"])
        // The one-day week counts the customers of that one day, by plain SQL.
        #expect(rows.first?[1] == out.stdout.split(separator: "\n").last.map(String.init))
        #expect(out.stderr.contains("* 2024-W48 is partial: 2024-12-01 to 2024-12-01, 1 of its 7 days in the range"))
        #expect(out.stderr.contains("* 2025-W01 is partial: 2024-12-30 to 2024-12-31, 2 of its 7 days in the range"))
    }

    /// 15–31 January is 17 of 31 days; 1–10 March 10 of 31; March 2024 to the data's end is 306 of 366 days
    /// (2024 is a leap year: 31 + 29 = 60 days before March).
    @Test(arguments: [
        ("kpi gmv by month from 2024-01-15 to 2024-03-10", ["2024-01*", "2024-02", "2024-03*"],
         ["* 2024-01 is partial: 2024-01-15 to 2024-01-31, 17 of its 31 days", "* 2024-03 is partial: 2024-03-01 to 2024-03-10, 10 of its 31 days"]),
        ("kpi gmv by quarter from 2024-02 to 2024-12", ["2024-Q1*", "2024-Q2", "2024-Q3", "2024-Q4"],
         ["* 2024-Q1 is partial: 2024-02-01 to 2024-03-31, 60 of its 91 days"]),
        ("kpi gmv by year from 2024-03", ["2024*"], ["* 2024 is partial: 2024-03-01 to 2024-12-31, 306 of its 366 days"]),
    ])
    func everyGrain(_ statement: String, _ labels: [String], _ notes: [String]) throws {
        let out = try runECSH(["--demo", statement])
        #expect(out.status == 0, "\(out.stderr)")
        let shown = out.stdout.split(separator: "\n").filter { $0.hasPrefix("│ 20") }.compactMap { $0.split(separator: "│").first?.trimmingCharacters(in: .whitespaces) }
        #expect(shown == labels)
        for note in notes { #expect(out.stderr.contains(note), "\(note)") }
    }

    /// The sample shop runs from 2023-01-01 to 2024-12-31: whole quarters, nothing marked.
    @Test func wholePeriodsAreNotMarked() throws {
        let out = try runECSH(["--demo", "kpi gmv by quarter"], mergingStandardError: true)
        #expect(!out.stdout.contains("*") && !out.stdout.contains("partial"))
    }

    /// Machine formats keep the labels (they are keys); the note still says which periods are partial.
    @Test func machineFormatsKeepLabels() throws {
        let out = try runECSH(["--demo", "-csv", "kpi gmv by month from 2024-01-15 to 2024-02"])
        #expect(out.stdout.hasPrefix("month,gmv\n2024-01,"), "\(out.stdout)")
        #expect(out.stderr.contains("* 2024-01 is partial"))
    }

    /// `export` writes keys whatever the session's format: from a table session, CSV and JSON files hold
    /// `2024-01` (the export used to write the shown `2024-01*`); Markdown and HTML, for people, keep the star
    /// (also from a CSV session, where the shown rows had none; Markdown writes it `\*`, shown as a star, not emphasis).
    @Test func exportsKeepKeysWhateverTheSessionFormat() throws {
        let dir = try TemporaryDirectory("period-edge-export")
        defer { dir.remove() }
        for session in ["table", "csv"] {
            let out = try runECSH(["--demo", "--format", session, "-c", "kpi gmv by month from 2024-01-15 to 2024-02",
                                   "-c", "export to 'x.csv'", "-c", "export to 'x.json'", "-c", "export to 'x.md'", "-c", "export to 'x.html'"],
                                  directory: dir.url)
            #expect(out.status == 0, "\(out.stderr)")
            let csv = try String(contentsOfFile: dir.path("x.csv"), encoding: .utf8)
            #expect(csv.split(separator: "\n").map { $0.split(separator: ",")[0] } == ["month", "2024-01", "2024-02", "total"], "\(session): \(csv)")
            let json = try String(contentsOfFile: dir.path("x.json"), encoding: .utf8)
            #expect(json.contains("{\"month\":\"2024-01\",") && !json.contains("*"), "\(session): \(json)")
            let markdown = try String(contentsOfFile: dir.path("x.md"), encoding: .utf8)
            #expect(markdown.contains("| 2024-01\\* |"), "\(session): \(markdown)")
            let html = try String(contentsOfFile: dir.path("x.html"), encoding: .utf8)
            #expect(html.contains("<td>2024-01*</td>"), "\(session): \(html)")
        }
    }

    /// The sample survey runs from Thursday 2023-01-05 to Tuesday 2024-12-31. NPS weeks start on Monday
    /// and are labelled by it: 2023-01-02 (2–8 Jan) holds 5–8 Jan, 4 of 7 days; 2024-12-30 (30 Dec – 5 Jan)
    /// holds 2. January 2023 holds 5–31, 27 of 31 days; 2023-Q1 holds 27 + 28 + 31 = 86 of 31 + 28 + 31 = 90.
    @Test(arguments: [
        ("nps by week", "2023-01-02*", ["* 2023-01-02 is partial: 2023-01-05 to 2023-01-08, 4 of its 7 days",
                                        "* 2024-12-30 is partial: 2024-12-30 to 2024-12-31, 2 of its 7 days"]),
        ("nps by month", "2023-01*", ["* 2023-01 is partial: 2023-01-05 to 2023-01-31, 27 of its 31 days"]),
        ("nps by quarter", "2023-Q1*", ["* 2023-Q1 is partial: 2023-01-05 to 2023-03-31, 86 of its 90 days"]),
        ("nps compare by quarter", "2023-Q1*", ["* 2023-Q1 is partial: 2023-01-05 to 2023-03-31, 86 of its 90 days"]),
    ])
    func npsByPeriod(_ statement: String, _ firstLabel: String, _ notes: [String]) throws {
        let out = try runECSH(["--demo", "-c", statement, "-c", ".mode csv", "-c", "select min(responded_at), max(responded_at) from nps"])
        #expect(out.status == 0, "\(out.stderr)")
        // The survey's first and last response days the hand count starts from.
        #expect(out.stdout.hasSuffix("2023-01-05 20:55:26,2024-12-31 18:01:05\n"), "\(out.stdout)")
        let shown = out.stdout.split(separator: "\n").filter { $0.hasPrefix("│ 20") }.compactMap { $0.split(separator: "│").first?.trimmingCharacters(in: .whitespaces) }
        #expect(shown.first == firstLabel)
        // Only the edges are starred (a long weekly table may be cut before its last row).
        #expect(shown.count > 2 && shown.dropFirst().dropLast().allSatisfy { !$0.hasSuffix("*") })
        for note in notes { #expect(out.stderr.contains(note), "\(note)") }
    }

    /// A scorecard whose latest quarter the data covers in part (as_of 2024-10-15: 15 of Q4's 92 days) said only that
    /// it "may still be in progress" while GMV fell 69.2% (¥6,500 in Q3, ¥2,000 in 15 days of Q4); like for like the
    /// same 15 days of Q3 (1–15 July: one order, ¥1,000) doubled. f2_rate's 90-day window has not elapsed for Q4's (or
    /// Q3's) new customers by 15 October: "no data" hid that Q1's 100% (c5's two orders) is the latest figure.
    /// With as_of at the quarter's end the note goes.
    @Test func scorecardSaysItsLatestPeriodIsPartialAndComparesLikeForLike() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount
            1,c5,2024-01-10,500
            2,c5,2024-02-01,700
            3,c1,2024-07-03,1000
            4,c2,2024-07-20,2000
            5,c3,2024-08-10,500
            6,c1,2024-09-01,3000
            7,c2,2024-10-02,1200
            8,c4,2024-10-15,800

            """)
        let out = try runECSH([dir.path("w.db"), "--format", "csv", "-c", "load orders from '\(orders)'", "-c", "scorecard"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("gmv,6500.0,2000.0,"), "\(out.stdout)")
        #expect(out.stderr.contains("2024-Q4 is partial: 2024-10-01 to 2024-10-15, 15 of its 92 days;"), "\(out.stderr)")
        #expect(out.stderr.contains("like for like: gmv ¥2,000 against ¥1,000 in the same 15 days of 2024-Q3 (+100.0%) (kpi gmv, revenue from 2024-07-01 to 2024-07-15)"), "\(out.stderr)")
        #expect(out.stdout.contains("f2_rate,,,,–,,not yet known"), "\(out.stdout)")
        #expect(out.stderr.contains("the latest quarter with a figure is 2024-Q1: 100.0%"), "\(out.stderr)")
        let whole = try runECSH([dir.path("w.db"), "-c", "set as_of 2024-12-31", "-c", "scorecard"])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stderr.contains("latest quarter 2024-Q4 against 2024-Q3"), "\(whole.stderr)")
        #expect(!whole.stderr.contains("partial") && !whole.stderr.contains("may still be"), "\(whole.stderr)")
    }
}
