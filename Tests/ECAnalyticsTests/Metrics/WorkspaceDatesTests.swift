import Testing
import Foundation
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// The first day of the loaded data (`WorkspaceDates.firstDay`), which KPI ranges start from: the earliest
/// day of orders, spend, traffic and NPS responses. For the datasets without an index on `day` it comes from
/// the load's own figures while the table is as the load left it, and from SQL once it has changed.
@Suite struct WorkspaceDatesTests {
    @Test func firstDayIsTheEarliestOfEveryDatasetAndFollowsLaterEdits() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = try Database(path: dir.path("w.db"))
        func load(_ role: DatasetRole, _ name: String, _ text: String) throws {
            _ = try Loader(database: db).load(LoadRequest(target: .role(role), path: try dir.write(name, text)))
        }
        func day(_ s: String) -> Int { DayNumber.parseRange(s)!.lowerBound }
        try load(.orders, "orders.csv", "order_id,customer_id,ordered_at,amount\nO1,C1,2024-03-05,1000\nO2,C2,2024-04-01,500\n")
        try CustomerFacts.rebuild(db, settings: MetricSettings())
        #expect(try WorkspaceDates.firstDay(db) == day("2024-03-05"))
        // Responses from before the first order: the first day moves to theirs (the load's figures).
        try load(.nps, "nps.csv", "customer_id,responded_at,score\nC1,2024-02-20,9\nC2,2024-03-10,6\n")
        #expect(try ColumnStatistics.current(db, dataset: "nps")?.figures["day"] != nil)
        #expect(try WorkspaceDates.firstDay(db) == day("2024-02-20"))
        // A row added by hand: the figures no longer hold, and SQL finds the new first day.
        try db.execute("INSERT INTO nps (score, responded_at, day, customer_id) VALUES (7, '2024-01-15', ?, 'C3')",
                       [.integer(Int64(day("2024-01-15")))])
        #expect(try ColumnStatistics.current(db, dataset: "nps") == nil)
        #expect(try WorkspaceDates.firstDay(db) == day("2024-01-15"))
        // Traffic earlier still.
        try load(.traffic, "traffic.csv", "date,sessions\n2023-12-31,40\n2024-01-01,50\n")
        #expect(try WorkspaceDates.firstDay(db) == day("2023-12-31"))
    }
}
