import ECStore
import Testing
@testable import ECLanguage

@Suite struct ParserTests {
    @Test func sessionCommands() throws {
        #expect(try parse("tables") == .tables)
        #expect(try parse("TABLES") == .tables)
        #expect(try parse("segments") == .segments)
        #expect(try parse("kpis") == .kpis)
        #expect(try parse("show settings") == .showSettings)
        #expect(try parse("Show SQL") == .showSQL)
        #expect(try parse("timer on") == .timer(true))
        #expect(try parse("chart off") == .chart(false))
        #expect(try parse("quit") == .quit)
        #expect(try parse("exit") == .quit)
        #expect(try parse("tutorial") == .tutorial(.current))
        #expect(try parse("tutorial next") == .tutorial(.next))
        #expect(try parse("tutorial 3") == .tutorial(.lesson(3)))
    }

    @Test func sqlKeepsRawTextAndRange() throws {
        let statement = try #require(try Parser.parse(StatementText(text: "sql  select 'a' || x % 2\n from t", start: loc(5, 3))))
        guard case .sql(let raw) = statement.kind else { Issue.record("not sql"); return }
        #expect(raw.text == "select 'a' || x % 2\n from t")
        #expect(raw.range == span(5, 8, 6, 8))
    }

    @Test func dataCommands() throws {
        guard case .describe(let name) = try parse("describe \"my table\"") else { Issue.record(); return }
        #expect(name.name == "my table" && name.isQuoted)
        guard case .head(let dataset, let rows) = try parse("head orders 5") else { Issue.record(); return }
        #expect(dataset.name == "orders" && rows?.value == 5)
        guard case .head(_, nil) = try parse("head orders") else { Issue.record(); return }
        guard case .export(let path, nil) = try parse("export to 'out.csv'") else { Issue.record(); return }
        #expect(path.value == "out.csv" && path.range == span(1, 11, 1, 20))
        guard case .export(_, let bom?) = try parse("export to 'out.csv' with BOM") else { Issue.record(); return }
        #expect(bom == span(1, 26, 1, 29))
        guard case .run(let script) = try parse("run 'a.ecsh'") else { Issue.record(); return }
        #expect(script.value == "a.ecsh")
    }

    @Test func loadWithEveryClause() throws {
        guard case .load(let load) = try parse(
            "load orders from 'x.csv' append with encoding 'cp932', header true, skip 2, delimiter tab preset shopify map customer_id = \"Email\", ordered_at = 'Created at'"
        ) else { Issue.record(); return }
        guard case .role(.orders, _) = load.target else { Issue.record(); return }
        #expect(load.path.value == "x.csv")
        #expect(load.append)
        #expect(load.options.map(\.name.name) == ["encoding", "header", "skip", "delimiter"])
        #expect(load.options.map(\.value.value) == [.literal(.string("cp932")), .literal(.boolean(true)), .literal(.integer(2)), .word("tab")])
        #expect(load.preset?.name == "shopify")
        #expect(load.mappings.map(\.field.name) == ["customer_id", "ordered_at"])
        #expect(load.mappings.map(\.header.name) == ["Email", "Created at"])
    }

    @Test func loadTable() throws {
        guard case .load(let load) = try parse("load table returns from 'r.csv'"),
              case .table(let name) = load.target else { Issue.record(); return }
        #expect(name.name == "returns" && load.options.isEmpty && !load.append)
    }

    @Test func setValues() throws {
        func values(_ text: String) throws -> [OptionValue] {
            guard case .set(let s) = try parse(text) else { return [] }
            return s.values.map(\.value)
        }
        #expect(try values("set format csv") == [.word("csv")])
        #expect(try values("set maxrows 50") == [.literal(.integer(50))])
        #expect(try values("set completed 'completed','shipped'") == [.literal(.string("completed")), .literal(.string("shipped"))])
        #expect(try values("set active_window 365 days") == [.literal(.duration(TimeSpan(amount: 365, unit: .day)))])
        #expect(try values("set as_of 2024-12-31") == [.literal(.date(CalendarDate(year: 2024, month: 12, day: 31)))])
        #expect(try values("set week_start monday") == [.word("monday")])
        #expect(try values("set f2_window 90 days") == [.literal(.duration(TimeSpan(amount: 90, unit: .day)))])
    }

    @Test func segments() throws {
        guard case .defineSegment(let name, let predicate) = try parse("segment repeaters = orders >= 2") else { Issue.record(); return }
        #expect(name.name == "repeaters")
        #expect(predicate.range == span(1, 21, 1, 32))
        guard case .binary(.greaterOrEqual, _, _) = predicate.kind else { Issue.record(); return }
        guard case .dropSegment(let dropped) = try parse("drop segment vip") else { Issue.record(); return }
        #expect(dropped.name == "vip")
    }

