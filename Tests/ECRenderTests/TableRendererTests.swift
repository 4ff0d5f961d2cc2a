import Testing
import ECStore
@testable import ECRender

@Suite struct TableRendererTests {
    let plain = TableRenderer(options: RenderOptions())

    @Test func smallTableWithTotalsAndNotes() {
        let table = ResultTable(
            columns: ["month", "orders", "gmv", "repeat_rate"],
            rows: [
                ["2024-01", 1234, 1234567.0, 0.153],
                ["2024-02", 987, .null, 0.2],
                ["Total", 2221, 1234567.0, .null],
            ],
            formats: [.text, .auto, .currency(code: "JPY"), .percent(places: 1)],
            notes: ["repeat_rate = repeat customers / customers"],
            summaryRows: [2])
        let expected = """
        ┌─────────┬────────┬────────────┬─────────────┐
        │ month   │ orders │        gmv │ repeat_rate │
        ├─────────┼────────┼────────────┼─────────────┤
        │ 2024-01 │  1,234 │ ¥1,234,567 │       15.3% │
        │ 2024-02 │    987 │          ∅ │       20.0% │
        ├─────────┼────────┼────────────┼─────────────┤
        │ Total   │  2,221 │ ¥1,234,567 │           ∅ │
        └─────────┴────────┴────────────┴─────────────┘
        repeat_rate = repeat customers / customers

        """
        #expect(plain.string(table) == expected)
    }

    @Test func asciiBorderAndTextNullApart() {
        let table = ResultTable(columns: ["name", "amount"], rows: [["NULL", 2.5], [.null, 1234.567]],
                                formats: [.auto, .currency(code: "USD")])
        let r = TableRenderer(options: RenderOptions(border: .ascii))
        let expected = """
         name |    amount
        ------+----------
         NULL |     $2.50
         ∅    | $1,234.57

        """
        #expect(r.string(table) == expected)
    }

    @Test(arguments: [
        (Value.real(3.14159), ColumnFormat.auto, "3.14"),
        (.real(2.5), .auto, "2.5"),
        (.real(2.0), .auto, "2"),
        (.real(-0.001), .auto, "0"),
        (.integer(-1234567), .auto, "-1,234,567"),
        (.integer(999), .auto, "999"),
        (.real(0.153), .percent(places: 1), "15.3%"),
        (.real(1234.4), .currency(code: "JPY"), "¥1,234"),
        (.real(1234.5), .currency(code: "USD"), "$1,234.50"),
        (.real(-1234.5), .currency(code: "USD"), "-$1,234.50"),
        (.integer(20240101), .text, "20240101"),
        (.real(202401.0), .text, "202401"),
        (.real(0.5), .text, "0.5"),
        (.real(1234.5678), .decimal(places: 3), "1,234.568"),
        (.real(.nan), .auto, "NaN"),
        (.real(-.infinity), .percent(places: 1), "-∞"),
    ])
    func cellFormatting(value: Value, format: ColumnFormat, expected: String) {
        #expect(CellFormatter().text(value, format: format) == expected)
    }

    @Test func sessionCurrencyFillsAnEmptyCode() {
        #expect(CellFormatter(currency: "EUR").text(.integer(1000), format: .currency(code: "")) == "€1,000.00")
    }

    @Test func truncatedRowsSayHowManyAndHow() {
        let rows: [[Value]] = (1...1254).map { [.integer(Int64($0))] } + [[.integer(786_885)]]
        let table = ResultTable(columns: ["n"], rows: rows, summaryRows: [1254])
        let text = TableRenderer(options: RenderOptions(maxRows: 3)).string(table)
        let expected = """
        ┌─────────┐
        │       n │
        ├─────────┤
        │       1 │
        │       2 │
        │       3 │
        ├─────────┤
        │ 786,885 │
        └─────────┘
        … 1,251 more rows hidden, 1,254 in all (set maxrows 0 to show all, or export to 'file.csv')

        """
        #expect(text == expected)
        // Independent check of the total: 1 + … + 1254.
        #expect(1254 * 1255 / 2 == 786_885)
    }

    @Test func rowCountFooterForLongTablesOnly() {
        let long = ResultTable(columns: ["n"], rows: (1...12).map { [.integer(Int64($0))] })
        #expect(plain.string(long).hasSuffix("└────┘\n12 rows\n"))
        let short = ResultTable(columns: ["n"], rows: [[1]])
        #expect(plain.string(short).hasSuffix("└───┘\n"))
    }

    @Test func emptyResultShowsHeaderAndCount() {
        let table = ResultTable(columns: ["a"], rows: [])
        #expect(plain.string(table) == "┌───┐\n│ a │\n└───┘\n0 rows\n")
        #expect(TableRenderer(options: RenderOptions(border: .ascii)).string(table) == " a\n--\n0 rows\n")
    }

    @Test func longCellsCutWithEllipsis() {
        let table = ResultTable(columns: ["comment"], rows: [["とても良いお店でした。また買います"]])
        let text = TableRenderer(options: RenderOptions(maxColumnWidth: 10)).string(table)
        #expect(text.contains("│ とても良… │"))
    }

    @Test func colourOffHasNoEscapeByte() {
        let table = ResultTable(columns: ["a", "b"], rows: [[.null, 1], ["x", 2.5], ["t", 3]],
                                notes: ["note"], summaryRows: [2])
        for format in OutputFormat.allCases {
            let text = TableRenderer(options: RenderOptions(format: format, maxRows: 1)).string(table)
            #expect(!text.utf8.contains(0x1B), "format \(format)")
        }
        let coloured = TableRenderer(options: RenderOptions(color: true)).string(table)
        #expect(coloured.utf8.contains(0x1B))
    }
}
