/// Versions of the workspace's inputs, so that derived data can say what it was built from.
///
/// Every change to a table that derived data may read (a load, a writing `sql` statement, a
/// status word that rewrites orders) takes the next number of one workspace-wide counter, inside
/// the transaction that makes the change, and records it for that table in `ecsh_inputs`.
/// Derived data stores the largest version among its inputs when it is built (`stamp`) and is
/// used only while that number is still the largest: a change that commits always moves it, and
/// a change that is rolled back (or killed before its commit) never does. This holds across
/// processes and across versions of ecsh that drop derived tables in other ways, which is why it
/// is kept in addition to the drop inside each load's transaction (docs/reliability.md).
///
/// SQLite's `PRAGMA data_version` was the other candidate; it tells one connection that another
/// committed something, but not what, and it starts afresh with every connection, so it cannot
/// be stored beside the derived data. A counter in the file can.
public enum InputVersion {
    public static let table = "ecsh_inputs"
    /// The name under which changes of unknown reach are recorded (a writing `sql` statement):
    /// every derived dataset counts it among its inputs.
    public static let anyTable = "*"

    /// One table's latest change.
    public struct Change: Sendable, Equatable {
        public var table: String
        public var version: Int
        /// Local time of the change, `YYYY-MM-DD HH:MM:SS`.
        public var at: String
        /// What changed it, e.g. `load orders from 'orders.csv'`.
        public var cause: String
    }