    @Test func kpiWithEveryClause() throws {
        guard case .kpi(let q) = try parse(
            "kpi f2_rate, aov within 90 days by month, channel for own_first, mall_first where channel = 'own' from 2024-01 to 2024-12-31 chart"
        ) else { Issue.record(); return }
        #expect(names(q.kpis) == ["f2_rate", "aov"])
        #expect(q.within?.value == TimeSpan(amount: 90, unit: .day))
        #expect(names(q.by) == ["month", "channel"])
        #expect(names(q.segments) == ["own_first", "mall_first"])
        #expect(q.filter != nil)
        #expect(q.from?.value == .month(CalendarMonth(year: 2024, month: 1)))
        #expect(q.to?.value == .day(CalendarDate(year: 2024, month: 12, day: 31)))
        #expect(q.chart)
    }

    @Test func kpiClausesInAnyOrder() throws {
        guard case .kpi(let q) = try parse("kpi gmv for vip by quarter") else { Issue.record(); return }
        #expect(names(q.by) == ["quarter"] && names(q.segments) == ["vip"])
    }

    @Test func kpiDefinitionsAndTargets() throws {
        guard case .defineKPI(let name, let formula) = try parse("define kpi margin_rate = margin / revenue") else { Issue.record(); return }
        #expect(name.name == "margin_rate")
        guard case .binary(.divide, _, _) = formula.kind else { Issue.record(); return }
        guard case .dropKPI(let dropped) = try parse("drop kpi margin_rate") else { Issue.record(); return }
        #expect(dropped.name == "margin_rate")
        guard case .target(let t) = try parse("target repeat_rate >= 35%") else { Issue.record(); return }
        #expect(t.kpi.name == "repeat_rate" && t.comparison.value == .greaterOrEqual && t.value.value == .percent(0.35))
        guard case .target(let neg) = try parse("target growth > -5") else { Issue.record(); return }
        #expect(neg.value.value == .integer(-5))
        #expect(try parse("scorecard") == .scorecard(by: nil))
        guard case .scorecard(let grain) = try parse("scorecard by quarter") else { Issue.record(); return }
        #expect(grain?.name == "quarter")
    }

    @Test func cohorts() throws {
        guard case .cohort(let plain) = try parse("cohort") else { Issue.record(); return }
        #expect(plain == CohortQuery())
        guard case .cohort(let q) = try parse("cohort margin cumulative by month mode on_or_after periods 6 for own_first where channel = 'own'")
        else { Issue.record(); return }
        #expect(q.metric?.value == .margin && q.metric?.range == span(1, 8, 1, 14))
        #expect(q.cumulative && names(q.by) == ["month"] && q.mode?.value == .onOrAfter)
        #expect(q.periods?.value == 6 && names(q.segments) == ["own_first"] && q.filter != nil)
    }

    @Test func npsAndUnitEconomics() throws {
        guard case .nps(let n) = try parse("nps by month for vip") else { Issue.record(); return }
        #expect(names(n.by) == ["month"] && names(n.segments) == ["vip"])
        guard case .npsCompare(.segments(let a, let b)) = try parse("nps compare repeaters, one_timers") else { Issue.record(); return }
        #expect(a.name == "repeaters" && b.name == "one_timers")
        guard case .npsCompare(.by(let dimension, let segments)) = try parse("nps compare by first_channel for vip, own_first")
        else { Issue.record(); return }
        #expect(dimension.name == "first_channel" && dimension.range == span(1, 16, 1, 29))
        #expect(names(segments) == ["vip", "own_first"])
        guard case .npsCompare(.by(let grain, [])) = try parse("NPS COMPARE BY Quarter") else { Issue.record(); return }
        #expect(grain.folded == "quarter")
        // A segment called "by" is quoted.
        guard case .npsCompare(.segments(let quoted, _)) = try parse("nps compare \"by\", b") else { Issue.record(); return }
        #expect(quoted.name == "by")
        guard case .unitEconomics(let u) = try parse("unit economics by channel horizon 12 months") else { Issue.record(); return }
        #expect(names(u.by) == ["channel"] && u.horizon?.value == TimeSpan(amount: 12, unit: .month))
    }

