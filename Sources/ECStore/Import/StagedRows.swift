import CSQLite
import Foundation
import Glibc

/// A load's rows committed in parts into a table of its own (`ecsh_staged_<pid>_<n>`) before the
/// load's one transaction adopts them: the transaction drops the old table and renames this one in
/// its place, with everything else the load changes (bookkeeping, the input counter, the derived data).
///
/// Why: in one transaction a 10M-order load wrote 2.3 GB of log, which SQLite could copy into the
/// workspace file only after the commit; on this project's machines every page of that log and of the
/// file was memory the kernel had to find fresh, and the copy ran after the statement (12–18 s of a
/// 10M load's process). Committed in parts, the rows' log is copied part by part while the next part
/// is written (`LogFollower`), and SQLite starts the log over, so its pages are reused
/// (docs/decisions.md, "A load's rows committed in parts into a table of their own").
///
/// Nothing about what readers see changes: until the adopting transaction commits, the workspace has
/// the old rows and their derived data, and a table named `ecsh_staged_…` (ecsh's reserved prefix;
/// `tables` leaves it out). A load that fails or is stopped drops it; one whose process was killed
/// leaves it, and the next session that opens the workspace for writing drops it
/// (`Database.dropAbandonedStagedTables`), telling it from another process's by the process id.
final class StagedRows {
    static let prefix = "ecsh_staged_"
    /// Bytes of the file between two commits, at most: about as many bytes of rows (a 1M-order file of
    /// 103 MB makes 114 MB of table). Two parts' worth of log (the load waits for the copies every second
    /// part) stays under `Database.logSizeLimit`, which SQLite would otherwise cut the log back to.
    static let maxPartBytes = 24 << 20
    /// Files smaller than this load in one transaction from the first row: a part's commit and the
    /// follower's thread would cost more than the log they save.
    static let minFileBytes = 1 << 20
    /// A load that replaces a table stages its rows only from this size of file. Until the adopting
    /// commit the old rows stay, so the staged rows take new pages and the old ones are left free in
    /// the file (which stays that much bigger: the next such load reuses them); loaded in one
    /// transaction, the new rows reuse the old rows' pages instead. Measured: at 10M orders (1 GB)
    /// staging wins by 8 s of 48; at 1M (100 MB) it loses 0.3 s of 2.8 (BENCHMARKS.md).
    static let minReplacingFileBytes = 256 << 20

    /// Bytes of the file per part for a file of `fileBytes`: an eighth of it, from 256 KiB to `maxPartBytes`.
    static func partBytes(fileBytes: Int) -> Int { min(maxPartBytes, max(256 << 10, fileBytes / 8)) }

    let database: Database
    let name: String
    private let partBytes: Int
    private var follower: LogFollower?
    /// Parts committed so far.
    private(set) var parts = 0
    private var committedAtByte = 0
    private var synchronous: Int64 = 2
    /// Whether a part's transaction is open.
    private var isOpen = false
    /// Whether this load made `ecsh_rejects` (a new workspace): a failed load drops it again, empty.
    private var madeRejects = false
    /// The file's pages of the tables this load will drop (`prefetchPlan`), found and asked for from the operating
    /// system on a thread of its own once `prefetchAt` bytes of the file have gone in (`PagePrefetch`).
    private var prefetchAt: Int?
    private var prefetchPlan: PagePrefetch.Plan?
    private var prefetch: PagePrefetch?
    /// The byte ranges asked for (tests).
    private(set) var prefetched: [Range<Int>] = []
    /// The rows written as SQLite pages and copied into the table at each part (`PagedRows`); nil when not asked for.
    private(set) var pages: PagedRows?
    /// The share of the file read when the old pages are asked for: early enough for the disk to read them while
    /// the rest of the rows go in (at 10M orders 6 s of rows for 2–3 GB), late enough that the cache still holds
    /// them when the adopting transaction drops them.
    static let prefetchShare = 0.6

