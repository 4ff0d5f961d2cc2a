import ECStore

/// What the customer facts and the order snapshot were built from, and in which layout.
///
/// The build writes a `stamp` entry into `ecsh_snapshot` in its own transaction: the layout's
/// format version and the input version (`InputVersion`) of orders, customers and nps it read.
/// `OrderSnapshot.meta` (which every reader of the facts and the snapshot goes through, via
/// `CustomerFacts.ensureCurrent`) treats derived data whose stamp is missing, of another format
/// or of another input version as absent, so it is rebuilt and never misread: a workspace
/// written by another version of ecsh, or changed by another program (whose writes to the inputs
/// the stamp's triggers give a version: `InputVersion.watch`), cannot show stale numbers.
extension OrderSnapshot {
    /// The layout of `ecsh_snapshot` and `ecsh_customer_facts`. Change it whenever an entry, a
    /// column or the meaning of a value changes: workspaces of the old layout are then rebuilt.
    /// 1 was the layout before stamps (no `stamp` entry); 2 added the stamp; 3 the blocks' `row`
    /// column and `low_rowid` (a `where` filter on the snapshot route); 4 `orders_rowids` (rows
    /// renumbered by another program's VACUUM); 5 the codes of columns with few values (`OrderCodes`); 6 the
    /// facts as a view over `ecsh_customer_base` and `ecsh_customer_attrs`; 7 the blocks' per-order
    /// columns packed (`BlockPacking`); 8 each NPS answer's customer key (`NPSAnswerKeys`); 9 the facts' `nps` in a
    /// table of its own, `ecsh_customer_scores`.
    public static let formatVersion = 9

    /// The tables the facts and the snapshot are computed from.
    public static let inputTables = ["orders", "customers", "nps"]

    /// The stamp of the derived data in the workspace.
    public struct Stamp: Sendable, Equatable {
        public var format: Int
        /// The input version it was built from (`InputVersion.current(of: inputTables)`).
        public var inputs: Int
        /// Local time of the build, `YYYY-MM-DD HH:MM:SS`.
        public var builtAt: String
        /// Seconds the build took.
        public var seconds: Double?
    }

    /// Records that the derived data now in the workspace was built from the current inputs.
    /// Called inside the build's transaction, after everything else was written.
    static func writeStamp(_ db: Database, seconds: Double) throws {
        let inputs = try InputVersion.current(db, of: inputTables)
        let builtAt = try db.scalar("SELECT strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')").textValue ?? ""
        let text = "format=\(formatVersion)\ninputs=\(inputs)\nbuilt_at=\(builtAt)\nseconds=\(seconds)"
        // A PostgreSQL workspace keeps these entries as text (`CustomerFacts.rebuildInEngine`).
        let value = db.engine == .postgresql ? "?" : "CAST(? AS BLOB)"
        try db.execute("INSERT OR REPLACE INTO \(db.derivedSchema).\(table) (name, data) VALUES ('stamp', \(value))", [.text(text)])
        // Another program's change to an input moves its version too (triggers; SQLite only).
        try InputVersion.watch(db, tables: inputTables)
    }

    /// The stamp of the derived data in the workspace, nil when there is none (not built, or
    /// built before stamps were kept).
    public static func stamp(_ db: Database) throws -> Stamp? {
        // In SQLite the facts are a view: the table under it must be there too.
        guard try db.tableExists(table), try db.tableExists(CustomerFacts.table),
              try db.engine != .sqlite || db.tableExists(CustomerFacts.baseTable),
              let text = try text(db, "stamp") else { return nil }
        let fields = fields(of: text)
        guard let format = fields["format"].flatMap(Int.init), let inputs = fields["inputs"].flatMap(Int.init) else { return nil }
        return Stamp(format: format, inputs: inputs, builtAt: fields["built_at"] ?? "", seconds: fields["seconds"].flatMap(Double.init))
    }

    /// Counted orders and customers of the current snapshot, nil when there is none.
    public static func sizes(_ db: Database) throws -> (orders: Int, customers: Int)? {
        guard let m = try meta(db), let rows = m["rows"].flatMap(Int.init), let customers = m["customers"].flatMap(Int.init) else { return nil }
        return (rows, customers)
    }

    /// Whether derived data is in the workspace and may be used: built in this layout from the
    /// inputs as they are now.
    public static func isCurrent(_ db: Database) throws -> Bool {
        guard let stamp = try stamp(db), stamp.format == formatVersion else { return false }
        return stamp.inputs == (try InputVersion.current(db, of: inputTables))
    }
}
