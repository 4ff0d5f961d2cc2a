import Testing
import Foundation
import ECTestSupport

/// `load ... from '-'` and `from stdin` read standard input once, through the real binary and a real pipe.
@Suite struct LoadSourceTests {
    static let csv = "order_id,customer_id,ordered_at,amount\nA,c1,2024-01-05,1200\nB,c2,2024-01-06,800\nC,c1,2024-02-01,500\n"

    /// `stdin` may be written without quotes too, as psql's `\copy ... from stdin`.
    @Test(arguments: ["'-'", "'stdin'", "stdin", "STDIN"])
    func loadsFromStandardInput(_ source: String) throws {
        let out = try runECSH(["--format", "csv", "-c", "load orders from \(source)",
                               "-c", "sql select count(*), sum(amount) from orders"], stdin: LoadSourceTests.csv)
        #expect(out.status == 0, "\(out.stderr)")
        // Three rows; 1200 + 800 + 500 = 2500.
        #expect(out.stderr.contains("loaded 3 orders"), "\(out.stderr)")
        #expect(out.stdout.contains("3,2500"), "\(out.stdout)")
    }

    /// A pipe given by path (/dev/stdin is the pipe here): read once, not "has no rows".
    @Test func loadsFromPipePath() throws {
        let out = try runECSH(["--format", "csv", "-c", "load table p from '/dev/stdin'", "-c", "sql select count(*) from p"],
                              stdin: LoadSourceTests.csv)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\n3\n"), "\(out.stdout)")
    }
}

/// `set timezone` reaches `load`: the same export gives Tokyo days or UTC days.
@Suite struct LoadTimeZoneSettingTests {
    /// 2024-01-05T20:00:00Z is 2024-01-06 05:00 in Tokyo (+9 h), still the 5th in UTC.
    static let csv = "order_id,customer_id,ordered_at,amount\nA,c1,2024-01-05T20:00:00Z,100\n"

    @Test(arguments: [("Asia/Tokyo", "2024-01-06 05:00:00"), ("UTC", "2024-01-05 20:00:00")])
    func settingDecidesTheDay(_ zone: String, _ expected: String) throws {
        let out = try runECSH(["--format", "csv", "-c", "set timezone '\(zone)'", "-c", "load orders from '-'",
                               "-c", "sql select ordered_at from orders"], stdin: LoadTimeZoneSettingTests.csv)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains(expected), "\(out.stdout)")
    }

    @Test func unknownZoneIsRefused() throws {
        let out = try runECSH(["-c", "set timezone 'Mars/Olympus'"])
        #expect(out.status != 0 && out.stderr.contains("Asia/Tokyo"))
    }
}

/// Loading defects of the QA probe, through the binary: where the error points, and what the shell's
/// `currency` setting does to `1.234`.
@Suite struct LoadAmbiguityShellTests {
    /// The ambiguous date is on line 3, field 3 (the shell printed `:3` for the column alone).
    @Test func ambiguousDatePointsAtItsLine() throws {
        let csv = "order_id,customer_id,ordered_at,amount\nA,c1,2024-01-05,10\nB,c2,2/4/2024,20\n"
        let out = try runECSH(["-c", "load orders from '-'"], stdin: csv)
        #expect(out.status != 0)
        #expect(out.stderr.contains("--> -:3:3\n"), "\(out.stderr)")
        #expect(out.stderr.contains("help: say which: with date_format"), "\(out.stderr)")
    }

    /// `1.500` and `2.250` as yen are asked about; in a USD workspace with commas and ISO dates they are
    /// dollars and cents: 1.5 + 2.25 = 3.75.
    @Test func threeDigitDecimalsFollowTheCurrency() throws {
        let csv = "order_id,customer_id,ordered_at,amount\nA,c1,2024-01-05,1.500\nB,c2,2024-01-06,2.250\n"
        let yen = try runECSH(["-c", "load orders from '-'"], stdin: csv)
        #expect(yen.status != 0)
        #expect(yen.stderr.contains("--> -:2:4\n") && yen.stderr.contains("with decimal ','"), "\(yen.stderr)")
        let usd = try runECSH(["--format", "csv", "-c", "set currency USD", "-c", "load orders from '-'",
                               "-c", "sql select sum(amount) from orders"], stdin: csv)
        #expect(usd.status == 0, "\(usd.stderr)")
        #expect(usd.stdout.contains("3.75"), "\(usd.stdout)")
    }
}
