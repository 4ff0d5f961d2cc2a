import Testing
import ECStore
@testable import ECRender

/// Bars either side of zero, lengths worked out by hand.
@Suite struct DivergingBarTests {
    @Test func lossesLeftGainsRightOnOneScale() throws {
        // Largest magnitude 40 → 4 columns a side; −40 → 4 left, −10 → 1, 20 → 2 right, 40 → 4.
        let table = ResultTable(columns: ["quarter", "cash"], rows: [["Q+1", -40.0], ["Q+2", -10.0], ["Q+3", 20.0], ["Q+4", 40.0], ["total", 10.0]],
                                formats: [.text, .decimal(places: 0)], summaryRows: [4])
        let sink = StringSink()
        try DivergingBarRenderer(halfWidth: 4).render(table, valueColumn: 1, marks: [2: "pays back"], to: sink)
        let expected = """
        quarter  cash (left of │ below zero)
        Q+1     ████│     -40
        Q+2        █│     -10
        Q+3         │██   20  ← pays back
        Q+4         │████ 40

        """
        #expect(sink.text == expected)
    }

    @Test func aTableWithoutTheColumnIsRefused() {
        let table = ResultTable(columns: ["quarter"], rows: [["Q+1"]])
        #expect(throws: ChartError.self) { try DivergingBarRenderer().render(table, valueColumn: 1, to: StringSink()) }
    }
}
