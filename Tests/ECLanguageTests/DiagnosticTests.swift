import Testing
import ECStore
import ECTestSupport
@testable import ECLanguage

@Suite struct DiagnosticTests {
    @Test func renderedFormatIsExact() {
        let source = Source(name: "analysis.ecsh", text: "tables\nkpis\nkpi aovv by month\n")
        let diagnostic = Diagnostic("unknown KPI 'aovv'", at: span(3, 5, 3, 9), help: "did you mean 'aov'?")
        #expect(DiagnosticRenderer().render(diagnostic, in: source) == """
            error: unknown KPI 'aovv'; did you mean 'aov'?
             --> analysis.ecsh:3:5
              |
            3 | kpi aovv by month
              |     ^^^^

            """)
    }

    @Test func gutterWidensWithLineNumberAndNoteIsShown() {
        let text = String(repeating: "\n", count: 11) + "head orders x"
        let diagnostic = Diagnostic("expected a number", at: span(12, 13, 12, 14), note: "for example: head orders 5")
        #expect(DiagnosticRenderer().render(diagnostic, in: Source(name: "s", text: text)) == """
            error: expected a number
              --> s:12:13
               |
            12 | head orders x
               |             ^
               = help: for example: head orders 5

            """)
    }

    @Test func caretsCountDisplayWidthOfWideCharacters() {
        // 顧客 takes 4 terminal columns; the 2-character name 地域 gets 4 carets after them.
        let source = Source(name: "t", text: "kpi 顧客 by 地域")
        let diagnostic = Diagnostic("unknown column '地域'", at: span(1, 11, 1, 13))
        let lines = DiagnosticRenderer().render(diagnostic, in: source).split(separator: "\n", omittingEmptySubsequences: false)
        // "kpi " (4) + 顧客 (4) + " by " (4) = 12 columns before the name, after the "  | " gutter.
        #expect(lines[4] == "  | " + String(repeating: " ", count: 12) + "^^^^")
    }

    @Test func emptyRangeAtEndGetsOneCaret() {
        let diagnostic = Diagnostic("expected a dataset", at: SourceRange(at: loc(1, 9)))
        let out = DiagnosticRenderer().render(diagnostic, in: Source(name: "t", text: "describe"))
        #expect(out.hasSuffix("1 | describe\n  |         ^\n"))
    }

    @Test func colourWrapsPartsInANSI() {
        let out = DiagnosticRenderer(color: true).render(Diagnostic("x", at: span(1, 1, 1, 2)), in: Source(name: "t", text: "y"))
        #expect(out.hasPrefix("\u{1B}[1;31merror\u{1B}[0m"))
        #expect(out.contains("\u{1B}[1;31m^\u{1B}[0m"))
    }

    @Test(arguments: [
        ("aovv", ["gmv", "aov", "orders"], "aov"),
        ("AOVV", ["gmv", "aov"], "aov"),
        ("reveneu", ["revenue", "margin"], "revenue"),   // a swap of two neighbours is one edit
        ("cohrot", ["cohort", "kpi"], "cohort"),
        ("xyz", ["gmv", "aov"], nil),
        ("kp", ["kpi", "kpis"], "kpi"),
        ("ltv", ["ltv"], nil),                          // the word itself is not a suggestion
        ("zzzzzzzz", ["retention_rate"], nil),
    ] as [(String, [String], String?)])
    func didYouMeanSuggestsCloseWords(word: String, candidates: [String], expected: String?) {
        #expect(didYouMean(word, among: candidates) == expected)
    }

    @Test func editDistanceMatchesHandWorkedValues() {
        // kitten → sitting: k→s, e→i, +g = 3. ca → ac: one transposition. abc → "" = 3.
        #expect(editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(editDistance(Array("ca"), Array("ac")) == 1)
        #expect(editDistance(Array("abc"), []) == 3)
        // The swap rule needs the row two back: "abcd" → "badc" is two swaps; OSA never edits a swapped pair again.
        #expect(editDistance(Array("abcd"), Array("badc")) == 2)
        #expect(editDistance(Array("ca"), Array("abc")) == 3)
    }

    /// The three-row distance against the whole table (Wagner-Fischer with the OSA swap rule,
    /// written out in full here) on 3,000 seeded random pairs over a small alphabet, where swaps are common.
    @Test func editDistanceMatchesTheFullTable() {
        func table(_ a: [Character], _ b: [Character]) -> Int {
            var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { d[i][0] = i }
            for j in 0...b.count { d[0][j] = j }
            for i in stride(from: 1, through: a.count, by: 1) {
                for j in stride(from: 1, through: b.count, by: 1) {
                    d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
                }
            }
            return d[a.count][b.count]
        }
        var random = SplitMix64(seed: 3)
        for _ in 0..<3_000 {
            let a = (0..<Int.random(in: 0...8, using: &random)).map { _ in Character(["a", "b", "c", "é"].randomElement(using: &random) ?? "a") }
            let b = (0..<Int.random(in: 0...8, using: &random)).map { _ in Character(["a", "b", "c", "é"].randomElement(using: &random) ?? "a") }
            #expect(editDistance(a, b) == table(a, b), "\(String(a)) → \(String(b))")
        }
    }

    @Test func displayWidths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("顧客ID") == 6)
        #expect(DisplayWidth.of("ｱ") == 1)   // halfwidth katakana is narrow
        #expect(DisplayWidth.of("한국") == 4)
    }
}

@Suite struct LocatedParseErrorTests {
    @Test(arguments: [
        ("«kpu» gmv", "unknown command 'kpu'; did you mean 'kpi'?"),
        ("kpi gmv «bye» month", "unexpected 'bye'; did you mean 'by'?"),
        ("kpi gmv by month «by» channel", "'by' is given twice"),
        ("load «order» from 'x.csv'", "unknown dataset 'order'; did you mean 'orders'?"),
        ("load orders from «x».csv", "expected a file name in quotes, or stdin, found 'x'"),
        ("load orders from 'x.csv' with sep «$»", "unexpected character '$'"),
        ("drop «segmnt» vip", "expected 'segment' or 'kpi' after 'drop', found 'segmnt'; did you mean 'drop segment'?"),
        ("segment s = revenue > «and»", "expected a value, found 'and'"),
        ("segment s = (a = 1«»", "expected ')' to close '(' at 1:13, found end of statement"),
        ("set format «jsn»", "'format' must be one of table, csv, tsv, json, markdown, line; did you mean 'json'?"),
        ("set maxrows «ten»", "'maxrows' must be a whole number (0 shows every row)"),
        ("timer «maybe»", "expected 'on' or 'off' after 'timer', found 'maybe'"),
        ("kpi f2_rate within 90 «dyas»", "expected a unit (days, weeks, months or years), found 'dyas'; did you mean 'days'?"),
        ("cohort mode «on_after»", "expected a mode (on, on_or_after, cumulative), found 'on_after'; did you mean 'on_or_after'?"),
        ("sql«»", "expected SQL after 'sql'"),
        ("«42» tables", "expected a command, found 42"),
        ("target aov «is» 5", "expected a comparison (>=, <=, >, <, =) after the KPI, found 'is'"),
        ("head orders «five»", "expected a number of rows, found 'five'"),
        ("segment s = x not «=» 1", "expected 'in', 'between' or 'like' after 'not', found '='"),
        ("nps compare by «»", "expected a time grain, response column or customer attribute after 'by', found end of statement"),
        ("nps compare by channel «fro» vip", "unexpected 'fro'; did you mean 'for'?"),
        ("nps compare a«»", "expected ',' between the two segments (nps compare A, B), found end of statement"),
    ])
    func errorPointsAtMarkedRange(input: String, headline: String) {
        let (text, range) = marked(input)
        let error = parseError(text)
        #expect(error?.headline == headline)
        #expect(error?.range == range)
    }
}

@Suite struct ScriptDiagnosticTests {
    @Test func scriptErrorRendersWithFileLineAndCaret() {
        let source = Source(name: "analysis.ecsh", text: "tables\n# a comment\nkpi gmv bye month\n")
        do {
            _ = try Parser.parse(source)
            Issue.record("the script should fail")
        } catch {
            #expect(DiagnosticRenderer().render(error, in: source) == """
                error: unexpected 'bye'; did you mean 'by'?
                 --> analysis.ecsh:3:9
                  |
                3 | kpi gmv bye month
                  |         ^^^
                  = help: expected one of: within, by, for, where, from, to, chart

                """)
        }
    }

    @Test func statementFromTheMiddleOfAScriptKeepsItsLine() throws {
        // The shell may hand over one statement read at line 37 as its own source.
        let source = Source(name: "s.ecsh", text: "head orders x", firstLine: 37)
        let statement = try #require(StatementSplitter.split(source).first)
        let error = try #require(parseError(statement))
        #expect(error.range == span(37, 13, 37, 14))
        #expect(DiagnosticRenderer().render(error, in: source).contains("37 | head orders x\n   |             ^\n"))
    }

    func parseError(_ statement: StatementText) -> Diagnostic? {
        do { _ = try Parser.parse(statement); return nil } catch { return error }
    }
}

/// `kpi ltv/cac` said "unexpected '/'" with the clause list: a formula is a KPI of one's own (or built in).
@Suite struct KPIFormulaDiagnosticTests {
    func error(_ text: String) throws -> Diagnostic {
        let statement = try #require(StatementSplitter.split(Source(name: "s.ecsh", text: text)).first)
        do { _ = try Parser.parse(statement) } catch { return error }
        Issue.record("\(text) should fail"); return Diagnostic("", at: span(1, 1, 1, 1))
    }

    @Test func aFormulaShowsTheDefineToType() throws {
        let e = try error("kpi gmv / orders by month")
        #expect(e.headline == "kpi takes KPI names, not a formula")
        #expect(e.note == "a formula of KPIs is a KPI of your own: define kpi gmv_per_orders = gmv / orders, then kpi gmv_per_orders")
        #expect(e.range == span(1, 9, 1, 10))
    }

    @Test func ltvOverCACIsBuiltIn() throws {
        #expect(try error("kpi ltv/cac").headline == "kpi takes KPI names, not a formula; did you mean 'ltv_cac'?")
    }

    /// No spaces around the minus: a name written with - for _.
    @Test func aHyphenatedNameIsAskedAbout() throws {
        let e = try error("kpi gmv, Repeat-Rate by month")
        #expect(e.headline == "kpi takes KPI names, not a formula; did you mean 'repeat_rate'?")
        #expect(try error("kpi gmv - revenue").note?.hasPrefix("a formula of KPIs") == true)
    }
}
