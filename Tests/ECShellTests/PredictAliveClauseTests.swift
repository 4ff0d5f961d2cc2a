import Foundation
import Testing
import ECTestSupport

/// `predict alive` reads the horizon, discount, model and as_of as `predict ltv` does; money in the
/// notes is in the workspace currency; "too few repeat buyers" says what to change.
@Suite struct PredictAliveClauseTests {
    /// 20 customers who each bought once in January 2024, and C0 again on 2024-03-05.
    static let oneRepeatBuyer = "order_id,customer_id,ordered_at,amount,status\n"
        + (0..<20).map { "A\($0),C\($0),2024-01-\(String(format: "%02d", $0 + 1)),1000,completed\n" }.joined()
        + "B1,C0,2024-03-05,2000,completed\n"

    /// The equity `predict alive` sums is the one `predict ltv`'s note prices at the shop's margin, for any horizon
    /// and discount given to both (it was 12 months at 10% whatever was asked: `horizon` was a syntax error).
    @Test func aliveTakesTheHorizonAndDiscountOfPredictLTV() throws {
        let clauses = "horizon 24 months discount 5% per year"
        let alive = try runECSH(["--demo", "-c", "predict alive top 1 \(clauses)"])
        let ltv = try runECSH(["--demo", "-c", "predict ltv by first_channel \(clauses)"])
        #expect(alive.status == 0 && ltv.status == 0, "\(alive.stderr)\(ltv.stderr)")
        #expect(alive.stderr.contains("Calibration ends 2024-12-31; horizon 24 months, discounted 5.0% per year."), "\(alive.stderr)")
        #expect(alive.stderr.contains("customers most likely to buy in the next 24 months first"), "\(alive.stderr)")
        #expect(alive.stderr.contains("expected purchases over 24 months"), "\(alive.stderr)")
        // (1.05)^(1/12) − 1 = 0.4074% a month.
        #expect(alive.stderr.contains("CLV = Σ over the 24 months of monthly expected purchases × expected spend × margin 16.2% / (1 + 0.407%)^month (5.0% per year)"),
                "\(alive.stderr)")
        let note = try #require(ltv.stderr.components(separatedBy: "customer equity would be ").last?.split(separator: "\n").first)
        #expect(note.hasPrefix("¥"), "\(note)")
        #expect(alive.stderr.contains("customer equity (all 10,280 customers) = \(note)\n"), "\(alive.stderr) vs \(note)")
        // The default (12 months, 10%) gives less than 24 months at 5%.
        let plain = try runECSH(["--demo", "-c", "predict alive top 1"])
        #expect(!plain.stderr.contains("= \(note)\n") && plain.stderr.contains("horizon 12 months, discounted 10.0% per year"), "\(plain.stderr)")
    }

    @Test func aliveTakesModelAndAsOf() throws {
        let out = try runECSH(["--demo", "-c", "predict alive top 1 model mbgnbd as_of 2024-06-30"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("Calibration ends 2024-06-30;"), "\(out.stderr)")
        #expect(out.stderr.contains("(MBG/NBD, weeks, same-day orders merged); MBG/NBD lets customers drop out right after the first purchase"), "\(out.stderr)")
    }

    /// `by`, `pooled` and `separate` group customers; a customer list has no groups: an error at the word.
    @Test func groupingClausesAreRefusedAtTheWord() throws {
        let by = try runECSH(["--demo", "-c", "predict alive top 3 by first_channel"])
        #expect(by.status != 0)
        #expect(by.stderr.contains("error: 'by' has no meaning for predict alive, which lists customers one by one"), "\(by.stderr)")
        #expect(by.stderr.contains(":1:21"), "\(by.stderr)")
        #expect(by.stderr.contains("help: to compare groups, use predict ltv by first_channel; to list one group's customers, predict alive for SEGMENT"),
                "\(by.stderr)")
        let separate = try runECSH(["--demo", "-c", "predict alive separate"])
        #expect(separate.stderr.contains("error: 'separate' has no meaning for predict alive") && separate.stderr.contains(":1:15"), "\(separate.stderr)")
        #expect(separate.stderr.contains("help: to compare groups, use predict ltv by first_channel separate"), "\(separate.stderr)")
    }

    /// One refund row of ¥1,000 five days before the demo's last order (inside the calibration period).
    static let refund = """
        sql INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, status, status_raw) \
        SELECT 'R1', customer_id, '2024-12-26 12:00:00', (SELECT max(day) FROM orders) - 5, -1000, 'completed', 'completed' \
        FROM orders LIMIT 1
        """

    /// The refunds note writes the sum as the tables write money: one ¥1,000 refund row (it said "1,000").
    @Test func theRefundsNoteIsInTheCurrency() throws {
        let out = try runECSH(["--demo", "-c", Self.refund, "-c", "predict alive top 1"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("1 counted order of a negative amount (refunds of ¥1,000 in all) left out"), "\(out.stderr)")
        let usd = try runECSH(["--demo", "-c", "set currency 'USD'", "-c", Self.refund, "-c", "predict ltv by first_channel"])
        #expect(usd.stderr.contains("(refunds of $1,000.00 in all)"), "\(usd.stderr)")
        #expect(usd.stderr.contains("customer equity would be $"), "\(usd.stderr)")
    }

    /// One repeat buyer: the help says what would give the model more, per statement.
    @Test func tooFewRepeatBuyersSaysWhatToChange() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", Self.oneRepeatBuyer)
        let db = dir.path("w.db")
        #expect(try runECSH([db, "-c", "load orders from '\(orders)'", "-c", "segment first_two = customer_id in ('C0', 'C1')"]).status == 0)
        let plain = try runECSH([db, "-c", "predict ltv"])
        #expect(plain.stderr.contains("error: only 1 customer made a repeat purchase (need at least 10)\n"), "\(plain.stderr)")
        #expect(plain.stderr.contains("help: load a longer order history: the counted purchases run from 2024-01-01 to 2024-03-05; "
                                      + "show settings tells which statuses count (a repeat purchase is an order on a later day than "
                                      + "the customer's first (same-day orders are one purchase))"), "\(plain.stderr)")
        let segment = try runECSH([db, "-c", "predict alive for first_two"])
        #expect(segment.stderr.contains("help: the model is fitted on first_two's customers only: leave out 'for first_two' or name a wider segment"),
                "\(segment.stderr)")
        let early = try runECSH([db, "-c", "predict alive as_of 2024-02-01"])
        #expect(early.stderr.contains("help: end the calibration later: as_of 2024-03-05 (the last purchase) or no as_of"), "\(early.stderr)")
        // One customer ever bought again: no holdout leaves 10 repeat buyers ("hold out less (holdout 4 weeks)" was offered,
        // and failed the same way).
        let validate = try runECSH([db, "-c", "predict validate holdout 5 weeks"])
        #expect(validate.stderr.contains("only 0 customers made a repeat purchase"), "\(validate.stderr)")
        #expect(validate.stderr.contains("help: no holdout of a week or more leaves 10 repeat buyers in the calibration period: "
                                         + "fewer than 10 customers ever made a repeat purchase; load a longer order history"), "\(validate.stderr)")
        #expect(!validate.stderr.contains("holdout 4 weeks"), "\(validate.stderr)")
    }

    /// Every order on one day: no holdout of a week or more leaves a calibration day ("at most 0 weeks" was no way out).
    @Test func validateOnPurchasesOfOneDay() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", "order_id,customer_id,ordered_at,amount,status\n"
            + (0..<12).map { "A\($0),C\($0),2024-05-01,1000,completed\n" }.joined())
        let out = try runECSH([dir.path("w.db"), "-c", "load orders from '\(orders)'", "-c", "predict validate"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("error: the purchases run from 2024-05-01 to 2024-05-01, 1 day: too short to hold out the shortest holdout, 1 week"), "\(out.stderr)")
        #expect(!out.stderr.contains("at most 0 weeks") && out.stderr.contains("help: load a longer order history"), "\(out.stderr)")
    }

    /// The by-frequency table prices every row at the shop's calibration margin, and says so: each row's
    /// predicted_margin / predicted_spend is the rate the note gives.
    @Test func validateByFrequencySaysItsMargin() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "predict validate"])
        #expect(out.status == 0, "\(out.stderr)")
        let marker = "predicted_margin = predicted_spend × the shop's CM2/GMV of the calibration period, "
        let rateText = try #require(out.stderr.components(separatedBy: marker).dropFirst().first?.split(separator: "%").first)
        let rate = try #require(Double(rateText)) / 100
        let rows = out.stdout.split(separator: "\n").filter { $0.hasPrefix("7+,") || $0.hasPrefix("0,") }
            .map { $0.split(separator: ",").dropFirst().compactMap { Double($0) } }.filter { $0.count == 5 }
        #expect(rows.count == 2, "\(out.stdout)")
        for r in rows { #expect(abs(r[4] / r[2] - rate) < 0.0006, "\(r) vs \(rate)") }
        #expect(out.stderr.contains("in every row; actual_margin is each customer's own CM2"), "\(out.stderr)")
    }
}

