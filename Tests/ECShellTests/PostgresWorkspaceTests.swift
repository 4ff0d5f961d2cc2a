import Foundation
import Testing
import ECTestSupport

/// A PostgreSQL workspace through the real binary: what is promised for SQLite files holds on a
/// server (failed loads leave it as it was, `sql` writes invalidate derived data), and a server
/// that cannot be reached is a clear error with exit status 2. Checked with psql, not with ecsh.
@Suite struct PostgresWorkspaceTests {
    @Test func aFailedLoadLeavesTheServerAsItWas() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let good = try dir.write("good.csv", "order_id,customer_id,ordered_at,amount\nA1,C1,2024-01-05,1000\nA2,C2,2024-01-06,2000\nA3,C1,2024-02-07,1500\n")
        let bad = try dir.write("bad.csv", "order_id,customer_id,ordered_at,amount\nB1,C1,2024-01-05,1000\nB2,C2,2024-13-45,2000\n")
        let url = try PostgresServer.freshDatabase("failedload")
        let first = try runECSH([url, "-c", "load orders from '\(good)'", "-c", "kpi orders, gmv"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("¥4,500"))
        let before = try PostgresServer.psql(url, "SELECT count(*), sum(amount), (SELECT count(*) FROM ecsh.ecsh_inputs) FROM orders")
        #expect(before == "3|4500|1\n")
        // The bad date is on line 3, column 3 of the file; nothing of the load reaches the server.
        let second = try runECSH([url, "-c", "load orders from '\(bad)'"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("bad.csv:3:3"), "\(second.stderr)")
        #expect(second.stderr.contains("nothing was loaded; the workspace is as it was"), "\(second.stderr)")
        #expect(try PostgresServer.psql(url, "SELECT count(*), sum(amount), (SELECT count(*) FROM ecsh.ecsh_inputs) FROM orders") == before)
    }

    @Test func sqlGoesToTheServerAndItsWritesInvalidateDerivedData() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let good = try dir.write("good.csv", "order_id,customer_id,ordered_at,amount\nA1,C1,2024-01-05,1000\nA2,C2,2024-01-06,2000\nA3,C1,2024-02-07,1500\n")
        let url = try PostgresServer.freshDatabase("sqlwrites")
        // PostgreSQL's own dialect passes through (`::`, `generate_series`); a DELETE says how many rows
        // it changed and the next KPI is computed from the rows left (2 orders, ¥3,500), not from old facts.
        let out = try runECSH([url, "--format", "csv", "-c", "load orders from '\(good)'", "-c", "kpi orders, customers",
                               "-c", "sql SELECT sum(x)::int AS s FROM generate_series(1, 10) AS x",
                               "-c", "sql DELETE FROM orders WHERE order_id = 'A3'", "-c", "kpi orders, customers, gmv"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "orders,customers\n3,2\ns\n55\norders,customers,gmv\n2,2,3000.0\n", "\(out.stdout)")
        #expect(out.stderr.contains("ok (1 row changed)"), "\(out.stderr)")
    }

    /// `on_error skip` on the server: the good rows load, each bad one is in ecsh_rejects with its line
    /// and column, as on SQLite (2 of 5 data lines bad here, worked out by hand; an append merges by id).
    @Test func skippedRowsGoToTheServersRejectsAndAppendMerges() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let file = try dir.write("mixed.csv", """
            order_id,customer_id,ordered_at,amount
            A1,C1,2024-01-05,1000
            A2,C2,2024-13-45,2000
            A3,C1,2024-02-07,1500
            A4,C3,2024-02-08,abc
            A5,C3,2024-02-09,700

            """)
        let more = try dir.write("more.csv", "order_id,customer_id,ordered_at,amount\nA5,C3,2024-02-09,900\nA6,C4,2024-03-01,300\n")
        let url = try PostgresServer.freshDatabase("rejects")
        let out = try runECSH([url, "-c", "load orders from '\(file)' with on_error skip", "-c", "load orders from '\(more)' append"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("skipped 2 bad rows"), "\(out.stderr)")
        #expect(out.stderr.contains("1 new, 1 updated, 0 unchanged"), "\(out.stderr)")
        #expect(try PostgresServer.psql(url, "SELECT line, col, field FROM ecsh.ecsh_rejects ORDER BY line") == "3|3|ordered_at\n5|4|amount\n")
        // A1, A3, A5 (now 900), A6: 1000 + 1500 + 900 + 300.
        #expect(try PostgresServer.psql(url, "SELECT count(*), sum(amount) FROM orders") == "4|3700\n")
    }

    /// Appends without ids on the server as on SQLite: a spend file's account is part of its key, an anonymous NPS
    /// answer matches only its exact repeat, and several earlier rows of a key replaced by one are said.
    @Test func naturalKeyAppendsMergeAsOnSQLite() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let jp = try dir.write("jp.csv", "date,channel,campaign,account,spend\n2024-01-01,google,brand,JP,1000\n2024-01-02,google,brand,JP,1000\n")
        let us = try dir.write("us.csv", "date,channel,campaign,account,spend\n2024-01-01,google,brand,US,700\n2024-01-02,google,brand,JP,900\n")
        let a = try dir.write("a.csv", "responded_at,customer_id,score\n2024-01-10,,9\n2024-01-10,,3\n2024-01-11,C1,10\n")
        let b = try dir.write("b.csv", "responded_at,customer_id,score\n2024-01-10,,3\n2024-01-10,,10\n2024-01-11,C1,8\n")
        let url = try PostgresServer.freshDatabase("naturalkeys")
        let out = try runECSH([url, "-c", "load spend from '\(jp)'", "-c", "load spend from '\(us)' append",
                               "-c", "load nps from '\(a)'", "-c", "load nps from '\(b)' append"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("; 1 new, 1 updated, 0 unchanged"), "\(out.stderr)")
        #expect(out.stderr.contains("; 1 new, 1 updated, 1 unchanged"), "\(out.stderr)")
        // Spend: JP 1000 + 900, US 700. NPS: 9, 3, 10 anonymous and C1's 8.
        #expect(try PostgresServer.psql(url, "SELECT count(*), sum(spend) FROM spend") == "3|2600\n")
        #expect(try PostgresServer.psql(url, "SELECT count(*), sum(score) FROM nps") == "4|30\n")
    }

    /// Repeated ids on the server as on SQLite: an exact repeat collapses with a note, a differing one is
    /// the located error (the staging file once ran without a journal, so the rollback that finds
    /// repeats did nothing: the server got 3 orders, ¥2,500, instead of 2 and ¥1,500).
    @Test func repeatedIdsCollapseOrFailAsOnSQLite() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let header = "order_id,customer_id,ordered_at,amount\n"
        let exact = try dir.write("exact.csv", header + "A1,C1,2024-01-05,1000\nA2,C2,2024-01-06,500\nA1,C1,2024-01-05,1000\n")
        let differing = try dir.write("differing.csv", header + "A1,C1,2024-01-05,1000\nA2,C2,2024-01-06,500\nA1,C1,2024-01-05,900\n")
        let url = try PostgresServer.freshDatabase("repeats")
        for file in [exact, differing] {
            let onSQLite = try runECSH(["-c", "load orders from '\(file)'", "-c", "kpi orders, gmv"])
            let onServer = try runECSH([url, "-c", "load orders from '\(file)'", "-c", "kpi orders, gmv"])
            #expect(onServer.status == onSQLite.status)
            #expect(onServer.stdout == onSQLite.stdout)
            let lines = { (s: String) in s.split(separator: "\n").filter { !$0.hasPrefix("note: workspace") && !$0.hasPrefix("loaded ") } }
            #expect(lines(onServer.stderr) == lines(onSQLite.stderr))
        }
        #expect(try PostgresServer.psql(url, "SELECT count(*), sum(amount) FROM orders") == "2|1500\n")
    }

