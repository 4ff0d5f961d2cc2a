import Foundation
import Testing
import ECTestSupport

/// Shops at the edges (every order cancelled, one order, one day), through the real binary: each
/// statement answers or refuses with a message; none may crash the process.
@Suite struct EdgeShopTests {
    /// Every order cancelled: no counted order, so the order snapshot holds no block. `kpi tree` made the
    /// range of first days `0...(-1)` and the process died (Fatal error: Range requires lowerBound <=
    /// upperBound, exit 132). Its figures are the plain sums over no order: GMV 0, 0 orders. CSV writes the
    /// formula without its leading `= ` (it was `'= orders × aov_gross`, neutralised as a spreadsheet formula).
    @Test func kpiTreeOnAShopWithoutCountedOrders() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", """
            order_id,customer_id,ordered_at,amount,channel,status
            1,c1,2024-03-05,1000,own,cancelled
            2,c2,2024-03-06,2000,rakuten,cancelled

            """)
        let out = try runECSH([dir.path("w.db"), "--format", "csv", "-c", "load orders from '\(orders)'",
                               "-c", "kpi tree gmv by month from 2024-03 to 2024-05", "-c", "kpi tree revenue", "-c", "kpi gmv, orders"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("gmv,orders × aov_gross,JPY,0,0,"), "\(out.stdout)")
        #expect(out.stdout.hasSuffix("gmv,orders\n0,0\n"), "\(out.stdout)")
    }

    /// A file whose customer column ecsh does not know (`buyer_ref`): every order a guest order. The load said
    /// "2 guest orders" and no more; cohorts then failed with "no counted orders to build cohorts from" and
    /// predict with "no customers … check the order filter, segment and calibration date", neither the cause.
    /// Now the load names the unused column with the `map` way out, the statements name the cause, and
    /// with the map the same file gives a cohort of 1 (b1 buys in March and April).
    @Test func aShopWhoseOrdersAreAllGuestOrdersSaysWhy() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", "order_id,buyer_ref,ordered_at,amount\n1,b1,2024-03-05,1000\n2,b1,2024-04-05,2000\n")
        let out = try runECSH([dir.path("w.db"), "-c", "load orders from '\(orders)'"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("note: no column of the file was read as customer_id, so every order is a guest order (columns not used for a role: \"buyer_ref\"); if one holds the customer, load again with map customer_id = \"buyer_ref\""), "\(out.stderr)")
        for (statement, what) in [("cohort", "cohorts"), ("predict ltv", "predictions"), ("predict validate", "predictions"), ("unit economics", "unit economics")] {
            let failed = try runECSH([dir.path("w.db"), "-c", statement])
            #expect(failed.status == 1)
            #expect(failed.stderr.contains("error: \(what) follow customers, and none of the 2 counted orders has a customer key (all are guest orders)"), "\(statement): \(failed.stderr)")
            #expect(failed.stderr.contains("map customer_id = \"Header\""), "\(failed.stderr)")
        }
        let mapped = try runECSH([dir.path("w.db"), "--format", "csv", "-c", "load orders from '\(orders)' map customer_id = \"buyer_ref\"", "-c", "cohort periods 2"])
        #expect(mapped.status == 0, "\(mapped.stderr)")
        #expect(mapped.stdout.hasPrefix("cohort (month),size,M0,M1\n2024-03,1,1.0,1.0\n"), "\(mapped.stdout)")
    }

    /// The way out named the first unused column, a buyer's name here (`注文者 名前`), which the key rules never take as a
    /// customer (two customers share a name): it names a column that may hold a key, and says why not the name.
    @Test func theGuestNoteNeverSuggestsAName() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", "order_id,注文者 名前,ordered_at,amount,buyer_ref\n1,山田 太郎,2024-03-05,1000,b1\n2,山田 太郎,2024-04-05,2000,b1\n")
        let out = try runECSH([dir.path("w.db"), "-c", "load orders from '\(orders)'"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("if one holds the customer, load again with map customer_id = \"buyer_ref\" (not \"注文者 名前\": "
                                    + "a name is no key, two customers may share one)"), "\(out.stderr)")
    }
}
