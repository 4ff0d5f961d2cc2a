import Testing
import ECStore
@testable import ECRender

/// Charts keep series of different units apart, and heatmaps shade the cells that differ.
@Suite struct ChartUnitTests {
    /// `kpi gmv, repeat_rate by month`: two charts, each on its own axis.
    @Test func differentUnitsGetTheirOwnChart() throws {
        let table = ResultTable(columns: ["month", "gmv", "repeat_rate"],
                                rows: [["2024-01", 1000.0, 0.1], ["2024-02", 2000.0, 0.2], ["2024-03", 3000.0, 0.3]],
                                formats: [.text, .currency(code: "JPY"), .percent(places: 1)])
        let svg = try SVGChart.svg(for: table, standalone: true)
        #expect(svg.contains("<svg y=\"0\" ") && svg.contains("<svg y=\"320\" "))
        let parts = svg.components(separatedBy: "<svg y=\"320\" ")
        #expect(parts.count == 2)
        // The second chart's axis runs 0% to 30.0% (its own maximum), and its three points sit at three heights.
        #expect(parts[1].contains(">30.0%</text>") && parts[1].contains(">0.0%</text>") && !parts[1].contains("¥"))
        #expect(parts[0].contains(">¥3,000</text>"))
        let heights = Set(parts[1].matches(of: /cy="([0-9.]+)"/).map { String($0.1) })
        #expect(heights.count == 3)
    }

    @Test func oneUnitStaysOneChart() throws {
        let table = ResultTable(columns: ["month", "gmv", "revenue"],
                                rows: (1...30).map { [.text("d\($0)"), .real(Double($0)), .real(Double($0) / 2)] },
                                formats: [.text, .currency(code: "JPY"), .currency(code: "JPY")])
        let svg = try SVGChart.svg(for: table, standalone: true)
        #expect(!svg.contains("<svg y="))
    }

    /// Retention: period 0 is 100%, later cells 5–20%. Scaled over 5%–20% (period 0 left out), the six steps
    /// of 2.5 points each put 5% in step 0, 11% and 12% in step 2, 16% in step 4 and 20% in step 5 (hand-worked:
    /// step = ⌊(v − 0.05) / 0.15 × 6⌋, capped at 5). With period 0 on the scale all five would share step 0.
    @Test func heatmapScaleLeavesPeriodZeroOut() {
        let table = ResultTable(columns: ["cohort", "size", "M0", "M1", "M2"],
                                rows: [["2024-01", 100, 1.0, 0.11, 0.05], ["2024-02", 100, 1.0, 0.16, 0.12], ["2024-03", 100, 1.0, 0.20, .null]],
                                formats: [.text, .auto, .auto, .auto, .auto])
        let layout = HeatmapLayout(table)
        #expect(layout.scaleColumns == [3, 4] && layout.scaleSkipsPeriodZero)
        let scale = layout.colorScale(table)
        #expect(scale?.minimum == 0.05 && scale?.maximum == 0.20)
        let steps = [0.05, 0.11, 0.12, 0.16, 0.20].map { scale?.step($0, count: 6) }
        #expect(steps == [0, 2, 2, 4, 5])
        let html = HTMLWriter.page(table, title: "retention")
        for colour in ["#e0f3ff", "#80c6f2", "#1f78c1", "#0b4f8c"] { #expect(html.contains(colour), "\(colour)") }
        let terminal = StringSink()
        try? HeatmapRenderer(options: RenderOptions()).render(table, to: terminal)
        #expect(terminal.text.contains("(period 0 is left out of the scale)"))
    }

    /// A period 0 that varies (cumulative margin) stays on the scale.
    @Test func varyingPeriodZeroStaysOnTheScale() {
        let table = ResultTable(columns: ["cohort", "size", "M0", "M1"], rows: [["a", 1, 400.0, 900.0], ["b", 1, 500.0, 1000.0]])
        #expect(HeatmapLayout(table).scaleColumns == [2, 3])
        #expect(HeatmapLayout(table).colorScale(table)?.minimum == 400)
    }
}
