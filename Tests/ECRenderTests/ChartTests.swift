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
        // Scale 10%..100% in four steps of 22.5 points: 25% → step 0 (░), 40% → step 1 (▒).
        // The bound 0.1 + 0.225 = 0.325 is just under 32.5% in binary, so it prints as 32%.
        let expected = """
        cohort    size      0      1      2
        2024-01  1,200 █ 100% ░  25% ░  10%
        2024-02    950 █ 100% ▒  40%
        2024-03     80 █ 100%
        scale: ░ 10%–32%  ▒ 32%–55%  ▓ 55%–78%  █ 78%–100%
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
        #expect(lines[5] == "average  2,230 █ 100% ░  30% ░  10%")
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
