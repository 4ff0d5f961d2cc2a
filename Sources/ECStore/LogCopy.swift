import CSQLite
import Foundation

/// Copies a big write's write-ahead log into the workspace file on a thread of its own, through a
/// second connection (`PRAGMA wal_checkpoint`, PASSIVE then TRUNCATE), so that a load or a facts
/// build returns as soon as its rows are safe in the log, and the next statement runs meanwhile.
///
/// The COMMIT of a load used to run SQLite's automatic checkpoint itself: about 0.4 s of a 3.5 s
/// 1M-order load, and 14–21 s of a 10M one, spent copying every page a second time before the
/// prompt came back. Now a transaction that names what it commits (`Database.transaction(committing:)`)
/// commits with the automatic checkpoint off and starts this copy after it. Durability is unchanged:
/// the commit syncs the log as before (synchronous = FULL), and a kill during the copy loses nothing
/// (a checkpoint only copies pages the log already holds; the next connection carries on from it).
/// Readers, this connection's next statements and other processes alike, read the new pages from the
/// log meanwhile, as write-ahead logging always lets them.
///
/// One copy at a time: the next big write waits for the last one first, so the log never holds more
/// than one big write; the end of the session waits for it too (`Database.finishLogCopy`), so the
/// workspace file alone holds everything once ecsh has exited, as before. The copy never waits for a
/// reader: while one reads older pages, the log stays as it is and is cut back later.
///
/// The second connection is SQLite's own: in one process its Unix VFS shares the file's locks
/// between connections, so closing it cannot drop the first one's locks (which is why `LogWriteback`
/// opens only the log, with a bare descriptor).
final class LogCopy: Sendable {
    private let job: BackgroundJob<Void>

    /// Starts copying the log of the workspace at `path`; nil when a second connection cannot be
    /// opened (the caller copies it itself, then).
    static func start(path: String) -> LogCopy? {
        secondConnection(path).map(LogCopy.init)
    }

    /// A second connection to the workspace at `path`, for copying its log; nil if it cannot be opened.
    static func secondConnection(_ path: String) -> OpaquePointer? {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let handle else {
            sqlite3_close_v2(handle)
            return nil
        }
        return handle
    }

    private init(handle: OpaquePointer) {
        // The handle is this thread's alone from here on (SQLite's default threading mode serializes anyway).
        nonisolated(unsafe) let connection = handle
        job = BackgroundJob(name: "ecsh-log-copy", stackSize: 1 << 20) {
            // PASSIVE copies without SQLite's write lock, so writes of this session and of other processes go on
            // meanwhile (TRUNCATE holds that lock through the whole copy: a `segment` after a load waited for it).
            // TRUNCATE then only cuts the copied log, if nobody writes or reads older pages; with no busy
            // handler it does not wait for either: the log is then cut back later.
            sqlite3_exec(connection, "PRAGMA wal_checkpoint(PASSIVE)", nil, nil, nil)
            sqlite3_exec(connection, "PRAGMA wal_checkpoint(TRUNCATE)", nil, nil, nil)
            sqlite3_close_v2(connection)
        }
    }

    /// Whether the copy has ended.
    var isFinished: Bool { job.isFinished }

    /// Waits until the copy has ended and its connection is closed.
    func wait() { job.value() }
}
