import CSQLite

/// A staged load's rows written as SQLite pages (`RowPages`) and copied into its table a file at a time, in the
/// order of the file, rowids included, where they can be; the rows it cannot take are bound by the load as before.
///
/// A copy attaches a file written whole (`RowPages.attach`) and runs `INSERT INTO main.<table> SELECT * FROM
/// <file>.t`, which SQLite does as a copy of records (no indexes or triggers on the table, the same columns).
/// The copied rows take the table's next rowids; a dataset's rowid is its record's line, so a record whose line
/// skips (the first, on line 2; the one after a field of several lines) is bound with its rowid after what the
/// pages hold is copied, and the pages go on after it. SQLite allows ATTACH in a transaction, not DETACH: a part
/// keeps at most `maxFiles` files attached until its commit (`detachAll`), past which the rest of the load is bound.
final class PagedRows {
    let database: Database
    let table: String
    private let kinds: [FieldKind]
    private let definitions: String
    private let maxRecord: Int
    /// The rows not yet copied.
    private var pages: RowPages?
    /// Files attached in the open transaction (detached when it ends).
    private var attached = 0
    /// Whether the pages stopped: the rest of the load is bound.
    private(set) var stopped = false
    /// The rowid SQLite gives the next row copied (the table's largest + 1).
    private var nextRowid: Int64
    /// Rows bound between rows of the pages (keyed past the next rowid); past `maxBoundRows` the pages stop.
    private var boundRows = 0
    static let maxBoundRows = 64
    /// Files one transaction may attach (SQLite's limit on attached files is 10).
    let maxFiles: Int
    /// Rows copied from pages so far (tests).
    private(set) var copiedRows = 0

    /// Pages for the rows of `table` (just created, empty, with `columns`). A workspace that cannot attach the files
    /// (one in UTF-16 cannot attach a UTF-8 file) binds its rows.
    init(_ database: Database, table: String, columns: [ColumnPlan]) {
        self.database = database
        self.table = table
        kinds = columns.map(\.kind)
        definitions = Loader.columnDefinitions(columns)
        maxRecord = Int(sqlite3_limit(database.handle, SQLITE_LIMIT_LENGTH, -1))
        maxFiles = min(8, RowPages.attachableFiles(database))
        nextRowid = 1
        stopped = maxFiles == 0
        if !stopped { RowPages.removeAbandoned() }
    }

    /// Writes a row of `batch` as pages, keyed `rowid` (nil: the next), if it can be: false when it must be bound
    /// now (what the pages held was copied first). A value the pages cannot hold stops them for the rest of the
    /// load, as do `TMPDIR` low on room (`ScratchRoom`), many rows keyed out of order or a transaction out of files.
    func add(_ batch: RowBatch, row r: Int, rowid: Int64?) throws -> Bool {
        guard !stopped else { return false }
        let key = rowid ?? nextRowid
        if key == nextRowid {
            if pages == nil {
                // No file to write to (TMPDIR not writable): the rest is bound.
                guard let made = try? RowPages(columns: kinds, tableColumns: definitions, maxRecord: maxRecord) else {
                    stopped = true
                    return false
                }
                pages = made
            }
            if try pages!.add(batch, row: r, key: key) == .added {
                nextRowid += 1
                return true
            }
            try stop()
            return false
        }
        // Keyed past the next rowid: bound with its rowid after the rows the pages hold; the pages go on from it.
        try copy()
        boundRows += 1
        // The next copy needs a file of its own in this transaction.
        if key < nextRowid || boundRows > Self.maxBoundRows || attached >= maxFiles { try stop() }
        nextRowid = key + 1
        return false
    }

    /// Copies the rows the pages hold into the table (attaching their file), in the open transaction.
    func copy() throws {
        guard let pages, pages.rows > 0 else { return }
        self.pages = nil
        try pages.finish()
        let name = try database.unusedSchemaName("ecsh_rows_")
        try pages.attach(to: database, as: name)
        attached += 1
        // Detached when the transaction ends: a staged part's commit (`detachAll`), a load's in one transaction
        // (`Database.transaction`).
        database.detachAtEnd(name)
        try database.execute("INSERT INTO main.\(quoteIdentifier(table)) SELECT * FROM \(name).t")
        copiedRows += pages.rows
    }

    /// Copies what the pages hold; the rest of the load is bound.
    func stop() throws {
        try copy()
        stopped = true
    }

    /// After a failure, outside a transaction: the rows not copied go with their file, and no more are taken. A
    /// full TMPDIR gets its room back before the staged table is dropped, which may need a temporary file there.
    func abandon() {
        pages = nil
        stopped = true
        detachAll()
    }

    /// Detaches the files copied from, outside a transaction (after a commit or a rollback); a staged load's next
    /// part may attach again.
    func detachAll() {
        database.detachPending()
        attached = 0
    }
}
