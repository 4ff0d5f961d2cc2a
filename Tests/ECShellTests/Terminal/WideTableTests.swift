import ECTestSupport
import Foundation
import Testing

/// A result wider than the terminal, through real readline in tmux: panels of its columns by
/// default (`set wide panels`), one row per block (`set wide blocks`), or the whole table
/// (`set wide wrap`); a table that fits stays as it is.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (apt-get install tmux); terminal tests skipped"))
struct WideTableTests {
    @Test func aWideResultIsShownInPanelsBlocksOrWhole() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let shell = try TmuxSession(command: [try TerminalTests.ecshBinary(), "--demo"],
                                    environment: ["ECSH_HISTORY": dir.path("history")], width: 100, height: 80)
        defer { shell.close() }
        try shell.waitUntil("the first prompt", timeout: .seconds(60)) { $0.last == "ecsh>" }

        // 15 columns across, 245 characters drawn whole: panels, each led by the channel, none wider than the screen.
        try shell.type("unit economics by channel")
        try shell.press("Enter")
        let panels = try shell.waitUntil("the panels", timeout: .seconds(60)) { $0.contains { $0.hasPrefix("columns in ") } }
        let heads = panels.filter { $0.hasPrefix("│ channel │") }
        #expect(heads.count >= 3, "\(panels.joined(separator: "\n"))")
        #expect(heads.contains { $0.contains(" LTV_CAC ") } && heads.contains { $0.contains(" payback ") })
        #expect(panels.filter { $0.hasPrefix("│ total ") }.count == heads.count, "a total row in every panel")
        #expect(panels.filter { $0.hasPrefix("┌") }.allSatisfy { $0.count < 100 }, "a panel wider than the screen")
        #expect(panels.contains { $0.contains("the terminal 100") })

        // One row per block.
        try shell.type("set wide blocks")
        try shell.press("Enter")
        try shell.type("unit economics by channel")
        try shell.press("Enter")
        let blocks = try shell.waitUntil("the blocks", timeout: .seconds(60)) { $0.contains { $0.hasPrefix("one row per block") } }
        #expect(blocks.contains { $0.hasPrefix("─[ total ]") })
        #expect(blocks.contains { $0.hasPrefix("LTV_CAC ") && $0.contains(" │ ") })

        // A narrow result is a table as ever.
        try shell.type("kpi orders by quarter")
        try shell.press("Enter")
        let narrow = try shell.waitUntil("the narrow table", timeout: .seconds(30)) { $0.contains { $0.hasPrefix("└") && $0.count < 40 } }
        #expect(narrow.filter { $0.hasPrefix("one row per block") }.count == 1)

        // The whole table, wrapped by the terminal.
        try shell.type("set wide wrap")
        try shell.press("Enter")
        try shell.type("unit economics by channel")
        try shell.press("Enter")
        let wrapped = try shell.waitUntil("the whole table", timeout: .seconds(60)) { $0.contains { $0.hasPrefix("┌") && $0.count >= 100 } }
        #expect(!wrapped.suffix(30).contains { $0.hasPrefix("one row per block") || $0.hasPrefix("columns in ") })
    }
}
