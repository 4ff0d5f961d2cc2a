import Testing
import ECStore
import ECTestSupport

@Suite struct NumberedPlaceholdersTests {
    @Test(arguments: [
        ("SELECT ? + ?", "SELECT $1 + $2", 2),
        ("a = '?' AND b = ?", "a = '?' AND b = $1", 1),
        ("a = 'it''s ?' OR b = ?", "a = 'it''s ?' OR b = $1", 1),
        ("\"col?\" = ?", "\"col?\" = $1", 1),
        ("x = E'\\'?' AND y = ?", "x = E'\\'?' AND y = $1", 1),
        ("-- why?\nSELECT ?", "-- why?\nSELECT $1", 1),
        ("/* a /* nested? */ ? */ SELECT ?", "/* a /* nested? */ ? */ SELECT $1", 1),
        ("SELECT $$it's ?$$, $q$?$q$, ?", "SELECT $$it's ?$$, $q$?$q$, $1", 1),
        ("SELECT '顧客?', ?", "SELECT '顧客?', $1", 1),
        ("SELECT 'unterminated ?", "SELECT 'unterminated ?", 0),
    ])
    func rewrites(_ input: String, _ expected: String, _ count: Int) {
        let r = NumberedPlaceholders.rewrite(input)
        #expect(r.sql == expected)
        #expect(r.count == count)
    }

    /// The same fragment, run on PostgreSQL, binds each value to the placeholder SQLite would.
    @Test func aFragmentRunsOnTheServer() throws {
        let pg = try PostgresConnection(try PostgresServer.freshDatabase("placeholders"), interruptFlag: InterruptFlag())
        let f = SQLFragment("SELECT ?::int + 1 AS a, '?' AS q, ?::text AS b, \"?x\" FROM (SELECT 7 AS \"?x\") t", [.integer(41), .text("b?")])
        #expect(try pg.query(f).rows == [[.integer(42), .text("?"), .text("b?"), .integer(7)]])
        #expect(throws: PostgresError.self) { try pg.query(SQLFragment("SELECT ?", [])) }
    }
}
