import ECStore
import Testing
import ECTestSupport
@testable import ECLanguage

/// The stated limits (docs/language.md, "Limits") and the crashes and hangs of issue 13:
/// each input gives a statement that works or a clean error at a computed position.
@Suite struct LimitsTests {
    /// Every name is column `t.x`, so compiled SQL can be prepared and run on a real table.
    let compiler = PredicateCompiler(resolver: ClosureNameResolver { _ throws(Diagnostic) in .column(SQLFragment("\"t\".\"x\"")) })

    /// Rows x = 0…9 in a real SQLite table.
    func table() throws -> Database {
        let db = try Database()
        try db.execute("CREATE TABLE t (x INTEGER)")
        for x in 0..<10 { try db.execute("INSERT INTO t VALUES (?)", [.integer(Int64(x))]) }
        return db
    }

    func selected(_ expr: String, in db: Database) throws -> [Int64] {
        let sql = try compiler.compile(try Parser.parseExpression(expr))
        return try db.query("SELECT x FROM t WHERE " + sql.sql + " ORDER BY x", sql.bindings).rows.compactMap { $0[0].intValue }
    }

    /// Issue 13: 10,000 `orders >= 2 and` terms crashed (SIGSEGV). The statement is 160,000
    /// characters, so it is refused at character 100,001 — line 1, column 100,001.
    @Test func tenThousandTermSegmentIsRefusedAtTheLengthLimit() {
        let chain = Array(repeating: "orders >= 2", count: 10_000).joined(separator: " and ")
        let error = parseError("segment c = " + chain)
        #expect(error?.message == "statement too long (more than 100000 characters)")
        #expect(error?.range.start == loc(1, LanguageLimits.statementLength + 1))
    }

    /// 5,000 short terms (the term limit) parse, compile and run; SQLite's parser stack
    /// overflowed at about 100. The result is checked against the predicate evaluated in Swift.
    @Test func fiveThousandTermChainsRunInSQLite() throws {
        let db = try table()
        let and = Array(repeating: "x >= 2", count: LanguageLimits.terms / 2).joined(separator: " and ")
        #expect(try selected(and, in: db) == [2, 3, 4, 5, 6, 7, 8, 9])
        // or over x = k for k in 0..<2500 mod 10 picks the odd x: 1, 3, 5, 7, 9
        let or = (0..<(LanguageLimits.terms / 2)).map { "x = \(($0 % 5) * 2 + 1)" }.joined(separator: " or ")
        #expect(try selected(or, in: db) == [1, 3, 5, 7, 9])
        // 100 and 1,000 terms: the sizes the issue reported as "parser stack overflow"
        for n in [100, 1_000] {
            let mixed = (0..<n).map { $0 % 2 == 0 ? "x < 8" : "not x = 3" }.joined(separator: " and ")
            #expect(try selected(mixed, in: db) == [0, 1, 2, 4, 5, 6, 7])
        }
    }

    /// One term over the limit is an error at that term: term k starts at column 1 + (k-1)·len("x and ").
    @Test func oneTermTooManyIsLocated() {
        let text = Array(repeating: "x", count: LanguageLimits.terms + 1).joined(separator: " and ")
        do {
            _ = try Parser.parseExpression(text)
            Issue.record("parsed")
        } catch {
            #expect(error.message == "too many terms in one statement (more than 5000)")
            #expect(error.range.start == loc(1, 1 + LanguageLimits.terms * 6))
        }
    }

    /// Balanced and/or trees print back to the text they came from and parse to the same tree.
    @Test func balancedChainsRoundTrip() throws {
        for n in [2, 3, 4, 5, 17, 1000] {
            let text = (0..<n).map { "x = \($0)" }.joined(separator: " or ") + " and y"
            let expr = try Parser.parseExpression(text)
            // the same tree: ranges differ with the text, so compare the printed form and the SQL
            let again = try Parser.parseExpression(expr.description)
            #expect(again.description == expr.description)
            #expect(try compiler.compile(again) == (try compiler.compile(expr)))
            #expect(expr.shape.terms == 2 * n + 1)
        }
        // a and (b and c) means the same as a and b and c, and is the same tree
        let grouped = try Parser.parseExpression("a and (b and c)"), flat = try Parser.parseExpression("a and b and c")
        #expect(grouped.description == "a and b and c")
        #expect(try compiler.compile(grouped) == (try compiler.compile(flat)))
        // up to three operands the tree leans left, as before balancing: ((a and b) and c)
        #expect(try Parser.parseExpression("a and b and c").description == "a and b and c")
        let sql = try compiler.compile(try Parser.parseExpression("a and b and c"))
        #expect(sql.sql == #"(("t"."x" AND "t"."x") AND "t"."x")"#)
    }

    /// A balanced chain of n terms is about log2(n) deep: 5,000 terms → 14 levels (2^13 < 5,000 ≤ 2^14), plus the leaves.
    @Test func balancedChainHeightIsLogarithmic() throws {
        let expr = try Parser.parseExpression(Array(repeating: "x", count: 5_000).joined(separator: " or "))
        #expect(expr.shape.height == 14)
        #expect(expr.shape.terms == 5_000)
    }

