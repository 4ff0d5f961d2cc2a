import CSQLite

/// Where a row's values go: a prepared statement's parameters or a table's pages (`TablePages`), so that one
/// function fills either.
public protocol ValueSink: AnyObject {
    func bindNull(at index: Int32)
    func bind(int64 v: Int64, at index: Int32)
    func bind(double v: Double, at index: Int32)
    /// UTF-8 bytes that stay put until the row is added (a statement binds them without a copy).
    func bind(stableUTF8 bytes: UnsafeBufferPointer<UInt8>, at index: Int32)
    func bind(text: String, at index: Int32)
}

extension Statement: ValueSink {}

/// Rows of a table ecsh derives (the customer facts) written as SQLite pages (`RowPages`) and copied into it with
/// one `INSERT INTO <table> SELECT * FROM <file>.t`, which SQLite does as a copy of records, instead of each row's
/// values bound to a statement and made into a record by SQLite: about 0.6 µs a row, the longest part of a 10M
/// load's facts (5.45M rows).
///
/// The table needs a rowid column (`INTEGER PRIMARY KEY`) and columns declared `INTEGER`, `REAL` or `TEXT`, without
/// `NOT NULL` or defaults (`make` says nil otherwise, and the caller binds). Worth it for wide rows: the facts' 17
/// columns take about half the time bound; pairs of two integers took longer than bound (`insertPairs`). A row's values are bound as to a statement (parameter `i`:
/// the table's column `i`), then `addRow`; its key is the rowid column's value, and keys must rise. SQLite's copy
/// keeps a rowid column's values, so rows bound to a statement meanwhile (`addRow` false: a value the pages do
/// not store as binding would) may take any keys. The file is attached at `copy` (SQLite allows ATTACH inside a
/// transaction, not DETACH) and detached when the transaction ends (`Database.detachAtEnd`).
public final class TablePages: ValueSink {
    private let database: Database
    private let target: String
    private let pages: RowPages
    private let keyColumn: Int
    private let width: Int
    private let cells: UnsafeMutablePointer<Cell>
    private var text = TextArena()
    private var lastKey: Int64?
    private var copied = false
    /// Whether a row could not be added: the caller binds it and the rest (what the pages hold is still copied).
    public private(set) var stopped = false
    /// Rows the pages hold.
    public var rows: Int { pages.rows }

    /// Pages for the rows of `schema.table`, or nil when they cannot be written or attached: a PostgreSQL or UTF-16
    /// workspace, a table without a rowid column or with a column of another type, no free attachment, no
    /// temporary file (`TMPDIR`), or `Database.writesDerivedPages` off.
    public static func make(_ database: Database, schema: String, table: String) -> TablePages? {
        guard database.writesDerivedPages, RowPages.attachableFiles(database) > 0,
              let columns = try? database.query("PRAGMA \(schema).table_info(\(quoteIdentifier(table)))").rows,
              !columns.isEmpty else { return nil }
        var affinities: [RowPages.Affinity] = []
        var definitions: [String] = []
        var keyColumn: Int?
        for (i, c) in columns.enumerated() {
            // No NOT NULL: SQLite's copy trusts a source column declared so, and this one would have to check it.
            guard let name = c[1].textValue, let type = c[2].textValue?.uppercased(), (c[3].intValue ?? 0) == 0,
                  c[4] == .null else { return nil }
            switch type {
            case "INTEGER": affinities.append(.integer)
            case "REAL": affinities.append(.real)
            case "TEXT": affinities.append(.text)
            default: return nil
            }
            var definition = "\(quoteIdentifier(name)) \(type)"
            if (c[5].intValue ?? 0) > 0 {
                guard type == "INTEGER", keyColumn == nil else { return nil }
                keyColumn = i
                definition += " PRIMARY KEY"
            }
            definitions.append(definition)
        }
        guard let keyColumn else { return nil }
        RowPages.removeAbandoned()
        let maxRecord = Int(sqlite3_limit(database.handle, SQLITE_LIMIT_LENGTH, -1))
        guard let pages = try? RowPages(affinities: affinities, tableColumns: definitions.joined(separator: ", "), maxRecord: maxRecord,
                                        room: database.derivedPagesRoom)
        else { return nil }
        return TablePages(database, target: "\(schema).\(quoteIdentifier(table))", pages: pages, keyColumn: keyColumn)
    }

