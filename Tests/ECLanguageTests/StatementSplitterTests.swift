import Testing
@testable import ECLanguage

@Suite struct StatementSplitterTests {
    func pieces(_ text: String, firstLine: Int = 1) -> [String] {
        StatementSplitter.split(Source(name: "t", text: text, firstLine: firstLine)).map(\.text)
    }

    @Test func newlinesAndSemicolonsSeparate() {
        #expect(pieces("tables\nkpis; segments\n\n# only a comment\nquit") == ["tables", "kpis", "segments", "quit"])
    }

    @Test func quotesAndParenthesesHoldStatementsTogether() {
        #expect(pieces("sql select ';'\nsegment s = x in ('a',\n 'b')") == ["sql select ';'", "segment s = x in ('a',\n 'b')"])
    }

    @Test func trailingBackslashJoinsLinesKeepingColumns() {
        let statements = StatementSplitter.split(Source(name: "t", text: "kpi gmv \\\n  by month"))
        #expect(statements.map(\.text) == ["kpi gmv  \n  by month"])
        // 'by' is at line 2, column 3 in the source, and the lexer agrees.
        let tokens = try? Lexer.tokenize(statements[0].text, start: statements[0].start)
        #expect(tokens?[2].range.start == loc(2, 3))
    }

    @Test func startLocationsHonourFirstLine() {
        let statements = StatementSplitter.split(Source(name: "t", text: "tables\n\n   kpis # c", firstLine: 36))
        #expect(statements.map(\.start) == [loc(36, 1), loc(38, 4)])
        #expect(statements.map(\.text) == ["tables", "kpis"])
    }

    /// A `,` at the end of a line (after blanks and comments too) carries the statement on; `;` still ends it.
    @Test func aTrailingCommaJoinsTheNextLine() {
        #expect(pieces("kpi gmv,\n  aov by month\nkpis") == ["kpi gmv,\n  aov by month", "kpis"])
        #expect(pieces("kpi gmv, # more\n\naov\nkpis") == ["kpi gmv, # more\n\naov", "kpis"])
        #expect(pieces("x ',\ny'\nkpis") == ["x ',\ny'", "kpis"])
        #expect(pieces("kpi gmv,;kpis") == ["kpi gmv,", "kpis"])
        #expect(StatementSplitter.completeness(of: "kpi gmv,  ") == .needsContinuation(.trailingComma))
    }

    /// In SQL statements (`sql …`, bare `select`/`with`/`pragma`/`values`/`explain query plan`), SQLite's
    /// `/* … */`, `[…]` and `` `…` `` enclose text: a `;`, a quote or a line break inside does not end
    /// the statement or open a string. Before, `[x;y]` was cut in two and the `'` of a comment's
    /// "it's" swallowed the next statement. ecsh's own statements are unchanged.
    @Test func sqliteQuotingHoldsSQLStatementsTogether() {
        #expect(pieces("sql select 1 /* ; */ as a\nkpis") == ["sql select 1 /* ; */ as a", "kpis"])
        #expect(pieces("sql select [x;y]; SELECT `p;q`\nkpis") == ["sql select [x;y]", "SELECT `p;q`", "kpis"])
        #expect(pieces("sql select 1 /* it's */ as a\nsql select 5") == ["sql select 1 /* it's */ as a", "sql select 5"])
        #expect(pieces("sql select 1 /* first\n ; still */ as a\nkpis") == ["sql select 1 /* first\n ; still */ as a", "kpis"])
        #expect(pieces("select [a]]; kpis") == ["select [a]]", "kpis"])              // `]` is not doubled in SQLite
        #expect(pieces("select `a``;b`; kpis") == ["select `a``;b`", "kpis"])        // a backtick is
        #expect(pieces("explain query plan select [;]\nexplain [x;y]") == ["explain query plan select [;]", "explain [x", "y]"])
        #expect(pieces("sql\\\n select [;]; kpis") == ["sql \n select [;]", "kpis"])  // a line join between the words
        #expect(pieces("kpi gmv [x;y] /* ; */") == ["kpi gmv [x", "y] /*", "*/"])
        #expect(pieces("with x as (select 1) select * from x /* a */ -- b ;\nkpis") == ["with x as (select 1) select * from x /* a */", "kpis"])
    }

    @Test(arguments: [
        ("kpi gmv", InputCompleteness.complete),
        ("segment s = x in ('a'", .needsContinuation(.unclosedParenthesis)),
        ("sql select 'abc", .needsContinuation(.unclosedString)),
        ("describe \"Created", .needsContinuation(.unclosedQuotedIdentifier)),
        ("kpi gmv \\", .needsContinuation(.trailingBackslash)),
        ("kpi gmv \\\nby month", .complete),
        ("x = 'it''s'", .complete),
        ("# a comment with ( and '", .complete),
        ("sql select ')'", .complete),
        ("tables\n", .complete),
        ("sql select 1 /* open", .needsContinuation(.unclosedComment)),
        ("sql select 1 /*/", .needsContinuation(.unclosedComment)),  // the opening `*` does not close it
        ("sql select 1 /**/", .complete),
        ("select [a", .needsContinuation(.unclosedQuotedIdentifier)),
        ("pragma `a", .needsContinuation(.unclosedQuotedIdentifier)),
        ("kpi [a", .complete),
        ("kpi gmv /* x", .complete),
    ])
    func completeness(input: String, expected: InputCompleteness) {
        #expect(StatementSplitter.completeness(of: input) == expected)
    }
}
