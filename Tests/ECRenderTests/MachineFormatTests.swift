import Foundation
import Testing
import ECStore
@testable import ECRender

/// A small RFC 4180 reader written independently of CSVWriter: returns records
/// of fields, with `nil` for an empty unquoted field (our NULL).
private func readCSV(_ text: String) -> [[String?]] {
    var records: [[String?]] = []
    var record: [String?] = []
    var field = ""
    var quoted = false, wasQuoted = false
    var chars = Array(text.unicodeScalars)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
            } else { field.unicodeScalars.append(c) }
        } else if c == "\"" {
            quoted = true; wasQuoted = true
        } else if c == "," || c == "\n" {
            record.append(field.isEmpty && !wasQuoted ? nil : field)
            field = ""; wasQuoted = false
            if c == "\n" { records.append(record); record = [] }
        } else { field.unicodeScalars.append(c) }
    }
    return records
}

@Suite struct MachineFormatTests {
    let tricky = ResultTable(
        columns: ["id", "name", "amount", "note"],
        rows: [
            [1, "Tanaka, Taro", 1234567.5, "said \"hi\""],
            [2, "山田\n花子", .null, ""],
            [3, " padded ", 0.1, "tab\there\r\nCRLF"],
            [4, "NULL", .real(.nan), "back\\slash"],
        ])

    @Test func csvIsExact() {
        let expected = "id,name,amount,note\n"
            + "1,\"Tanaka, Taro\",1234567.5,\"said \"\"hi\"\"\"\n"
            + "2,\"山田\n花子\",,\"\"\n"
            + "3,\" padded \",0.1,\"tab\there\r\nCRLF\"\n"
            + "4,NULL,NaN,back\\slash\n"
        #expect(CSVWriter.text(tricky) == expected)
    }

    @Test func csvRoundTripsThroughAnIndependentReader() {
        let records = readCSV(CSVWriter.text(tricky))
        #expect(records.count == 5)
        #expect(records[0] == ["id", "name", "amount", "note"])
        for (r, row) in tricky.rows.enumerated() {
            let expected: [String?] = row.map { v in
                switch v {
                case .null: return nil
                case .integer(let i): return String(i)
                case .real(let d): return d.isNaN ? "NaN" : String(d)
                case .text(let s): return s
                case .blob: return "?"
                }
            }
            #expect(records[r + 1] == expected)
        }
    }

