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

    /// `set wide panels` (the default on a terminal): a table wider than the screen is cut into
    /// panels of its columns that fit, each led by the first column, with its total row; the
    /// cells are the table's, and the hidden-rows line and notes come once, at the end.
    @Test func aTableWiderThanTheScreenIsShownInPanelsOfColumns() {
        let table = ResultTable(columns: ["month", "orders", "gmv", "repeat_rate"],
                                rows: [["2024-01", 1234, 1234567.0, 0.153], ["2024-02", 987, .null, 0.2], ["total", 2221, 1234567.0, .null]],
                                formats: [.text, .auto, .currency(code: "JPY"), .percent(places: 1)],
                                notes: ["repeat_rate = repeat customers / customers"], summaryRows: [2])
        // Whole, the table is 47 characters: │ + " 2024-01 " (9) + │ + " orders " (8) + │ + " ¥1,234,567 " (12) + │ + " repeat_rate " (13) + │.
        let whole = TableRenderer(options: RenderOptions()).string(table)
        #expect(whole.split(separator: "\n").first.map { DisplayWidth.of($0) } == 47)
        var options = RenderOptions()
        options.screenWidth = 40
        #expect(TableRenderer(options: options).string(table) == """
            ┌─────────┬────────┬────────────┐
            │ month   │ orders │        gmv │
            ├─────────┼────────┼────────────┤
            │ 2024-01 │  1,234 │ ¥1,234,567 │
            │ 2024-02 │    987 │          ∅ │
            ├─────────┼────────┼────────────┤
            │ total   │  2,221 │ ¥1,234,567 │
            └─────────┴────────┴────────────┘

            ┌─────────┬─────────────┐
            │ month   │ repeat_rate │
            ├─────────┼─────────────┤
            │ 2024-01 │       15.3% │
            │ 2024-02 │       20.0% │
            ├─────────┼─────────────┤
            │ total   │           ∅ │
            └─────────┴─────────────┘
            repeat_rate = repeat customers / customers
            columns in 2 panels, each led by month: the table is 47 characters wide, the terminal 40 (set wide blocks for one row per block, set wide wrap for the whole table)

            """)
        // Every panel within the screen.
        #expect(TableRenderer(options: options).string(table).split(separator: "\n").allSatisfy { !$0.hasPrefix("┌") || DisplayWidth.of($0) <= 40 })
        // wrap: the whole table, whatever the screen.
        options.wide = .wrap
        #expect(TableRenderer(options: options).string(table) == whole)
        // A column that does not fit beside the first: one row per block instead.
        options.wide = .panels
        options.screenWidth = 20
        #expect(TableRenderer(options: options).string(table).hasPrefix("─[ row 1 ]"))
    }

    /// `set wide blocks` on a terminal: a table wider than the screen is shown one row per block
    /// (psql's `\x auto`); one that fits is drawn as before.
    @Test func aTableWiderThanTheScreenIsShownOneRowPerBlock() {
        let table = ResultTable(columns: ["channel", "cac", "repeat_rate"],
                                rows: [["own", 1234.0, 0.305], ["rakuten", .null, 0.1], ["total", 1234.0, 0.25]],
                                formats: [.text, .currency(code: "JPY"), .percent(places: 1)],
                                notes: ["CAC = spend / new customers"], summaryRows: [2])
        // Drawn, the table is 34 characters wide: │ + " channel " (9) + │ + " ¥1,234 " (8) + │ + " repeat_rate " (13) + │.
        var options = RenderOptions()
        options.wide = .blocks
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
            one row per block: the table is 34 characters wide, the terminal 33 (set wide wrap for the whole table, or set pager on to scroll it sideways)

            """)
    }

    /// In blocks a value has the screen's width beside its name, not a table column's 40 characters;
    /// maxrows still holds, and says so.
    @Test func blocksCutValuesOnlyToTheScreenAndKeepMaxRows() {
        let long = String(repeating: "x", count: 50)
        let table = ResultTable(columns: ["a", "bbbbbbbbbb", "cccccccccc"],
                                rows: (1...3).map { [.text(long), .integer(Int64($0)), .integer(Int64($0))] })
        var options = RenderOptions(maxRows: 2, maxColumnWidth: 40)
        options.wide = .blocks
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
