import Foundation
import Testing
import ECStore
import ECTestSupport

/// The real binary, driven the way users drive it: files, -c, pipes, workspace files.
@Suite struct CommandLineTests {
    static let scripts = "Tests/ECShellTests/Scripts"

    @Test func versionAndHelpFollowArgumentParserConventions() throws {
        let version = try runECSH(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try runECSH(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE:") && help.stdout.contains("--keep-going") && help.stdout.contains("ecsh generate shop"))
        // The examples fit the 80 columns ArgumentParser wraps to off a terminal, so each description stays
        // on its example's line ("ecsh shop.db" used to end "(created" and go on "if missing)").
        #expect(help.stdout.contains("  ecsh shop.db                        a workspace file (created if missing)\n"), "\(help.stdout)")
    }

    @Test func aWorkspaceFileKeepsDataBetweenRuns() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = dir.path("shop.db")
        let first = try runECSH([db, "-c", "load orders from '\(Self.scripts)/good-orders.csv'"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try runECSH([db, "--format", "csv", "-c", "kpi gmv, orders"])
        // Counted orders: A1 1200 + A2 3000 + A3 800 = 5000 (A4 is cancelled), 3 orders.
        #expect(second.stdout == "gmv,orders\n5000.0,3\n")
        let database = try Database(path: db)
        #expect(try database.scalar("PRAGMA journal_mode") == .text("wal"))
    }

    @Test func aFailedLoadLeavesTheWorkspaceAsItWas() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = dir.path("shop.db")
        _ = try runECSH([db, "-c", "load orders from '\(Self.scripts)/good-orders.csv'"])
        let before = try snapshot(db)
        let failed = try runECSH([db, "-c", "load orders from '\(Self.scripts)/bad-orders.csv'"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("bad-orders.csv:3:4"))
        #expect(try snapshot(db) == before)
    }

    /// Every table's rows, as text, in a stable order.
    func snapshot(_ path: String) throws -> [String: [[Value]]] {
        let database = try Database(path: path)
        var result: [String: [[Value]]] = [:]
        for name in try database.query("SELECT name FROM sqlite_schema WHERE type = 'table'").rows.compactMap({ $0[0].textValue }) {
            result[name] = try database.query("SELECT * FROM \(quoteIdentifier(name))").rows.sorted { "\($0)" < "\($1)" }
        }
        // And the schema: tables, indexes, views and ecsh's triggers on the inputs (which a load drops
        // while it writes).
        result["(schema)"] = try database.query("SELECT type, name FROM sqlite_schema ORDER BY type, name").rows
        return result
    }

    @Test func pipedInputPrintsNoPromptsAndStopsAtTheFirstError() throws {
        let out = try runECSH([], stdin: "sql select 1+1 as two\nkpi gmv\nsql select 3 as three\n")
        #expect(out.status == 1)
        #expect(out.stdout.contains("2") && !out.stdout.contains("ecsh>") && !out.stdout.contains("three"))
        #expect(out.stderr.contains("<stdin>:2:5"))
        #expect(!out.stdout.contains("\u{1B}") && !out.stderr.contains("\u{1B}"))
    }

    @Test func commandsRunInOrderAndKeepGoingReportsEveryError() throws {
        let out = try runECSH(["--keep-going", "-c", "sql select 'first' as a", "-c", "kpi nosuch", "-c", "sql select 'third' as b"])
        #expect(out.status == 1)
        #expect(out.stdout.contains("first") && out.stdout.contains("third"))
        #expect(out.stderr.contains("<command line 2>:1:5"))
    }

    /// A transaction left open by `sql BEGIN` when the run ends is rolled back, as SQLite does when the
    /// connection closes, but said on stderr (it used to vanish silently).
    @Test func anOpenTransactionAtTheEndIsRolledBackAndSaidSo() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = dir.path("w.db")
        let run = try runECSH([db, "sql create table t(a)", "sql begin", "sql insert into t values (1), (2)"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("note: an open transaction (sql BEGIN) was rolled back: its changes were discarded"), "\(run.stderr)")
        #expect(!run.stdout.contains("rolled back"))
        let count = try runECSH([db, "--format", "csv", "sql select count(*) as n from t"])
        #expect(count.stdout == "n\n0\n")
        // A committed transaction says nothing.
        let committed = try runECSH([db, "sql begin", "sql insert into t values (3)", "sql commit"])
        #expect(!committed.stderr.contains("rolled back"), "\(committed.stderr)")
    }

    /// `ecsh w.db s1.ecsh` runs `s1.ecsh` as a statement: the error says how to run the script.
    @Test func aScriptGivenAsAStatementGetsAHintToUseF() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let script = try dir.write("s1.ecsh", "tables\n")
        let named = try runECSH([dir.path("w.db"), "s1.ecsh"], directory: dir.url)
        #expect(named.status == 1)
        #expect(named.stderr.contains("unknown command 's1'"))
        #expect(named.stderr.contains("help: to run the script file s1.ecsh, give it with -f: ecsh \(dir.path("w.db")) -f s1.ecsh"), "\(named.stderr)")
        // An existing file whatever its name, given by path.
        let plain = try dir.write("weekly", "tables\n")
        let path = try runECSH([dir.path("w.db"), plain])
        #expect(path.stderr.contains("-f \(plain)"), "\(path.stderr)")
        _ = script
        // A statement that is not a file gets no such hint.
        let typo = try runECSH([dir.path("w.db"), "tabels"], directory: dir.url)
        #expect(!typo.stderr.contains("-f"), "\(typo.stderr)")
    }

    @Test func aBinaryFileIsRefusedAsAScript() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let path = try dir.write("data.ecsh", bytes: [0x53, 0x51, 0x4C, 0x00, 0xFF, 0x10])
        let out = try runECSH(["-f", path])
        #expect(out.status == 1)
        #expect(out.stderr.contains("binary file"))
    }

    @Test func deeplyNestedInputIsAnErrorNotACrash() throws {
        let text = "segment s = " + String(repeating: "(", count: 10_000) + "1"
        let out = try runECSH(["-c", text])
        #expect(out.status == 1)
        #expect(out.stderr.contains("error:"))
    }

    @Test func exportWritesTheLastResult() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let csv = dir.path("out.csv")
        let out = try runECSH(["-c", "sql select 'a,b' as x, 2 as y", "-c", "export to '\(csv)'"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "x,y\n\"a,b\",2\n")
    }

    /// A channel named `=HYPERLINK(…)` (from a marketplace export) is written `'=HYPERLINK(…)` in CSV, on
    /// standard output and in an exported file, and a note on standard error says so; JSON keeps the name.
    @Test func csvNeutralisesFormulasWithANote() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let select = "sql select '=HYPERLINK(\"http://x\",\"y\")' as channel, 2 as orders"
        let out = try runECSH(["-csv", "-c", select, "-c", "export to 'out.csv'", "-c", "export to 'out.json'"], directory: dir.url)
        #expect(out.status == 0, "\(out.stderr)")
        let expected = "channel,orders\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2\n"
        #expect(out.stdout == expected)
        #expect(try String(contentsOfFile: dir.path("out.csv"), encoding: .utf8) == expected)
        #expect(try String(contentsOfFile: dir.path("out.json"), encoding: .utf8).contains("\"channel\":\"=HYPERLINK("))
        let note = "1 cell starting with =, +, - or @ written with a leading ' so that a spreadsheet shows it as text"
        #expect(out.stderr.components(separatedBy: note).count == 3, "\(out.stderr)")
    }