    /// Campaign and channel names come from the shop's customers and platforms: a cell a spreadsheet would
    /// run (`=HYPERLINK(…)`, `+cmd`, `-2+3`, `@SUM(…)`, a leading tab) gets a leading `'`; numbers written
    /// as text (`-5`, `+1.5`) and NULL stay as they are; the note counts the 6 changed cells (one a column
    /// name). TSV and JSON keep the text.
    @Test func csvNeutralisesFormulas() {
        let table = ResultTable(columns: ["channel", "=n"],
                                rows: [["=HYPERLINK(\"http://x\",\"y\")", 1], ["+cmd", 2], ["-2+3", .null],
                                       ["@SUM(A1)", 4], ["\tx", 5], ["-5", 6], ["+1.5", 7], ["a=b", 8], [.null, -9]])
        #expect(CSVWriter.text(table) == "channel,'=n\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1\n'+cmd,2\n'-2+3,\n"
                + "'@SUM(A1),4\n'\tx,5\n-5,6\n+1.5,7\na=b,8\n,-9\n")
        #expect(CSVWriter.formulaNote(table) == "6 cells starting with =, +, - or @ written with a leading ' so that a spreadsheet "
                + "shows them as text instead of running a formula; .tsv and .json keep the text as it is")
        #expect(CSVWriter.formulaNote(table, header: false)?.hasPrefix("5 cells ") == true)
        #expect(CSVWriter.formulaNote(tricky) == nil)
        #expect(TSVWriter.text(table).contains("\n+cmd\t2\n"))
        #expect(JSONWriter.text(table).contains("{\"channel\":\"+cmd\",\"=n\":2}"))
    }

    /// `kpi gmv by week` sums to a real but writes SQLite's integer 0 for a week without orders: a column
    /// that holds a real writes its integers as reals (`0.0`, and 2^53+1 digit for digit), so CSV, TSV and
    /// JSON give one number type per column; an all-integer column stays integers.
    @Test func aColumnWithRealsWritesItsIntegersAsReals() {
        let table = ResultTable(columns: ["week", "gmv", "orders"],
                                rows: [[.text("2024-W01"), .real(4000), .integer(3)], [.text("2024-W02"), .integer(0), .integer(0)],
                                       [.text("2024-W03"), .integer(9_007_199_254_740_993), .null]])
        #expect(CSVWriter.text(table) == "week,gmv,orders\n2024-W01,4000.0,3\n2024-W02,0.0,0\n2024-W03,9007199254740993.0,\n")
        #expect(TSVWriter.text(table) == "week\tgmv\torders\n2024-W01\t4000.0\t3\n2024-W02\t0.0\t0\n2024-W03\t9007199254740993.0\t\\N\n")
        #expect(JSONWriter.text(table) == "[\n{\"week\":\"2024-W01\",\"gmv\":4000.0,\"orders\":3},\n"
                + "{\"week\":\"2024-W02\",\"gmv\":0.0,\"orders\":0},\n{\"week\":\"2024-W03\",\"gmv\":9007199254740993.0,\"orders\":null}\n]\n")
    }

    @Test func tsvEscapes() {
        let expected = "id\tname\tamount\tnote\n"
            + "1\tTanaka, Taro\t1234567.5\tsaid \"hi\"\n"
            + "2\t山田\\n花子\t\\N\t\n"
            + "3\t padded \t0.1\ttab\\there\\r\\nCRLF\n"
            + "4\tNULL\tNaN\tback\\\\slash\n"
        #expect(TSVWriter.text(tricky) == expected)
    }

    @Test func jsonIsExactAndParsesBack() throws {
        let table = ResultTable(
            columns: ["k", "n", "x", "s", "k"],
            rows: [
                ["a", 9_007_199_254_740_993, 0.1, "q\"\\\n\u{1}é", .null],
                ["b", -2, .real(.infinity), "", 1e300],
            ])
        let text = JSONWriter.text(table)
        let expected = """
        [
        {"k":"a","n":9007199254740993,"x":0.1,"s":"q\\"\\\\\\n\\u0001é","k_2":null},
        {"k":"b","n":-2,"x":null,"s":"","k_2":1e+300}
        ]

        """
        #expect(text == expected)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 2)
        #expect(parsed[0]["k"] as? String == "a")
        #expect((parsed[0]["n"] as? NSNumber)?.int64Value == 9_007_199_254_740_993)
        #expect(parsed[0]["x"] as? Double == 0.1)
        #expect(parsed[0]["s"] as? String == "q\"\\\n\u{1}é")
        #expect(parsed[0]["k_2"] is NSNull)
        #expect(parsed[1]["x"] is NSNull)
        #expect(parsed[1]["k_2"] as? Double == 1e300)
        #expect(JSONWriter.text(ResultTable(columns: ["a"], rows: [])) == "[]\n")
    }

    @Test func markdownPipeTable() {
        let table = ResultTable(
            columns: ["channel", "orders", "share"],
            rows: [["own|site", 1200, 0.6], ["mall", .null, 0.4], ["Total", 1200, 1.0]],
            formats: [.auto, .auto, .percent(places: 0)],
            notes: ["share of orders"], summaryRows: [2])
        let expected = """
        | channel   |    orders |    share |
        | --------- | --------: | -------: |
        | own\\|site |     1,200 |      60% |
        | mall      |           |      40% |
        | **Total** | **1,200** | **100%** |

        share of orders

        """
        #expect(MarkdownWriter.text(table) == expected)
    }
}
