import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// The codes an orders load keeps of its columns with few values (`OrderCodes`): a `where` filter's
/// mask and a grouping's codes made from them must equal those made by scanning `orders`
/// (`OrderMask.make(codes: false)`, itself checked against the SQL route in SnapshotRouteTests), and
/// KPIs with filters must answer as the SQL route does, on randomized exports (channels spelled
/// two ways and empty, Japanese statuses, NULL quantities, a product with a line break), through the
/// scratch file (small chunks) and without it.
@Suite struct OrderCodesTests {
    static let filters: [(SQLFragment, columns: Int)] = [
        (SQLFragment("o.\"channel\" = ?", [.text("amazon")]), 1),
        (SQLFragment("o.\"channel\" IS NULL"), 1),
        (SQLFragment("o.\"channel\" IN (?, ?)", [.text("own"), .text("OWN")]), 1),
        (SQLFragment("o.\"product\" LIKE ?", [.text("T%")]), 1),
        (SQLFragment("NOT (o.\"status\" = ?)", [.text("completed")]), 1),
        // A text literal against integers: the column's affinity decides, as on the SQL route.
        (SQLFragment("o.\"quantity\" = ?", [.text("2")]), 1),
        (SQLFragment("o.\"quantity\" >= ? AND o.\"channel\" <> ?", [.integer(2), .text("yahoo")]), 2),
        (SQLFragment("o.\"channel\" = ? OR o.\"product\" IS NULL", [.text("own")]), 2),
        (SQLFragment("(o.\"channel\" = ? OR o.\"quantity\" = 1) AND o.\"status\" <> ?", [.text("Rakuten"), .text("返品")]), 3),
        (SQLFragment("o.\"status\" = ?", [.text("nothing like it")]), 1),
    ]

