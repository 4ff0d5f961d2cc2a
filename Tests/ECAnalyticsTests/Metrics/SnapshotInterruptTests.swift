import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// Ctrl-C stops a statement that reads the order snapshot, between blocks: the passes run in
/// Swift, and a block's read is too short for SQLite's progress handler to be called in it.
@Suite struct SnapshotInterruptTests {
    @Test func aSnapshotPassStopsWhenCtrlCWasPressed() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let w = try WorkspaceBuilder(path: dir.path("w.db"))
        try w.order("1", "A", "2024-01-10", 1000, "own", "completed")
        try w.order("2", "B", "2024-02-10", 3000, "own", "completed")
        try w.order("3", "A", "2024-03-10", 500, "own", "completed")
        let query = KPIQuery(kpis: ["gmv", "orders", "customers"], groupBy: [.grain(.month)])
        // Built and read once, undisturbed: 1000 + 3000 + 500.
        let first = try KPIEngine(w.db, settings: MetricSettings()).run(query)
        #expect(first.doubles("gmv") == [1000, 3000, 500])
        #expect(try OrderSnapshot.load(w.db) { _ in true } != nil, "no snapshot was built: the test would not read blocks")

        // Another connection to the same file, its Ctrl-C pressed.
        let flag = InterruptFlag()
        let other = try Database(path: dir.path("w.db"), interruptFlag: flag)
        let snapshot = try #require(try OrderSnapshot.load(other) { _ in true })
        // The days of block 0: the three orders' days, in day order.
        let days: [Int32] = try snapshot.column(.day, block: 0, in: other)
        #expect(days.map(Int.init) == ["2024-01-10", "2024-02-10", "2024-03-10"].map(WorkspaceBuilder.day))
        flag.raise()
        // A block's read is a few SQLite steps: it stops only because it looks for Ctrl-C itself.
        #expect(throws: DatabaseError.self) { let _: [Int32] = try snapshot.column(.day, block: 0, in: other) }
        do {
            _ = try KPIEngine(other, settings: MetricSettings()).run(query)
            Issue.record("the statement ran to its end after Ctrl-C")
        } catch let e as DatabaseError {
            #expect(e.isInterrupt, "\(e)")
        }
        flag.clear()
        let again = try KPIEngine(other, settings: MetricSettings()).run(query)
        #expect(again.doubles("gmv") == first.doubles("gmv"))
    }
}
