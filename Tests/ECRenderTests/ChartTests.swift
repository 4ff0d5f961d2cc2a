import Testing
import ECStore
@testable import ECRender

@Suite struct ChartTests {
    let cohorts = ResultTable(
        columns: ["cohort", "size", "0", "1", "2"],
        rows: [
            ["2024-01", 1200, 1.0, 0.25, 0.1],
            ["2024-02", 950, 1.0, 0.4, .null],
            ["2024-03", 80, 1.0, .null, .null],
        ],
        notes: ["retention: share of the cohort ordering in the month"])

    @Test func heatmapGoldenWithoutColour() throws {
        let sink = StringSink()
        try HeatmapRenderer().render(cohorts, to: sink)
        // Period 0 (all 100%) is left out of the scale, so it spans 10%..40% in four steps of 7.5 points
        // and 100% sits past the top (█). 10% → step 0 (░), 40% → the top (█). 25% is on the bound
        // between steps 1 and 2; in binary (0.25 − 0.1) / (0.4 − 0.1) × 4 is just under 2, so step 1 (▒).
        let expected = """
        cohort    size      0      1      2
        2024-01  1,200 █ 100% ▒  25% ░  10%
        2024-02    950 █ 100% █  40%
        2024-03     80 █ 100%
        scale: ░ 10%–18%  ▒ 18%–25%  ▓ 25%–33%  █ 33%–40% (period 0 is left out of the scale)
        retention: share of the cohort ordering in the month

        """
        #expect(sink.text == expected)
    }

    @Test func heatmapAverageRowUnderARule() throws {
        var table = cohorts
        table.rows.append(["average", 2230, 1.0, 0.3, 0.1])
        table.summaryRows = [3]
        table.notes = []
        let sink = StringSink()
        try HeatmapRenderer().render(table, to: sink)
        let lines = sink.text.split(separator: "\n", omittingEmptySubsequences: false)
        // Rule width: label 7 + 2 + size 5 + 3 cells × (6 + 1) = 35.
        #expect(lines[4] == Substring(String(repeating: "─", count: 35)))
        // Scale 10%..40% without period 0: 30% → ⌊(0.3 − 0.1) / 0.3 × 4⌋ = 2 (▓).
        #expect(lines[5] == "average  2,230 █ 100% ▓  30% ░  10%")
    }

    @Test func heatmapInColourHasNoShadesButEscapes() throws {
        let sink = StringSink()
        try HeatmapRenderer(options: RenderOptions(color: true)).render(cohorts, to: sink)
        #expect(sink.text.utf8.contains(0x1B))
        #expect(!sink.text.contains("░"))
    }

    @Test func shapeDetection() {
        #expect(TableShape(cohorts) == .heatmap)
        let kpi = ResultTable(columns: ["month", "gmv", "orders", "aov"], rows: [["2024-01", 10, 2, 5.0]])
        #expect(TableShape(kpi) == .series(valueColumns: [1, 2, 3]))
        #expect(TableShape(ResultTable(columns: ["a", "b"], rows: [["x", "y"]])) == .plain)
    }

    @Test(arguments: [(8.0, "████████"), (0.5, "▌"), (2.125, "██▏"), (0.0, ""), (3.99, "████")])
    func barLengthsInEighths(length: Double, expected: String) {
        #expect(BarChartRenderer.bar(length) == expected)
    }

    @Test func barChart() throws {
        let table = ResultTable(columns: ["channel", "orders"], rows: [["own", 400], ["mall", 100], ["ads", .null], ["Total", 500]],
                                summaryRows: [3])
        let sink = StringSink()
        try BarChartRenderer(barWidth: 8).render(table, to: sink)
        // 100/400 × 8 = 2 full blocks; the Total row is not a bar.
        let expected = """
        channel  orders
        own     │████████ 400
        mall    │██ 100
        ads     │∅

        """
        #expect(sink.text == expected)
    }