    static func expectSameMask(_ db: Database, _ filter: SQLFragment, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let snapshot = try #require(try OrderSnapshot.load(db) { _ in true })
        let low = try #require(try snapshot.rowBase(in: db))
        let coded = try #require(try OrderMask.fromCodes(db, filter: filter, low: low), "not made from codes: \(filter.sql)",
                                 sourceLocation: sourceLocation)
        let scanned = try #require(try OrderMask.make(db, filter: filter, snapshot: snapshot, codes: false))
        let rows = Int(try db.scalar("SELECT max(rowid) - ? + 2 FROM orders", [.integer(low)]).intValue ?? 0)
        let differing = (0..<rows).filter { coded.contains(Int32($0)) != scanned.contains(Int32($0)) }
        #expect(differing.isEmpty, "\(filter.sql): rows \(differing.prefix(5))", sourceLocation: sourceLocation)
        #expect(coded.kept == scanned.kept, "\(filter.sql)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [(21, OrderCodes.chunkRows), (22, 1000), (23, 4096)] as [(UInt64, Int)])
    func filtersAndGroupingsFromCodesEqualAScan(seed: UInt64, chunkRows: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let csv = LoadPassTests.export(seed: seed, rows: 3000)
        let pass = CustomerFacts.LoadPass(settings: MetricSettings(), codeChunkRows: chunkRows)
        let (db, _) = try LoadPassTests.load(csv, in: dir, settings: MetricSettings(), pass: pass)
        #expect(pass.isUsable)
        let kept = try #require(try OrderCodes.columns(db))
        // Columns of few values are kept; ids, times and amounts are not.
        #expect(Set(kept).isSuperset(of: ["channel", "status", "product", "quantity"]), "\(kept)")
        #expect(Set(kept).isDisjoint(with: ["order_id", "customer_id", "amount"]), "\(kept)")
        for (filter, _) in Self.filters { try Self.expectSameMask(db, filter) }
        let snapshot = try #require(try OrderSnapshot.load(db) { _ in true })
        for column in ["channel", "status", "product", "quantity"] {
            let expression = "o." + quoteIdentifier(column)
            let coded = try #require(try OrderColumnCodes.read(db, column: column, expression: expression, snapshot: snapshot, limit: 64))
            let scanned = try #require(try OrderColumnCodes.read(db, column: column, expression: expression, snapshot: snapshot, limit: 64,
                                                                 codes: false))
            // Codes may number the values in another order: compare each row's value.
            let n = max(coded.codes.count, scanned.codes.count)
            func value(_ c: OrderColumnCodes, _ r: Int) -> Value { r < c.codes.count ? c.values[Int(c.codes[r])] : .null }
            let differing = (0..<n).filter { value(coded, $0) != value(scanned, $0) }
            #expect(differing.isEmpty, "\(column): rows \(differing.prefix(5))")
            #expect(Set(coded.values) == Set(scanned.values), "\(column)")
        }
        // A filter on a column not kept, or on a calculation of one, is left to the scan.
        let low = try #require(try snapshot.rowBase(in: db))
        #expect(try OrderMask.fromCodes(db, filter: SQLFragment("o.\"amount\" > ?", [.integer(500)]), low: low) == nil)
        #expect(try OrderMask.fromCodes(db, filter: SQLFragment("o.\"channel\" = ? OR o.\"amount\" > 5", [.text("own")]), low: low) == nil)
    }

    /// KPIs with filters on the snapshot route (masks from codes) answer as the SQL route does.
    @Test func kpisWithFiltersAnswerAsTheSQLRoute() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let csv = LoadPassTests.export(seed: 31, rows: 4000)
        let pass = CustomerFacts.LoadPass(settings: MetricSettings(), codeChunkRows: 1500)
        let (db, _) = try LoadPassTests.load(csv, in: dir, settings: MetricSettings(), pass: pass)
        #expect(try OrderCodes.columns(db) != nil)
        for (filter, _) in Self.filters {
            for groups in [[Grouping.grain(.month)], [.grain(.week), .dimension(name: "channel")], [.dimension(name: "product")],
                           [.grain(.month), .dimension(name: "quantity")]] {
                try SnapshotRouteTests.assertSame(db, KPIQuery(kpis: ["gmv", "orders", "customers", "new_customers", "returning_customers", "aov_gross"],
                                                               groupBy: groups, orderFilter: filter))
            }
        }
    }

    /// A program other than ecsh (the sqlite3 shell) changes a row of `orders` without a new input
    /// version (a workspace without ecsh's triggers: derived data an earlier ecsh built). When that row
    /// is the one a code is evaluated on, the codes must not be used: the filter and the grouping read
    /// `orders` as it is, as the scan does.
    @Test func aCodesRowChangedBehindOurBackIsNotTrusted() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (db, pass) = try LoadPassTests.load(LoadPassTests.export(seed: 41, rows: 2000), in: dir, settings: MetricSettings())
        #expect(pass.isUsable)
        let amazon = SQLFragment("o.\"channel\" = ?", [.text("amazon")]), moved = SQLFragment("o.\"channel\" = ?", [.text("elsewhere")])
        let snapshot = try #require(try OrderSnapshot.load(db) { _ in true })
        let low = try #require(try snapshot.rowBase(in: db))
        #expect(try OrderMask.fromCodes(db, filter: amazon, low: low) != nil)
        try InputVersion.unwatch(db, table: "orders")
        try db.execute("UPDATE orders SET channel = 'elsewhere' WHERE rowid = (SELECT min(rowid) FROM orders WHERE channel = 'amazon')")
        #expect(try OrderSnapshot.isCurrent(db), "the change went behind ecsh's back: the stamp still matches")
        #expect(try OrderMask.fromCodes(db, filter: amazon, low: low) == nil)
        for filter in [amazon, moved] { try Self.expectSameMaskAsAScan(db, filter) }
        let expression = "o.\"channel\""
        let coded = try #require(try OrderColumnCodes.read(db, column: "channel", expression: expression, snapshot: snapshot, limit: 64))
        let scanned = try #require(try OrderColumnCodes.read(db, column: "channel", expression: expression, snapshot: snapshot, limit: 64, codes: false))
        #expect(coded.codes.indices.allSatisfy { coded.values[Int(coded.codes[$0])] == scanned.values[Int(scanned.codes[$0])] })
        #expect(coded.values.contains(.text("elsewhere")))
    }

    static func expectSameMaskAsAScan(_ db: Database, _ filter: SQLFragment, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let snapshot = try #require(try OrderSnapshot.load(db) { _ in true })
        let low = try #require(try snapshot.rowBase(in: db))
        let used = try #require(try OrderMask.make(db, filter: filter, snapshot: snapshot))
        let scanned = try #require(try OrderMask.make(db, filter: filter, snapshot: snapshot, codes: false))
        let rows = Int(try db.scalar("SELECT max(rowid) - ? + 2 FROM orders", [.integer(low)]).intValue ?? 0)
        #expect((0..<rows).allSatisfy { used.contains(Int32($0)) == scanned.contains(Int32($0)) }, "\(filter.sql)", sourceLocation: sourceLocation)
        #expect(used.kept == scanned.kept, sourceLocation: sourceLocation)
    }

    @Test func columnsNamedInACompiledFilter() {
        #expect(OrderCodes.columnsNamed(in: "o.\"channel\" = ? AND (o.\"a\"\"b\" IS NULL OR o.\"channel\" <> ?)") == ["channel", "a\"b"])
        #expect(OrderCodes.columnsNamed(in: "promo.\"x\" = 1 AND o.\"y\" = 2") == ["y"])
        #expect(OrderCodes.columnsNamed(in: "1 = 1").isEmpty)
    }
}
