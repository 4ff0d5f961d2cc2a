import Testing
import ECStore
@testable import ECAnalytics

/// A `where` filter on `amount` alone is applied from the snapshot's amounts (`AmountVerdicts`): SQLite
/// evaluates it once per distinct amount instead of scanning `orders`. Its picks must be exactly the
/// snapshot orders the scan's mask keeps, for comparisons with integers, reals and text (which the column's
/// affinity turns into numbers), ranges, lists and negations; and it must step aside (the scan answers)
/// when an amount is not a number, as SQL's answer then depends on what the snapshot does not hold.
@Suite struct AmountMaskTests {
    static let filters = [
        SQLFragment("o.\"amount\" > ?", [.integer(3000)]),
        SQLFragment("o.\"amount\" >= ?", [.real(2500.5)]),
        SQLFragment("o.\"amount\" > ?", [.text("2500")]),
        SQLFragment("o.\"amount\" BETWEEN ? AND ?", [.integer(1500), .integer(4000)]),
        SQLFragment("o.\"amount\" IN (?, ?, ?)", [.integer(2000), .real(1300.5), .text("5000")]),
        SQLFragment("NOT (o.\"amount\" < ?) AND o.\"amount\" <> ?", [.integer(10_000), .integer(12_000)]),
        SQLFragment("o.\"amount\" IS NULL"),
        SQLFragment("o.\"amount\" * 2 > ?", [.integer(20_000)]),
    ]

    /// Snapshot orders the picks keep, by row, block after block as a pass reads them.
    static func kept(_ picks: OrderPicks, _ db: Database, _ snapshot: OrderSnapshot) throws -> [Int32] {
        var rows: [Int32] = [], row: [Int32] = [], amount: [Double] = [], positions: [Int32] = []
        for block in snapshot.blocks {
            try picks.pick(block, snapshot: snapshot, db: db, row: &row, amount: &amount, into: &positions)
            let blockRows = try snapshot.column(.row, block: block.index, in: db)
            rows += positions.map { blockRows[Int($0)] }
        }
        return rows
    }

