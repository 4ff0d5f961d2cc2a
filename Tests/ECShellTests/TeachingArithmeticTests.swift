import Foundation
import Testing
import ECLanguage
import ECTestSupport
@testable import ECShell

/// What the teaching side writes adds up by hand: a product or difference the tutorial states is the one its
/// printed figures give, answers are taken in the forms a learner types, and `help`'s examples run (or say
/// how to) in a fresh `ecsh --demo`.
@Suite struct TeachingArithmeticTests {
    static let counted = "(status IS NULL OR status NOT IN ('cancelled', 'returned', 'refunded', 'failed'))"

    /// One number from a one-row `sql` query on the sample shop, in CSV.
    static func figure(_ query: String) throws -> Double {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "sql " + query])
        #expect(out.status == 0, "\(out.stderr)")
        return try #require(out.stdout.split(separator: "\n").last.flatMap { Double($0) }, "\(out.stdout)")
    }

    /// The cells of one row (first cell `label`) of a CSV result, by column name.
    /// `header`: the first cell of the header line, for output holding several tables.
    static func row(_ csv: String, _ label: String, header first: String? = nil) throws -> [String: String] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(first.map { f in lines.first { $0.first == f } } ?? lines.first)
        let cells = try #require(lines.first { $0.first == label }, "no row \(label) in \(csv)")
        return Dictionary(uniqueKeysWithValues: zip(header, cells))
    }

    static func number(_ text: Substring) -> Double? { Double(text.replacingOccurrences(of: ",", with: "")) }

    /// Lesson 2 said "85,871 × 1.62% × ¥2,433 = ¥3,394,631"; those figures multiply to ¥3,384,552. The product
    /// now goes through the orders, with the places that make it check by hand, and lands on May's revenue.
    @Test func salesEquationProductChecksByHand() throws {
        let month = "substr(ordered_at, 1, 7) = '2024-05' AND \(Self.counted)"
        let orders = try Self.figure("SELECT count(*) FROM orders WHERE \(month)")
        let revenue = try Self.figure("SELECT sum(amount - coalesce(discount, 0) - coalesce(points, 0)) FROM orders WHERE \(month)")
        let out = try runECSH(["-c", "tutorial 2"], environment: ["COLUMNS": "100"])
        #expect(out.status == 0, "\(out.stderr)")
        let prose = out.stdout.replacingOccurrences(of: "\n", with: " ")
        let pattern = /([\d,]+) sessions × ([\d.]+)% CVR ≈ ([\d,]+) orders, and ([\d,]+) orders × ¥([\d,.]+) AOV ≈ ¥([\d,]+)/
        let m = try #require(prose.firstMatch(of: pattern), "\(prose)")
        let sessions = try #require(Self.number(m.1)), cvr = try #require(Self.number(m.2)) / 100
        let ordersShown = try #require(Self.number(m.3)), aov = try #require(Self.number(m.5))
        let revenueShown = try #require(Self.number(m.6))
        #expect(ordersShown == orders && Self.number(m.4) == orders, "orders \(ordersShown), counted \(orders)")
        #expect(revenueShown == revenue.rounded(), "revenue \(revenueShown), summed \(revenue)")
        #expect(abs(sessions * cvr - ordersShown) <= 0.5, "\(sessions) × \(cvr) is not \(ordersShown)")
        #expect(abs(ordersShown * aov - revenueShown) <= ordersShown * 0.005 + 0.5, "\(ordersShown) × \(aov) is not \(revenueShown)")
    }

    /// Lesson 7 gave 41.2 points where its table shows 54.9% − 13.8% = 41.1; lesson 8 said "¥1,387 short"
    /// under ¥2,055 − ¥669 = ¥1,386. The answer is the difference of the figures as printed.
    @Test func differencesAreOfThePrintedFigures() throws {
        let segments = ["-c", "segment promoters = nps >= 9", "-c", "segment detractors = nps <= 6",
                        "-c", "kpi repeat_rate for promoters, detractors"]
        let rates = try runECSH(["--demo", "--format", "csv"] + segments)
        func shown(_ label: String) throws -> Double {
            let rate = try #require(Double(try Self.row(rates.stdout, label)["repeat_rate"] ?? ""))
            return Double(String(format: "%.1f", rate * 100))!
        }
        let gap = String(format: "%.1f", try shown("promoters") - shown("detractors"))
        let npsLesson = try runECSH(["-c", "tutorial 7", "-c", "answer 0", "-c", "answer 0"], environment: ["COLUMNS": "200"])
        #expect(npsLesson.stdout.contains("The answer is \(gap). \(gap) points."), "\(gap): \(npsLesson.stdout)")

        let economics = try runECSH(["--demo", "--format", "csv", "-c", "unit economics by channel horizon 12 months"])
        let rakuten = try Self.row(economics.stdout, "rakuten")
        let cac = try #require(Double(rakuten["CAC"] ?? "")).rounded(), ltv = try #require(Double(rakuten["LTV_12m"] ?? "")).rounded()
        let short = "¥" + Int(cac - ltv).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        let ueLesson = try runECSH(["-c", "tutorial 8", "-c", "answer 0", "-c", "answer 0"], environment: ["COLUMNS": "200"])
        #expect(ueLesson.stdout.contains("The answer is \(short)."), "\(short): \(ueLesson.stdout)")
        #expect(ueLesson.stdout.contains(": \(short) short."), "\(short): \(ueLesson.stdout)")
    }

    /// A learner with a Japanese input method on types `－７１`; the question asked in millions takes `8.2M`
    /// and the yen figure itself; a percent question takes the fraction. Each was "Not quite" before.
    @Test func answersInTheFormsALearnerTypes() throws {
        func margin(_ month: String) throws -> Double {
            try Self.figure("SELECT sum(amount - coalesce(discount, 0) - coalesce(points, 0) - coalesce(cogs, 0) - "
                + "coalesce(shipping, 0) - coalesce(commission, 0)) FROM orders WHERE substr(ordered_at, 1, 7) = '\(month)' AND \(Self.counted)")
        }
        let change = (try margin("2024-05") / margin("2024-04") - 1) * 100
        let fullWidth = String(format: "%.0f", change).map { c -> Character in
            if c == "-" { return "－" }
            return Character(UnicodeScalar(c.unicodeScalars.first!.value - 0x30 + 0xFF10)!)
        }
        let simulated = try runECSH(["--demo", "--format", "csv", "-c", TutorialTransitionTests.statement])
        let cumulative = try #require(Double(try Self.row(simulated.stdout, "Q+8", header: "quarter")["cumulative_cash_flow"] ?? ""))
        let yen = "¥" + Int(cumulative.rounded()).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        let cases: [(lesson: Int, answer: String)] = [
            (1, String(fullWidth)), (1, String(format: "%.2f", change / 100)),
            (12, String(format: "¥%.1fM", cumulative / 1_000_000)), (12, yen),
        ]
        for c in cases {
            let out = try runECSH(["-c", "tutorial \(c.lesson)", "-c", "answer \(c.answer)"], environment: ["COLUMNS": "200"])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.contains("\nRight. "), "lesson \(c.lesson), answer \(c.answer): \(out.stdout.suffix(400))")
        }
        // Lesson 11's answer is a node of the tree shown; typed as words it is the same answer.
        let tree = try runECSH(["--demo", "--format", "csv", "-c", "kpi tree customer_equity by quarter"])
        let nodes = ["active_members", "orders_per_member", "margin_per_order"]
        let explains = try nodes.map { node in
            (node, try #require(tree.stdout.split(separator: "\n").first { $0.contains(node + ",") }
                .flatMap { line in line.split(separator: ",", omittingEmptySubsequences: false).compactMap { Double($0) }.last }))
        }
        let top = try #require(explains.max { abs($0.1) < abs($1.1) }).0
        let words = try runECSH(["-c", "tutorial 11", "-c", "answer \(top.replacingOccurrences(of: "_", with: " "))"])
        #expect(words.stdout.contains("\nRight. "), "\(top): \(words.stdout.suffix(400))")
        #expect(Question.number("３４％") == 34 && Question.number("41.1 pt") == 41.1 && Question.number("820万") == 8_200_000)
        #expect(Question.number("¥1.4k") == 1_400 && Question.number("abc") == nil)
    }

    /// `help kpi` shows `kpi gmv, aov by quarter for repeaters, one_timers`; typed into a fresh `ecsh --demo`
    /// it failed with "unknown segment 'repeaters'" and no way out. The error now names `help segment`'s
    /// example that defines it, and with that line first the example runs.
    @Test func helpExamplesNameTheSegmentsTheyNeed() throws {
        let examples = CommandCatalog.all.flatMap(\.examples).filter { $0.contains(" for ") || $0.hasPrefix("nps compare ") }
        var checked = 0
        for example in examples {
            let alone = try runECSH(["--demo", "-c", example])
            guard alone.status != 0 else { continue }
            let name = try #require(alone.stderr.firstMatch(of: /unknown segment '(\w+)'/)?.1, "\(example): \(alone.stderr)")
            let definition = try #require(alone.stderr.firstMatch(of: /define it first: (segment \w+ = [^(]+?) \(/)?.1,
                                          "\(example): \(alone.stderr)")
            #expect(definition.hasPrefix("segment \(name) = "))
            var script = ["--demo", "-c", String(definition)]
            // A second unknown segment in the same example is named the same way.
            if let other = try runECSH(script + ["-c", example]).stderr.firstMatch(of: /define it first: (segment \w+ = [^(]+?) \(/)?.1 {
                script += ["-c", String(other)]
            }
            let defined = try runECSH(script + ["-c", example])
            #expect(defined.status == 0, "\(example) after \(script): \(defined.stderr)")
            checked += 1
        }
        #expect(checked >= 4, "examples that need a segment: \(checked)")
    }

    /// `help define kpi` showed `define kpi margin_rate = margin / revenue`, which replaces the built-in KPI
    /// of that name (`note: margin_rate now replaces the built-in KPI`): an example should add a KPI.
    @Test func defineKPIExamplesNameNoBuiltIn() throws {
        let listed = try runECSH(["--demo", "--format", "csv", "-c", "kpis"])
        let builtIn = Set(listed.stdout.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) })
        #expect(builtIn.contains("margin_rate") && builtIn.count >= 30)
        let help = try runECSH(["--demo", "-c", "help define kpi", "-c", "help drop kpi"])
        let names = help.stdout.matches(of: /\n  (?:define|drop) kpi (\w+)/).map { String($0.1) }
        #expect(names.count >= 2, "\(help.stdout)")
        for name in names { #expect(!builtIn.contains(name), "\(name) is a built-in KPI") }
    }

    /// `ltv` was "contribution margin … over their first h months", but it adds month offsets 0..h: the first
    /// order's month and the h after it (13 calendar months at h = 12), which gives another figure than the
    /// first 12 months. Both are computed here in plain SQL; ecsh's is the 0..h one, and its words say so.
    @Test func ltvWordsNameTheMonthsItAdds() throws {
        func ltv(through last: Int) throws -> Double {
            let month = "(cast(substr(ordered_at, 1, 4) AS integer) * 12 + cast(substr(ordered_at, 6, 2) AS integer))"
            return try Self.figure("""
                WITH o AS (SELECT customer_id, \(month) AS m, amount - coalesce(discount, 0) - coalesce(points, 0) - coalesce(cogs, 0)                 - coalesce(shipping, 0) - coalesce(commission, 0) AS cm2 FROM orders WHERE \(Self.counted)),
                f AS (SELECT customer_id, min(m) AS first FROM o GROUP BY customer_id
                      HAVING min(m) <= (SELECT max(\(month)) FROM orders) - 12)
                SELECT (SELECT sum(cm2) FROM o JOIN f USING (customer_id) WHERE o.m - f.first <= \(last)) * 1.0 / (SELECT count(*) FROM f)
                """.replacingOccurrences(of: "\n", with: " "))
        }
        let offsets0to12 = try ltv(through: 12), first12 = try ltv(through: 11)
        #expect(abs(offsets0to12 - first12) >= 1, "the two readings give the same figure here")
        let kpi = try runECSH(["--demo", "--format", "csv", "-c", "kpi ltv"])
        let value = try #require(kpi.stdout.split(separator: "\n").last.flatMap { Double($0) })
        #expect(abs(value - offsets0to12) < 0.01, "kpi ltv \(value), offsets 0..12 \(offsets0to12), first 12 months \(first12)")
        let explained = try runECSH(["--demo", "-c", "explain ltv"]).stdout
        #expect(!explained.contains("first h months"), "\(explained)")
        #expect(explained.contains("from their first order's month through h months after it"), "\(explained)")
        let lesson = try runECSH(["-c", "tutorial 8"]).stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(!lesson.contains("in the 12 months from their first order") && lesson.contains("(month offsets 0..12;"), "\(lesson)")
    }
}
