import CSQLite
import Foundation
import Glibc

/// Has the kernel start writing a big transaction's write-ahead log to disk while the transaction
/// is still filling it, so that the commit's sync waits for the last part only.
///
/// A load writes its pages to the log as SQLite's page cache spills them, but Linux keeps them in
/// memory until the dirty-page threshold (a tenth of memory) or 30 seconds: the commit's fsync then
/// waited for all of them (0.3 s of a 4 s 1M-order load, with the disk idle before). Every 100 ms this
/// thread asks for writeback of whatever is dirty (`sync_file_range` with `SYNC_FILE_RANGE_WRITE`,
/// which starts writes and does not wait for them). It only changes when bytes reach the disk, not
/// what or in which order SQLite syncs: durability is SQLite's as before. It opens the log file read-only
/// and never locks it (SQLite's WAL locks are on the `-shm` file). It must never open the workspace file
/// itself: closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's too.
/// (The checkpoint the COMMIT runs, copying the log into that file, therefore syncs it unhelped.)
final class LogWriteback: WorkerThread, @unchecked Sendable {
    private let path: String

    /// Starts for the log of `handle`'s main database; nil without one (in memory, not in WAL mode).
    static func start(_ handle: OpaquePointer) -> LogWriteback? {
        guard let name = sqlite3_db_filename(handle, "main"), name.pointee != 0,
              let wal = sqlite3_filename_wal(name) else { return nil }
        return LogWriteback(path: String(cString: wal))
    }

    private init(path: String) {
        self.path = path
        super.init(name: "ecsh-log-writeback", stackSize: 1 << 18)
    }

    override func work() {
        var fd: Int32 = -1
        condition.lock()
        while !stopping {
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.1))
            if stopping { break }
            condition.unlock()
            if fd < 0 { fd = open(path, O_RDONLY | O_CLOEXEC) }
            if fd >= 0 { _ = ecsh_start_writeback(fd) }
            condition.lock()
        }
        condition.unlock()
        if fd >= 0 { close(fd) }
    }
}
