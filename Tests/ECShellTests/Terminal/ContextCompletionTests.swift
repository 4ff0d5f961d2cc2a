import ECStore
import ECTestSupport
import Foundation
import Testing
@testable import ECShell

/// Context-aware completion, driven directly on a real workspace (good-orders.csv and one segment),
/// and once through tmux.
@Suite struct ContextCompletionTests {
    static let orders = BuiltBinary.packageRoot.path + "/Tests/ECShellTests/Scripts/good-orders.csv"

    /// A session on a workspace with orders and the segment `repeaters`.
    static func session(_ dir: TemporaryDirectory) throws -> Session {
        let database = try Database(path: dir.path("shop.db"))
        let null = try #require(FileSink.creating(path: "/dev/null"))
        let session = Session(database: database, out: null, err: null)
        #expect(session.run(text: "load orders from '\(orders)'\nsegment repeaters = orders >= 2", sourceName: "<test>"))
        return session
    }

    static func completer(_ dir: TemporaryDirectory) throws -> ContextCompleter {
        ContextCompleter(vocabulary: try session(dir).completionVocabulary())
    }

    @Test func afterForOnlySegments() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        #expect(c.candidates(before: "kpi gmv for ") == ["repeaters"])
        #expect(c.candidates(before: "kpi gmv by month for re") == ["repeaters"])
        #expect(c.candidates(before: "predict ltv for ") == ["repeaters"])
    }

    @Test func afterByGrainsAndDimensions() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        let by = c.candidates(before: "kpi gmv by ")
        for expected in ["day", "week", "month", "quarter", "year", "channel", "first_channel", "cohort"] {
            #expect(by.contains(expected), "\(expected) missing from \(by)")
        }
        #expect(!by.contains("gmv") && !by.contains("repeaters"))
        let first = c.candidates(before: "kpi gmv by first")
        #expect(first.contains("first_channel") && first.contains("first_order") && first.allSatisfy { $0.hasPrefix("first") })
        #expect(c.candidates(before: "kpi gmv by month, chan") == ["channel", "channels"])
    }

    @Test func kpiNamesAndThenClauses() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        #expect(c.candidates(before: "kpi rep").contains("repeat_rate"))
        #expect(c.candidates(before: "kpi gmv, ao").contains("aov"))
        let next = c.candidates(before: "kpi gmv ")
        #expect(next.contains("by") && next.contains("for") && next.contains("where") && !next.contains("aov"))
    }

    @Test func segmentPredicateOffersCustomerAttributes() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        #expect(c.candidates(before: "segment x = rece") == ["recency"])
        #expect(c.candidates(before: "segment x = orders >= 2 and ten") == ["tenure"])
        #expect(c.candidates(before: "segment x = rep") == ["repeaters"])
    }

    @Test func explainOffersTopicsNotColumns() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        let topics = c.candidates(before: "explain ")
        for expected in ["gmv", "ltv", "payback", "cac", "ltv/cac", "repeat_rate"] {
            #expect(topics.contains(expected), "\(expected) missing")
        }
        #expect(!topics.contains("order_id") && !topics.contains("customer_id"))
        // Readline's word stops at '/': the match is cut to what follows it.
        #expect(c.readlineMatches(line: "explain ltv/c", wordStart: 12, word: "c") == ["cac"])
        #expect(c.candidates(before: "explain gmv ") == ["sql"])
    }

    @Test func setNamesThenValues() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        let names = c.candidates(before: "set ")
        for expected in ["format", "maxwidth", "pager", "week_start", "as_of", "currency"] { #expect(names.contains(expected)) }
        #expect(c.candidates(before: "set format ") == ["table", "csv", "tsv", "json", "markdown", "line"])
        #expect(c.candidates(before: "set week_start s") == ["saturday", "sunday"])
        #expect(c.candidates(before: "set pager ") == ["on", "off"])
    }

    @Test func fileNamesInsideQuotes() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        for folder in ["scripts", "data"] { try FileManager.default.createDirectory(atPath: dir.path(folder), withIntermediateDirectories: true) }
        _ = try dir.write("scripts/weekly.ecsh", "kpis\n")
        _ = try dir.write("scripts/monthly.ecsh", "kpis\n")
        _ = try dir.write("data/orders.csv", "x\n")
        let root = dir.url.path + "/"
        #expect(c.candidates(before: "run '\(root)scripts/w") == ["\(root)scripts/weekly.ecsh"])
        #expect(c.candidates(before: "load orders from '\(root)").filter { !$0.contains("shop.db") } == ["\(root)data/", "\(root)scripts/"])
        #expect(c.candidates(before: ".read \(root)scripts/m") == ["\(root)scripts/monthly.ecsh"])
        // Readline's word starts after the last '/' or '.': the candidate is cut to match.
        let line = "run '\(root)scripts/weekly.ec"
        #expect(c.readlineMatches(line: line, wordStart: line.count - 2, word: "ec") == ["ecsh"])
    }

    /// `''` is the quote escape inside '…': a file name with a quote is offered escaped, and a name
    /// typed with `''` is one token (readline's word then starts after the last quote).
    @Test func aQuoteInAFileNameIsDoubled() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        _ = try dir.write("it's here.csv", "a,b\n1,2\n")
        let root = dir.url.path + "/"
        #expect(c.candidates(before: "load table q from '\(root)it") == ["\(root)it''s here.csv"])
        #expect(c.candidates(before: "load table q from '\(root)it''s h") == ["\(root)it''s here.csv"])
        let line = "load table q from '\(root)it''s h"
        #expect(c.readlineMatches(line: line, wordStart: line.count - 3, word: "s h") == ["s here.csv"])
        // Double quotes are not the escape's: the name is offered as it is.
        #expect(c.candidates(before: "run \"\(root)it") == ["\(root)it's here.csv"])
    }

    /// After a file name only what may follow it: load's remaining clauses, nothing after export's or run's.
    @Test func afterAFileNameOnlyWhatMayFollowIt() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        #expect(c.candidates(before: "load ") == ["orders", "customers", "spend", "traffic", "nps", "table"])
        #expect(c.candidates(before: "load orders ") == ["from"])
        #expect(c.candidates(before: "load table t ") == ["from"])
        #expect(c.candidates(before: "load orders from 'x.csv' ") == ["append", "with", "preset", "map"])
        #expect(c.candidates(before: "load orders from 'x.csv' append ") == ["with", "preset", "map"])
        #expect(c.candidates(before: "load orders from 'x.csv' preset ") == ["shopify", "rakuten", "amazon", "yahoo"])
        #expect(c.candidates(before: "load orders from 'x.csv' preset shopify ") == ["append", "with", "map"])
        #expect(c.candidates(before: "load orders from 'x.csv' with ") == [])
        #expect(c.candidates(before: "load orders from stdin ") == ["append", "with", "preset", "map"])
        #expect(c.candidates(before: "export ") == ["to"])
        #expect(c.candidates(before: "export to 'x.csv' ") == [])
        #expect(c.candidates(before: "run 'x.ecsh' ") == [])
    }

    /// `explain TOPIC sql` is complete: Tab offers `sql` once, then nothing.
    @Test func explainOffersSQLOnce() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        #expect(c.candidates(before: "explain ltv ") == ["sql"])
        #expect(c.candidates(before: "explain ltv sql ") == [])
        #expect(c.candidates(before: "explain sales equation ") == ["sql"])
    }

    @Test func reportAndEndReportAreCommands() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        #expect(c.candidates(before: "rep") == ["report"])
        #expect(c.candidates(before: "end ") == ["report"])
        #expect(c.candidates(before: "report ") == ["to"])
        #expect(c.candidates(before: "report to 'k.html' ") == ["title"])
        #expect(c.candidates(before: "end report ") == [])
        #expect(c.candidates(before: "help rep") == ["report"])
    }

    @Test func dotCommandsAndTheirArguments() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let c = try Self.completer(dir)
        #expect(c.candidates(before: ".mo") == [".mode"])
        #expect(c.candidates(before: ".mode l") == ["line"])
        #expect(c.candidates(before: ".schema ") == ["orders"])
    }

    /// In a real terminal, as in bash: Tab on a folder leaves its quote open so the next Tab completes
    /// inside it (load and export); a file's quote closes, a quote in its name doubled; `explain TOPIC sql`
    /// takes no more words.
    @Test(.enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
    func fileNamesCompleteIntoFoldersInTheTerminal() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path("sub"), withIntermediateDirectories: true)
        _ = try dir.write("sub/inner.csv", "order_id,customer_id,ordered_at,amount\n1,c1,2024-01-05,100\n")
        _ = try dir.write("it's here.csv", "a,b\n1,2\n")
        let binary = try TerminalTests.ecshBinary()
        let shell = try TmuxSession(command: ["sh", "-c", "cd \"$1\" && exec \"$2\"", "sh", dir.url.path, binary],
                                    environment: ["ECSH_HISTORY": dir.path("history"), "HOME": dir.url.path])
        defer { shell.close() }
        try shell.waitUntil("the first prompt") { $0.last == "ecsh>" || $0.last == "ecsh> " }

        try shell.type("load orders from 'su")
        try shell.press("Tab")
        try shell.waitUntil("the folder completed, its quote open") { $0.last == "ecsh> load orders from 'sub/" }
        try shell.press("Tab")
        try shell.waitUntil("the file inside completed and closed") { $0.last == "ecsh> load orders from 'sub/inner.csv'" }
        try shell.press("C-u")
        try shell.type("sql select 1")
        try shell.press("Enter")
        try shell.waitUntil("the prompt") { $0.last == "ecsh>" }

        try shell.type("export to 'su")
        try shell.press("Tab")
        try shell.waitUntil("the folder completed after export") { $0.last == "ecsh> export to 'sub/" }
        try shell.press("Tab")
        try shell.waitUntil("the file inside after export") { $0.last == "ecsh> export to 'sub/inner.csv'" }
        try shell.press("C-u")

        try shell.type("load table q from 'it")
        try shell.press("Tab")
        try shell.waitUntil("the quote in the name doubled") { $0.last == "ecsh> load table q from 'it''s here.csv'" }
        try shell.press("Enter")
        // A complete statement: it runs (no continuation prompt) and the table holds the file's row.
        try shell.waitUntil("the next prompt") { $0.last == "ecsh>" }
        try shell.type("sql select a + b as s from q")
        try shell.press("Enter")
        try shell.waitUntil("a row reading 3") { TerminalTests.hasRow($0, "3") }

        try shell.type("explain ltv ")
        try shell.press("Tab")
        try shell.waitUntil("sql offered") { $0.last == "ecsh> explain ltv sql" }
        try shell.press("Tab")
        try shell.press("Tab")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try shell.screenLines().last == "ecsh> explain ltv sql")
    }

    /// Once through a real terminal: Tab after `for` completes the one segment.
    @Test(.enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
    func tabAfterForCompletesASegmentInTheTerminal() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        _ = try Self.session(dir)
        let shell = try TmuxSession(command: [try TerminalTests.ecshBinary(), dir.path("shop.db")],
                                    environment: ["ECSH_HISTORY": dir.path("history"), "HOME": dir.url.path])
        defer { shell.close() }
        try shell.waitUntil("the first prompt") { $0.last == "ecsh>" || $0.last == "ecsh> " }
        try shell.type("kpi gmv for r")
        try shell.press("Tab")
        let lines = try shell.waitFor("ecsh> kpi gmv for repeaters")
        #expect(lines.last == "ecsh> kpi gmv for repeaters")
    }
}
