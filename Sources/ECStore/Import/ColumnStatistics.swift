/// Each column's non-NULL count, minimum and maximum as the load that wrote the table counted them
/// (`ColumnTally`), kept in `ecsh_column_stats` for `describe`; for orders also the status breakdown
/// the load reported (`ecsh_status_stats`), which `describe orders` shows.
///
/// Never stale: the figures carry the table's input version (`InputVersion`) from the load's own
/// transaction, and the table's first and last rowid; any later change to the table (a writing `sql`
/// statement, `set status`, another load, an append) moves the version, and a VACUUM by another program
/// moves the rowids, so `current` then has nothing and `describe` counts over the table (`scan`).
public enum ColumnStatistics {
    public static let table = "ecsh_column_stats"
    static let statusTable = "ecsh_status_stats"

    /// What `current` finds: the row count, each counted column's figures, and for orders the statuses.
    public struct Counted: Sendable {
        public var rows: Int
        public var figures: [String: Figures]
        /// As `Loader.statusBreakdown` reads them from the table; nil when the load did not record them.
        public var statuses: (known: [LoadSummary.Count], unknown: [LoadSummary.UnknownStatus])?

        /// The figures of `column`, its name compared ignoring ASCII case; nil when the load did not count it.
        public func figures(of column: String) -> Figures? {
            figures[column] ?? figures.values.first { $0.field.lowercased() == column.lowercased() }
        }
    }

    /// One column's figures: `count(col)`, `min(col)`, `max(col)`.
    public struct Figures: Sendable, Equatable {
        public var field: String
        public var nonNull: Int
        public var min: Value
        public var max: Value

        public init(field: String, nonNull: Int, min: Value, max: Value) {
            self.field = field
            self.nonNull = nonNull
            self.min = min
            self.max = max
        }
    }

    /// Replaces the figures of `dataset` with `figures` of its `rows` rows, under the table's current
    /// input version. Call it inside the load's transaction, after the version was bumped; an empty
    /// `figures` only clears what an earlier load left.
    /// `statuses`: the load's status breakdown of the whole table (orders).
    static func record(_ db: Database, dataset: String, rows: Int, figures: [Figures],
                       statuses: (known: [LoadSummary.Count], unknown: [LoadSummary.UnknownStatus])? = nil) throws {
        guard db.engine == .sqlite else { return }
        // Each table on its own: one may be missing (dropped by hand, or a workspace of an earlier build).
        for t in [table, statusTable] where try db.tableExists(t) {
            try db.execute("DELETE FROM \(t) WHERE dataset = ?", [.text(dataset)])
        }
        guard !figures.isEmpty else { return }
        try db.execute("""
            CREATE TABLE IF NOT EXISTS \(table) (
              dataset TEXT NOT NULL, field TEXT NOT NULL, version INTEGER NOT NULL, rows INTEGER NOT NULL,
              rowids TEXT NOT NULL, non_null INTEGER NOT NULL, min_value, max_value,
              PRIMARY KEY (dataset, field));
            CREATE TABLE IF NOT EXISTS \(statusTable) (
              dataset TEXT NOT NULL, known INTEGER NOT NULL, status TEXT NOT NULL, raw TEXT, count INTEGER NOT NULL);
            """)
        if let statuses {
            let insert = try db.prepare("INSERT INTO \(statusTable) (dataset, known, status, raw, count) VALUES (?, ?, ?, ?, ?)")
            for c in statuses.known {
                insert.reset()
                try insert.bind([.text(dataset), .integer(1), .text(c.name), .null, .integer(Int64(c.count))])
                _ = try insert.step()
            }
            for u in statuses.unknown {
                insert.reset()
                try insert.bind([.text(dataset), .integer(0), .text(u.stored), .text(u.raw), .integer(Int64(u.count))])
                _ = try insert.step()
            }
        }
        let version = try InputVersion.current(db, of: [dataset])
        let rowids = try rowidSpan(db, dataset)
        let insert = try db.prepare("""
            INSERT INTO \(table) (dataset, field, version, rows, rowids, non_null, min_value, max_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for f in figures {
            insert.reset()
            try insert.bind([.text(dataset), .text(f.field), .integer(Int64(version)), .integer(Int64(rows)), .text(rowids),
                             .integer(Int64(f.nonNull)), f.min, f.max])
            _ = try insert.step()
        }
    }

    /// The figures of `dataset` by column name and its row count, when they were recorded under the
    /// table's input version as it is now and its rows are numbered as then; nil otherwise.
    public static func current(_ db: Database, dataset: String) throws -> Counted? {
        guard db.engine == .sqlite, try db.tableExists(table) else { return nil }
        let stored = try db.query("""
            SELECT field, version, rows, rowids, non_null, min_value, max_value FROM \(table) WHERE dataset = ?
            """, [.text(dataset)]).rows
        guard let first = stored.first, let rows = first[2].intValue else { return nil }
        let version = Int64(try InputVersion.current(db, of: [dataset]))
        guard stored.allSatisfy({ $0[1].intValue == version && $0[2].intValue == rows && $0[3] == first[3] }),
              first[3].textValue == (try rowidSpan(db, dataset)) else { return nil }
        var figures: [String: Figures] = [:]
        for r in stored {
            guard let field = r[0].textValue, let nonNull = r[4].intValue else { return nil }
            figures[field] = Figures(field: field, nonNull: Int(nonNull), min: r[5], max: r[6])
        }
        // Written in the same transaction as the figures, in the order the load reported them.
        guard try db.tableExists(statusTable) else { return Counted(rows: Int(rows), figures: figures, statuses: nil) }
        let statusRows = try db.query("SELECT known, status, raw, count FROM \(statusTable) WHERE dataset = ? ORDER BY rowid",
                                      [.text(dataset)]).rows
        var known: [LoadSummary.Count] = [], unknown: [LoadSummary.UnknownStatus] = []
        for r in statusRows {
            let status = r[1].textValue ?? "", count = Int(r[3].intValue ?? 0)
            if r[0].intValue == 1 {
                known.append(LoadSummary.Count(name: status, count: count))
            } else {
                unknown.append(LoadSummary.UnknownStatus(raw: r[2].textValue ?? status, stored: status, count: count))
            }
        }
        return Counted(rows: Int(rows), figures: figures, statuses: statusRows.isEmpty ? nil : (known, unknown))
    }

    /// The row count and the figures of `columns` of `dataset` by one scan in Swift (`ColumnScan`), nil
    /// where only SQL may compute them (another engine, a view, a column of another collation).
    public static func scan(_ db: Database, dataset: String, columns: [String]) throws -> (rows: Int, figures: [Figures])? {
        try ColumnScan.figures(db, table: dataset, columns: columns)
    }

    /// The table's first and last rowid by two seeks ("" for an empty table).
    private static func rowidSpan(_ db: Database, _ dataset: String) throws -> String {
        let t = quoteIdentifier(dataset)
        let span = try db.query("SELECT (SELECT min(rowid) FROM \(t)), (SELECT max(rowid) FROM \(t))").rows[0]
        return span.map { $0.intValue.map(String.init) ?? "" }.joined(separator: ",")
    }
}
