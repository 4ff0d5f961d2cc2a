import Foundation
import ECStore

/// Snapshot entries handed from a thread that cuts the order blocks to the thread that writes them
/// (`CustomerFacts.writeBlocksBeside`), with at most about `limit` bytes waiting: the cutting thread
/// waits when the writer falls behind, so memory stays bounded.
final class SnapshotQueue: SnapshotSink, @unchecked Sendable {
    private let condition = NSCondition()
    private var entries: [(name: String, bytes: [UInt8])] = []
    private var waiting = 0
    /// The most bytes that waited at once (for the tests: at most `limit` plus one entry).
    private(set) var mostWaiting = 0
    private var closed = false
    private var cancelled = false
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// On the cutting thread: waits while `limit` bytes wait to be written; throws once the writer has stopped.
    func put<T: BitwiseCopyable>(_ name: String, _ values: [T]) throws {
        let bytes = values.withUnsafeBytes { Array($0) }
        condition.lock()
        defer { condition.unlock() }
        while waiting >= limit && !cancelled { condition.wait() }
        if cancelled { throw MetricsError("the snapshot's writer stopped") }
        entries.append((name, bytes))
        waiting += bytes.count
        mostWaiting = max(mostWaiting, waiting)
        condition.broadcast()
    }

    /// On the cutting thread, when it is done (or failed): nothing more comes.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// On the writing thread: if it fails, the cutting thread's next `put` throws instead of waiting.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// On the writing thread: writes the entries, in the order put, as they come, until `close`.
    func drain(into writer: SnapshotWriter) throws {
        while true {
            condition.lock()
            while entries.isEmpty && !closed { condition.wait() }
            let batch = entries
            entries = []
            waiting = 0
            condition.broadcast()
            condition.unlock()
            if batch.isEmpty { return }
            for entry in batch { try writer.put(entry.name, entry.bytes) }
        }
    }
}

/// A value handed to another thread that only it uses from then on (a scratch file, say), which the
/// type system cannot tell is safe.
struct HandedOver<Value>: @unchecked Sendable {
    let value: Value
}

extension CustomerFacts {
    /// Runs `cut` (which sorts orders into the snapshot's blocks and puts them into the queue it is given)
    /// on a thread of its own while this thread writes what it puts, and returns its blocks' state (the last,
    /// partly filled block still to write, the days of those written). Sorting and cutting the orders were
    /// about half of the snapshot's step of a 10M-order load, SQLite's writes the other half.
    static func writeBlocksBeside(_ writer: SnapshotWriter, limit: Int = 4 << 20,
                                  _ cut: @escaping @Sendable (SnapshotQueue) throws -> SnapshotBlocks) throws -> SnapshotBlocks {
        let queue = SnapshotQueue(limit: limit)
        let job = BackgroundJob(name: "ecsh-snapshot-blocks") { () -> Result<SnapshotBlocks, Error> in
            defer { queue.close() }
            return Result { try cut(queue) }
        }
        do {
            try queue.drain(into: writer)
        } catch {
            queue.cancel()
            _ = job.take()
            throw error
        }
        return try job.take().get()
    }
}