    /// `scorecard` in JSON carries numbers a program can read (it wrote "¥13,405,270", "28.7%" and "+54.2%"):
    /// the periods' values are those of `kpi … by quarter`, a rate's change is the difference of the ratios,
    /// any other change the ratio of latest to previous minus 1.
    @Test func scorecardMachineFormatsWriteNumbers() throws {
        let card = try runECSH(["--demo", "-json", "scorecard"])
        let kpis = try runECSH(["--demo", "-json", "kpi gmv, retention_rate by quarter"])
        #expect(card.status == 0 && kpis.status == 0, "\(card.stderr)\(kpis.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(card.stdout.utf8)) as? [[String: Any]])
        let quarters = try #require(try JSONSerialization.jsonObject(with: Data(kpis.stdout.utf8)) as? [[String: Any]])
        func kpi(_ name: String, _ quarter: String) -> Double? {
            quarters.first { $0["quarter"] as? String == quarter }?[name] as? Double
        }
        func line(_ name: String) -> [String: Any] { rows.first { $0["kpi"] as? String == name } ?? [:] }
        let gmv = line("gmv"), retention = line("retention_rate")
        let (q3, q4) = (try #require(kpi("gmv", "2024-Q3")), try #require(kpi("gmv", "2024-Q4")))
        #expect(gmv["2024-Q3"] as? Double == q3 && gmv["2024-Q4"] as? Double == q4)
        #expect(abs((gmv["change"] as? Double ?? 0) - (q4 / q3 - 1)) < 1e-12)
        let (r3, r4) = (try #require(kpi("retention_rate", "2024-Q3")), try #require(kpi("retention_rate", "2024-Q4")))
        #expect(retention["2024-Q3"] as? Double == r3 && retention["2024-Q4"] as? Double == r4)
        #expect(abs((retention["change"] as? Double ?? 0) - (r4 - r3)) < 1e-12)
        #expect(retention["trend"] as? String == "▲")
    }

    @Test func generateWritesTheSameShopForTheSameSeed() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        for name in ["a", "b"] {
            let out = try runECSH(["generate", "shop", dir.path(name), "--orders", "500", "--seed", "3"])
            #expect(out.status == 0, "\(out.stderr)")
        }
        let a = FileManager.default.contents(atPath: dir.path("a/orders.csv"))
        #expect(a != nil && a == FileManager.default.contents(atPath: dir.path("b/orders.csv")))
    }
}

/// Every tutorial lesson runs on the tutorial's own sample shop without an error.
@Suite struct TutorialTests {
    static let lessonCount = 12

