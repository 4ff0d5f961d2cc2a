import Foundation
import Testing
import ECStore
@testable import ECAnalytics

/// The snapshot's blocks cut on one thread and written on another (`CustomerFacts.writeBlocksBeside`):
/// every entry written in the order it was put, the cutting thread held back by the queue's limit, and
/// a failure on either side ending both (no thread left waiting on the other).
@Suite struct SnapshotQueueTests {
    /// A workspace with an empty snapshot table and its writer.
    static func writer() throws -> (Database, SnapshotWriter) {
        let db = try Database()
        return (db, try SnapshotWriter(db))
    }

    /// Entry `i`: 1,000 Int64s from i × 1,000 (8 KB), so 200 of them are 200 times the queue's 8 KB limit below.
    static func values(_ i: Int) -> [Int64] { (0..<1_000).map { Int64(i * 1_000 + $0) } }

    @Test func everyEntryIsWrittenInOrder() throws {
        let (db, writer) = try Self.writer()
        let blocks = try CustomerFacts.writeBlocksBeside(writer, limit: 8_192) { queue in
            for i in 0..<200 { try queue.put("e.\(i)", Self.values(i)) }
            // Held back: never more than the limit and the entry that crossed it.
            #expect(queue.mostWaiting <= 8_192 + 8_000)
            #expect(queue.mostWaiting >= 8_000)
            var b = SnapshotBlocks()
            b.written = 200
            return b
        }
        #expect(blocks.written == 200)
        let rows = try db.query("SELECT name, data FROM \(OrderSnapshot.table) ORDER BY rowid").rows
        #expect(rows.count == 200)
        for (i, row) in rows.enumerated() {
            #expect(row[0] == .text("e.\(i)"))
            guard case .blob(let bytes) = row[1] else { Issue.record("entry \(i) is not a blob"); break }
            let read = bytes.withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
            if read != Self.values(i) { Issue.record("entry \(i) differs"); break }
        }
    }

    /// The writer fails (its table is gone): the cutting thread, waiting on a full queue, is told to stop,
    /// and the writer's error is the one thrown.
    @Test func aWriterThatFailsStopsTheCuttingThread() throws {
        let (db, writer) = try Self.writer()
        try db.execute("DROP TABLE \(OrderSnapshot.table)")
        let stopped = Counter()
        #expect(throws: DatabaseError.self) {
            _ = try CustomerFacts.writeBlocksBeside(writer, limit: 8_192) { queue in
                do {
                    for i in 0..<10_000 { try queue.put("e.\(i)", Self.values(i)) }
                } catch {
                    stopped.add()
                    throw error
                }
                return SnapshotBlocks()
            }
        }
        #expect(stopped.value == 1)
    }

    /// The cutting thread fails after some entries: those are written, and its error is the one thrown.
    @Test func aCuttingThreadThatFailsEndsTheWrite() throws {
        let (db, writer) = try Self.writer()
        #expect(throws: MetricsError("cut failed")) {
            _ = try CustomerFacts.writeBlocksBeside(writer, limit: 8_192) { queue in
                for i in 0..<50 { try queue.put("e.\(i)", Self.values(i)) }
                throw MetricsError("cut failed")
            }
        }
        #expect(try db.scalar("SELECT count(*) FROM \(OrderSnapshot.table)").intValue == 50)
    }
}

/// A count another thread adds to.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
