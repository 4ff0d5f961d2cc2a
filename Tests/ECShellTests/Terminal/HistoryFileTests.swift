import ECTestSupport
import Foundation
import Testing
@testable import ECShell

@Suite struct HistoryFileTests {
    @Test func skipsBlankAndRepeatedEntries() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var history = HistoryFile(path: dir.path("h"))
        // The second is the same as the previous entry, the third blank; the last
        // repeats an earlier entry, but not the previous one.
        let stored = ["tables", "tables", "   \t", "describe orders", "tables"].map { history.add($0) }
        #expect(stored == [true, false, false, true, true])
        #expect(history.entries == ["tables", "describe orders", "tables"])
        #expect(try String(contentsOfFile: dir.path("h"), encoding: .utf8) == "tables\ndescribe orders\ntables\n")
    }

    @Test func keepsOnlyTheNewestEntriesAcrossSessions() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var first = HistoryFile(path: dir.path("h"), limit: 3)
        for n in 1...5 { first.add("sql select \(n)") }
        #expect(first.entries == ["sql select 3", "sql select 4", "sql select 5"])
        // 5 appends > 2 × 3? No: the file holds all 5 until it passes 6, or until save.
        #expect(try String(contentsOfFile: dir.path("h"), encoding: .utf8).split(separator: "\n").count == 5)
        let second = HistoryFile(path: dir.path("h"), limit: 3)
        #expect(second.entries == ["sql select 3", "sql select 4", "sql select 5"])
        // Loading an over-long file cut it back to the limit.
        #expect(try String(contentsOfFile: dir.path("h"), encoding: .utf8) == "sql select 3\nsql select 4\nsql select 5\n")
    }

    @Test func rewritesTheFileOnceItPassesTwiceTheLimit() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var history = HistoryFile(path: dir.path("h"), limit: 2)
        for n in 1...4 { history.add("s\(n)") }
        #expect(try String(contentsOfFile: dir.path("h"), encoding: .utf8) == "s1\ns2\ns3\ns4\n")
        history.add("s5")  // 5 lines > 2 × 2: rewritten with the newest 2
        #expect(try String(contentsOfFile: dir.path("h"), encoding: .utf8) == "s4\ns5\n")
    }

    @Test func aStatementOverSeveralLinesComesBackWhole() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let statement = "show revenue by month\n  where note = 'a\\nb \\\\ c'"
        var history = HistoryFile(path: dir.path("h"))
        history.add(statement)
        let text = try String(contentsOfFile: dir.path("h"), encoding: .utf8)
        #expect(text == "show revenue by month\\n  where note = 'a\\\\nb \\\\\\\\ c'\n")
        #expect(HistoryFile(path: dir.path("h")).entries == [statement])
    }

    /// `ECSH_HISTORY=/dev/null` (the tests' runECSH sets it) must never turn the device into a plain
    /// file: saving renamed a new file over the path, which as root replaced /dev/null itself and
    /// broke every program on the machine that opens it (tmux could no longer start). Tried here
    /// through a link to /dev/null, which the old save replaced with a file (harmless to the device).
    @Test func savingNeverReplacesADevice() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let link = dir.path("h")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        var history = HistoryFile(path: link, limit: 1)
        history.add("tables")
        history.add("describe orders")
        history.save()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/dev/null")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func aMissingFileIsAnEmptyHistory() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var history = HistoryFile(path: dir.path("sub/none"))
        #expect(history.entries.isEmpty)
        history.add("x")  // the folder does not exist: nothing is written, nothing fails
        #expect(history.entries == ["x"])
    }

    @Test func theHistoryFileIsTakenFromTheEnvironment() {
        #expect(HistoryFile.defaultPath(environment: ["ECSH_HISTORY": "/tmp/h", "HOME": "/home/u"]) == "/tmp/h")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.ecsh_history")
        #expect(HistoryFile.defaultPath(environment: ["ECSH_HISTORY": "", "HOME": "/home/u"]) == "/home/u/.ecsh_history")
    }
}
