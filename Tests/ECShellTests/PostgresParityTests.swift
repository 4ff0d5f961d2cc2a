import Foundation
import Testing
import ECLanguage
import ECTestSupport

/// The same statements through the real binary on an SQLite workspace and on a PostgreSQL
/// workspace (a real server, `PostgresServer`), compared cell by cell: text exactly, numbers within
/// 1e-9 relative (the engines add floating-point sums in different orders). Errors must agree too:
/// a statement that fails on one engine and not the other shifts the output and fails the test.
///
/// The SQLite side computes order measures from its snapshot and customer facts in Swift; the
/// PostgreSQL side runs the reference SQL and builds the facts in SQL on the server: two
/// independent computations of every number below.
@Suite struct PostgresParityTests {
    static let kpis = ["gmv", "revenue", "orders", "aov", "aov_gross", "units", "customers", "new_customers",
                       "returning_customers", "repeat_rate", "f2_rate", "active_members", "retention_rate", "churn_rate",
                       "sessions", "cvr", "sales", "spend", "cac", "ltv", "ltv_cac", "payback", "cpa", "roas", "mer",
                       "margin", "margin_rate", "commission", "mall_dependence", "discount_rate", "nps"]

    /// Every catalogue KPI by month, by quarter and channel, over the whole range and by cohort
    /// (the splits a KPI does not allow fail alike on both engines).
    static let everyKPI: [String] = kpis.flatMap { k in
        ["kpi \(k) by month", "kpi \(k) by quarter, channel", "kpi \(k)", "kpi \(k) by cohort from 2023-01 to 2023-12"]
    }

    /// Segments, filters, ranges, derived KPIs, settings that move counted orders and as_of, weeks.
    static let statements: [String] = [
        "tables",
        "segment vip = revenue >= 20000",
        "segment loyal = orders >= 3 and channels = 1",
        "segment lapsed = recency > 180 and not first_channel = 'rakuten'",
        "segments",
        "kpi gmv, aov, customers, f2_rate, repeat_rate by quarter for vip, loyal, lapsed",
        "kpi gmv, orders, ltv for vip, loyal",
        "kpi customers, revenue by first_channel",
        "kpi gmv, orders by month where channel = 'rakuten' from 2024-01 to 2024-06",
        "kpi nps, customers by quarter for vip",
        "define kpi gpo = gmv / orders",
        "define kpi net_share = revenue / gmv",
        "kpi gpo, net_share by quarter",
        "set week_start sunday",
        "kpi orders, customers, active_members by week from 2024-11-01 to 2024-12-31",
        "set f2_window 60 days",
        "kpi f2_rate by month from 2024-01",
        "set excluded_statuses cancelled",
        "kpi gmv, orders, customers, new_customers by quarter",
        "segments",
        "set as_of 2024-06-30",
        "kpi active_members, retention_rate, ltv by quarter",
        "kpi customers for vip",
        "set as_of last_order",
        "nps", "nps by quarter", "nps by first_channel", "nps for vip",
        "kpi tree revenue by month from 2024-04 to 2024-05",
        "target gmv >= 15000000", "target repeat_rate >= 0.3", "scorecard by quarter",
        "describe orders",
        "predict ltv horizon 12 months", "predict ltv horizon 12 months by first_channel",
        "predict ltv horizon 6 months for vip", "predict validate holdout 26 weeks",
        "cohort", "cohort retention by week periods 8", "cohort retention by quarter mode on_or_after periods 6",
        "cohort retention by month mode cumulative periods 12", "cohort customers by quarter periods 6",
        "cohort orders by month periods 6", "cohort revenue cumulative by quarter periods 6",
        "cohort margin cumulative by month periods 12", "cohort margin by first_channel periods 4",
        "cohort retention by region periods 4", "cohort retention by acquisition_channel mode on_or_after periods 4",
        "cohort retention by quarter for vip periods 4", "cohort orders by quarter where channel = 'rakuten' periods 4",
        "unit economics", "unit economics by channel horizon 12 months", "unit economics by cohort horizon 6 months",
        "unit economics by month horizon 3 months",
    ]

