import ECTestSupport
import Foundation
import Testing

/// A result wider than the terminal: one row per block instead of a wrapped grid (`set expanded auto`,
/// the default on a terminal), through real readline in tmux; a table that fits stays a table.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (apt-get install tmux); terminal tests skipped"))
struct ExpandedTableTests {
    @Test func aWideResultIsShownInBlocksAndSetExpandedOffDrawsTheTable() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try TmuxSession(command: [try TerminalTests.ecshBinary(), "--demo"],
                                    environment: ["ECSH_HISTORY": dir.path("history")], width: 100, height: 80)
        defer { shell.close() }
        try shell.waitUntil("the first prompt", timeout: .seconds(60)) { $0.last == "ecsh>" }

        // 15 columns across: far wider than 100 characters drawn as a table.
        try shell.type("unit economics by channel")
        try shell.press("Enter")
        let blocks = try shell.waitUntil("the blocks", timeout: .seconds(60)) { $0.contains { $0.hasPrefix("one row per block") } }
        #expect(blocks.contains { $0.hasPrefix("─[ total ]") })
        #expect(blocks.contains { $0.hasPrefix("LTV_CAC ") && $0.contains(" │ ") })
        #expect(!blocks.contains { $0.hasPrefix("┌") }, "drawn as a table:\n\(blocks.joined(separator: "\n"))")
        #expect(blocks.contains { $0.contains("the terminal 100") })

        // A narrow result is a table as ever.
        try shell.type("kpi orders by quarter")
        try shell.press("Enter")
        let narrow = try shell.waitUntil("the narrow table", timeout: .seconds(30)) { $0.contains { $0.hasPrefix("└") } }
        #expect(narrow.filter { $0.hasPrefix("one row per block") }.count == 1)

        try shell.type("set expanded off")
        try shell.press("Enter")
        try shell.type("unit economics by channel")
        try shell.press("Enter")
        let wrapped = try shell.waitUntil("the table", timeout: .seconds(60)) { $0.contains { $0.hasPrefix("┌") && $0.count >= 100 } }
        #expect(!wrapped.suffix(30).contains { $0.hasPrefix("one row per block") })
    }
}
