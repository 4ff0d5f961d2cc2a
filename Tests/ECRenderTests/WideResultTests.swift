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

    /// `set expanded auto` on a terminal: a table wider than the screen is shown one row per block
    /// (psql's `\x auto`); one that fits is drawn as before.
    @Test func aTableWiderThanTheScreenIsShownOneRowPerBlock() {
        let table = ResultTable(columns: ["channel", "cac", "repeat_rate"],
                                rows: [["own", 1234.0, 0.305], ["rakuten", .null, 0.1], ["total", 1234.0, 0.25]],
                                formats: [.text, .currency(code: "JPY"), .percent(places: 1)],
                                notes: ["CAC = spend / new customers"], summaryRows: [2])
        // Drawn, the table is 34 characters wide: │ + " channel " (9) + │ + " ¥1,234 " (8) + │ + " repeat_rate " (13) + │.
        var options = RenderOptions()
        options.screenWidth = 34
        let fits = TableRenderer(options: options).string(table)
        #expect(fits == TableRenderer(options: RenderOptions()).string(table))
        #expect(fits.split(separator: "\n").first.map { DisplayWidth.of($0) } == 34)
        options.screenWidth = 33
        #expect(TableRenderer(options: options).string(table) == """
            ─[ row 1 ]────
            channel     │ own
            cac         │ ¥1,234
            repeat_rate │ 30.5%
            ─[ row 2 ]────
            channel     │ rakuten
            cac         │ ∅
            repeat_rate │ 10.0%
            ─[ total ]────
            channel     │ total
            cac         │ ¥1,234
            repeat_rate │ 25.0%
            CAC = spend / new customers
            one row per block: the table is 34 characters wide, the terminal 33 (set expanded off to draw it as a table, or set pager on to scroll it sideways)

            """)
    }

    /// In blocks a value has the screen's width beside its name, not a table column's 40 characters;
    /// maxrows still holds, and says so.
    @Test func blocksCutValuesOnlyToTheScreenAndKeepMaxRows() {
        let long = String(repeating: "x", count: 50)
        let table = ResultTable(columns: ["a", "bbbbbbbbbb", "cccccccccc"],
                                rows: (1...3).map { [.text(long), .integer(Int64($0)), .integer(Int64($0))] })
        var options = RenderOptions(maxRows: 2, maxColumnWidth: 40)
        // The table, its cells cut to 40: 1 + 42 + 1 + 12 + 1 + 12 + 1 = 70 characters.
        options.screenWidth = 65
        let text = TableRenderer(options: options).string(table)
        // 65 columns less the names' 10 and " │ " leave 52: the 50 x's whole, where the table cut them.
        #expect(text.contains("a          │ " + long + "\n"), "\(text)")
        #expect(!text.contains("…") || text.contains("… 1 more row hidden"), "\(text)")
        #expect(!text.contains("cut to"), "\(text)")
        #expect(text.contains("─[ row 2 ]") && !text.contains("─[ row 3 ]"))
        #expect(text.contains("… 1 more row hidden, 3 in all"))
        #expect(text.contains("the table is 70 characters wide, the terminal 65"))
        // Narrower, a value gets the table's 40 at least, and the cuts are counted (2 rows shown).
        options.screenWidth = 30
        let narrow = TableRenderer(options: options).string(table)
        #expect(narrow.contains("a          │ " + String(repeating: "x", count: 39) + "…\n"), "\(narrow)")
        #expect(narrow.contains("2 cells cut to 40 characters"), "\(narrow)")
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