    @Test func sampleShopGivesTheSameNumbersOnBothEngines() throws {
        let shop = BuiltBinary.packageRoot.appendingPathComponent("samples/shop").path
        let loads = """
            set timezone 'Asia/Tokyo'
            load orders from '\(shop)/orders.csv'
            load customers from '\(shop)/customers.csv'
            load spend from '\(shop)/ad_spend.csv'
            load traffic from '\(shop)/traffic.csv'
            load nps from '\(shop)/nps.csv'
            """
        try compare(script: loads + "\n" + (Self.everyKPI + Self.statements).joined(separator: "\n"), label: "sample")
    }

    /// Every example `help` shows, after the sample shop's loads, on both engines.
    @Test func everyHelpExampleGivesTheSameOutput() throws {
        let shop = BuiltBinary.packageRoot.appendingPathComponent("samples/shop").path
        let loads = ["set timezone 'Asia/Tokyo'"] + [("orders", "orders.csv"), ("customers", "customers.csv"), ("spend", "ad_spend.csv"),
                                                    ("traffic", "traffic.csv"), ("nps", "nps.csv")].map { "load \($0.0) from '\(shop)/\($0.1)'" }
        // `sql` examples pass SQL through as written, in each engine's own dialect (PostgreSQL names and orders a
        // bare count(*) differently), and `show sql` and `explain … sql` print the SQL each engine runs (standard
        // SQL on PostgreSQL): they are left out; everything else must agree.
        let examples = CommandCatalog.all.flatMap(\.examples).filter { !$0.hasPrefix("sql ") && !$0.hasSuffix(" sql") && $0 != "show sql" }
        #expect(examples.count >= 40)
        try compare(script: (loads + examples).joined(separator: "\n"), label: "help", linkSamples: true)
    }

    /// Every sample script, as a user replays it, on both engines.
    @Test(arguments: ["load-shop", "tour", "kpi-tree", "cohorts", "nps", "sales-equation", "unit-economics",
                      "mall-to-own", "scorecard", "tutorial"])
    func sampleScriptGivesTheSameOutput(name: String) throws {
        let path = BuiltBinary.packageRoot.appendingPathComponent("samples/\(name).ecsh").path
        #expect(FileManager.default.fileExists(atPath: path))
        try compare(script: "run '\(path)'", label: "sample\(name)", minimumLines: 0)
    }

