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
}
