/// The `ecsh_` tables that describe loaded datasets (docs/workspace.md).
enum Bookkeeping {
    static func createTables(_ db: Database) throws {
        try createRejectsTable(db)
        try db.execute("""
            CREATE TABLE IF NOT EXISTS ecsh_datasets (
              name TEXT PRIMARY KEY, role TEXT, source TEXT NOT NULL, rows INTEGER NOT NULL,
              loaded_at TEXT NOT NULL, min_date TEXT, max_date TEXT);
            CREATE TABLE IF NOT EXISTS ecsh_fields (
              dataset TEXT NOT NULL, field TEXT NOT NULL, source_header TEXT, type TEXT NOT NULL,
              PRIMARY KEY (dataset, field));
            """)
    }

    /// The rejects table alone: what a load needs before its rows. The others are created (when new) just
    /// before `record`: a page SQLite wrote to the log early in a big transaction and changes again at its
    /// end is rewritten in place, and every log frame after it then has its checksum read and written
    /// again at the commit (`walRewriteChecksums`): 120k extra system calls at 1M orders.
    static func createRejectsTable(_ db: Database) throws {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS ecsh_rejects (
              dataset TEXT, source TEXT, line INTEGER, col INTEGER, field TEXT, reason TEXT, raw TEXT)
            """)
    }

    /// The date range `record` would take by SQL (`substr(min(column), 1, 10)` and the same of `max`) from a
    /// column's figures as the load counted them: texts cut to their first ten code points, as `substr` cuts
    /// them; NULLs for a column without values; nil for numbers (left to SQL, which would write them as text).
    static func dateRange(_ f: ColumnStatistics.Figures) -> (min: Value, max: Value)? {
        func cut(_ v: Value) -> Value? {
            switch v {
            case .null: return .null
            case .text(let t): return .text(String(String.UnicodeScalarView(t.unicodeScalars.prefix(10))))
            default: return nil
            }
        }
        guard let low = cut(f.min), let high = cut(f.max) else { return nil }
        return (low, high)
    }

    /// Records the dataset's size, date range and column mapping after a load.
    /// `known`: the row count and main-date range when the caller counted them while loading.
    static func record(_ db: Database, table: String, role: DatasetRole?, source: String, columns: [ColumnPlan], replace: Bool,
                       known: (rows: Int, minDate: Value, maxDate: Value)? = nil) throws {
        try createTables(db)
        let t = quoteIdentifier(table)
        var minDate: Value = .null, maxDate: Value = .null
        if let known {
            minDate = known.minDate
            maxDate = known.maxDate
        } else if let main = role?.mainDate {
            let range = try db.query("SELECT substr(min(\(quoteIdentifier(main))), 1, 10), substr(max(\(quoteIdentifier(main))), 1, 10) FROM \(t)")
            minDate = range.rows[0][0]
            maxDate = range.rows[0][1]
        }
        try db.execute("""
            INSERT OR REPLACE INTO ecsh_datasets (name, role, source, rows, loaded_at, min_date, max_date)
            VALUES (?, ?, ?, \(known.map { String($0.rows) } ?? "(SELECT count(*) FROM \(t))"), strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ?, ?)
            """, [.text(table), role.map { .text($0.rawValue) } ?? .null, .text(source), minDate, maxDate])
        if replace { try db.execute("DELETE FROM ecsh_fields WHERE dataset = ?", [.text(table)]) }
        for c in columns {
            try db.execute("INSERT OR REPLACE INTO ecsh_fields (dataset, field, source_header, type) VALUES (?, ?, ?, ?)",
                           [.text(table), .text(c.name), c.header.map { .text($0) } ?? .null, .text(c.recordedKind.rawValue)])
        }
    }
}

extension Loader {
    /// Creates the table fresh (replacing a previous load), or for `append` adds any new columns.
    func prepareTable(_ table: String, plan: inout FilePlan, append: Bool) throws {
        let t = quoteIdentifier(table)
        if append, try database.tableExists(table) {
            // A first load builds its id index UNIQUE; appended rows may repeat ids until they are merged.
            for row in try database.query("SELECT name FROM pragma_index_list(?) WHERE \"unique\" = 1 AND name LIKE 'ecsh\\_%' ESCAPE '\\'",
                                          [.text(table)]).rows {
                guard let name = row[0].textValue,
                      let sql = try database.scalar("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", [.text(name)]).textValue
                else { continue }
                try database.execute("DROP INDEX \(quoteIdentifier(name))")
                try database.execute(sql.replacingOccurrences(of: "CREATE UNIQUE INDEX", with: "CREATE INDEX"))
            }
            let existing = try database.columns(of: table)
            let names = Set(existing.map { $0.name.lowercased() })
            for (k, c) in plan.columns.enumerated() {
                if let e = existing.first(where: { $0.name.lowercased() == c.name.lowercased() }) {
                    // Keep the table's type: values of the new file are read the same way.
                    if c.canonical == nil, let kind = Loader.kind(ofDeclared: e.type), kind.sqlType != c.kind.sqlType {
                        plan.columns[k].kind = Loader.wider(kind, c.kind)
                        plan.columns[k].declaredKind = kind
                    }
                } else if !names.contains(c.name.lowercased()) {
                    try database.execute("ALTER TABLE \(t) ADD COLUMN \(quoteIdentifier(c.name)) \(c.kind.sqlType)")
                }
            }
            return
        }
        try database.execute("DROP TABLE IF EXISTS \(t)")
        try database.execute("DELETE FROM ecsh_rejects WHERE dataset = ?", [.text(table)])
        try database.execute("CREATE TABLE \(t) (\(Loader.columnDefinitions(plan.columns)))")
    }

    /// The column definitions of a new table for `columns`.
    static func columnDefinitions(_ columns: [ColumnPlan]) -> String {
        columns.map { "\(quoteIdentifier($0.name)) \($0.kind.sqlType)" }.joined(separator: ", ")
    }

    static func kind(ofDeclared type: String) -> FieldKind? {
        switch type.uppercased() {
        case "INTEGER": return .integer
        case "REAL": return .real
        case "TEXT": return .text
        default: return nil
        }
    }

    static func wider(_ a: FieldKind, _ b: FieldKind) -> FieldKind {
        if a == b { return a }
        if (a == .integer && b == .real) || (a == .real && b == .integer) { return .real }
        return .text
    }

    /// Rebuilds the table when an inferred column had to widen past its declared SQL type.
    ///
    /// Values already inserted keep their meaning (SQLite stored them as bound);
    /// the rebuild only fixes the declared types, inside the same transaction.
    func retypeWidenedColumns(_ table: String, _ columns: [ColumnPlan], notes: inout [String]) throws {
        let changed = Dictionary(columns.filter { $0.kind.sqlType != $0.declaredKind.sqlType }.map { ($0.name.lowercased(), $0.kind) },
                                 uniquingKeysWith: { a, _ in a })
        if changed.isEmpty { return }
        let existing = try database.columns(of: table)
        let temp = "ecsh_load_retype"
        var defs: [String] = []
        var selects: [String] = []
        for e in existing {
            let q = quoteIdentifier(e.name)
            if let kind = changed[e.name.lowercased()] {
                defs.append("\(q) \(kind.sqlType)")
                selects.append("CAST(\(q) AS \(kind.sqlType))")
            } else {
                defs.append("\(q) \(e.type)")
                selects.append(q)
            }
        }
        try database.execute("DROP TABLE IF EXISTS \(temp)")
        try database.execute("CREATE TABLE \(temp) (\(defs.joined(separator: ", ")))")
        try database.execute("INSERT INTO \(temp) SELECT \(selects.joined(separator: ", ")) FROM \(quoteIdentifier(table))")
        try database.execute("DROP TABLE \(quoteIdentifier(table))")
        try database.execute("ALTER TABLE \(temp) RENAME TO \(quoteIdentifier(table))")
    }
}
