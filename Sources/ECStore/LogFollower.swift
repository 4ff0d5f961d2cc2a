import CSQLite
import Foundation

/// Copies the write-ahead log into the workspace file behind a staged load (`StagedRows`), one part
/// after another, on a thread and a connection of its own, while the load goes on writing the next part.
///
/// A load committed as one transaction writes every page twice into memory the kernel has to find
/// fresh: the whole load into the log, then the whole load again into the file when the log is copied
/// after the commit (`LogCopy`). Here the load commits its rows in parts; after each commit this thread
/// copies that part (`PRAGMA wal_checkpoint(PASSIVE)`, which never takes the write lock), and every few
/// parts the load waits for the copies to end, so that SQLite starts the log over from its beginning:
/// the log stays a few tens of megabytes whose pages are written again in place, and the copy into the
/// file runs beside the load instead of after it. Like `LogCopy`'s, this connection is SQLite's own, so
/// closing it cannot drop the load's locks.
final class LogFollower: WorkerThread, @unchecked Sendable {
    /// Parts committed and handed over (`copy`), parts copied; both under `condition`.
    private var requested = 0
    private var copied = 0
    private let connection: OpaquePointer

    /// Starts following the log of the workspace at `path`; nil when a second connection cannot be
    /// opened (the parts then stay in the log until the copy after the load's commit, as the rows of a
    /// load in one transaction do).
    static func start(path: String) -> LogFollower? {
        LogCopy.secondConnection(path).map(LogFollower.init)
    }

    private init(connection: OpaquePointer) {
        self.connection = connection
        super.init(name: "ecsh-log-follower", stackSize: 1 << 20)
    }

    /// A part has committed: copy it.
    func copy() {
        condition.lock()
        requested += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every part handed over has been copied (as far as readers let a checkpoint go).
    func waitForCopies() {
        condition.lock()
        while copied < requested && running { condition.wait() }
        condition.unlock()
    }

    // `stop()` (WorkerThread) ends the thread once the copy under way, if any, has ended; parts not yet
    // copied stay in the log for the next copy (`LogCopy`, after the load's last commit).

    override func work() {
        condition.lock()
        while true {
            while requested == copied && !stopping { condition.wait() }
            if stopping { break }
            let target = requested
            condition.unlock()
            sqlite3_exec(connection, "PRAGMA wal_checkpoint(PASSIVE)", nil, nil, nil)
            condition.lock()
            copied = target
            condition.broadcast()
        }
        condition.unlock()
        sqlite3_close_v2(connection)
    }
}
