import Testing
import Foundation
@testable import ECStore
import ECTestSupport

/// `with quote`, `with escape`, `with comment`: the user overrides what the sniffer detects (issue 12).
/// Every expected value is read off the fixture by hand.
@Suite struct DialectOptionTests {
    func load(_ text: String, _ options: [(String, Value)] = []) throws -> (LoadFixture, LoadSummary) {
        let f = try LoadFixture()
        let s = try f.load(.table("t"), try f.file("t.csv", text), options)
        return (f, s)
    }

    /// Tab-separated with single quotes: detected, the quotes go; `quote none` keeps them as text.
    @Test func quoteNoneKeepsQuotes() throws {
        let text = "id\tname\tcity\n1\t'Ann'\t'Kyoto'\n2\t'Bob'\t'Osaka'\n"
        let (f, _) = try load(text)
        #expect(try f.rows("SELECT name, city FROM t ORDER BY id") == [["Ann", "Kyoto"], ["Bob", "Osaka"]])
        let (g, s) = try load(text, [("quote", "none")])
        #expect(try g.rows("SELECT name, city FROM t ORDER BY id") == [["'Ann'", "'Kyoto'"], ["'Bob'", "'Osaka'"]])
        #expect(s.notes.contains { $0.contains("quote none") }, "\(s.notes)")
    }

    /// A quote character the sniffer does not try (`|` around values, `;` between): set, it is read as a quote.
    @Test func quoteSetToAnotherCharacter() throws {
        let (f, _) = try load("id;name\n1;|a;b|\n2;|c|\n", [("quote", "|")])
        #expect(try f.rows("SELECT id, name FROM t ORDER BY id") == [[1, "a;b"], [2, "c"]])
    }

    /// `"x\\"`: doubled-quote reading (detected, the usual first) keeps both backslashes;
    /// `escape '\'` makes `\\` one backslash.
    @Test func escapeOverride() throws {
        let text = "id,v\n1,\"x\\\\\"\n2,\"y\"\n"
        let (f, _) = try load(text)
        #expect(try f.rows("SELECT v FROM t ORDER BY id") == [["x\\\\"], ["y"]])
        let (g, _) = try load(text, [("escape", "\\")])
        #expect(try g.rows("SELECT v FROM t ORDER BY id") == [["x\\"], ["y"]])
    }

    /// `comment '#'` where the sniffer sees no comment line: the rest of a line after `#` goes.
    @Test func commentSet() throws {
        let (f, _) = try load("id,tag\n1,red#note\n2,blue\n")
        #expect(try f.rows("SELECT tag FROM t ORDER BY id") == [["red#note"], ["blue"]])
        let (g, _) = try load("id,tag\n1,red#note\n2,blue\n", [("comment", "#")])
        #expect(try g.rows("SELECT tag FROM t ORDER BY id") == [["red"], ["blue"]])
    }

    /// `comment none` where the sniffer finds one (line 2 has 3 fields unless it is a comment):
    /// the line is a row again, so with `on_error skip` it is the one reject and rows 1 and 2 load.
    @Test func commentNone() throws {
        let text = "id,tag\n# a, b, c\n1,x\n2,y\n"
        let (f, _) = try load(text)
        #expect(try f.rows("SELECT id, tag FROM t ORDER BY id") == [[1, "x"], [2, "y"]])
        #expect(try f.db.tableExists("ecsh_rejects") == false || f.db.scalar("SELECT count(*) FROM ecsh_rejects") == 0)
        let (g, s) = try load(text, [("comment", "none"), ("on_error", "skip")])
        #expect(s.rows == 2 && s.skipped == 1)
        #expect(try g.rows("SELECT line, raw FROM ecsh_rejects") == [[2, "# a, b, c"]])
    }

    /// Settings that cannot work are errors that say why. (A quote `,` with the delimiter left to
    /// detection just rules `,` out as the delimiter.)
    @Test func badSettings() throws {
        #expect(throws: StoreError.self) { _ = try LoadOptions(pairs: [("quote", "ab")]) }
        let f = try LoadFixture()
        let path = try f.file("t.csv", "a,b\n1,2\n")
        do {
            try f.load(.table("t"), path, [("delimiter", ","), ("quote", ",")])
            Issue.record("expected an error")
        } catch let e as StoreError {
            #expect(e.message.contains("delimiter and quote are both ','"), "\(e)")
        }
    }
}