    static func createTable(_ db: Database) throws {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS \(table) (
              name TEXT PRIMARY KEY, version INTEGER NOT NULL, changed_at TEXT NOT NULL, cause TEXT NOT NULL)
            """)
    }

    /// Gives `tableName` the next version. Call it inside the transaction that changes the table,
    /// so that the version and the change commit (or vanish) together.
    /// It also disarms the table's watch triggers (every table's for `anyTable`), so that ecsh's own change
    /// made after the bump in the same transaction (a `sql` statement's) is not recorded again as another
    /// program's.
    @discardableResult
    public static func bump(_ db: Database, table tableName: String, cause: String) throws -> Int {
        try createTable(db)
        if db.engine == .sqlite, try db.tableExists(armedTable) {
            if tableName == anyTable {
                try db.execute("DELETE FROM \(armedTable)")
            } else {
                try db.execute("DELETE FROM \(armedTable) WHERE name = ?", [.text(tableName)])
            }
        }
        try db.execute("""
            INSERT OR REPLACE INTO \(table) (name, version, changed_at, cause)
            VALUES (?, (SELECT coalesce(max(version), 0) + 1 FROM \(table)), strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ?)
            """, [.text(tableName), .text(cause)])
        return try current(db, of: [tableName])
    }

    /// The table of inputs whose next change by any program must give them a new version (`watch`).
    public static let armedTable = "ecsh_inputs_armed"
    /// What a change seen by a `watch` trigger records as its cause.
    public static let outsideCause = "a change made outside ecsh (another program wrote the table)"

    /// Makes the next change to any of `tables` (those that exist) move its version, whichever
    /// program makes it: the sqlite3 shell, a script, another tool. Call it inside the transaction
    /// that writes derived data built from them (its stamp).
    ///
    /// A version bumped by ecsh's own writes tells derived data it is stale; another program's
    /// `UPDATE orders …` did not, and the next statement showed the numbers of the orders as they
    /// were. SQLite runs triggers for every connection, so each table gets one per kind of change
    /// (`ecsh_watch_<table>_insert|update|delete`): while the table is armed, the first changed row
    /// disarms it and gives it the next version, inside the writer's transaction (a change rolled
    /// back leaves no trace). Later rows find it disarmed: one lookup in a one-row-per-table table.
    /// A load that replaces a table drops its triggers with it; the load's own stamp makes them again.
    /// SQLite only (a PostgreSQL server's tables are ecsh's to change), main schema only (a
    /// read-only workspace cannot be written by ecsh either).
    public static func watch(_ db: Database, tables: [String]) throws {
        guard db.engine == .sqlite, db.derivedSchema == "main" else { return }
        try createTable(db)
        try db.execute("CREATE TABLE IF NOT EXISTS \(armedTable) (name TEXT PRIMARY KEY)")
        // Tables of the main schema only: a view (a user's `CREATE VIEW orders …`) takes no AFTER trigger.
        let existing = try tables.filter {
            try db.scalar("SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' AND name = ?", [.text($0)]).intValue ?? 0 > 0
        }
        for t in existing {
            let name = t.replacingOccurrences(of: "'", with: "''")
            for event in watchedEvents {
                try db.execute("""
                    CREATE TRIGGER IF NOT EXISTS main.\(quoteIdentifier(triggerName(t, event))) AFTER \(event) ON \(quoteIdentifier(t))
                    WHEN EXISTS (SELECT 1 FROM \(armedTable) WHERE name = '\(name)')
                    BEGIN
                      DELETE FROM \(armedTable) WHERE name = '\(name)';
                      INSERT OR REPLACE INTO \(table) (name, version, changed_at, cause)
                      VALUES ('\(name)', (SELECT coalesce(max(version), 0) + 1 FROM \(table)),
                              strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), '\(outsideCause)');
                    END
                    """)
            }
            try db.execute("INSERT OR IGNORE INTO \(armedTable) (name) VALUES (?)", [.text(t)])
        }
    }

    /// Drops `table`'s watch triggers, for a write of ecsh's own that gives the table its version itself
    /// (a load): an append of a million rows would otherwise run a trigger per row (about 0.45 s). The
    /// stamp of the derived data the load builds makes them again.
    public static func unwatch(_ db: Database, table t: String) throws {
        guard db.engine == .sqlite, !db.isReadOnly else { return }
        for event in watchedEvents {
            try db.execute("DROP TRIGGER IF EXISTS main.\(quoteIdentifier(triggerName(t, event)))")
        }
    }

    /// Whether every table of `tables` that exists in the main schema has its watch triggers (one query).
    /// False in a workspace whose derived data an earlier ecsh built.
    public static func isWatching(_ db: Database, tables: [String]) throws -> Bool {
        guard db.engine == .sqlite else { return true }
        let names = tables.flatMap { t in watchedEvents.map { triggerName(t, $0) } }
        func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }
        return try db.scalar("""
            SELECT (SELECT count(*) FROM main.sqlite_schema WHERE type = 'trigger' AND name IN (\(marks(names.count))))
                 >= \(watchedEvents.count) * (SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' AND name IN (\(marks(tables.count))))
            """, (names + tables).map { .text($0) }).intValue == 1
    }

    /// The changes a watch trigger is made for, and its name for a table and one of them.
    static let watchedEvents = ["INSERT", "UPDATE", "DELETE"]
    static func triggerName(_ table: String, _ event: String) -> String { "ecsh_watch_\(table)_\(event.lowercased())" }

    /// The version derived data built now from `tables` (and from changes of unknown reach) gets:
    /// the largest of their versions, 0 when none of them has changed since versions were kept.
    public static func current(_ db: Database, of tables: [String]) throws -> Int {
        try latest(db, of: tables)?.version ?? 0
    }

    /// The latest change among `tables` and changes of unknown reach, nil when there is none.
    public static func latest(_ db: Database, of tables: [String]) throws -> Change? {
        guard try db.tableExists(table) else { return nil }
        let names = tables + [anyTable]
        let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let rows = try db.query("""
            SELECT name, version, changed_at, cause FROM \(table) WHERE name IN (\(marks)) ORDER BY version DESC LIMIT 1
            """, names.map { .text($0) }).rows
        guard let r = rows.first, let version = r[1].intValue else { return nil }
        return Change(table: r[0].textValue ?? "", version: Int(version), at: r[2].textValue ?? "", cause: r[3].textValue ?? "")
    }
}