    /// Whether a load of `request` into `database` makes a whole table anew from a file of `minFileBytes` or more,
    /// in a workspace file, outside any transaction (an append merges with the rows there), with nothing that writes
    /// beside the rows (`on_error skip` writes its rejects; a preset merges lines): what staging needs, and what a
    /// load in one transaction needs to write its rows as pages (`PagedRows`).
    static func loadsWholeTable(into database: Database, _ request: LoadRequest, preset: Preset?, fileBytes: Int) -> Bool {
        database.postgres == nil && !database.isReadOnly && database.path != nil && !database.isInTransaction
            && !request.append && preset == nil && request.options.onError == .stop && fileBytes >= minFileBytes
    }

    /// Whether a load of `request` into `database` may stage its rows: one that `loadsWholeTable`, into a workspace
    /// in WAL mode, into a new table or from a file of `replacingFrom` or more (`minReplacingFileBytes`).
    static func applies(to database: Database, _ request: LoadRequest, preset: Preset?, fileBytes: Int,
                        replacingFrom: Int = minReplacingFileBytes) -> Bool {
        guard loadsWholeTable(into: database, request, preset: preset, fileBytes: fileBytes),
              (try? database.scalar("PRAGMA journal_mode").textValue?.lowercased()) == "wal" else { return false }
        return fileBytes >= replacingFrom || (try? database.tableExists(request.target.tableName)) == false
    }

    /// Creates the table (committed at once, empty) and opens the first part's transaction.
    /// `replacing`: the tables (with their indexes) the load drops after its rows, the table it replaces and the
    /// derived data its build replaces, whose pages are read ahead while the last rows of the file's `fileBytes`
    /// go in (`PagePrefetch`).
    init(_ database: Database, columns: [ColumnPlan], partBytes: Int, replacing: [String], fileBytes: Int,
         writesPages: Bool) throws {
        self.database = database
        self.partBytes = max(1, partBytes)
        name = "\(Self.prefix)\(getpid())_\(UInt32.random(in: 1...UInt32.max))"
        // The last big write's log is copied first, as before any big write.
        database.finishLogCopy()
        try database.transaction {
            try database.dropAbandonedStagedTables()
            // The insert prepares its statement for rejected rows (none, on_error stop) with the rows'.
            madeRejects = try !database.tableExists("ecsh_rejects")
            try Bookkeeping.createRejectsTable(database)
            try database.execute("CREATE TABLE \(quoteIdentifier(name)) (\(Loader.columnDefinitions(columns)))")
        }
        do {
            // The parts need not reach the disk at their commits: until the adopting transaction commits
            // (synchronous as before) they are nobody's data. In WAL mode NORMAL never corrupts the file.
            synchronous = try database.scalar("PRAGMA synchronous").intValue ?? 2
            try database.execute("PRAGMA synchronous = NORMAL")
            // The follower copies each part; SQLite's own copy at a commit would run on this thread.
            sqlite3_wal_autocheckpoint(database.handle, 0)
            follower = database.path.flatMap(LogFollower.start)
            prefetchPlan = PagePrefetch.plan(of: replacing, in: database)
            if prefetchPlan != nil { prefetchAt = Int(Double(fileBytes) * Self.prefetchShare) }
            if writesPages { pages = PagedRows(database, table: name, columns: columns) }
            try begin()
        } catch {
            discard()
            throw error
        }
    }

    private func begin() throws {
        try database.execute("BEGIN IMMEDIATE")
        isOpen = true
    }

    /// `announced`: said on the progress line (`Database.during`). A part committed while the rows are read is
    /// not: the load's bar shows that step, and a `during` there gave the line back to the statement's activity
    /// line at every part, so the two took turns on the terminal (the bar, then "running load … 2 s", then the
    /// bar again). The last part's commit, after the rows, is.
    private func commit(announced: Bool) throws {
        if announced {
            try database.during("saving the rows loaded so far", stoppable: false) { try database.execute("COMMIT") }
        } else {
            try database.execute("COMMIT")
        }
        isOpen = false
        pages?.detachAll()
        parts += 1
        follower?.copy()
    }