    /// Full-width mall names (`MarketplaceNameTests`): the server's SQL counts them as the SQLite side does, 80.0%.
    @Test func fullWidthMallNamesOnBothEngines() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", MarketplaceNameTests.fullWidthOrders)
        let script = ["load orders from '\(orders)'", "kpi gmv, mall_dependence", "kpi gmv by channel", "unit economics by channel"]
        try compare(script: script.joined(separator: "\n"), label: "fullwidth", minimumLines: 5)
        let pg = try runECSH([try PostgresServer.freshDatabase("fullwidth2"), "--format", "csv", "-c", script[0], "-c", script[1]])
        #expect(pg.stdout.contains("10000,0.8\n") || pg.stdout.contains("10000.0,0.8\n"), "\(pg.stdout)\(pg.stderr)")
    }

    /// The load rules and notes of report exports and order files (`ReportExportTests`, `ZeroAmountOrderTests`,
    /// `ImplicitTimeZoneTests`, `OrderIdCollisionTests`, `EmailKeyLiteralTests`): the same rows, numbers and messages
    /// on both engines. The server's loads once lost the notes of a streamed file's columns (which column is the score,
    /// a header in UTC, a renamed repeated header) and of its comment lines, and located an id collision at its line only.
    @Test func loadRulesAndTheirNotesAgree() throws {
        let files = [
            // Google Ads: two title lines, `--`, three totals rows. Hand sum 1,234.56 + 2,000 + 3,100 + 500 = 6,834.56.
            "gads.csv": "Campaign report\n\"March 1, 2024 - March 3, 2024\"\nDay,Campaign,Currency code,Cost,Impr.,Clicks\n"
                + "2024-03-01,Brand,JPY,\"1,234.56\",\"12,000\",300\n2024-03-01,Generic,JPY,\"2,000.00\",\"8,000\",150\n"
                + "2024-03-02,Brand,JPY,--,0,--\n2024-03-02,Generic,JPY,\"3,100.00\",\"9,500\",180\n2024-03-03,Brand,JPY,500.00,\"4,000\",90\n"
                + "Total: Account,--,JPY,\"6,834.56\",\"33,500\",720\nTotal: Campaigns,--,JPY,\"6,834.56\",\"33,500\",720\n",
            // Meta: a summary row over the three days (9,600), then the days: 3,000 + 3,500 + 3,100.
            "meta.csv": "Reporting starts,Reporting ends,Campaign name,Amount spent (JPY)\n2024-03-01,2024-03-03,,\"9,600\"\n"
                + "2024-03-01,2024-03-01,Spring,3000\n2024-03-02,2024-03-02,Spring,3500\n2024-03-03,2024-03-03,Spring,3100\n",
            // Google Forms: a labelled 10, b's 9 exported twice, c unanswered, a labelled 0: P 2, D 1 of 3, NPS 33.3.
            "gf.csv": "Timestamp,Email Address,How likely are you to recommend us to a friend?\n2024/03/05 14:22:11,a@x.jp,10 - Extremely likely\n"
                + "2024/03/05 15:00:00,b@x.jp,9\n2024/03/05 15:00:00,b@x.jp,9\n2024/03/06 10:00:00,c@x.jp,\n2024/03/06 11:00:00,d@x.jp,0（全くそう思わない）\n",
            // Typeform: the score is a question's column, times in UTC: a1 is 05:00 on 1 April in Tokyo.
            "tf.csv": "#,How likely are you to recommend us?,Submit Date (UTC)\na1,10,2024-03-31 20:00:00\na2,3,2024-03-31 10:00:00\n",
            // A ¥0 counted order (C1's sample), a comment line, a repeated header, offsets without a zone named.
            "zero.csv": "order_id,customer_id,ordered_at,amount,status,note,note\n1,Bob@X.com,2024-01-01 10:00:00 +0900,1000,completed,a,b\n"
                + "2,bob@x.com,2024-01-05 00:30:00 +0900,0,completed,a,b\n# exported by the shop\n3,C2,2024-01-02 10:00:00 +0900,2000,completed,a,b\n"
                + "4,C3,2024-01-03 10:00:00 +0900,0,cancelled,a,b\n",
            "own.csv": OrderIdCollisionTests.own, "y.csv": OrderIdCollisionTests.yahoo,
        ]
        let script = [
            "load spend from 'gads.csv'", "sql SELECT count(*) AS n, sum(clicks) AS clicks FROM spend", "kpi spend",
            "load spend from 'meta.csv'", "kpi spend", "describe spend",
            "load nps from 'gf.csv'", "nps",
            "set timezone 'Asia/Tokyo'", "load nps from 'tf.csv'", "nps by month", "set timezone ''",
            "load orders from 'zero.csv' with comment '#'", "kpi orders, customers, repeat_rate by month", "describe orders",
            "kpi gmv where customer_id = 'BOB@x.com'",
            "load orders from 'own.csv'", "load orders from 'y.csv' append", "load orders from 'y.csv' append with id_prefix 'yahoo-'",
            "kpi gmv, orders, customers",
        ]
        try compare(script: script.joined(separator: "\n"), label: "loadnotes", minimumLines: 20, notes: true, files: files,
                    environment: ["TZ": "Etc/UTC"])
    }

    /// `show sql` on a server prints SQL for psql: it runs there as it is (ecsh's own tables found through the
    /// `SET search_path` it starts with) and gives ecsh's numbers. By hand, orders above ¥0.5 (a real, written as
    /// float8): January 1000 + 2000 + 500 in 3 orders, February 700 in 1.
    @Test func showSQLRunsInPsqlWithTheSameNumbers() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("o.csv", "order_id,customer_id,ordered_at,amount\n1,C1,2024-01-01,1000\n2,C1,2024-01-05,0\n"
                                   + "3,C2,2024-01-02,2000\n5,C4,2024-01-04,500\n6,C4,2024-02-04,700\n")
        let url = try PostgresServer.freshDatabase("showsql")
        let out = try runECSH([url, "--format", "csv", "-c", "load orders from '\(orders)'", "-c", "kpi gmv, orders by month where amount > 0.5",
                               "-c", "show sql"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("month,gmv,orders\n2024-01,3500.0,3\n2024-02,700.0,1\n"), "\(out.stdout)")
        guard let start = out.stdout.range(of: "SET search_path") else { Issue.record("no SET search_path: \(out.stdout)"); return }
        let sql = String(out.stdout[start.lowerBound...])
        #expect(sql.contains("> 0.5::float8") && sql.hasSuffix("this runs as it is in psql\n"), "\(sql)")
        #expect(try PostgresServer.psql(url, sql) == "|2024-01|3500|3\n|2024-02|700|1\n")
    }

    /// Today's SQLite-checked features on a server. `age` from a birthday at as_of 2025-02-28 (no 29 February that year):
    /// born 2000-02-29 → 24 (a year older only from 1 March), 1994-03-01 → 30 (birthday not yet), 1993-12-31 → 31,
    /// 1985-03-02 → 39, none → ∅; age >= 30: 3 of 5; by band 20-29 1, 30-39 3, ∅ 1. The old ecsh sent SQLite's
    /// GLOB and date(… 'unixepoch') to the server: "syntax error at or near GLOB". The load's note on 決済処理中
    /// (streamed, and staged by an append), and `predict validate`'s longest holdout (`PredictEdgeTests`' 12 customers
    /// whose 10th repeat is on 2024-02-10, 80 days before the last purchase: 11 weeks) as SQLite gives them.
    @Test func ageTheStatusNoteAndTheHoldoutHelpOnAServer() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("o.csv", "order_id,customer_id,order_date,amount,status\n1,C1,2024-01-05,1000,completed\n"
                                   + "2,C2,2024-01-06,2000,completed\n3,C3,2024-02-01,3000,決済処理中\n4,C4,2024-02-10,4000,completed\n"
                                   + "5,C5,2024-03-01,5000,completed\n")
        let more = try dir.write("more.csv", "order_id,customer_id,order_date,amount,status\n6,C1,2024-03-05,1000,決済処理中\n")
        let customers = try dir.write("c.csv", "customer_id,birthday\nC1,2000/02/29\nC2,1994-03-01\nC3,1985-03-02\nC4,\nC5,1993-12-31\n")
        var rows = ["order_id,customer_id,ordered_at,amount,status"]
        for i in 0..<12 {
            rows.append("A\(i),C\(i),2024-01-01,\(1000 + 250 * i),completed")
            rows.append("B\(i),C\(i),2024-02-\(String(format: "%02d", i + 1)),\(900 + 40 * i),completed")
        }
        let repeats = try dir.write("r.csv", (rows + ["Z,C0,2024-04-30,1500,completed"]).joined(separator: "\n") + "\n")
        let url = try PostgresServer.freshDatabase("age")
        let out = try runECSH([url, "--format", "csv", "--keep-going", "-c", "load orders from '\(orders)'", "-c", "load customers from '\(customers)'",
                               "-c", "set as_of 2025-02-28", "-c", "segment s = age >= 30", "-c", "segment a24 = customer_id = 'C1' and age = 24",
                               "-c", "segment a30 = customer_id = 'C2' and age = 30", "-c", "segment a31 = customer_id = 'C5' and age = 31",
                               "-c", "kpi customers by age_band", "-c", "load orders from '\(more)' append",
                               "-c", "load orders from '\(repeats)'", "-c", "set as_of 'last order'", "-c", "predict validate holdout 20 weeks"])
        for line in ["segment s: 3 of 5 customers", "segment a24: 1 of 5", "segment a30: 1 of 5", "segment a31: 1 of 5"] {
            #expect(out.stderr.contains(line), "\(out.stderr)")
        }
        #expect(out.stdout.hasPrefix("age_band,customers\n20-29,1\n30-39,3\n,1\ntotal,5\n"), "\(out.stdout)")
        let note = "note: status '決済処理中' on 1 order, read as pending and counted as a sale"
        #expect(out.stderr.components(separatedBy: note).count == 3, "\(out.stderr)")
        #expect(out.stderr.contains("help: hold out at most 11 weeks (holdout 11 weeks): the calibration period then runs from 2024-01-01 to 2024-02-13"),
                "\(out.stderr)")
        #expect(out.stderr.components(separatedBy: "\nerror").count == 2, "one error, the holdout's: \(out.stderr)")
    }

    /// Randomized shops: other customers, orders, ties and gaps than the sample's.
    @Test(arguments: [7, 1234]) func generatedShopsGiveTheSameNumbers(seed: Int) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let made = try runECSH(["generate", "shop", dir.path("shop"), "--orders", "3000", "--seed", "\(seed)"])
        #expect(made.status == 0, "\(made.stderr)")
        let loads = ["orders": "orders.csv", "customers": "customers.csv", "spend": "ad_spend.csv", "traffic": "traffic.csv", "nps": "nps.csv"]
            .sorted { $0.key < $1.key }.map { "load \($0.key) from '\(dir.path("shop"))/\($0.value)'" }
        let statements = ["kpi gmv, revenue, orders, aov, customers, new_customers, returning_customers by month",
                          "kpi repeat_rate, f2_rate, active_members, retention_rate, churn_rate by quarter, channel",
                          "kpi ltv, cac, ltv_cac, payback, margin, margin_rate by quarter",
                          "kpi sessions, cvr, sales, spend, roas, mer, nps by quarter",
                          "segment big = revenue >= 10000 or orders >= 4",
                          "kpi gmv, customers, f2_rate by cohort for big",
                          "cohort retention by month periods 6", "cohort margin cumulative by first_channel periods 6",
                          "unit economics by channel horizon 6 months", "predict ltv horizon 12 months"]
        try compare(script: (loads + statements).joined(separator: "\n"), label: "seed\(seed)")
    }

    /// The same on a Citus-style layout: orders, customers and NPS hash-partitioned by customer_id
    /// into foreign tables on two shard servers (scripts/pg-shards). `load` keeps that layout
    /// (TRUNCATE and COPY through the coordinator), and the numbers are SQLite's.
    @Test func shardedLayoutGivesTheSameNumbers() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let made = try runECSH(["generate", "shop", dir.path("shop"), "--orders", "3000", "--seed", "99"])
        #expect(made.status == 0, "\(made.stderr)")
        let files = [("orders", "orders.csv"), ("customers", "customers.csv"), ("nps", "nps.csv"), ("spend", "ad_spend.csv"), ("traffic", "traffic.csv")]
        let loads = files.map { "load \($0.0) from '\(dir.path("shop"))/\($0.1)'" }
        // The column types a load gives, read from a plain database, lay out the distributed tables.
        let plain = try PostgresServer.freshDatabase("shardtypes")
        let first = try runECSH([plain, "-c", loads.prefix(3).joined(separator: "\n")])
        #expect(first.status == 0, "\(first.stderr)")
        let topology = try PostgresServer.sharded()
        for table in ["orders", "customers", "nps"] {
            let columns = try PostgresServer.psql(plain, """
                SELECT string_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
                FROM pg_attribute WHERE attrelid = '\(table)'::regclass AND attnum > 0 AND NOT attisdropped
                """).trimmingCharacters(in: .whitespacesAndNewlines)
            try topology.distribute(table, columns: columns, by: "customer_id")
        }
        let statements = ["kpi gmv, revenue, orders, aov, customers, new_customers, returning_customers by month",
                          "kpi repeat_rate, f2_rate, active_members, retention_rate by quarter, channel",
                          "kpi ltv, cac, ltv_cac, margin by quarter", "kpi nps, sessions, cvr by quarter",
                          "segment big = revenue >= 10000 or orders >= 4", "kpi gmv, customers, f2_rate by cohort for big",
                          "nps by first_channel", "segments", "predict ltv horizon 12 months",
                          "cohort retention by quarter periods 4", "cohort margin cumulative by month periods 6",
                          "unit economics by channel horizon 6 months"]
        try compare(script: (loads + statements).joined(separator: "\n"), label: "sharded", server: topology.coordinator)
        // The rows went through the layout: every order is on one of the shards.
        let loaded = try PostgresServer.psql(topology.coordinator, "SELECT count(*) FROM orders").trimmingCharacters(in: .whitespacesAndNewlines)
        let p0 = try PostgresServer.psql(try topology.shard(1), "SELECT count(*) FROM orders_p0").trimmingCharacters(in: .whitespacesAndNewlines)
        let p1 = try PostgresServer.psql(try topology.shard(2), "SELECT count(*) FROM orders_p1").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect((Int(p0) ?? 0) > 0 && (Int(p1) ?? 0) > 0 && (Int(p0) ?? 0) + (Int(p1) ?? 0) == Int(loaded), "\(p0) + \(p1) vs \(loaded)")
    }

    /// Runs `script` on a new SQLite file and a PostgreSQL database (a new one unless `server` names
    /// one) and compares the results.
    /// `notes`: the messages (load summaries, notes, errors and where they point) must agree too, but for the
    /// workspace line and the load's speed. `files`: written into each engine's folder first.
    func compare(script: String, label: String, server given: String? = nil, linkSamples: Bool = false,
                 minimumLines: Int = 40, notes: Bool = false, files: [String: String] = [:],
                 environment: [String: String] = [:]) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let file = dir.path("parity.ecsh")
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let server = try given ?? PostgresServer.freshDatabase(label)
        // Each engine runs in a folder of its own (statements may export files), with samples/ beside it when asked.
        func folder(_ name: String) throws -> URL {
            let url = dir.url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            if linkSamples {
                try FileManager.default.createSymbolicLink(atPath: url.appendingPathComponent("samples").path,
                                                           withDestinationPath: BuiltBinary.packageRoot.appendingPathComponent("samples").path)
            }
            for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
            return url
        }
        let sqlite = try runECSH([dir.path("w.db"), "--format", "csv", "--keep-going", "-f", file], directory: try folder("sqlite"),
                                 environment: environment)
        let pg = try runECSH([server, "--format", "csv", "--keep-going", "-f", file], directory: try folder("pg"), environment: environment)
        if notes {
            let messages = { (text: String) in
                text.split(separator: "\n").filter { !$0.hasPrefix("note: workspace: ") }
                    .map { $0.replacing(#/ in [0-9.]+ s \([0-9,.]+ rows\/s\)/#, with: "") }
            }
            let (x, y) = (messages(sqlite.stderr), messages(pg.stderr))
            let differing = zip(x, y).filter { $0 != $1 }.prefix(5).map { "  SQLite:     \($0)\n  PostgreSQL: \($1)" }
            #expect(x == y, "messages differ (SQLite \(x.count) lines, PostgreSQL \(y.count)):\n\(differing.joined(separator: "\n"))")
        }
        let errors = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("error") }.map(String.init) }
        #expect(errors(pg.stderr) == errors(sqlite.stderr), "errors differ:\nSQLite:\n\(sqlite.stderr)\nPostgreSQL:\n\(pg.stderr)")
        let a = sqlite.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let b = pg.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(a.count == b.count, "SQLite gave \(a.count) lines, PostgreSQL \(b.count)")
        #expect(a.count > minimumLines, "too little output to compare: \(sqlite.stderr)")
        var differences: [String] = []
        for (i, (x, y)) in zip(a, b).enumerated() where !Self.sameLine(String(x), String(y)) {
            differences.append("line \(i + 1):\n  SQLite:     \(x)\n  PostgreSQL: \(y)")
        }
        #expect(differences.isEmpty, "\(differences.count) lines differ:\n\(differences.prefix(15).joined(separator: "\n"))")
    }

    /// Two CSV lines agree: the same cells, numbers within 1e-9 relative (1e-9 absolute near 0).
    static func sameLine(_ x: String, _ y: String) -> Bool {
        if x == y { return true }
        let cx = x.split(separator: ",", omittingEmptySubsequences: false), cy = y.split(separator: ",", omittingEmptySubsequences: false)
        guard cx.count == cy.count else { return false }
        for (p, q) in zip(cx, cy) where p != q {
            guard let u = Double(p), let v = Double(q) else { return false }
            if abs(u - v) > 1e-9 * max(1, abs(u), abs(v)) { return false }
        }
        return true
    }
}
