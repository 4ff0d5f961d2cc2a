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

    /// A `/* … */` comment before the statement's first word is skipped, as `--` is, so a bare `select`
    /// after it is SQL: before, `/* weekly */ select 1` was "expected a command, found '/'" and a `;` in
    /// the comment cut it in two. One left open is the statement, an error at its `/*`.
    @Test func aBlockCommentBeforeTheFirstWordIsSkipped() throws {
        #expect(pieces("/* weekly */ select 1 as a\n/* a;\n b */ select [x;y]\n/**/kpis") == ["select 1 as a", "select [x;y]", "kpis"])
        let statements = StatementSplitter.split(Source(name: "t", text: "/* c */  select 1"))
        #expect(statements.map(\.start) == [loc(1, 10)])
        let open = StatementSplitter.split(Source(name: "t", text: "tables\n  /* open\nselect 1"))
        #expect(open.map(\.text) == ["tables", "/* open\nselect 1"])
        #expect(throws: Diagnostic.self) { try Parser.parse(open[1]) }
        do { _ = try Parser.parse(open[1]) } catch {
            #expect(error.message == "unterminated comment" && error.range.start == loc(2, 3))
        }
    }

    /// A `\` that joins the text's last line to a line that is not there: the statement carries where it
    /// stands and the parser refuses it there (before, the `\` was dropped and the statement ran).
    @Test func aLineJoinAtTheEndOfTheTextIsAnError() throws {
        let cut = StatementSplitter.split(Source(name: "t", text: "kpis\nkpi gmv \\\n"))
        #expect(cut.map(\.unfinishedJoin) == [nil, loc(2, 9)])
        do { _ = try Parser.parse(cut[1]); Issue.record("parsed") } catch {
            #expect(error.message == "the text ends after a `\\`, which joins this line to a next line that is not there")
            #expect(error.range.start == loc(2, 9))
        }
        #expect(StatementSplitter.split(Source(name: "t", text: "kpi gmv \\\nby month")).map(\.unfinishedJoin) == [nil])
    }

    /// An empty or blank line after a `\` is the joined line, so it ends the statement (as in bash), and what
    /// follows is a statement of its own; the `\` then joins to a line, so it is no error.
    @Test func aBlankLineAfterALineJoinEndsTheStatement() {
        let pieces = StatementSplitter.split(Source(name: "t", text: "kpi gmv \\\n\nby month\nkpi aov \\\n \t\n"))
        #expect(pieces.map(\.text) == ["kpi gmv", "by month", "kpi aov"])
        #expect(pieces.map(\.start) == [loc(1, 1), loc(3, 1), loc(4, 1)])
        #expect(pieces.map(\.unfinishedJoin) == [nil, nil, nil])
        #expect(StatementSplitter.completeness(of: "kpi gmv \\\n\n") == .complete)
        #expect(StatementSplitter.completeness(of: "kpi gmv \\\n") == .needsContinuation(.trailingBackslash))
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
        ("/* open", .needsContinuation(.unclosedComment)),
        ("/* c */ select [a", .needsContinuation(.unclosedQuotedIdentifier)),
    ])
    func completeness(input: String, expected: InputCompleteness) {
        #expect(StatementSplitter.completeness(of: input) == expected)
    }
}
