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
    @discardableResult
    public static func bump(_ db: Database, table tableName: String, cause: String) throws -> Int {
        try createTable(db)
        try db.execute("""
            INSERT OR REPLACE INTO \(table) (name, version, changed_at, cause)
            VALUES (?, (SELECT coalesce(max(version), 0) + 1 FROM \(table)), strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ?)
            """, [.text(tableName), .text(cause)])
        return try current(db, of: [tableName])
    }

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