    /// The picks from the amounts (failing when `OrderPicks` takes another way) and from a scan of `orders`.
    static func bothWays(_ db: Database, _ filter: SQLFragment, _ snapshot: OrderSnapshot) throws -> (fast: OrderPicks, scan: OrderPicks) {
        let fast = try #require(try OrderPicks.make(db, filter: filter, snapshot: snapshot))
        guard case .amounts = fast else { Issue.record("\(filter.sql): not picked by amount"); return (fast, fast) }
        return (fast, try #require(try OrderPicks.make(db, filter: filter, snapshot: snapshot, codes: false)))
    }

    /// The verdicts of `filter`, nil when the amounts cannot give them.
    static func verdicts(_ db: Database, _ filter: SQLFragment, _ snapshot: OrderSnapshot) throws -> AmountVerdicts? {
        try AmountVerdicts.make(db, filter: filter, snapshot: snapshot, low: try #require(try snapshot.rowBase(in: db)))
    }

    @Test func amountMasksKeepWhatTheScanKeeps() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        // Amounts with fractions beside the generated hundreds.
        try db.execute("UPDATE orders SET amount = amount + 0.5 WHERE rowid % 13 = 0")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let snapshot = try #require(try OrderSnapshot.load(db) { _ in true })
        #expect(snapshot.fields["amounts_not_numbers"] == "0")
        for filter in Self.filters {
            let (fast, scan) = try Self.bothWays(db, filter, snapshot)
            let keptFast = try Self.kept(fast, db, snapshot), keptScan = try Self.kept(scan, db, snapshot)
            #expect(keptFast == keptScan, "\(filter.sql) \(filter.bindings)")
            #expect(!keptScan.isEmpty || filter.sql.contains("IS NULL"), "\(filter.sql) keeps some orders")
            try SnapshotRouteTests.assertSame(db, KPIQuery(kpis: ["gmv", "orders", "customers", "new_customers", "aov"],
                                                          groupBy: [.grain(.month), .dimension(name: "channel")], orderFilter: filter))
        }
        // A filter naming another column too, or the same with a scan: not from the amounts.
        #expect(try Self.verdicts(db, SQLFragment("o.\"amount\" > 0 AND o.\"channel\" = 'own'"), snapshot) == nil)
        #expect(try Self.verdicts(db, SQLFragment("\"amount\" > 0"), snapshot) == nil)
    }

    /// 140,000 orders over 140 days in two snapshot blocks: amounts 0…3,900 in steps of 100, and from
    /// order 100,000 on every third one 55,000.5 more (amounts the first block never has, among those
    /// it has); `status`: an SQL expression of the order number `i`.
    static func twoBlockShop(status: String) throws -> (WorkspaceBuilder, OrderSnapshot) {
        let w = try WorkspaceBuilder()
        try w.db.execute("""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 139999)
            INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, channel, status)
            SELECT printf('O%06d', i), printf('C%05d', i % 9000), date('2023-01-01', printf('+%d days', i / 1000)) || ' 10:00:00',
                   \(WorkspaceBuilder.day("2023-01-01")) + i / 1000,
                   CASE WHEN i < 100000 OR i % 3 <> 0 THEN 100 * (i % 40) ELSE 100 * (i % 40) + 55000.5 END,
                   'own', \(status) FROM n
            """)
        try CustomerFacts.rebuild(w.db, settings: MetricSettings())
        return (w, try #require(try OrderSnapshot.load(w.db) { _ in true }))
    }

    /// 126,000 counted orders in two blocks (by day), the second with amounts the first never has among
    /// those it has: the filter is evaluated on the amounts new in each block as the pass reaches it,
    /// and the block's picks stay in order.
    @Test func amountsNewInALaterBlockAreEvaluatedToo() throws {
        let (w, snapshot) = try Self.twoBlockShop(status: "CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'completed' END")
        #expect(snapshot.blocks.count == 2)
        let firstBlock = Set(try snapshot.column(.amount, block: 0, in: w.db))
        #expect(!firstBlock.contains(55_100.5))
        let filters = [
            SQLFragment("o.\"amount\" > ?", [.integer(3000)]),
            SQLFragment("o.\"amount\" >= ?", [.integer(55_000)]),
            SQLFragment("o.\"amount\" IN (?, ?)", [.real(55_100.5), .integer(200)]),
        ]
        for filter in filters {
            let (fast, scan) = try Self.bothWays(w.db, filter, snapshot)
            let keptFast = try Self.kept(fast, w.db, snapshot)
            #expect(keptFast == (try Self.kept(scan, w.db, snapshot)), "\(filter.sql)")
            #expect(keptFast.contains { $0 >= 100_000 }, "\(filter.sql) keeps orders of the second block's amounts")
            try SnapshotRouteTests.assertSame(w.db, KPIQuery(kpis: ["gmv", "orders", "customers"], groupBy: [.grain(.month)], orderFilter: filter))
        }
    }

    /// Past `maxAmounts` distinct amounts, the block where the cap is passed and every later one are
    /// picked from the scan's mask: here the cap is passed in the first block (40 amounts, cap 30) or
    /// in the second (cap 45, the second block bringing 40 more), and the picks stay the scan's.
    @Test func pastTheCapTheScansMaskPicks() throws {
        let (w, snapshot) = try Self.twoBlockShop(status: "'completed'")
        let low = try #require(try snapshot.rowBase(in: w.db))
        let filter = SQLFragment("o.\"amount\" > ?", [.integer(3000)])
        let scan = try Self.kept(try #require(try OrderPicks.make(w.db, filter: filter, snapshot: snapshot, codes: false)), w.db, snapshot)
        for cap in [30, 45, 1000] {
            let verdicts = try #require(try AmountVerdicts.make(w.db, filter: filter, snapshot: snapshot, low: low, maxAmounts: cap))
            #expect(try Self.kept(.amounts(verdicts), w.db, snapshot) == scan, "cap \(cap)")
            #expect((verdicts.fallback != nil) == (cap < 80), "cap \(cap): the scan's mask used past the cap only")
        }
    }

    /// A counted order without an amount (NULL) or with a text one: the build counts it, the mask
    /// steps aside, and the routes still agree.
    @Test func amountsThatAreNotNumbersLeaveItToTheScan() throws {
        for change in ["amount = NULL", "amount = 'n/a'"] {
            let shop = try SnapshotRouteTests.shop()
            let db = shop.w.db
            try db.execute("UPDATE orders SET \(change) WHERE rowid IN (SELECT rowid FROM orders WHERE status = 'completed' LIMIT 3)")
            try CustomerFacts.rebuild(db, settings: MetricSettings())
            let snapshot = try #require(try OrderSnapshot.load(db) { _ in true })
            #expect(snapshot.fields["amounts_not_numbers"] == "3", "\(change)")
            for filter in Self.filters {
                #expect(try Self.verdicts(db, filter, snapshot) == nil)
                try SnapshotRouteTests.assertSame(db, KPIQuery(kpis: ["gmv", "orders", "customers"], groupBy: [.grain(.quarter)], orderFilter: filter))
            }
        }
    }

    /// Amounts past 2^53, where a double no longer holds every integer: each such order is judged on
    /// its row of `orders`, the others by their amount's verdict.
    @Test func amountsPast2To53AreJudgedOnTheirRows() throws {
        let shop = try SnapshotRouteTests.shop()
        let db = shop.w.db
        try db.execute("""
            UPDATE orders SET amount = CASE WHEN rowid % 2 = 0 THEN 9007199254740994.0 ELSE -1e17 END
            WHERE rowid % 17 = 0 AND status = 'completed'
            """)
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        let snapshot = try #require(try OrderSnapshot.load(db) { _ in true })
        let big = Set(try db.query("SELECT rowid - ? FROM orders WHERE abs(amount) >= 9007199254740992", [.integer(try #require(try snapshot.rowBase(in: db)))])
            .rows.map { Int32($0[0].intValue ?? -1) })
        #expect(big.count > 20)
        let filters = [
            SQLFragment("o.\"amount\" > ?", [.integer(9_007_199_254_740_993)]),
            SQLFragment("o.\"amount\" < ?", [.integer(0)]),
            SQLFragment("o.\"amount\" BETWEEN ? AND ?", [.integer(1000), .integer(4000)]),
        ]
        for (n, filter) in filters.enumerated() {
            let (fast, scan) = try Self.bothWays(db, filter, snapshot)
            let keptFast = try Self.kept(fast, db, snapshot)
            #expect(keptFast == (try Self.kept(scan, db, snapshot)), "\(filter.sql)")
            // The first two keep about half the big amounts each, the third none of them.
            let keptBig = keptFast.filter(big.contains).count
            #expect(n < 2 ? keptBig > 10 && keptBig < big.count : keptBig == 0, "\(filter.sql): \(keptBig) of \(big.count)")
            try SnapshotRouteTests.assertSame(db, KPIQuery(kpis: ["orders", "customers", "new_customers"], groupBy: [.grain(.month)], orderFilter: filter))
        }
    }

    /// The affinity SQLite gives a declared type (its rules, in order).
    @Test func affinityOfDeclaredTypes() {
        let cases = ["REAL": "REAL", "INTEGER": "INTEGER", "BIGINT": "INTEGER", "VARCHAR(10)": "TEXT", "": "BLOB",
                     "DOUBLE PRECISION": "REAL", "DECIMAL(10,2)": "NUMERIC", "FLOATING POINT": "INTEGER", "blob": "BLOB"]
        for (declared, affinity) in cases { #expect(OrderMask.affinityType(declared) == affinity, "\(declared)") }
    }

    /// The numbering gives each bit pattern one number, through growth, and the same number again.
    @Test func amountNumberingIsStable() {
        var n = AmountNumbering()
        let values = (0..<5000).map { Double($0) * 0.25 - 300 } + [0.0, -0.0, 1e15, -1e15]
        let first = values.map { n.number($0) }
        #expect(n.values.count == 5003)  // 0.0 twice in `values`; -0.0 apart from 0.0
        #expect(values.map { n.number($0) } == first)
        for (v, k) in zip(values, first) { #expect(n.values[k].bitPattern == v.bitPattern) }
    }
}
