import ECStore
import Testing
@testable import ECLanguage

@Suite struct PredicateCompilerTests {
    /// Columns resolve to "c"."name"; `vip` is a segment compiled earlier; anything else is unknown.
    let compiler = PredicateCompiler(resolver: ClosureNameResolver { (name: Identifier) throws(Diagnostic) -> ResolvedName in
        let columns = ["customer_id", "revenue", "orders", "region", "recency", "cohort", "first_order", "email", "注文日時", "Created at", "a\"b"]
        if name.folded == "vip" { return .segment(SQLFragment("\"c\".\"revenue\" >= ?", [.integer(50000)])) }
        guard let column = columns.first(where: { $0.lowercased() == name.folded }) else {
            throw Diagnostic.unknownName("customer attribute", name.name, at: name.range, among: columns)
        }
        return .column(SQLFragment("\"c\"." + SQLDialect.sqlite.quoteIdentifier(column)))
    })

    func assertSQL(_ predicate: String, _ sql: String, _ bindings: [Value], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let fragment = try compiler.compile(try Parser.parseExpression(predicate))
        #expect(fragment.sql == sql, sourceLocation: sourceLocation)
        #expect(fragment.bindings == bindings, sourceLocation: sourceLocation)
    }

    @Test func comparisonsBindValues() throws {
        try assertSQL("orders >= 2", #"("c"."orders" >= ?)"#, [2])
        try assertSQL("region != 'Tokyo'", #"("c"."region" <> ?)"#, ["Tokyo"])
        try assertSQL("revenue >= 50000 and region in ('Tokyo', 'Osaka')",
                      #"(("c"."revenue" >= ?) AND ("c"."region" IN (?, ?)))"#, [50000, "Tokyo", "Osaka"])
    }

    @Test func literalsBindInStoredForms() throws {
        // 6 months = 180 days (30 per month); 2 weeks = 14; 1 year = 365.
        try assertSQL("recency > 6 months", #"("c"."recency" > ?)"#, [180])
        try assertSQL("recency > 2 weeks or recency < 1 year", #"(("c"."recency" > ?) OR ("c"."recency" < ?))"#, [14, 365])
        try assertSQL("recency > 1.5 days", #"("c"."recency" > ?)"#, [.real(1.5)])
        try assertSQL("cohort between 2024-03 and 2024-05",
                      #"(substr(CAST("c"."cohort" AS TEXT), 1, 7) >= ? AND substr(CAST("c"."cohort" AS TEXT), 1, 7) <= ?)"#, ["2024-03", "2024-05"])
        try assertSQL("first_order >= 2024-03-05", #"(substr(CAST("c"."first_order" AS TEXT), 1, 10) >= ?)"#, ["2024-03-05"])
        try assertSQL("revenue > 15%", #"("c"."revenue" > ?)"#, [.real(0.15)])
    }

    /// E-mail ids are stored lower-cased (a load rule): a literal compared with customer_id is lowered to match, in
    /// `=`, `!=` and `in`, either side; other columns, other operators and ids without an `@` keep the literal.
    @Test func emailLiteralsComparedWithCustomerIdAreLowerCased() throws {
        try assertSQL("customer_id = 'BOB@x.com'", #"("c"."customer_id" = ?)"#, ["bob@x.com"])
        try assertSQL("'Ann@Y.JP' != customer_id", #"(? <> "c"."customer_id")"#, ["ann@y.jp"])
        try assertSQL("customer_id in ('BOB@X.COM', 'C1', 'Ann@Y.jp')", #"("c"."customer_id" IN (?, ?, ?))"#, ["bob@x.com", "C1", "ann@y.jp"])
        try assertSQL("customer_id = 'C1'", #"("c"."customer_id" = ?)"#, ["C1"])
        try assertSQL("email = 'BOB@x.com'", #"("c"."email" = ?)"#, ["BOB@x.com"])
        try assertSQL("customer_id like 'BOB@%'", #"("c"."customer_id" LIKE ?)"#, ["BOB@%"])
        let changes = EmailKeyLiterals.changes(in: try Parser.parseExpression("customer_id = 'BOB@x.com' or customer_id in ('C1', 'Ann@Y.jp')"))
        #expect(changes.map(\.written) == ["BOB@x.com", "Ann@Y.jp"] && changes.map(\.compared) == ["bob@x.com", "ann@y.jp"])
        #expect(EmailKeyLiterals.note(changes) == "compared 'BOB@x.com' as 'bob@x.com', 'Ann@Y.jp' as 'ann@y.jp': customer ids that are e-mail addresses are stored in lower case")
        #expect(EmailKeyLiterals.note(EmailKeyLiterals.changes(in: try Parser.parseExpression("customer_id = 'bob@x.com'"))) == nil)
    }

    /// A date or month (written bare or quoted) compared with a column compares the column's day (10 characters) or
    /// month (7), so a timestamp at 23:59 on the last day is inside `<= 2024-01-31`; other text, numbers and
    /// segments are compared as they are.
    @Test func datesCompareWithTheColumnsDayOrMonth() throws {
        try assertSQL("'2024-01-31' >= first_order", #"(? >= substr(CAST("c"."first_order" AS TEXT), 1, 10))"#, ["2024-01-31"])
        try assertSQL("first_order = '2024-01'", #"(substr(CAST("c"."first_order" AS TEXT), 1, 7) = ?)"#, ["2024-01"])
        try assertSQL("first_order not between 2024-01-15 and '2024-02'",
                      #"(NOT (substr(CAST("c"."first_order" AS TEXT), 1, 10) >= ? AND substr(CAST("c"."first_order" AS TEXT), 1, 7) <= ?))"#,
                      ["2024-01-15", "2024-02"])
        try assertSQL("first_order <= '2024-01-31 12:00'", #"("c"."first_order" <= ?)"#, ["2024-01-31 12:00"])
        try assertSQL("region = '2024-1'", #"("c"."region" = ?)"#, ["2024-1"])
        try assertSQL("orders between 1 and 2024", #"("c"."orders" BETWEEN ? AND ?)"#, [1, 2024])
        try assertSQL("vip = 2024-01", #"(("c"."revenue" >= ?) = ?)"#, [50000, "2024-01"])
        #expect(throws: Diagnostic.self) { try compiler.compile(try Parser.parseExpression("first_order between 2024-02 and 2024-01-31")) }
        try assertSQL("first_order between 2024-01-31 and 2024-01", #"(substr(CAST("c"."first_order" AS TEXT), 1, 10) >= ? AND substr(CAST("c"."first_order" AS TEXT), 1, 7) <= ?)"#,
                      ["2024-01-31", "2024-01"])
    }

    @Test func otherForms() throws {
        try assertSQL("not email like '%@example.com'", #"(NOT ("c"."email" LIKE ?))"#, ["%@example.com"])
        try assertSQL("email is not null", #"("c"."email" IS NOT NULL)"#, [])
        try assertSQL("-revenue * 2 + 1 < 0", #"((((-"c"."revenue") * ?) + ?) < ?)"#, [2, 1, 0])
        try assertSQL("region not in ('x')", #"("c"."region" NOT IN (?))"#, ["x"])
    }

    @Test func identifiersAreQuotedAndSegmentsInlined() throws {
        try assertSQL("\"注文日時\" >= 2024-01-01", #"(substr(CAST("c"."注文日時" AS TEXT), 1, 10) >= ?)"#, ["2024-01-01"])
        try assertSQL("\"a\"\"b\" = 1", #"("c"."a""b" = ?)"#, [1])
        try assertSQL("vip and orders >= 2", #"(("c"."revenue" >= ?) AND ("c"."orders" >= ?))"#, [50000, 2])
    }

    @Test func hostileTextStaysABoundValue() throws {
        try assertSQL("region = 'x''); drop table c; --'", #"("c"."region" = ?)"#, ["x'); drop table c; --"])
    }

    @Test func unknownNameIsLocatedWithSuggestion() throws {
        let (text, range) = marked("orders >= 2 and «revenu» > 1")
        #expect(throws: Diagnostic("unknown customer attribute 'revenu'", at: range, help: "did you mean 'revenue'?")) {
            _ = try compiler.compile(try Parser.parseExpression(text))
        }
    }

    /// The compiled SQL selects the same rows as the predicate evaluated in plain Swift.
    @Test func compiledPredicateAgreesWithSwiftOnSQLite() throws {
        let db = try Database()
        try db.execute(#"CREATE TABLE c (id INTEGER, revenue INTEGER, orders INTEGER, region TEXT, recency INTEGER, cohort TEXT)"#)
        let rows: [(Int64, Int64, Int64, String?, Int64, String)] = [
            (1, 60000, 3, "Tokyo", 10, "2024-03"), (2, 10000, 1, "Osaka", 200, "2024-01"),
            (3, 80000, 2, nil, 400, "2024-05"), (4, 50000, 2, "Osaka", 181, "2024-04"), (5, 0, 0, "Nagoya", 30, "2023-12"),
        ]
        for r in rows {
            try db.execute("INSERT INTO c VALUES (?, ?, ?, ?, ?, ?)",
                           [.integer(r.0), .integer(r.1), .integer(r.2), r.3.map { .text($0) } ?? .null, .integer(r.4), .text(r.5)])
        }
        let cases: [(String, ((Int64, Int64, Int64, String?, Int64, String)) -> Bool)] = [
            ("vip and region in ('Tokyo', 'Osaka')", { $0.1 >= 50000 && ($0.3 == "Tokyo" || $0.3 == "Osaka") }),
            ("recency > 6 months and orders >= 2", { $0.4 > 180 && $0.2 >= 2 }),
            ("cohort between 2024-03 and 2024-05", { $0.5 >= "2024-03" && $0.5 <= "2024-05" }),
            ("region is null or not orders > 0", { $0.3 == nil || !($0.2 > 0) }),
        ]
        for (predicate, swiftFilter) in cases {
            let fragment = try compiler.compile(try Parser.parseExpression(predicate))
            let result = try db.query("SELECT id FROM c AS \"c\" WHERE " + fragment.sql + " ORDER BY id", fragment.bindings)
            let expected = rows.filter(swiftFilter).map { Value.integer($0.0) }
            #expect(result.rows.map { $0[0] } == expected, "\(predicate)")
        }
    }
}