    @Test func groupedBarsShareOneScale() throws {
        // Two segments' GMV: the largest value (800) is the full 8 columns for both series.
        let table = ResultTable(columns: ["month", "vip gmv", "one_timers gmv"],
                                rows: [["2024-01", 800, 200], ["2024-02", 400, .null], ["total", 1200, 200]],
                                formats: [.text, .auto, .auto], summaryRows: [2])
        let sink = StringSink()
        try BarChartRenderer(barWidth: 8).render(table, valueColumns: [1, 2], to: sink)
        let expected = """
        month     1 vip gmv  2 one_timers gmv
        2024-01 1│████████ 800
                2│██ 200
        2024-02 1│████ 400
                2│∅

        """
        #expect(sink.text == expected)
    }

    /// One unit: grouped bars; GMV next to a rate: sparklines (one scale would flatten the rate).
    @Test func terminalChartPicksBarsOrSparklines() throws {
        let yen = ColumnFormat.currency(code: "JPY")
        let sameUnit = ResultTable(columns: ["month", "vip gmv", "one_timers gmv"], rows: [["2024-01", 800, 200]],
                                   formats: [.text, yen, yen])
        let mixed = ResultTable(columns: ["month", "gmv", "repeat_rate"], rows: [["2024-01", 800, 0.25], ["2024-02", 900, 0.5]],
                                formats: [.text, yen, .percent(places: 1)])
        let grouped = StringSink(), lines = StringSink()
        try TerminalChart.render(sameUnit, options: RenderOptions(), to: grouped)
        try TerminalChart.render(mixed, options: RenderOptions(), to: lines)
        #expect(grouped.text.hasPrefix("month     1 vip gmv  2 one_timers gmv\n2024-01 1│"))
        #expect(lines.text.split(separator: "\n").map { $0.split(separator: " ").first } == ["gmv", "repeat_rate"])
        #expect(throws: ChartError.self) { try TerminalChart.render(ResultTable(columns: ["a", "b"], rows: [["x", "y"]]),
                                                                     options: RenderOptions(), to: StringSink()) }
    }

    @Test func sparkline() throws {
        #expect(SparklineRenderer.line([0, 1, 2, 3, 4, 5, 6, 7, nil, 7.0]) == "▁▂▃▄▅▆▇█ █")
        let table = ResultTable(columns: ["month", "gmv"], rows: [["2024-01", 1000], ["2024-02", 3000], ["2024-03", 2000]],
                                formats: [.text, .currency(code: "JPY")])
        let sink = StringSink()
        try SparklineRenderer().render(table, to: sink)
        #expect(sink.text == "gmv  ▁█▅  ¥1,000 → ¥2,000  (min ¥1,000, max ¥3,000)\n")
    }

    @Test func chartsRefuseTablesWithoutNumbers() {
        let table = ResultTable(columns: ["a", "b"], rows: [["x", "y"]])
        #expect(throws: ChartError.self) { try BarChartRenderer().render(table, to: StringSink()) }
        #expect(throws: ChartError.self) { try HeatmapRenderer().render(table, to: StringSink()) }
    }
}

/// The CAC payback marker on a cumulative margin (LTV) heatmap: the cell named by
/// each row's `payback` column, in the terminal, HTML and SVG.
@Suite struct PaybackMarkerTests {
    /// 2024-01 reaches its CAC of ¥1,000 in M1 (¥1,200), 2024-03 already in M0
    /// (¥1,100 ≥ ¥1,000); 2024-02 not yet. The average row has no payback.
    static let ltv = ResultTable(
        columns: ["cohort (month)", "size", "M0", "M1", "M2", "CAC", "payback"],
        rows: [
            ["2024-01", 10, 500.0, 1200.0, 1600.0, 1000.0, "M1"],
            ["2024-02", 8, 400.0, 700.0, .null, 900.0, "not yet"],
            ["2024-03", 5, 1100.0, .null, .null, 1000.0, "M0"],
            ["average", 23, 580.0, 983.3, 1600.0, .null, .null],
        ],
        formats: [.text, .auto] + Array(repeating: .currency(code: "JPY"), count: 4) + [.text],
        notes: ["payback = first offset where cumulative margin per customer ≥ CAC"],
        summaryRows: [3])

