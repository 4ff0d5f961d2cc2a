import Testing
import ECStore
@testable import ECRender

/// Line mode and `maxwidth`: wide results without wrapping, and no silent cuts.
@Suite struct WideResultTests {
    @Test func lineModeIsOneColumnPerLineLikeSqlite3() {
        let table = ResultTable(columns: ["channel", "cac", "repeat_rate"],
                                rows: [["own", 1234.0, 0.305], ["rakuten", .null, 0.1]],
                                formats: [.text, .currency(code: "JPY"), .percent(places: 1)])
        let text = TableRenderer(options: RenderOptions(format: .line)).string(table)
        // Names right-aligned to the widest ("repeat_rate", 11 characters), a blank line between rows.
        #expect(text == """
                channel = own
                    cac = ¥1,234
            repeat_rate = 30.5%

                channel = rakuten
                    cac = ∅
            repeat_rate = 10.0%

            """)
    }

    @Test func cutCellsAreCountedInANote() {
        let long = String(repeating: "x", count: 50)
        let table = ResultTable(columns: ["a", "b"], rows: [[.text(long), "short"], [.text(long), .text(long)]])
        let text = TableRenderer(options: RenderOptions(maxColumnWidth: 40)).string(table)
        // Three cells of 50 characters, each cut to 39 + "…".
        #expect(text.contains("│ " + String(repeating: "x", count: 39) + "… │"))
        #expect(text.hasSuffix("3 cells cut to 40 characters with … (set maxwidth 0 to show whole cells, or set format line)\n"))
    }

    @Test func maxWidthZeroNeverCuts() {
        let long = String(repeating: "y", count: 120)
        let table = ResultTable(columns: ["a"], rows: [[.text(long)]])
        let text = TableRenderer(options: RenderOptions(maxColumnWidth: 0)).string(table)
        #expect(text.contains("│ " + long + " │") && !text.contains("cut"))
    }

    @Test func headersOffDropsTheCSVAndTSVHeaderLine() {
        let table = ResultTable(columns: ["a", "b"], rows: [[1, "x"]])
        #expect(TableRenderer(options: RenderOptions(format: .csv, headers: false)).string(table) == "1,x\n")
        #expect(TableRenderer(options: RenderOptions(format: .tsv, headers: false)).string(table) == "1\tx\n")
    }
}