    /// `not` nested beyond SQLite's parser stack is a located error before SQLite sees it;
    /// 20 levels run (an even number of nots is the identity: x > 4 gives 5…9).
    @Test func deepNotIsACleanErrorNotAParserStackOverflow() throws {
        let db = try table()
        #expect(try selected(String(repeating: "not ", count: 20) + "x > 4", in: db) == [5, 6, 7, 8, 9])
        let deep = String(repeating: "not ", count: 60) + "x > 4"
        do {
            _ = try compiler.compile(try Parser.parseExpression(deep))
            Issue.record("compiled")
        } catch {
            #expect(error.message.hasPrefix("expression nested too deeply to run"))
            // the innermost `not` that passes the limit: 24 levels of SQL parentheses are allowed, the
            // comparison uses one, so the 24th `not` from the inside (column 1 + 4·(60-24)) is the first too many
            #expect(error.range.start == loc(1, 1 + 4 * (60 - LanguageLimits.sqlNesting)))
        }
    }

    /// A segment defined at the nesting limit can be used on its own (it is one ( … ) group and
    /// is not wrapped again); combining it with anything more is a located error.
    @Test func aSegmentAtTheLimitCanBeUsed() throws {
        let db = try table()
        // 23 nots around a comparison: 24 levels of SQL parentheses, the limit
        let deepest = String(repeating: "not ", count: LanguageLimits.sqlNesting - 1) + "x > 4"
        let segment = try compiler.compile(try Parser.parseExpression(deepest))
        let user = PredicateCompiler(resolver: ClosureNameResolver { id throws(Diagnostic) in
            id.folded == "s" ? .segment(segment) : .column(SQLFragment("\"t\".\"x\""))
        })
        let sql = try user.compile(try Parser.parseExpression("s"))
        #expect(sql == segment)
        // an odd number of nots negates: not (x > 4) selects 0…4
        #expect(try db.query("SELECT x FROM t WHERE " + sql.sql + " ORDER BY x", sql.bindings).rows.map { $0[0] } == [0, 1, 2, 3, 4])
        #expect(throws: Diagnostic.self) { _ = try user.compile(try Parser.parseExpression("s and x < 3")) }
    }

    /// The shape of a segment's SQL, measured by hand: parentheses inside quoted names do not count.
    @Test func sqlShapeOfCompiledSegments() {
        let one = SQLShape(#"(("c"."a(b" >= ?) AND (NOT ("c"."x)" < ?)))"#)
        #expect(one.nesting == 3 && one.isOneGroup)
        #expect(one.depthBound == 2 * 3 + 0 + 1)
        let two = SQLShape(#"("c"."a" >= ?) AND ("c"."b" + ? - ? < ?)"#)
        #expect(two.nesting == 1 && !two.isOneGroup)
        #expect(two.depthBound == 2 * 1 + 2 + 1)  // the chain's " + " and " - "
        #expect(!SQLShape(#""c"."revenue" >= ?"#).isOneGroup)
    }

    /// A chain of + is one SQL parenthesis level: 400 terms run (x + … + x = 400·x), 600 are a located error.
    @Test func longArithmeticChainsRunOrFailCleanly() throws {
        let db = try table()
        let sum = Array(repeating: "x", count: 400).joined(separator: " + ")
        let sql = try compiler.compile(try Parser.parseExpression(sum + " = 1200"))
        let rows = try db.query("SELECT x FROM t WHERE " + sql.sql, sql.bindings).rows
        #expect(rows.map { $0[0] } == [.integer(3)])  // 400·3 = 1200
        let tooLong = Array(repeating: "x", count: 600).joined(separator: " + ")
        #expect(throws: Diagnostic.self) { _ = try compiler.compile(try Parser.parseExpression(tooLong)) }
        do { _ = try compiler.compile(try Parser.parseExpression(tooLong)) } catch {
            #expect(error.message == "expression too deep to run (more than 500 levels of operators)")
            #expect(error.range == span(1, 1, 1, 1 + 600 + 599 * 3))  // 600 x's and 599 " + "
        }
    }

    /// Issue 13: a 1 MB statement split in well under a second (the splitter was quadratic: 40k
    /// characters took 4.5 s); it is cut in one piece and refused at the length limit.
    @Test func oneMegabyteStatementIsSplitAndRefused() {
        let text = "kpi " + String(repeating: "g", count: 1_000_000) + "\nkpi gmv"
        let statements = StatementSplitter.split(Source(name: "big", text: text))
        #expect(statements.count == 2)
        #expect(statements.first?.text.count == 1_000_004)
        #expect(statements.last?.start == loc(2, 1))
        #expect(statements.first.flatMap { try? Parser.parse($0) } == nil)
        if let first = statements.first {
            #expect(throws: Diagnostic("statement too long (more than 100000 characters)", at: SourceRange(at: loc(1, 100_001)),
                                       note: "load long lists from a file; split long scripts into statements")) {
                _ = try Parser.parse(first)
            }
        }
    }

    /// Durations too big for an integer print and bind as reals instead of trapping.
    @Test func hugeDurationsDoNotTrap() throws {
        let expr = try Parser.parseExpression("x > 99999999999999999999 days")
        #expect(expr.description == "x > 100000000000000000000 days")
        let again = try Parser.parseExpression(expr.description)
        #expect(again.description == expr.description)
        #expect(try compiler.compile(again) == (try compiler.compile(expr)))
        let sql = try compiler.compile(expr)
        #expect(sql.bindings == [.real(1e20)])
    }

    @Test func cohortPeriodsAreCapped() {
        #expect(parseError("cohort retention periods 1000") == nil)
        let error = parseError("cohort retention periods 1001")
        #expect(error?.message == "at most 1000 periods")
        #expect(error?.range == span(1, 26, 1, 30))
        #expect(parseError("cohort retention periods 99999999999999999999999")?.range.start == loc(1, 26))
    }
}
