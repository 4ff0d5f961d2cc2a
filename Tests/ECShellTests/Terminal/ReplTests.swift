import ECLanguage
import ECStore
import ECTestSupport
import Foundation
import Testing
@testable import ECShell

/// A reader that plays back scripted inputs as if a person typed them, and records what the Repl did.
private final class ScriptedReader: LineReader {
    var inputs: [LineInput]
    var prompts: [String] = []
    var history: [String] = []
    init(_ inputs: [LineInput]) { self.inputs = inputs }
    var isInteractive: Bool { true }
    func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .end : inputs.removeFirst()
    }
    func addHistory(_ entry: String) { history.append(entry) }
}

@Suite struct ReplTests {
    @Test func linesAccumulateUntilTheStatementIsComplete() {
        var executed: [String] = []
        let reader = PlainLineReader(text: "sql select (1\n  + 2)\n\n   \ntables\nsql select 'open")
        let ending = Repl(reader: reader, interruptFlag: InterruptFlag()) { executed.append($0) }.run()
        #expect(ending == .endOfInput)
        // Blank lines between statements are skipped; the unfinished last statement still runs
        // (without a last line break: none was typed).
        #expect(executed == ["sql select (1\n  + 2)\n", "tables\n", "sql select 'open"])
    }

    @Test func promptsHistoryAndCtrlCOnATerminal() {
        var executed: [String] = []
        let reader = ScriptedReader([
            .line("sql select (1"), .interrupted,           // Ctrl-C drops the unfinished statement
            .line("sql select (2"), .line(")"),              // completed on the second line
            .line("tables"), .end,
        ])
        Repl(reader: reader, interruptFlag: InterruptFlag()) { executed.append($0) }.run()
        #expect(executed == ["sql select (2\n)\n", "tables\n"])
        #expect(reader.history == ["sql select (2\n)", "tables"])
        #expect(reader.prompts == ["ecsh> ", "  ...> ", "ecsh> ", "  ...> ", "ecsh> ", "ecsh> "])
    }

    /// Ctrl-D on a continuation line runs the unfinished statement, and it is recalled like any other.
    @Test func ctrlDOnAContinuationLineKeepsTheStatementInHistory() {
        var executed: [String] = []
        let reader = ScriptedReader([.line("tables"), .line("sql select 1 as a,"), .line("  2 as b,"), .end])
        Repl(reader: reader, interruptFlag: InterruptFlag()) { executed.append($0) }.run()
        #expect(executed == ["tables\n", "sql select 1 as a,\n  2 as b,"])
        #expect(reader.history == ["tables", "sql select 1 as a,\n  2 as b,"])
    }

    /// `kpi gmv \` ⏎ then an empty line: the empty line ends the statement, as in bash and in a script,
    /// and it runs at once. Before, `...>` stayed open and `by month` typed next was run with it as a second
    /// statement (the splitter ended `kpi gmv` at the empty line), which failed on its own.
    @Test func anEmptyLineAfterALineJoinRunsTheStatement() {
        var executed: [String] = []
        let reader = ScriptedReader([.line("kpi gmv \\"), .line(""), .line("kpis"), .end])
        Repl(reader: reader, interruptFlag: InterruptFlag()) { executed.append($0) }.run()
        #expect(executed == ["kpi gmv \\\n\n", "kpis\n"])
        #expect(reader.prompts == ["ecsh> ", "  ...> ", "ecsh> ", "ecsh> "])
        // What runs is one statement, and its `\` joins to the empty line, not to nothing.
        let statements = StatementSplitter.split(Source(name: "t", text: executed[0]))
        #expect(statements.map(\.text) == ["kpi gmv"])
        #expect(statements.map(\.unfinishedJoin) == [nil])
        // Ctrl-D right after the `\`: the join has no line, an error at the `\` as in a script.
        var cut: [String] = []
        Repl(reader: ScriptedReader([.line("kpi gmv \\"), .end]), interruptFlag: InterruptFlag()) { cut.append($0) }.run()
        #expect(cut == ["kpi gmv \\"])
        #expect(StatementSplitter.split(Source(name: "t", text: cut[0])).map(\.unfinishedJoin) == [SourceLocation(line: 1, column: 9)])
    }