/// `help predict` and an empty segment: the ways out a user reaches for first.
@Suite struct PredictHelpAndEmptySegmentTests {
    /// `help predict` said "unknown command 'predict'"; now it shows the three predict commands.
    @Test func helpPredictShowsEachPredictCommand() throws {
        let out = try runECSH(["--demo", "-c", "help predict"])
        #expect(out.status == 0, "\(out.stderr)")
        for usage in ["predict ltv [horizon N months]", "predict alive [for SEGMENT, ...] [top N] [horizon N months]", "predict validate [holdout N weeks]"] {
            #expect(out.stdout.contains(usage), "\(out.stdout)")
        }
        let unknown = try runECSH(["--demo", "-c", "help predikt"])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown command 'predikt'"), "\(unknown.stderr)")
    }

    /// A segment of no customer: the error points at its name and says how to see the segments' sizes
    /// (it said "no customers … check the order filter, segment and calibration date" with no help).
    @Test func anEmptySegmentIsNamed() throws {
        let out = try runECSH(["--demo", "-c", "segment nobody = orders > 100000", "-c", "predict alive for nobody"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("error: no customer of nobody made a purchase up to the calibration end, 2024-12-31"), "\(out.stderr)")
        #expect(out.stderr.contains(":1:19") && out.stderr.contains("help: 'segments' lists the segments and how many customers each holds"), "\(out.stderr)")
    }
}
