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