    @Test func predictions() throws {
        guard case .predictLTV(let l) = try parse("predict ltv horizon 12 months for vip discount 10% per year as_of 2024-12-31")
        else { Issue.record(); return }
        #expect(l.horizon?.value.days == 360)
        #expect(names(l.segments) == ["vip"] && l.annualDiscountRate?.value == 0.1)
        #expect(l.asOf?.value == CalendarDate(year: 2024, month: 12, day: 31))
        guard case .predictAlive(let a) = try parse("predict alive for at_risk top 20") else { Issue.record(); return }
        #expect(names(a.segments) == ["at_risk"] && a.top?.value == 20)
        guard case .predictValidate(let h, let m) = try parse("predict validate holdout 26 weeks model auto") else { Issue.record(); return }
        #expect(h?.value == TimeSpan(amount: 26, unit: .week) && m?.name == "auto")
        guard case .predictLTV(let g) = try parse("predict ltv by first_channel separate model paretonbd") else { Issue.record(); return }
        #expect(g.by?.name == "first_channel" && g.fitting?.value == .separate && g.model?.name == "paretonbd")
        #expect(throws: Diagnostic.self) { try parse("predict ltv pooled separate") }
    }

    @Test func teaching() throws {
        guard case .explain(let topic) = try parse("explain sales equation") else { Issue.record(); return }
        #expect(names(topic) == ["sales", "equation"])
        guard case .help(let words) = try parse("help unit economics") else { Issue.record(); return }
        #expect(names(words) == ["unit", "economics"])
        #expect(try parse("help") == .help(topic: []))
    }

    @Test func statementRangeCoversCommand() throws {
        let statement = try #require(try Parser.parse(StatementText(text: "kpi gmv by month", start: loc(37, 1))))
        #expect(statement.range == span(37, 1, 37, 17))
    }

    @Test func everyCatalogExampleParses() throws {
        // `report` and `end report` frame other statements and are run before the parser.
        for info in CommandCatalog.all where ![.report, .endReport].contains(info.id) {
            for example in info.examples {
                let statement = try Parser.parse(StatementText(text: example, start: loc(1, 1)))
                #expect(statement != nil, "\(example)")
            }
        }
    }

    @Test func everyLanguageGuideExampleParses() throws {
        let script = """
            load orders from 'samples/shop/orders.csv'
            load orders from 'rakuten.csv' with encoding 'cp932'   # Shift_JIS exports
            load orders from 'export.csv' preset shopify
            load orders from 'x.csv' map customer_id = "Email", ordered_at = "Created at"
            sql select channel, count(*) from orders group by 1
            segment own_first   = first_channel = 'own'
            segment spring      = cohort between 2024-03 and 2024-05
            segment own_repeat  = own_first and repeaters
            kpi revenue, new_customers, repeat_rate by quarter for own_first
            kpi active_members, retention_rate by quarter where channel = 'own'
            cohort retention by first_channel
            set format table; set currency JPY
            """
        #expect(try Parser.parse(Source(name: "guide", text: script)).count == 13)
    }
}

@Suite struct RawSQLLocationTests {
    func raw(_ text: String, at start: ECLanguage.SourceLocation) throws -> RawSQL {
        let statement = try #require(try Parser.parse(StatementText(text: text, start: start)))
        guard case .sql(let raw) = statement.kind else { throw Diagnostic("not sql", at: statement.range) }
        return raw
    }

    @Test func byteOffsetsMapToCharacterColumns() throws {
        // "select '顧客', nope": select(0-5) space(6) '(7) 顧(8-10) 客(11-13) '(14) ,(15) space(16) nope(17-20).
        // 'nope' is the 14th character of the SQL, which starts at column 5: column 18.
        let sql = try raw("sql select '顧客', nope", at: loc(3, 1))
        #expect(sql.location(ofUTF8Offset: 0) == loc(3, 5))
        #expect(sql.location(ofUTF8Offset: 9) == loc(3, 13))   // inside 顧: its own column
        #expect(sql.location(ofUTF8Offset: 17) == loc(3, 18))
        #expect(sql.range(ofUTF8Offset: 17) == span(3, 18, 3, 22))
    }

    @Test func offsetsOnLaterLines() throws {
        let sql = try raw("sql select 1\n  from nowhere", at: loc(10, 1))
        // "select 1" is bytes 0-7, the line break 8, "  from" 9-14, a space 15: 'nowhere' starts at byte 16, column 8.
        #expect(sql.location(ofUTF8Offset: 16) == loc(11, 8))
        #expect(sql.range(ofUTF8Offset: 16) == span(11, 8, 11, 15))
    }