    /// Groups come in one order (text byte by byte, the group without a value last) on SQLite and on a server whose
    /// collation sorts otherwise: here ICU's en-US, which puts 'amazon' before 'Own'.
    @Test func groupsKeepSQLitesOrderWhateverTheServersCollation() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", "order_id,customer_id,ordered_at,amount,channel,category\nA1,C1,2024-01-05,1000,Own,x\nA2,C2,2024-01-06,500,amazon,\nA3,C3,2024-01-07,300,b-2,Y\nA4,C4,2024-02-08,10,b1,y\nA5,C1,2024-02-09,20,_x,x\n")
        let nps = try dir.write("nps.csv", "customer_id,responded_at,score,channel\nC1,2024-01-10,9,Own\nC2,2024-01-11,3,amazon\nC3,2024-01-12,7,b-2\nC4,2024-02-12,10,B1\nC5,2024-02-13,10,\n")
        let url = try PostgresServer.freshDatabase("icu", options: "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C' TEMPLATE template0")
        // The server's own order is not SQLite's: the test would see a difference.
        #expect(try PostgresServer.psql(url, "SELECT x FROM (VALUES ('Own'), ('amazon'), (NULL)) AS v(x) ORDER BY x") == "amazon\nOwn\n\n")
        let statements = ["load orders from '\(orders)'", "load nps from '\(nps)'", "kpi orders, gmv by category", "kpi orders by month, category",
                          "nps by channel", "kpi orders by cohort, category"]
        let arguments = ["--format", "csv"] + statements.flatMap { ["-c", $0] }
        let onSQLite = try runECSH(arguments)
        let onServer = try runECSH([url] + arguments)
        #expect(onSQLite.status == 0 && onServer.status == 0, "\(onServer.stderr)")
        #expect(onServer.stdout == onSQLite.stdout)
        // By hand: 'Y' before 'x' and 'y' (bytes: 'Y' is 0x59), then the empty category last.
        #expect(onSQLite.stdout.contains("category,orders,gmv\nY,1,300.0\nx,2,1020.0\ny,1,10.0\n,1,500.0\n"), "\(onSQLite.stdout)")
    }

    /// A server error in `sql` is located at the server's position in the statement (column 12: `nosuch`).
    @Test func aServerErrorInSQLIsLocated() throws {
        let url = try PostgresServer.freshDatabase("sqlerror")
        let out = try runECSH([url, "-c", "sql select nosuch from pg_class"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("PostgreSQL: column \"nosuch\" does not exist"), "\(out.stderr)")
        #expect(out.stderr.contains("<command line>:1:12"), "\(out.stderr)")
    }

    /// The customer-id rules (e-mail ids in lower case, placeholders no customer) reach rows an earlier ecsh left on a
    /// server as they do in a file: once, at the next load, with the note; the same hand-worked figures as
    /// `CustomerKeyRulesTests` (customers taro and C9, repeat rate 1 / 2, Tokyo ¥200), checked with psql too.
    @Test func earlierRowsOnTheServerAreBroughtUnderTheCustomerIdRulesOnce() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let m1 = try dir.write("m1.csv", "order_id,customer_id,ordered_at,amount\n1,x@shop.jp,2024-01-01,100\n2,y@shop.jp,2024-01-02,100\n3,C9,2024-01-03,100\n")
        let m2 = try dir.write("m2.csv", "order_id,customer_id,ordered_at,amount\n4,Taro@Example.jp,2024-02-01,100\n5,-,2024-02-02,100\n")
        let c = try dir.write("c.csv", "customer_id,region\ntaro@example.jp,Tokyo\n")
        let url = try PostgresServer.freshDatabase("keyrules")
        let first = try runECSH([url, "-c", "load orders from '\(m1)'"])
        #expect(first.status == 0, "\(first.stderr)")
        _ = try PostgresServer.psql(url, """
            UPDATE orders SET customer_id = 'Taro@Example.jp' WHERE order_id = '1';
            UPDATE orders SET customer_id = '-' WHERE order_id = '2';
            DROP TABLE IF EXISTS ecsh.ecsh_key_rules
            """)
        let out = try runECSH([url, "--format", "csv", "-c", "load orders from '\(m2)' append", "-c", "load customers from '\(c)'",
                               "-c", "kpi customers, repeat_rate", "-c", "kpi gmv by region", "-c", "load orders from '\(m2)' append"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("customers,repeat_rate\n2,0.5\n"), "\(out.stdout)")
        #expect(out.stdout.contains("Tokyo,200.0"), "\(out.stdout)")
        let note = "rows loaded by an earlier ecsh were brought under this version's customer-id rules, once: 1 e-mail ids put in lower case, 1 placeholder ids made no customer"
        #expect(out.stderr.components(separatedBy: note).count == 2, "\(out.stderr)")
        #expect(try PostgresServer.psql(url, "SELECT order_id, coalesce(customer_id, '(none)') FROM orders ORDER BY order_id")
                == "1|taro@example.jp\n2|(none)\n3|C9\n4|taro@example.jp\n5|(none)\n")
    }

    /// Two shops' orders with one id on a server: the append stops as on SQLite (`OrderIdCollisionTests`), and with
    /// `id_prefix` both orders count (¥6,500 of 4 orders, by hand), checked with psql.
    @Test func anAppendedOrderOfAnotherChannelWithTheSameIdStops() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let own = try dir.write("own.csv", OrderIdCollisionTests.own)
        _ = try dir.write("y.csv", OrderIdCollisionTests.yahoo)
        let url = try PostgresServer.freshDatabase("idclash")
        let first = try runECSH([url, "-c", "load orders from '\(own)'"])
        #expect(first.status == 0, "\(first.stderr)")
        let clash = try runECSH([url, "-c", "load orders from 'y.csv' append"], directory: dir.url)
        #expect(clash.status == 1)
        #expect(clash.stderr.contains(OrderIdCollisionTests.error), "\(clash.stderr)")
        #expect(clash.stderr.contains("y.csv:3"), "\(clash.stderr)")
        #expect(try PostgresServer.psql(url, "SELECT count(*), sum(amount) FROM orders") == "2|3000\n")
        let out = try runECSH([url, "-c", "load orders from 'y.csv' append with id_prefix 'yahoo-'"], directory: dir.url)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(try PostgresServer.psql(url, "SELECT count(*), sum(amount), string_agg(order_id, ' ' ORDER BY order_id) FROM orders")
                == "4|6500|1001 1002 yahoo-1001 yahoo-1003\n")
    }

    @Test func anUnreachableServerIsAClearErrorWithStatusTwo() throws {
        let out = try runECSH(["postgresql://nobody@127.0.0.1:1/nothing", "-c", "kpi gmv"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("cannot connect to"), "\(out.stderr)")
        #expect(out.stderr.contains("help: check the server is running"), "\(out.stderr)")
    }

    /// The notes on negations over empty values (a segment's customers, a `where` filter's orders) on the
    /// server as on SQLite: their count query joined the condition to a bare `1`, which PostgreSQL refuses
    /// in `AND`, and the refusal was swallowed, so the server said nothing. By hand: c3 and c4 have no
    /// region (2 of 5 customers); orders 3 and 4 have no shop_tag (2 of 5 orders).
    @Test func negationNotesOnTheServerAsOnSQLite() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,shop_tag
            1,c1,2024-01-05,1000,A
            2,c2,2024-01-06,2000,B
            3,c3,2024-02-01,3000,
            4,c4,2024-02-03,500,
            5,c5,2024-03-01,700,A

            """)
        let customers = try dir.write("customers.csv", "customer_id,region\nc1,Tokyo\nc2,Osaka\nc3,\nc4,\nc5,Tokyo\n")
        let statements = ["load orders from '\(orders)'", "load customers from '\(customers)'", "segment nt = region != 'Tokyo'",
                          "kpi orders where shop_tag != 'A'"]
        let url = try PostgresServer.freshDatabase("negationnotes")
        for workspace in [url, dir.path("w.db")] {
            let out = try runECSH([workspace, "--format", "csv"] + statements.flatMap { ["-c", $0] })
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stderr.contains("segment nt: 1 of 5 customers"), "\(workspace): \(out.stderr)")
            #expect(out.stderr.contains("note: 2 customers are in neither nt nor its opposite: no region (∅)"), "\(workspace): \(out.stderr)")
            #expect(out.stderr.contains("note: 2 orders are in neither the filter nor its opposite: no shop_tag (∅)"), "\(workspace): \(out.stderr)")
            #expect(out.stdout == "orders\n1\n", "\(workspace): \(out.stdout)")
        }
    }
}
