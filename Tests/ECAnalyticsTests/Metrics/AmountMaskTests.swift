import Testing
import ECStore
@testable import ECAnalytics

/// A `where` filter on `amount` alone is applied from the snapshot's amounts (`OrderMask.fromAmounts`):
/// SQLite evaluates it once per distinct amount instead of scanning `orders`. Its mask must keep exactly
/// the snapshot orders the scan keeps, for comparisons with integers, reals and text (which the column's
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

    /// Snapshot orders the mask keeps, by row.
    static func kept(_ mask: OrderMask, _ db: Database, _ snapshot: OrderSnapshot) throws -> [Int32] {
        var rows: [Int32] = []
        for block in snapshot.blocks {
            rows += try snapshot.column(.row, block: block.index, in: db).filter { mask.contains($0) }
        }
        return rows
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
            let fast = try #require(try OrderMask.fromAmounts(db, filter: filter, snapshot: snapshot), "\(filter.sql)")
            let scan = try #require(try OrderMask.make(db, filter: filter, snapshot: snapshot, codes: false))
            let keptFast = try Self.kept(fast, db, snapshot), keptScan = try Self.kept(scan, db, snapshot)
            #expect(keptFast == keptScan, "\(filter.sql) \(filter.bindings)")
            #expect(!keptScan.isEmpty || filter.sql.contains("IS NULL"), "\(filter.sql) keeps some orders")
            try SnapshotRouteTests.assertSame(db, KPIQuery(kpis: ["gmv", "orders", "customers", "new_customers", "aov"],
                                                          groupBy: [.grain(.month), .dimension(name: "channel")], orderFilter: filter))
        }
        // A filter naming another column too, or the same with a scan: not from the amounts.
        #expect(try OrderMask.fromAmounts(db, filter: SQLFragment("o.\"amount\" > 0 AND o.\"channel\" = 'own'"), snapshot: snapshot) == nil)
        #expect(try OrderMask.fromAmounts(db, filter: SQLFragment("\"amount\" > 0"), snapshot: snapshot) == nil)
    }

    /// 126,000 counted orders in two blocks (by day), the second with amounts the first never has:
    /// the filter is evaluated on the amounts new in each block as the pass reaches it.
    @Test func amountsNewInALaterBlockAreEvaluatedToo() throws {
        let w = try WorkspaceBuilder()
        try w.db.execute("""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 139999)
            INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, channel, status)
            SELECT printf('O%06d', i), printf('C%05d', i % 9000), date('2023-01-01', printf('+%d days', i / 1000)) || ' 10:00:00',
                   \(WorkspaceBuilder.day("2023-01-01")) + i / 1000,
                   CASE WHEN i < 100000 THEN 100 * (i % 40) ELSE 100 * (i % 40) + 55000.5 END,
                   'own', CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'completed' END FROM n
            """)
        try CustomerFacts.rebuild(w.db, settings: MetricSettings())
        let snapshot = try #require(try OrderSnapshot.load(w.db) { _ in true })
        #expect(snapshot.blocks.count == 2)
        let firstBlock = Set(try snapshot.column(.amount, block: 0, in: w.db))
        #expect(!firstBlock.contains(55_100.5))
        let filters = [
            SQLFragment("o.\"amount\" > ?", [.integer(3000)]),
            SQLFragment("o.\"amount\" >= ?", [.integer(55_000)]),
            SQLFragment("o.\"amount\" IN (?, ?)", [.real(55_100.5), .integer(200)]),
        ]
        for filter in filters {
            let fast = try #require(try OrderMask.fromAmounts(w.db, filter: filter, snapshot: snapshot))
            let scan = try #require(try OrderMask.make(w.db, filter: filter, snapshot: snapshot, codes: false))
            let keptFast = try Self.kept(fast, w.db, snapshot)
            #expect(keptFast == (try Self.kept(scan, w.db, snapshot)), "\(filter.sql)")
            #expect(keptFast.contains { $0 >= 100_000 }, "\(filter.sql) keeps orders of the second block's amounts")
            try SnapshotRouteTests.assertSame(w.db, KPIQuery(kpis: ["gmv", "orders", "customers"], groupBy: [.grain(.month)], orderFilter: filter))
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
                #expect(try OrderMask.fromAmounts(db, filter: filter, snapshot: snapshot) == nil)
                try SnapshotRouteTests.assertSame(db, KPIQuery(kpis: ["gmv", "orders", "customers"], groupBy: [.grain(.quarter)], orderFilter: filter))
            }
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