    @Test func layoutFindsThePaybackCells() {
        let layout = HeatmapLayout(Self.ltv)
        #expect(layout.offsetColumns == [2, 3, 4])
        #expect(layout.extraColumns == [5, 6])
        #expect(layout.paybackCells == [0: 3, 2: 2])
        #expect(TableShape(Self.ltv) == .heatmap)
    }

    @Test func terminalMarksTheCellAfterItsValue() throws {
        let sink = StringSink()
        try HeatmapRenderer().render(Self.ltv, to: sink)
        // Scale over the offsets only (CAC stays out): ¥400..¥1,600 in steps of ¥300.
        // Each cell is shade, space, value (6 wide), then the marker slot; an empty cell is 9 blanks.
        // Rule: label 14 + 2 + size 4 + 3 cells × (9 + 1) + CAC (2 + 6) + payback (2 + 7) = 67.
        let expected = """
        cohort (month)  size        M0        M1        M2     CAC  payback
        2024-01           10 ░   ¥500  ▓ ¥1,200◆ █ ¥1,600   ¥1,000  M1
        2024-02            8 ░   ¥400  ▒   ¥700               ¥900  not yet
        2024-03            5 ▓ ¥1,100◆                      ¥1,000  M0
        ───────────────────────────────────────────────────────────────────
        average           23 ░   ¥580  ▒   ¥983  █ ¥1,600
        scale: ░ 400–700  ▒ 700–1,000  ▓ 1,000–1,300  █ 1,300–1,600
        ◆ payback: the first offset where cumulative margin per customer reaches CAC
        payback = first offset where cumulative margin per customer ≥ CAC

        """
        #expect(sink.text == expected, "\(sink.text)")
    }

    @Test func colourKeepsTheMarker() throws {
        let sink = StringSink()
        try HeatmapRenderer(options: RenderOptions(color: true)).render(Self.ltv, to: sink)
        #expect(sink.text.components(separatedBy: "◆").count == 4)   // two cells and the legend
        #expect(!sink.text.contains("░"))
    }

    @Test func retentionWithoutPaybackIsUnchanged() throws {
        var table = Self.ltv
        table.columns.removeLast(2)
        table.rows = table.rows.map { Array($0.prefix(5)) }
        let sink = StringSink()
        try HeatmapRenderer().render(table, to: sink)
        #expect(!sink.text.contains("◆"))
        #expect(sink.text.contains("2024-01           10 ░   ¥500 ▓ ¥1,200 █ ¥1,600\n"))
    }

    @Test func htmlOutlinesThePaybackCell() {
        let page = HTMLWriter.page(Self.ltv)
        // Six colour steps of ¥200 from ¥400: ¥1,200 is in step 4, ¥1,100 in step 3.
        #expect(page.contains("<td class=\"num payback\" style=\"background: #1f78c1; color: #ffffff\" title=\"payback\">¥1,200</td>"))
        #expect(page.contains("<td class=\"num payback\" style=\"background: #4aa3df; color: #ffffff\" title=\"payback\">¥1,100</td>"))
        #expect(page.components(separatedBy: "class=\"num payback\"").count == 3)
        // CAC is a plain number, not a coloured cell.
        #expect(page.contains("<td class=\"num\">¥1,000</td>"))
        #expect(page.contains("<p class=\"note\"><span class=\"payback\"></span> outlined cell = payback:"))
    }

    @Test func svgOutlinesThePaybackCell() throws {
        let svg = try SVGChart.svg(for: Self.ltv, standalone: true)
        // Without the average row: 2024-01 M1 is at x = 110 + 56, y = 24; 2024-03 M0 at x = 110, y = 24 + 2 × 24.
        #expect(svg.contains("<rect x=\"167.5\" y=\"25.5\" width=\"52.0\" height=\"20.0\" fill=\"none\" stroke=\"#e4572e\" stroke-width=\"3\"/>"))
        #expect(svg.contains("<rect x=\"111.5\" y=\"73.5\" width=\"52.0\" height=\"20.0\" fill=\"none\" stroke=\"#e4572e\" stroke-width=\"3\"/>"))
        #expect(svg.contains("outlined cell = payback"))
        #expect(svg.components(separatedBy: "stroke=\"#e4572e\"").count == 4)   // two cells and the legend swatch
    }
}
