import Foundation
import Testing
import ECTestSupport

/// The real `sql` path: a writing statement typed in the shell changes `orders` behind the
/// order snapshot and customer facts the first `kpi` built; the next `kpi` must see it.
/// Checked through the binary on the sample shop, against the orders' own rows read with `sql`.
@Suite struct SQLInvalidationTests {
    @Test func writingSQLReachesTheNextKPI() throws {
        let ids = "('O00000001', 'O00000002')"
        let statements = [
            "sql SELECT order_id, amount, status FROM orders WHERE order_id IN \(ids) ORDER BY order_id",
            "kpi gmv, orders, customers",
            "sql UPDATE orders SET amount = amount + 1000 WHERE order_id = 'O00000001'",
            "kpi gmv, orders, customers",
            "sql UPDATE orders SET status = 'cancelled' WHERE order_id = 'O00000002'",
            "kpi gmv, orders, customers",
        ]
        let output = try runECSH(["--demo", "--csv"] + statements.flatMap { ["-c", $0] })
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        // The SELECT (header + 2 rows), then three KPI results (header + 1 row each).
        let kpiRows = lines.indices.filter { lines[$0] == "gmv,orders,customers" }.map { lines[$0 + 1] }
        try #require(kpiRows.count == 3, "\(lines)")
        let rows = kpiRows.map { $0.split(separator: ",").compactMap { Double($0) } }
        let originals = lines[1...2].map { $0.split(separator: ",").map(String.init) }
        // Both sample orders start out counted (completed), so each change shows in the KPIs.
        #expect(originals.allSatisfy { $0.count == 3 && $0[2] == "completed" }, "\(originals)")
        let secondAmount = try #require(Double(originals[1][1]))
        // +1000 on a counted order: GMV + 1000, same orders.
        #expect(rows[1][0] == rows[0][0] + 1000)
        #expect(rows[1][1] == rows[0][1])
        // Cancelling a counted order: GMV − its amount, one order fewer.
        #expect(rows[2][0] == rows[1][0] - secondAmount)
        #expect(rows[2][1] == rows[1][1] - 1)
        // Its customer may still have other orders, so customers drops by at most one.
        #expect(rows[2][2] <= rows[1][2] && rows[2][2] >= rows[1][2] - 1)
    }
}

/// `describe` reads each column's count, minimum and maximum, the statuses and the guests as the load
/// counted them; the same as a scan of the table gives, and a writing statement sends it back to the scan.
@Suite struct DescribeFromTheLoadTests {
    @Test func describeAgreesWithTheScanAndSeesAWrite() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        // Guests, an unknown word, cancel words spelled otherwise, columns not in the file (all NULL).
        let words = ["completed", "発送済み", "キャンセル", "Awaiting Pickup", "voided", "completed", "Awaiting Pickup"]
        var text = "order_id,customer_id,ordered_at,amount,status\n"
        for i in 0..<210 { text += "O\(i),\(i % 9 == 0 ? "" : "C\(i % 40)"),2024-0\(1 + i % 9)-1\(i % 10),\(100 + i * 7),\(words[i % words.count])\n" }
        let orders = try dir.write("orders.csv", text)
        let w = dir.path("w.db")
        let load = try runECSH([w, "--csv", "-c", "load orders from '\(orders)'",
                                "-c", "sql SELECT count(*) FROM ecsh_column_stats WHERE dataset = 'orders'"])
        #expect(load.status == 0 && load.stdout == "count(*)\n16\n", "\(load.stdout) \(load.stderr)")
        let counted = try runECSH([w, "--csv", "-c", "describe orders"])
        // A writing statement: the load's figures are no longer used (and here, gone).
        let scanned = try runECSH([w, "--csv", "-c", "sql DELETE FROM ecsh_column_stats", "-c", "describe orders"])
        #expect(counted.status == 0 && scanned.status == 0, "\(counted.stderr) \(scanned.stderr)")
        #expect(counted.stdout == scanned.stdout)
        #expect(counted.stderr == scanned.stderr.replacingOccurrences(of: "ok (16 rows changed)\n", with: ""), "\(scanned.stderr)")
        #expect(counted.stderr.contains("statuses: 90 completed · 60 cancelled · 60 unknown"), "\(counted.stderr)")
        #expect(counted.stderr.contains("24 guest orders"), "\(counted.stderr)")
        let changed = try runECSH([w, "--csv", "-c", "load orders from '\(orders)'",
                                   "-c", "sql UPDATE orders SET amount = 999999, customer_id = NULL WHERE order_id = 'O1'",
                                   "-c", "describe orders"])
        #expect(changed.stdout.split(separator: "\n").contains("amount,real,amount,0,100.0,999999.0"), "\(changed.stdout)")
        #expect(changed.stderr.contains("25 guest orders"), "\(changed.stderr)")
    }
}
