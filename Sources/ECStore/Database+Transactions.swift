import CSQLite

/// Transactions: the write transaction every change runs in, the read transaction of a reading
/// statement, the one for derived data a reader builds, and giving the write-ahead log back.
extension Database {
    /// Runs `body` inside a transaction: all of it commits, or none of it.
    ///
    /// The outermost level is `BEGIN IMMEDIATE`: it takes the write lock first, waiting (busy handler)
    /// while another process writes. A deferred transaction would read first and then fail at once
    /// with "database is locked" when it tries to write, because SQLite does not wait for a lock while
    /// the connection holds a read snapshot that the other writer's commit would make stale. Inner
    /// levels are savepoints. A read-only workspace gets a plain (read) transaction.
    /// `committing`, when given, is what the progress line shows while the transaction commits (a
    /// load's commit writes its rows out: seconds at 10M rows, and Ctrl-C can no longer stop it).
    public func transaction<T>(committing: String? = nil, _ body: () throws -> T) throws -> T {
        try transaction(begin: { try execute(isReadOnly || postgres != nil ? "BEGIN" : "BEGIN IMMEDIATE") },
                        committing: committing, body)
    }

    /// A transaction for derived data that a reading statement needs (the period calendar): written
    /// to `derivedSchema` when the write lock is free at once, else, without waiting, to `temp`, for
    /// this session only (unqualified names find `temp`'s first). So a reader never waits for another
    /// process's load to commit just to build a table it could build for itself in milliseconds.
    /// `body` gets the schema to write to.
    ///
    /// Inside a read transaction (`readTransaction`) the write to `main` is tried in a savepoint: SQLite
    /// refuses it at once while another connection writes, and then it goes to `temp` the same way.
    public func derivedTransaction<T>(_ body: (_ schema: String) throws -> T) throws -> T {
        guard postgres == nil, !isReadOnly else { return try transaction { try body(derivedSchema) } }
        if isInTransaction {
            do {
                return try transaction { try body("main") }
            } catch let e as DatabaseError where e.isBusy && !interruptFlag.isRaised {
                return try transaction { try body("temp") }
            }
        }
        var schema = "main"
        return try transaction(begin: {
            do {
                try withoutWaiting { try execute("BEGIN IMMEDIATE") }
            } catch let e as DatabaseError where e.isBusy && !interruptFlag.isRaised {
                schema = "temp"
                try execute("BEGIN")
            }
        }) { try body(schema) }
    }

    /// Runs `body` with the busy handler giving up at once: a lock another connection holds
    /// fails with SQLITE_BUSY instead of being waited for.
    func withoutWaiting<T>(_ body: () throws -> T) rethrows -> T {
        let patience = hooks.busyTimeout
        hooks.busyTimeout = 0
        defer { hooks.busyTimeout = patience }
        return try body()
    }

    /// Bytes of write-ahead log kept for reuse once it has been copied into the workspace file.
    static let logSizeLimit = 64 << 20
    /// SQLite's default: a commit that leaves the log longer than this many pages copies it into the file.
    static let autoCheckpointPages: Int32 = 1000

    /// After a big write (a load, a facts build) has committed: copies the write-ahead log into the
    /// workspace file and truncates it, on a thread of its own (`LogCopy`), so the next statement need
    /// not wait, and the disk the log took (several gigabytes after a 10M-order load, about twice the
    /// workspace's size) is free while the session goes on, not only when it ends. Never waits for a
    /// reader: while another connection reads older pages, the log stays and is cut back later.
    private func startLogCopy() {
        guard postgres == nil, let path, !isReadOnly else { return }
        finishLogCopy()
        if let copy = LogCopy.start(path: path) {
            logCopy = copy
        } else {
            // No second connection (out of descriptors, say): copy it here, as SQLite's COMMIT would have.
            try? withoutWaiting { try execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        }
    }

    /// Waits for the copy of the last big write's log into the workspace file, if it still runs: before
    /// the next big write (so the log never holds two), and before the session ends (so the file alone
    /// holds everything once ecsh exits). `what` is what the progress line says meanwhile.
    public func finishLogCopy(showing what: String = "saving the last changes to the workspace file") {
        guard let copy = logCopy else { return }
        if !copy.isFinished { during(what, stoppable: false) { copy.wait() } }
        logCopy = nil
    }

    /// Whether the copy of the last big write's log into the workspace file still runs.
    public var isCopyingLog: Bool { logCopy.map { !$0.isFinished } ?? false }

    /// Runs `body` in one read transaction, so that every query in it sees the same committed state,
    /// taken now, even when another process commits (a load) while it runs: a statement that reads the
    /// workspace in several queries never mixes the data before a commit with the data after it.
    /// A write in `body` is tried without waiting (SQLite refuses to upgrade a read transaction while
    /// another connection writes, or once the state read is no longer the latest): it throws
    /// SQLITE_BUSY then, and the caller decides what to do (`derivedTransaction` writes to `temp`).
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        guard postgres == nil, !isInTransaction else { return try body() }
        return try transaction(begin: {
            try execute("BEGIN")
            // A deferred transaction takes its snapshot at its first read: take it now.
            do { _ = try scalar("SELECT count(*) FROM sqlite_schema") } catch { try? execute("ROLLBACK"); throw error }
        }, body)
    }

    private func transaction<T>(begin: () throws -> Void, committing: String? = nil, _ body: () throws -> T) throws -> T {
        let outermost = !isInTransaction
        let name = "ecsh_tx_\(savepointDepth)"
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        // A big write (a load, a rebuild) on a workspace file: the log of the last one is copied into the file
        // first; this one's is written out as it goes (`LogWriteback`), and copied after the commit (`LogCopy`).
        let big = outermost && committing != nil && postgres == nil && !isReadOnly && path != nil
        if big { finishLogCopy() }
        if outermost { try begin() } else { try execute("SAVEPOINT \(name)") }
        // Files attached for a copy (`TablePages`) once the transaction has ended, committed or rolled back.
        defer { if outermost { detachPending() } }
        let writeback = big ? handle.flatMap(LogWriteback.start) : nil
        defer { writeback?.stop() }
        do {
            let result = try body()
            if outermost, let committing {
                // A big write's COMMIT runs without the automatic checkpoint: the copy runs after it, on its own thread.
                if big { sqlite3_wal_autocheckpoint(handle, 0) }
                defer { if big { sqlite3_wal_autocheckpoint(handle, Self.autoCheckpointPages) } }
                try during(committing, stoppable: false) { try execute("COMMIT") }
                if big { startLogCopy() }
            } else {
                try execute(outermost ? "COMMIT" : "RELEASE \(name)")
            }
            return result
        } catch {
            if outermost {
                rollBack()
            } else {
                // ROLLBACK TO undoes the work; RELEASE then ends the savepoint.
                try? execute("ROLLBACK TO \(name)")
                try? execute("RELEASE \(name)")
            }
            throw error
        }
    }

    /// Ends the outermost transaction after a failure. After Ctrl-C (`sqlite3_interrupt`) a statement
    /// left stepping keeps every new statement interrupted, ROLLBACK too: then reset them all and
    /// roll back again.
    public func rollBack() {
        guard isInTransaction, (try? execute("ROLLBACK")) == nil, isInTransaction, let handle else { return }
        var statement = sqlite3_next_stmt(handle, nil)
        while let s = statement {
            sqlite3_reset(s)
            statement = sqlite3_next_stmt(handle, s)
        }
        try? execute("ROLLBACK")
    }
}
