import Foundation
import Testing
import ECTestSupport

/// Results on stdout, everything else on stderr: machine formats can be piped into real parsers.
@Suite struct OutputContractTests {
    static let scripts = "Tests/ECShellTests/Scripts"

    /// The example: `ecsh --demo --format json -c 'kpi gmv by quarter'` is one JSON document,
    /// and its numbers equal GMV per calendar quarter summed by plain SQL (docs/metrics.md: Σ amount of counted orders).
    @Test func demoJSONIsOneDocumentWithTheRightNumbers() throws {
        let out = try runECSH(["--demo", "--format", "json", "-c", "kpi gmv by quarter"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("sample shop loaded"))
        let parsed = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]]
        let all = try #require(parsed)
        let rows = all.filter { $0["quarter"] as? String != "total" }
        // The total row is the sum of the quarters.
        let total = all.first { $0["quarter"] as? String == "total" }?["gmv"] as? Double
        #expect(abs((total ?? 0) - rows.compactMap { $0["gmv"] as? Double }.reduce(0, +)) < 0.01)
        let reference = try runECSH(["--demo", "-csv", "-c",
            "select substr(ordered_at, 1, 4) || '-Q' || ((cast(substr(ordered_at, 6, 2) as integer) + 2) / 3) as quarter, sum(amount) as gmv "
            + "from orders where status is null or status not in ('cancelled', 'returned', 'refunded') group by 1 order by 1"])
        let expected = reference.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(rows.count == expected.count && rows.count == 8)
        for (row, line) in zip(rows, expected) {
            #expect(row["quarter"] as? String == String(line[0]))
            let gmv = try #require(row["gmv"] as? Double)
            #expect(abs(gmv - (Double(line[1]) ?? -1)) < 0.01)
        }
    }

    /// Python's json and csv modules read stdout as it is: a script's load summaries,
    /// confirmations, footnotes and model explanations are all on stderr.
    @Test func pythonParsersReadStdoutOfAScript() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let script = try dir.write("a.ecsh", """
            load orders from '\(BuiltBinary.packageRoot.path)/\(Self.scripts)/good-orders.csv'
            segment repeaters = orders >= 2
            kpi gmv, orders by channel
            """)
        let json = try runECSH(["-json", "-f", script])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stderr.contains("loaded 4 orders") && json.stderr.contains("segment repeaters: 1 of 2 customers"))
        // Counted orders by channel: own 1200 + 800 (2 orders), rakuten 3000 (1); amazon's one is cancelled.
        let python = """
            import json, sys
            rows = {r["channel"]: (r["gmv"], r["orders"]) for r in json.load(sys.stdin) if r["channel"] != "total"}
            print(rows["own"][0], rows["own"][1], rows["rakuten"][0], rows["rakuten"][1])
            """
        #expect(try runPython(python, stdin: json.stdout) == "2000.0 2 3000.0 1\n")
        let csv = try runECSH(["-csv", "-f", script])
        let readCSV = """
            import csv, sys
            rows = list(csv.reader(sys.stdin))
            print(rows[0], len(rows))
            """
        #expect(try runPython(readCSV, stdin: csv.stdout).hasPrefix("['channel', 'gmv', 'orders']"))
    }

    /// `predict ltv` explains its model in notes; with a machine format stdout holds only its tables.
    @Test func modelExplanationsAreNotes() throws {
        let out = try runECSH(["--demo", "--format", "tsv", "-c", "predict ltv horizon 12 months"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("BG/NBD (purchase and dropout)"))
        #expect(!out.stdout.contains("BG/NBD"))
        // Every stdout line is a TSV row: a header or values, no prose.
        #expect(out.stdout.split(separator: "\n").allSatisfy { $0.contains("\t") })
    }

    /// A table's footnote ("total: … no total for repeat_rate") is a note in every format: on stderr,
    /// never after the results on stdout (markdown used to write it as a paragraph under the table).
    @Test(arguments: ["csv", "tsv", "json", "line", "markdown", "table"])
    func footnotesOfEveryFormatGoToStandardError(format: String) throws {
        let out = try runECSH(["--demo", "--format", format, "-c", "kpi gmv, repeat_rate by quarter"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("no total for repeat_rate"))
        #expect(!out.stdout.contains("no total"), "\(out.stdout)")
        #expect(out.stdout.contains("2024-Q4"))
    }

    /// A table on a pipe gets its footnotes on stderr; merged (2>&1) they follow the table in order.
    @Test func notesKeepTheirOrderWhenMerged() throws {
        let out = try runECSH(["--demo", "-c", "kpis", "-c", "tables"], mergingStandardError: true)
        let text = out.stdout
        let footnote = try #require(text.range(of: "explain NAME tells more"))
        let secondTable = try #require(text.range(of: "│ table "))
        #expect(text.range(of: "sample shop loaded")!.lowerBound < footnote.lowerBound)
        #expect(footnote.lowerBound < secondTable.lowerBound)
    }

    func runPython(_ code: String, stdin: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