    /// The reference says how many lessons there are, in words, as the shell counts them ("Lesson N of 12").
    @Test func theReferenceCountsTheLessons() throws {
        let doc = try String(contentsOf: BuiltBinary.packageRoot.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let words = ["Ten", "Eleven", "Twelve", "Thirteen", "Fourteen"]
        let said = words.enumerated().filter { doc.contains("\($0.element)\nlessons") || doc.contains("\($0.element) lessons") }.map { $0.offset + 10 }
        let out = try runECSH(["-c", "tutorial"], environment: ["COLUMNS": "200"])
        let shown = try #require(out.stdout.firstMatch(of: /Lesson 1 of (\d+)/)).1
        #expect(said == [Int(shown)!], "\(said) in docs/language.md, \(shown) in the shell")
    }

    @Test func everyLessonRuns() throws {
        let lessons = (1...Self.lessonCount).flatMap { ["-c", "tutorial \($0)"] }
        let out = try runECSH(lessons)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!out.stderr.contains("error"), "\(out.stderr)")
        for n in 1...Self.lessonCount { #expect(out.stdout.contains("Lesson \(n) of \(Self.lessonCount)")) }
        #expect(out.stdout.components(separatedBy: "What this means: ").count == Self.lessonCount + 1)
        #expect(out.stdout.components(separatedBy: "\nQuestion: ").count == Self.lessonCount + 1)
    }

    @Test func tutorialNextFollowsTheCurrentLesson() throws {
        let out = try runECSH(["-c", "tutorial 2", "-c", "tutorial next"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("Lesson 2 of 12") && out.stdout.contains("Lesson 3 of 12"))
    }

    /// With other data loaded (orders only, no traffic), the tutorial still computes on its own shop
    /// (lesson 2 needs traffic) and leaves the workspace as it was.
    @Test func tutorialLeavesTheWorkspaceAlone() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,status
            O1,C1,2024-01-05,3000,completed
            O2,C2,2024-01-10,1000,completed

            """)
        let workspace = dir.path("mine.db")
        let out = try runECSH([workspace, "-c", "load orders from '\(orders)'", "-c", "tutorial 2", "-c", "answer sessions",
                               "-c", "tables", "-c", "sql select count(*) as n, sum(amount) as gmv from orders"])
        #expect(out.status == 0, "\(out.stderr)")
        // A note: on stderr when stdout is not a terminal (docs/language.md, output contract).
        #expect(out.stderr.contains("the tutorial runs on its own in-memory copy of the sample shop"))
        #expect(out.stdout.contains("Right."))
        #expect(out.stdout.contains("│ orders │ orders │    2 │"))
        #expect(!out.stdout.contains("│ traffic"))
        #expect(out.stdout.contains("│ 2 │ 4,000 │") || out.stdout.contains("│ 2 │ 4000 │"), "\(out.stdout)")
    }

    /// Lesson prose wraps to the width in force (COLUMNS when not on a terminal).
    @Test func lessonTextWrapsToTheWidth() throws {
        let out = try runECSH(["-c", "tutorial 4"], environment: ["COLUMNS": "50"])
        #expect(out.status == 0, "\(out.stderr)")
        let prose = out.stdout.split(separator: "\n").filter {
            !$0.hasPrefix("│") && !$0.hasPrefix("┌") && !$0.hasPrefix("├") && !$0.hasPrefix("└") && !$0.hasPrefix("ecsh>")
                && !$0.hasPrefix("Answer with") && !$0.hasPrefix("f2_rate:") && !$0.hasPrefix("sample shop loaded") && !$0.hasPrefix("(the tutorial")
        }
        #expect(prose.count > 8)
        for line in prose { #expect(line.count <= 50, "\(line)") }
    }

    @Test func answersAreCheckedWithAHintThenTheAnswer() throws {
        let out = try runECSH(["-c", "answer 3", "-c", "tutorial 8", "-c", "answer 5", "-c", "answer 6"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("No question is open"))
        #expect(out.stdout.contains("Not quite. Hint: Take rakuten's CAC and subtract its LTV_12m."))
        #expect(out.stdout.contains("Not quite. The answer is ¥"))
    }
}

/// `ecsh --demo` from a binary with no samples folder near it generates the same shop in memory.
@Suite struct DemoFallbackTests {
    @Test func demoWithoutSamplesGeneratesTheSameShop() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let copy = dir.path("ecsh")
        try FileManager.default.copyItem(atPath: BuiltBinary.ecsh.path, toPath: copy)
        var env = ProcessInfo.processInfo.environment
        env["ECSH_SAMPLES"] = nil
        env["ECSH_HISTORY"] = "/dev/null"
        var process = Process()
        var pipe = Pipe(), errorPipe = Pipe()
        // Another test's child, forked while the copy was being written, may hold the copy open for
        // writing for a moment: exec then fails with ETXTBSY ("Text file busy"). Start it again.
        for attempt in 1...40 {
            process = Process()
            process.executableURL = URL(fileURLWithPath: copy)
            process.arguments = ["--demo", "--format", "csv", "-c", "kpi gmv, orders, customers by year", "-c", "tables"]
            process.currentDirectoryURL = dir.url
            process.environment = env
            pipe = Pipe()
            errorPipe = Pipe()
            process.standardOutput = pipe
            process.standardError = errorPipe
            do {
                try process.run()
                break
            } catch let error as NSError where attempt < 40
                && (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY) {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let errorData = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let generated = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0)
        // A note, so on stderr (output contract); stdout holds only the results.
        #expect(String(decoding: errorData, as: UTF8.self).hasPrefix("samples/shop not found: generated the same sample shop"))
        let bundled = try runECSH(["--demo", "--format", "csv", "-c", "kpi gmv, orders, customers by year"])
        // Same numbers as the committed files, line for line (after each one's first line).
        let kpiLines = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("202") || $0.hasPrefix("year") } }
        #expect(kpiLines(generated) == kpiLines(bundled.stdout) && !kpiLines(generated).isEmpty)
        // The scratch files are gone.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []
        #expect(!leftovers.contains { $0.hasPrefix("ecsh-sample-shop-\(process.processIdentifier)") })
    }
}

/// `predict alive` shows the top rows but exports every customer.
@Suite struct PredictExportTests {
    @Test func exportWritesEveryCustomer() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let csv = dir.path("alive.csv")
        let out = try runECSH(["--demo", "--format", "csv", "-c", "predict alive top 3", "-c", "export to '\(csv)'",
                               "-c", "sql select count(distinct customer_id) as n from orders where status not in ('cancelled', 'returned', 'refunded')"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        // Customers with a counted order, counted by plain SQL over orders: one row each plus the header.
        let expected = Int(out.stdout.split(separator: "\n").last.map(String.init) ?? "") ?? -1
        #expect(lines.count == expected + 1)
        #expect(lines.first?.hasPrefix("customer_id,") == true)
    }

    /// Every customer's id is read from the facts when exported: after the facts were built again the
    /// export says so instead of naming customers by keys that may have moved.
    @Test func exportAfterTheFactsChangedFails() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let csv = dir.path("alive.csv")
        let out = try runECSH(["--demo", "-c", "predict alive top 3", "-c", "rebuild", "-c", "export to '\(csv)'"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("the customer facts changed since predict alive ran"), "\(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: csv))
    }
}

/// `predict ltv` summaries: the groups add up to the total, and both summaries agree.
@Suite struct PredictSummaryTests {
    @Test func groupsAddUpToTheTotal() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "predict ltv horizon 12 months",
                               "-c", "sql select count(*) from ecsh_customer_facts"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        var totals: [[Double]] = []
        for header in ["first_channel,", "cohort,"] {
            guard let start = lines.firstIndex(where: { $0.hasPrefix(header) }) else { Issue.record("no \(header) table"); return }
            var customers = 0.0, equity = 0.0
            for line in lines[(start + 1)...] {
                let f = line.split(separator: ",").map(String.init)
                if f[0] == "total" {
                    // Customers and equity (column 2 and the last) are sums of the group rows above.
                    #expect(abs(Double(f[1])! - customers) < 0.5)
                    #expect(abs(Double(f[f.count - 1])! - equity) < 1e-6 * max(1, equity))
                    totals.append([Double(f[1])!, Double(f[f.count - 1])!])
                    break
                }
                customers += Double(f[1])!
                equity += Double(f[f.count - 1])!
            }
        }
        // Same customers whichever way they are grouped; the equity differs, each group being at its own margin.
        #expect(totals.count == 2 && totals[0][0] == totals[1][0])
        // Every customer with a counted order is in the model.
        #expect(totals.first?[0] == Double(lines.last!))
    }
}

/// `explain` covers every concept the lessons use, and tells historical LTV and predicted CLV apart.
@Suite struct TeachingExplainTests {
    static let lessonConcepts = [
        "gmv trap", "gmv", "revenue", "margin", "sales equation", "mall dependence", "commission", "points",
        "f2", "repeat_rate", "active_members", "retention_rate", "cohorts", "nps", "margin of error", "promoters",
        "ltv", "historical ltv", "cac", "ltv cac", "payback", "loss making", "acquisition quality", "clv",
        "p alive", "customer equity", "kpi tree", "okr",
    ]

    @Test(arguments: lessonConcepts) func conceptIsExplained(_ topic: String) throws {
        let out = try runECSH(["-c", "explain \(topic)"])
        #expect(out.status == 0, "explain \(topic): \(out.stderr)")
        #expect(out.stdout.count > 80)
    }

    @Test func historicalLTVAndPredictedCLVAreDifferentTopics() throws {
        let clv = try runECSH(["-c", "explain clv"]).stdout
        let ltv = try runECSH(["-c", "explain historical ltv"]).stdout
        #expect(clv.hasPrefix("Predicted CLV") && clv.contains("BG/NBD") && clv.contains("Not the same number as historical LTV"))
        #expect(ltv.hasPrefix("Historical LTV") && ltv.contains("uses no model"))
        #expect(try runECSH(["-c", "explain p alive"]).stdout.contains("one-time buyer gets P(alive) = 1"))
    }
}