    @Test func sqliteErrorOffsetPointsAtTheBlamedWord() throws {
        let sql = try raw("sql select 1,\n   nope from t", at: loc(4, 1))
        let db = try Database()
        try db.execute("CREATE TABLE t (x)")
        do {
            _ = try db.query(sql.text)
            Issue.record("the query should fail")
        } catch let error as DatabaseError {
            let offset = try #require(error.offset)
            // 'nope' is on the second line at column 4, four letters long.
            #expect(sql.range(ofUTF8Offset: offset) == span(5, 4, 5, 8))
        }
    }

    /// SQLite has no `#` comments: inside a multi-line statement (after a trailing comma, in parentheses)
    /// ecsh blanks them, one space per Character, so the SQL runs and later offsets keep their columns.
    @Test func hashCommentsInsideMultiLineSQLAreBlanked() throws {
        let sql = try raw("sql select 1 as a, # x '\n  '#' as h, -- it's # y\n (3 + # 顧\n 4) as c, nope", at: loc(2, 1))
        #expect(sql.text == "select 1 as a,      \n  '#' as h, -- it's # y\n (3 +    \n 4) as c, nope")
        let db = try Database()
        let table = try db.query("select * from (\(sql.text.replacingOccurrences(of: ", nope", with: "")))")
        #expect(table.rows == [[.integer(1), .text("#"), .integer(7)]])
        do {
            _ = try db.query(sql.text)
            Issue.record("the query should fail")
        } catch let error as DatabaseError {
            // 'nope' is on the fourth line of the SQL: " 4) as c, nope" puts it at column 11.
            #expect(sql.range(ofUTF8Offset: try #require(error.offset)) == span(5, 11, 5, 15))
        }
    }

    /// SQLite's own quoting keeps a `#` as written: inside `[…]`, `` `…` `` and `/* … */` it is
    /// text, not an ecsh comment (the blanking turned `[a#b]` into `[a   ` before).
    @Test func hashInsideSQLiteQuotingIsText() throws {
        let sql = try raw("sql select 1 as [a#b], 2 as `c#d` /* # */ # gone", at: loc(1, 1))
        #expect(sql.text == "select 1 as [a#b], 2 as `c#d` /* # */       ")
        let table = try Database().query(sql.text)
        #expect(table.columns == ["a#b", "c#d"])
    }

    /// A `/*` left open would make SQLite skip the rest, in a script every statement after it:
    /// an error at the `/*` (line 2, column 8), as the sqlite3 shell's "incomplete SQL".
    @Test func anUnterminatedBlockCommentIsAnError() {
        #expect(throws: Diagnostic("unterminated comment", at: span(2, 8, 2, 10),
                                   note: "close it with */; SQLite would skip everything after /*, in a script every line to the end of the file")) {
            _ = try Parser.parse(StatementText(text: "sql select 1,\n  2 as /* b's\nsql select 3", start: loc(1, 1)))
        }
        #expect((try? raw("select 1 /**/ as a /*/ */", at: loc(1, 1)))?.text == "select 1 /**/ as a /*/ */")
    }
}

@Suite struct CommandCatalogTests {
    @Test func everyCommandIdHasOneEntryWithExamplesAndAGroup() {
        for id in CommandID.allCases {
            let entries = CommandCatalog.all.filter { $0.id == id }
            #expect(entries.count == 1, "\(id)")
            #expect(entries.first.map { !$0.examples.isEmpty && !$0.usage.isEmpty && !$0.summary.isEmpty } == true, "\(id)")
        }
    }

    @Test func matchPrefersTheLongestName() {
        #expect(CommandCatalog.match(["nps", "compare"])?.info.id == .npsCompare)
        #expect(CommandCatalog.match(["nps", "by"])?.info.id == .nps)
        #expect(CommandCatalog.match(["Unit", "Economics"])?.wordCount == 2)
        #expect(CommandCatalog.match(["exit"])?.info.id == .quit)
        #expect(CommandCatalog.match(["unit"]) == nil)
    }

    @Test func completions() {
        #expect(CommandCatalog.completions(forLine: "se") == ["segment", "segments", "set"])
        #expect(CommandCatalog.completions(forLine: "predict a") == ["alive"])
        #expect(CommandCatalog.completions(forLine: "kpi gmv w") == ["within", "where", "week"])
        #expect(CommandCatalog.completions(forLine: "describe ", names: ["orders", "returns"]) == ["orders", "customers", "spend", "traffic", "nps", "returns"])
    }

    @Test func formulasAllowOnlyArithmetic() {
        let (text, range) = marked("define kpi x = «margin > 1»")
        #expect(parseError(text)?.range == range)
        #expect(parseError("define kpi x = (margin - cogs) / -revenue * 100") == nil)
    }
}