    @Test func aLongQueryIsInterruptedAndAScriptStops() throws {
        let flag = InterruptFlag()
        let database = try Database(interruptFlag: flag)
        var outcomes: [String] = []
        let script = """
            sql select 41+1
            sql WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c
            sql select 'never reached'
            """
        let started = ContinuousClock.now
        let repl = Repl(reader: PlainLineReader(text: script), interruptFlag: flag) { statement in
            if statement.contains("RECURSIVE") {
                // What Ctrl-C's handler does, a little after the endless query starts.
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { flag.raise() }
            }
            do {
                let value = try database.scalar(String(statement.dropFirst(4)))
                outcomes.append(value.description)
            } catch let error as DatabaseError {
                outcomes.append(error.isInterrupt ? "interrupted" : "error: \(error)")
            } catch {
                outcomes.append("error: \(error)")
            }
        }
        let ending = repl.run()
        // 41 + 1 = 42; the endless count is interrupted; a script stops after Ctrl-C.
        #expect(outcomes == ["42", "interrupted"])
        #expect(ending == .interrupted)
        #expect(ContinuousClock.now - started < .seconds(10))
        // The connection still works after the interruption.
        flag.clear()
        #expect(try database.scalar("select 6*7") == .integer(42))
    }

    /// The shell's completeness check scans each typed line once: a 20,000-line statement costs
    /// its own length in scanned characters, not the billion of rescanning every earlier line
    /// at each new one. The bounded time is the harness's guard, the count is the check.
    @Test(.timeLimit(.minutes(1))) func aLongStatementIsScannedOnce() {
        let lines = ["sql select ("] + Array(repeating: "  1 +", count: 19_998) + ["  1)", "tables"]
        var executed: [String] = []
        let repl = Repl(reader: PlainLineReader(text: lines.joined(separator: "\n")), interruptFlag: InterruptFlag()) {
            executed.append($0)
        }
        repl.run()
        #expect(executed.count == 2)
        #expect(executed.first == lines.dropLast().joined(separator: "\n") + "\n")
        #expect(executed.last == "tables\n")
        // 12 + 19,998 × 5 + 4 characters and 19,999 joining line breaks, then "tables".
        #expect(repl.scannedCharacters == 12 + 19_998 * 5 + 4 + 19_999 + 6)
    }
}

@Suite struct CompletionTests {
    @Test func matchesStartWithTheWordIgnoringCase() {
        let candidates = ["describe", "delete", "Desc", "sql", "describe", "tables"]
        #expect(Completion.matches(candidates, for: "des") == ["describe", "Desc"])
        #expect(Completion.matches(candidates, for: "DES") == ["describe", "Desc"])
        #expect(Completion.matches(candidates, for: "").count == 5)
        #expect(Completion.matches(candidates, for: "x").isEmpty)
    }

    @Test func commonPrefixOfMatches() {
        #expect(Completion.commonPrefix(["tables", "table_x"]) == "table")
        #expect(Completion.commonPrefix(["describe", "Desc"]) == "desc")
        #expect(Completion.commonPrefix(["segment", "sql"]) == "s")
        #expect(Completion.commonPrefix(["one"]) == "one")
        #expect(Completion.commonPrefix([]) == "")
    }

    @Test func readlineGetsTheSharedPrefixThenEveryMatch() throws {
        func strings(_ array: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> [String] {
            var out: [String] = []
            var i = 0
            while let entry = array[i] { out.append(String(cString: entry)); free(entry); i += 1 }
            free(array)
            return out
        }
        #expect(Completion.readlineArray([]) == nil)
        #expect(strings(try #require(Completion.readlineArray(["describe"]))) == ["describe"])
        #expect(strings(try #require(Completion.readlineArray(["segment", "segments"]))) == ["segment", "segment", "segments"])
    }
}

@Suite struct SignalHandlingTests {
    @Test func ctrlCRaisesTheSharedFlagInsteadOfEndingTheProcess() {
        SignalHandling.install()
        defer { SignalHandling.uninstall(); InterruptFlag.shared.clear() }
        InterruptFlag.shared.clear()
        #expect(!InterruptFlag.shared.isRaised)
        // Sent to this thread, it is handled before it returns (install() unblocked SIGINT here).
        pthread_kill(pthread_self(), SIGINT)  // would end the test run without the handler
        #expect(InterruptFlag.shared.isRaised)
    }
}
