import ECTestSupport
import Foundation
import Testing

extension TerminalTests {
    /// `run` typed at the prompt shows the same chain as `-f` under an error in a nested script, without a
    /// line for the typed statement itself (it is on the screen above); the session goes on.
    @Test func runAtThePromptNamesTheChain() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        try ScriptInputTests.writeNestedScripts(in: dir)
        let shell = try Self.start(history: dir.path("history"))
        defer { shell.close() }
        try shell.type("run '\(dir.path("outer.ecsh"))'")
        try shell.press("Enter")
        let lines = try shell.waitFor("  in \(dir.path("outer.ecsh")):3:1 (run 'sub/mid.ecsh')")
        #expect(lines.contains(" --> \(dir.path("sub/inner.ecsh")):2:12"))
        #expect(lines.contains("  in \(dir.path("sub/mid.ecsh")):2:3 (run 'inner.ecsh')"))
        #expect(!lines.contains { $0.contains("<input>") })
        try shell.waitUntil("the prompt after the error") { $0.last == "ecsh>" }
        try shell.type("sql select 6*7")
        try shell.press("Enter")
        // 6 × 7 = 42, worked by hand.
        try shell.waitUntil("a row reading 42") { Self.hasRow($0, "42") }
    }
}
