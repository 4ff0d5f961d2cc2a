import Testing
import ECStore
import ECTestSupport

/// The sharded topology the PostgreSQL parity tests run on: rows loaded through the coordinator
/// land on the shard their customer hashes to, and grouped aggregates run on the shards.
@Suite struct ShardedTopologyTests {
    @Test func copyThroughTheCoordinatorSpreadsRowsAndAggregatesRunOnTheShards() throws {
        let topology = try PostgresServer.sharded()
        try topology.distribute("st_orders", columns: "order_id text, customer_id text, amount bigint", by: "customer_id")
        let pg = try PostgresConnection(topology.coordinator, interruptFlag: InterruptFlag())
        // 3,000 orders of 120 customers: customer c gets the orders i with i % 120 == c, amount i.
        let n = 3_000, customers = 120
        try pg.copyIn("COPY st_orders (order_id, customer_id, amount) FROM STDIN WITH (FORMAT csv)") { w in
            for i in 1...n { try w.write("o\(i),c\(i % customers),\(i)\n") }
        }
        // Every row is on exactly one shard, and each shard has some (psql, straight to the shards).
        let onShard1 = Int(try PostgresServer.psql(try topology.shard(1), "SELECT count(*) FROM st_orders_p0").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        let onShard2 = Int(try PostgresServer.psql(try topology.shard(2), "SELECT count(*) FROM st_orders_p1").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(onShard1 + onShard2 == n)
        #expect(onShard1 > 0 && onShard2 > 0)
        // A customer's orders are all on one shard (co-location by customer_id).
        let split = try PostgresServer.psql(try topology.shard(1), "SELECT count(DISTINCT customer_id) FROM st_orders_p0")
        let split2 = try PostgresServer.psql(try topology.shard(2), "SELECT count(DISTINCT customer_id) FROM st_orders_p1")
        #expect((Int(split.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) + (Int(split2.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) == customers)

        // Per-customer sums through the coordinator equal the ones worked out here.
        var expected: [String: Int64] = [:]
        for i in 1...n { expected["c\(i % customers)", default: 0] += Int64(i) }
        let grouped = try pg.query("SELECT customer_id, sum(amount) FROM st_orders GROUP BY customer_id").rows
        #expect(grouped.count == customers)
        for row in grouped {
            #expect(row[1] == .integer(expected[row[0].textValue ?? ""] ?? -1), "\(row)")
        }
        // The plan: one aggregate pushed to each shard, not rows pulled to the coordinator.
        let plan = try pg.query("EXPLAIN VERBOSE SELECT customer_id, sum(amount) FROM st_orders GROUP BY customer_id")
            .rows.compactMap { $0.first?.textValue }.joined(separator: "\n")
        #expect(plan.components(separatedBy: "Relations: Aggregate on").count - 1 == 2, "\(plan)")
        #expect(plan.contains("Remote SQL: SELECT customer_id, sum(amount) FROM public.st_orders_p0 GROUP BY 1"), "\(plan)")
    }
}