    private init(_ database: Database, target: String, pages: RowPages, keyColumn: Int) {
        self.database = database
        self.target = target
        self.pages = pages
        self.keyColumn = keyColumn
        width = pages.columns
        cells = .allocate(capacity: width)
        cells.initialize(repeating: .null, count: width)
    }

    deinit {
        cells.deallocate()
        text.bytes.deallocate()
    }

    // MARK: A row's values (parameter i: column i)

    public func bindNull(at index: Int32) { cells[Int(index) - 1] = .null }
    public func bind(int64 v: Int64, at index: Int32) { cells[Int(index) - 1] = .integer(v) }
    public func bind(double v: Double, at index: Int32) { cells[Int(index) - 1] = .real(v) }

    public func bind(stableUTF8 bytes: UnsafeBufferPointer<UInt8>, at index: Int32) {
        text.reserve(bytes.count)
        if let base = bytes.baseAddress, bytes.count > 0 { (text.bytes + text.count).update(from: base, count: bytes.count) }
        cells[Int(index) - 1] = .text(start: text.count, count: bytes.count)
        text.count += bytes.count
    }

    public func bind(text value: String, at index: Int32) {
        var value = value
        value.withUTF8 { bind(stableUTF8: $0, at: index) }
    }

    /// Adds the row bound since the last: false when the pages cannot hold it (its key not above the last, not
    /// an integer, a value the column would convert, or `TMPDIR` low on room): the caller binds it and every later row.
    public func addRow() throws -> Bool {
        defer { text.count = 0 }
        guard !stopped, !copied, case .integer(let key) = cells[keyColumn], lastKey.map({ key > $0 }) ?? true else {
            stopped = true
            return false
        }
        // The rowid column's value is the record's key; the record holds NULL there, as SQLite's own.
        cells[keyColumn] = .null
        defer { cells[keyColumn] = .integer(key) }
        guard try pages.add(cells, text: text.bytes, key: key) == .added else {
            stopped = true
            return false
        }
        lastKey = key
        return true
    }

    /// Copies the rows the pages hold into the table; once.
    public func copy() throws {
        guard !copied else { return }
        copied = true
        guard pages.rows > 0 else { return }
        try pages.finish()
        let name = try database.unusedSchemaName("ecsh_rows_")
        try pages.attach(to: database, as: name)
        defer { database.detachAtEnd(name) }
        try database.execute("INSERT INTO \(target) SELECT * FROM \(name).t")
        database.rowsCopiedFromPages += pages.rows
    }
}

extension Database {
    /// `prefix` followed by the first number no attached database's name has.
    func unusedSchemaName(_ prefix: String) throws -> String {
        let names = Set(try query("PRAGMA database_list").rows.compactMap { $0[1].textValue })
        guard let name = (1...32).lazy.map({ "\(prefix)\($0)" }).first(where: { !names.contains($0) }) else {
            throw StoreError("cannot attach a temporary file: every \(prefix) name is taken")
        }
        return name
    }

    /// Detaches `schema` now, outside a transaction, or when the outermost one ends (SQLite refuses DETACH inside).
    func detachAtEnd(_ schema: String) {
        if isInTransaction {
            pendingDetach.append(schema)
        } else {
            try? execute("DETACH DATABASE \(schema)")
        }
    }

    /// After the outermost transaction: what `detachAtEnd` left.
    func detachPending() {
        guard !pendingDetach.isEmpty, !isInTransaction else { return }
        for schema in pendingDetach { try? execute("DETACH DATABASE \(schema)") }
        pendingDetach.removeAll()
    }
}