    /// After each batch of rows: commits a part once `partBytes` of the file have gone in since the last,
    /// and every second part waits for the copies, so that the next part starts the log over.
    func rowsInserted(throughByte byte: Int) throws {
        if let at = prefetchAt, byte >= at, let plan = prefetchPlan {
            prefetchAt = nil
            prefetchPlan = nil
            prefetch = PagePrefetch(plan, budget: PagePrefetch.memoryBudget())
        }
        guard byte - committedAtByte >= partBytes else { return }
        committedAtByte = byte
        try pages?.copy()
        try commit(announced: false)
        if parts % 2 == 0 { follower?.waitForCopies() }
        try begin()
    }

    /// Commits the last part and stops the follower; what it has not copied, the log keeps for the copy
    /// after the load's commit. The adopting transaction comes next (`adopt`).
    func finish() throws {
        try pages?.copy()
        try commit(announced: true)
        restore()
    }

    /// Inside the load's transaction: the staged table takes the place of `table` (dropped if there).
    func adopt(as table: String) throws {
        try database.execute("DROP TABLE IF EXISTS \(quoteIdentifier(table))")
        // Legacy renaming leaves views and triggers alone: one over the old table reads the new one by
        // its name, and a view naming the table just dropped does not stop the rename.
        try database.execute("PRAGMA legacy_alter_table = ON")
        defer { try? database.execute("PRAGMA legacy_alter_table = OFF") }
        try database.execute("ALTER TABLE \(quoteIdentifier(name)) RENAME TO \(quoteIdentifier(table))")
    }

    /// After a failure: rolls back the open part, then drops the table (the next load or session does,
    /// if this cannot).
    func discard() {
        if isOpen { database.rollBack(); isOpen = false }
        pages?.abandon()
        restore()
        try? database.during("discarding the rows loaded so far", stoppable: false) {
            try database.transaction {
                try database.execute("DROP TABLE IF EXISTS \(quoteIdentifier(name))")
                // The workspace as it was: no bookkeeping table left behind by a load that kept nothing.
                if madeRejects, try database.scalar("SELECT count(*) FROM ecsh_rejects").intValue == 0 {
                    try database.execute("DROP TABLE ecsh_rejects")
                }
            }
        }
    }

    private func restore() {
        pages?.detachAll()
        follower?.stop()
        follower = nil
        // Its requests are made in well under a second; the descriptor it uses is the connection's own.
        if let prefetch { prefetched = prefetch.wait() }
        prefetch = nil
        prefetchAt = nil
        prefetchPlan = nil
        sqlite3_wal_autocheckpoint(database.handle, Database.autoCheckpointPages)
        try? database.execute("PRAGMA synchronous = \(synchronous)")
    }
}

extension Database {
    /// The condition on `name` that finds staged tables in `sqlite_schema`.
    static let stagedNames = "name LIKE 'ecsh\\_staged\\_%' ESCAPE '\\'"

    /// When a workspace file opens for writing: drops the staged tables of loads whose process was
    /// killed, if any (a look at the schema otherwise). Never waits for another process's write lock:
    /// the next session, or the next load, drops them then.
    func dropAbandonedStagedTablesAtOpen() {
        guard let found = try? scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND \(Self.stagedNames)").intValue,
              found > 0 else { return }
        try? withoutWaiting { try transaction { try dropAbandonedStagedTables() } }
    }

    /// Drops staged tables (`StagedRows`) that no load will adopt: those of a process that no longer
    /// runs (killed while loading), and this process's own (a load here stages one at a time).
    func dropAbandonedStagedTables() throws {
        let names = try query("SELECT name FROM sqlite_schema WHERE type = 'table' AND \(Self.stagedNames)")
            .rows.compactMap { $0[0].textValue }
        for name in names {
            let parts = name.dropFirst(StagedRows.prefix.count).split(separator: "_")
            guard let pid = parts.first.flatMap({ pid_t($0) }) else { continue }
            if pid == getpid() || !Self.processRuns(pid) {
                try execute("DROP TABLE IF EXISTS \(quoteIdentifier(name))")
            }
        }
    }

    /// Whether process `pid` runs: it exists and is not a zombie (a process killed and not yet waited
    /// for by its parent still answers `kill(pid, 0)`).
    static func processRuns(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: end)...].first { $0 != " " }
        return state != "Z" && state != "X"
    }
}
