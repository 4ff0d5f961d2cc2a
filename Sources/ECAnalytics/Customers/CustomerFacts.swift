import Foundation
import ECStore

/// The per-customer relation `ecsh_customer_facts` that segments and customer
/// dimensions read: one row per customer with at least one counted order.
///
/// Rebuilt after each load of orders, customers or nps, and after a change
/// of settings that moves counted orders or as_of.
///
/// In an SQLite workspace it is a view over three derived tables, all keyed by `customer_key`:
/// `ecsh_customer_base` (the columns computed from orders), `ecsh_customer_scores` (`nps`, a row per
/// customer whose latest answer has a score) and `ecsh_customer_attrs` (the customers dataset's other
/// columns, a row per customer listed there). A customers load rewrites only the third, an NPS load only
/// the second, not every facts row (docs/decisions.md, "The customers columns in a table of their
/// own", "NPS scores in a table of their own"). A PostgreSQL workspace keeps one table of that name
/// (`rebuildInEngine`).
public enum CustomerFacts {
    public static let table = "ecsh_customer_facts"
    /// The table of the columns computed from orders, under the view `table` (SQLite).
    public static let baseTable = "ecsh_customer_base"
    /// Each customer's latest NPS score by `customer_key` (column `nps`; no row: NULL), joined on by the view `table` (SQLite).
    public static let scoresTable = "ecsh_customer_scores"
    /// The customers dataset's columns by `customer_key`, joined on by the view `table` (SQLite).
    public static let attributesTable = "ecsh_customer_attrs"

    /// The facts computed from orders, in column order, with their meaning.
    static let ownColumns: [(name: String, type: String, meaning: String)] = [
        ("customer_id", "text", "customer id"),
        ("first_order", "date", "date of the first counted order"),
        ("cohort", "text", "month of the first counted order (YYYY-MM)"),
        ("first_channel", "text", "channel of the first counted order"),
        ("last_order", "date", "date of the last counted order"),
        ("orders", "integer", "number of counted orders"),
        ("revenue", "real", "net sales: amount − discount − points"),
        ("margin", "real", "contribution margin (CM2), missing costs as 0"),
        ("aov", "real", "revenue / orders"),
        ("recency", "integer", "days from the last order to as_of"),
        ("tenure", "integer", "days from the first order to as_of"),
        ("channels", "integer", "number of distinct channels ordered through"),
        ("first_day", "integer", "day number of the first order"),
        ("second_day", "integer", "day number of the second counted order (NULL if none)"),
        ("last_day", "integer", "day number of the last order"),
        ("first_order_id", "text", "order_id of the first counted order"),
    ]

    /// The names of `ownColumns`, the facts computed from orders.
    public static var ownColumnNames: [String] { ownColumns.map(\.name) }

    /// Rebuilds `ecsh_customer_facts` and the order snapshot (`OrderSnapshot`). Past `ordersPerPass`
    /// orders the customers are built share by share, past `ordersInMemory` the snapshot's orders are
    /// not held all at once (`build`), so memory stays bounded. With `pass` (usable: the load that
    /// just wrote `orders` saw every row), from what it collected, without reading `orders`.
    ///
    /// `inLoad`: inside a load's transaction, which rolls back whole on an error of SQLite, and whose caller
    /// drops whatever a failed build left (`refreshInLoad`, `OrderSnapshot.invalidate`). The build then opens
    /// no savepoint of its own: with one open, SQLite copies every page the build writes that the file
    /// already held into a statement journal, in case of a rollback to the savepoint. A load replacing its
    /// orders frees the old rows' pages and the build takes them again: a 10M load copied 1 GB that way
    /// (BENCHMARKS.md, "Customers joined by walking two indexes"; docs/decisions.md, "The facts build inside a
    /// load without a savepoint").
    public static func rebuild(_ db: Database, settings: MetricSettings, ordersPerPass: Int = defaultOrdersPerPass,
                               ordersInMemory: Int = defaultOrdersInMemory, from pass: LoadPass? = nil, inLoad: Bool = false) throws {
        guard try db.tableExists("orders") else {
            throw MetricsError("customer facts need orders: load orders from 'file.csv'")
        }
        if db.engine == .postgresql { return try rebuildInEngine(db, settings: settings) }
        let integerUnits = try db.columns(of: "orders").first { $0.name == "quantity" }?.type.uppercased() == "INTEGER"
        let started = Date.timeIntervalSinceReferenceDate
        func buildAll() throws {
            try OrderSnapshot.invalidate(db)
            LoadTrace.mark("facts: start")
            if let pass {
                try build(db, from: pass, settings: settings, integerUnits: integerUnits)
                LoadTrace.mark("facts: build from the load's rows (write facts and snapshot)")
            } else {
                try build(db, settings: settings, integerUnits: integerUnits, ordersPerPass: ordersPerPass, ordersInMemory: ordersInMemory)
                LoadTrace.mark("facts: build (read orders, write facts and snapshot)")
            }
            // The customers columns, when `collectExtras` left them to one join by SQL.
            try joinAttributes(db)
            LoadTrace.mark("facts: customers columns joined")
            try finishFacts(db, started: started)
            LoadTrace.mark("facts: index, analyze, stamp")
        }
        try db.during("building the customer facts and the order snapshot") {
            guard inLoad && db.isInTransaction else {
                return try db.transaction(committing: "saving the customer facts to the workspace file") { try buildAll() }
            }
            try buildAll()
        }
    }

