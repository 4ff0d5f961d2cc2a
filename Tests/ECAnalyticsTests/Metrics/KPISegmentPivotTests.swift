import Testing
import ECStore
@testable import ECAnalytics

/// `kpi … by X for A, B`: the stacked segment blocks turned side by side.
@Suite struct KPISegmentPivotTests {
    /// Two segments by channel and month. vip has no yahoo row in 2024-02 and
    /// one_timers has no own row at all; each block ends with its total row.
    static let stacked = ResultTable(
        columns: ["segment", "month", "channel", "gmv", "aov"],
        rows: [
            ["vip", "2024-01", "own", 1000, 500.0],
            ["vip", "2024-01", "yahoo", 300, 300.0],
            ["vip", "2024-02", "own", 1200, 600.0],
            ["vip", "total", .null, 2500, .null],
            ["one_timers", "2024-01", "yahoo", 90, 90.0],
            ["one_timers", "2024-02", "yahoo", 80, 80.0],
            ["one_timers", "total", .null, 170, .null],
        ],
        formats: [.text, .text, .text, .currency(code: "JPY"), .decimal(places: 1)],
        notes: ["aov = revenue / orders"],
        summaryRows: [3, 6])

    @Test func segmentsSideBySide() {
        let pivoted = Self.stacked.pivotingSegments(kpiColumnCount: 2, segments: ["vip", "one_timers"])
        let expected = ResultTable(
            columns: ["month", "channel", "vip gmv", "vip aov", "one_timers gmv", "one_timers aov"],
            rows: [
                ["2024-01", "own", 1000, 500.0, .null, .null],
                ["2024-01", "yahoo", 300, 300.0, 90, 90.0],
                ["2024-02", "own", 1200, 600.0, .null, .null],
                ["2024-02", "yahoo", .null, .null, 80, 80.0],   // first seen in one_timers: after vip's keys
                ["total", .null, 2500, .null, 170, .null],
            ],
            formats: [.text, .text, .currency(code: "JPY"), .decimal(places: 1), .currency(code: "JPY"), .decimal(places: 1)],
            notes: ["aov = revenue / orders"],
            summaryRows: [4])
        #expect(pivoted == expected)
    }

    /// The order asked for wins over the order of the rows; a segment without rows keeps its (empty) columns.
    @Test func segmentOrderAndEmptySegments() {
        let pivoted = Self.stacked.pivotingSegments(kpiColumnCount: 2, segments: ["one_timers", "lapsed", "vip"])
        #expect(pivoted.columns == ["month", "channel", "one_timers gmv", "one_timers aov", "lapsed gmv", "lapsed aov", "vip gmv", "vip aov"])
        #expect(pivoted.rows[0] == ["2024-01", "own", .null, .null, .null, .null, 1000, 500.0])
        #expect(pivoted.rows.last == ["total", .null, 170, .null, .null, .null, 2500, .null])
    }

    /// Without total rows there is no total row; without segments given, first appearance decides.
    @Test func withoutTotals() {
        var table = Self.stacked
        table.rows = table.rows.enumerated().filter { !table.summaryRows.contains($0.offset) }.map(\.element)
        table.summaryRows = []
        let pivoted = table.pivotingSegments(kpiColumnCount: 2)
        #expect(pivoted.columns.suffix(2) == ["one_timers gmv", "one_timers aov"])
        #expect(pivoted.rows.count == 4 && pivoted.summaryRows.isEmpty)
    }
}