    /// The facts' index and statistics, then the stamp that makes facts and snapshot current.
    static func finishFacts(_ db: Database, started: Double) throws {
        // The index's sort on helper threads too (`withSortThreads`).
        try db.withSortThreads {
            try db.execute("CREATE UNIQUE INDEX \(db.derivedSchema).ecsh_customer_facts_id ON \(baseTable)(customer_id)")
        }
        // Statistics for segment and join plans, from a sample (a full ANALYZE reads every row).
        try db.execute("PRAGMA analysis_limit = 1000")
        try db.execute("ANALYZE \(db.derivedSchema).\(baseTable)")
        try db.execute("PRAGMA analysis_limit = 0")
        // Each NPS answer's respondent by key, for the statements on segments (by the id index just made).
        try NPSAnswerKeys.write(db)
        try OrderSnapshot.writeStamp(db, seconds: Date.timeIntervalSinceReferenceDate - started)
    }

    /// Rebuilds the facts and snapshot when they are missing or were built under other settings.
    public static func ensureCurrent(_ db: Database, settings: MetricSettings) throws {
        if db.engine == .postgresql {
            if try !engineFactsCurrent(db, settings: settings) { try rebuildInEngine(db, settings: settings) }
            return
        }
        let asOf = try WorkspaceDates.asOfDay(db, settings: settings)
        if try OrderSnapshot.load(db, settings: settings, asOfDay: asOf) == nil {
            try rebuild(db, settings: settings)
        } else {
            try watchInputs(db)
        }
    }

    /// Current derived data that an earlier ecsh built has no triggers on its inputs (`InputVersion.watch`,
    /// which every build's stamp calls): another program's change would go unseen. They are made by the
    /// first statement that reads the facts, when the workspace can be written without waiting.
    static func watchInputs(_ db: Database) throws {
        guard !db.isReadOnly, db.derivedSchema == "main", try !InputVersion.isWatching(db, tables: OrderSnapshot.inputTables) else { return }
        try db.derivedTransaction { schema in
            if schema == "main" { try InputVersion.watch(db, tables: OrderSnapshot.inputTables) }
        }
    }

    /// The index that lets SQL KPI queries read orders period by period without
    /// touching the table; built the first time a query takes the SQL route.
    /// A read-only workspace goes without (the queries are the same, only slower). A server needs
    /// it too: the KPI query joins periods to orders by day range, which without it took 3.6 s
    /// instead of 0.8 s at 1M orders on PostgreSQL.
    /// So does a statement while another process writes the workspace (a load): it does not wait for it.
    public static func ensureOrdersIndex(_ db: Database) throws {
        guard !db.isReadOnly else { return }
        let create = "CREATE INDEX IF NOT EXISTS ecsh_orders_day ON orders(day, status, customer_id, channel, amount, discount, points)"
        guard db.engine == .sqlite else { return try db.execute(create) }
        guard try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'ecsh_orders_day'").intValue == 0 else { return }
        try db.derivedTransaction { schema in
            if schema == "main" { try db.execute(create) }
        }
    }

    /// What to read the facts' `column` from by customer_id: their own table under the view when it holds
    /// the column, else the view. A statement that joins such a lookup to its rows (NPS responses by
    /// `first_channel` or `cohort`) then joins by that table's id index, where SQLite copied the view
    /// (itself a join) whole first: 14 s against 1.1 s for 750k responses at 10M orders.
    public static func relation(reading column: String, _ db: Database) throws -> String {
        guard try viewAttributes(db) != nil, try db.columns(of: baseTable).contains(where: { $0.name == column }) else { return table }
        return baseTable
    }

    /// What a query on the facts whose SQL (select list, condition) is `sql` reads from: their own table
    /// under the view when `sql` names none of the customers columns nor `nps`, else the view. SQLite does not
    /// drop the view's LEFT JOINs of the attributes and scores when nothing of them is read: `count(*)` over the view took
    /// 1.5 s at 5M customers and 0.01 s over the table, a segment's members 0.68 s and 0.35 s. A column is
    /// found as a word of the text, quoted or not (`NPSAnswerMembership.mentions`); a literal or another name
    /// that happens to hold one only sends the query to the view, which is always right.
    public static func relation(for sql: String, _ db: Database) throws -> String {
        guard let attributes = try viewAttributes(db),
              !(attributes + ["nps"]).contains(where: { NPSAnswerMembership.mentions(sql, $0.lowercased()) })
        else { return table }
        return baseTable
    }

    /// The customers columns of the facts when they are the view over `ecsh_customer_base`, `ecsh_customer_scores`
    /// and `ecsh_customer_attrs` (empty: the view has none); nil otherwise (PostgreSQL, or no facts). `nps`,
    /// the view's column from the scores, is not among them.
    public static func viewAttributes(_ db: Database) throws -> [String]? {
        guard db.engine == .sqlite, try db.tableExists(baseTable) else { return nil }
        return try db.tableExists(attributesTable) ? db.columns(of: attributesTable).map(\.name).filter { $0 != "customer_key" } : []
    }

    /// Attribute names and types of the facts table, for `describe customers`
    /// and for resolving names in segment predicates.
    public static func attributes(_ db: Database) throws -> [(name: String, type: String)] {
        guard try db.tableExists(table) else {
            return ownColumns.map { ($0.name, $0.type) }
        }
        let known = Dictionary(uniqueKeysWithValues: ownColumns.map { ($0.name, $0.type) })
        return try db.columns(of: table).filter { $0.name != "customer_key" }.map { c in
            (c.name, known[c.name] ?? (c.name == "nps" ? "integer" : c.type.lowercased()))
        }
    }
}
