import ECStore

/// The counted orders as compact columns in day order, with customers numbered
/// 0..<n (`customer_key` in `ecsh_customer_facts`).
///
/// Built with the customer facts (same inputs, same lifetime) and stored in
/// the workspace as raw arrays in `ecsh_snapshot(name, data)`, in blocks of
/// `blockSize` orders. KPI statements read the blocks they need and aggregate
/// in Swift: no text keys to hash or sort, no join to the facts per order.
/// The SQL that `show sql` prints computes the same numbers from `orders`;
/// the tests check that both routes agree.
public struct OrderSnapshot: Sendable {
    public static let table = "ecsh_snapshot"
    public static let blockSize = 1 << 16

    /// Per-order columns. `day`, `customer` (−1: no customer id), `channel`
    /// (−1: NULL) are Int32; `first` is UInt8 (1 on each customer's first
    /// counted order); the money columns and `units` are Double, NULL as 0.
    public enum Column: String, CaseIterable, Sendable {
        case day, customer, channel, first
        /// Gross amount.
        case amount
        /// discount + points.
        case discounts
        case commission
        /// cogs + shipping.
        case costs
        case units
        /// The order's row in `orders`: rowid − `low_rowid` (Int32), to apply a `where` filter's rowids.
        case row
    }

    public struct Block: Sendable {
        public var index: Int
        public var firstDay: Int
        public var lastDay: Int
        public var rows: Int
    }

    public var rows: Int
    public var customers: Int
    public var blocks: [Block]
    public var channelNames: [String]
    public var asOfDay: Int
    /// The counted-order rule the snapshot was built under (`countedDescription`).
    public var counted: String
    /// quantity holds integers (units sum as integers, like SQL's sum()).
    public var integerUnits: Bool

    /// Everything the build recorded (`key=value`).
    public var fields: [String: String]

    /// The snapshot in the workspace, or nil when it is missing or was built
    /// under other settings (then the caller rebuilds or takes the SQL route).
    public static func load(_ db: Database, settings: MetricSettings, asOfDay: Int) throws -> OrderSnapshot? {
        try load(db) { $0["as_of"] == String(asOfDay) && $0["counted"] == settings.countedDescription }
    }

    /// The snapshot when `accept` approves its description.
    static func load(_ db: Database, accept: ([String: String]) -> Bool) throws -> OrderSnapshot? {
        // A PostgreSQL workspace keeps facts only (`CustomerFacts.rebuildInEngine`): statements take their SQL route.
        guard db.engine == .sqlite else { return nil }
        guard let fields = try meta(db), accept(fields) else { return nil }
        guard let rows = fields["rows"].flatMap(Int.init), let customers = fields["customers"].flatMap(Int.init),
              let asOf = fields["as_of"].flatMap(Int.init), let counted = fields["counted"] else { return nil }
        let days: [Int32] = try array(db, "blocks")
        var blocks: [Block] = []
        for b in 0..<(days.count / 2) {
            let n = min(blockSize, rows - b * blockSize)
            blocks.append(Block(index: b, firstDay: Int(days[2 * b]), lastDay: Int(days[2 * b + 1]), rows: n))
        }
        let names = try text(db, "channels") ?? ""
        return OrderSnapshot(rows: rows, customers: customers, blocks: blocks,
                             channelNames: names.isEmpty ? [] : names.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init),
                             asOfDay: asOf, counted: counted, integerUnits: fields["integer_units"] == "1", fields: fields)
    }

    /// The snapshot when it holds exactly a selection's orders: every counted order
    /// of `orders` under the same counted rule, no filters, none after the as-of day.
    static func holding(_ selection: OrderSelection, in db: Database) throws -> OrderSnapshot? {
        guard selection.table == "orders", selection.orderFilter == nil, selection.customerFilter == nil else { return nil }
        let key = CustomerFacts.countedKey(selection.countedOrders)
        return try load(db) { $0["counted_sql"] == key && $0["after_as_of"] == "0" }
    }

    /// The rowid the `row` column counts from, while `orders` still numbers its rows as when the
    /// snapshot was built; nil otherwise. A VACUUM by another program (sqlite3, a DB browser)
    /// renumbers the rows of a table without an INTEGER PRIMARY KEY, closing the gaps deleted rows
    /// left, without changing data or input version: then its first or last rowid moves, and a
    /// filter or an order column read by row takes the SQL route rather than misread the blocks.
    func rowBase(in db: Database) throws -> Int64? {
        guard let low = fields["low_rowid"].flatMap(Int64.init), let built = fields["orders_rowids"] else { return nil }
        let now = try Self.rowidSpan(db).map { $0.intValue.map(String.init) ?? "" }
        return now.joined(separator: ",") == built ? low : nil
    }

    /// The first and last rowid of `orders` (NULLs when empty), by two seeks: SQLite takes
    /// `SELECT min(rowid), max(rowid)` in one query as a scan of the whole table (0.8 s at 10M
    /// orders, once per filtered statement), its min/max shortcut being for one aggregate alone.
    static func rowidSpan(_ db: Database) throws -> [Value] {
        try db.query("SELECT (SELECT min(rowid) FROM orders), (SELECT max(rowid) FROM orders)").rows[0]
    }

    /// NULLs per cost field (`CostField` order) among the counted orders, as the build counted them.
    var costNulls: [Int]? {
        let counts = (fields["cost_nulls"] ?? "").split(separator: ",").compactMap { Int($0) }
        return counts.count == CostField.allCases.count ? counts : nil
    }

    /// The snapshot's `key=value` description, or nil when there is no snapshot or it may not be
    /// used: of another layout, or built from inputs that have changed since (`isCurrent`).
    static func meta(_ db: Database) throws -> [String: String]? {
        guard try isCurrent(db), let meta = try text(db, "meta") else { return nil }
        return fields(of: meta)
    }

    /// The fields of an entry written as `key=value` lines (`meta`, `stamp`, `nps_keys`).
    static func fields(of text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return fields
    }

    /// A per-order column tied to its element type, so a block is only ever read back
    /// (and written) as the type it was stored with: `let day: [Double] = column(.day, …)`
    /// does not compile.
    public struct Field<Element: BitwiseCopyable>: Sendable {
        public let column: Column
    }

    /// One column of one block. Ctrl-C stops a pass here, between blocks: a block is read in a
    /// few SQLite steps, too few for the progress handler that watches for it, and the passes over
    /// the blocks (KPIs, cohorts, unit economics, predict: seconds at 10M orders) run in Swift.
    public func column<T: SnapshotElement>(_ f: Field<T>, block: Int, in db: Database) throws -> [T] {
        var values: [T] = []
        try column(f, block: block, in: db, into: &values)
        return values
    }

    /// One column of one block into `buffer`, whose memory is reused from block to block: passes
    /// over every block read them this way, as a new array per column and block cost more (page
    /// faults on fresh memory) than the copy itself.
    public func column<T: SnapshotElement>(_ f: Field<T>, block: Int, in db: Database, into buffer: inout [T]) throws {
        try db.checkInterrupted()
        try Self.read(db, "\(f.column.rawValue).\(block)") { try BlockPacking.unpack($0, into: &buffer, name: $1) }
    }

    /// A per-customer array: `first_day`, `second_day` (Int32.max: none), `first_channel` (−1: NULL).
    public func customerColumn(_ name: String, in db: Database) throws -> [Int32] {
        try Self.array(db, "customer.\(name)")
    }

    /// A stored array copied byte for byte: only for plain values (`BitwiseCopyable`).
    static func array<T: BitwiseCopyable>(_ db: Database, _ name: String) throws -> [T] {
        var array: [T] = []
        try read(db, name, into: &array)
        return array
    }

    /// Copies a stored array into `buffer`, in place when it already has the length.
    static func read<T: BitwiseCopyable>(_ db: Database, _ name: String, into buffer: inout [T]) throws {
        try read(db, name) { bytes, _ in BlockPacking.copy(bytes, into: &buffer) }
    }

    /// The stored bytes of entry `name`, handed to `use` with the name (valid only during the call).
    static func read(_ db: Database, _ name: String, _ use: (UnsafeRawBufferPointer, String) throws -> Void) throws {
        try db.withCachedStatement("SELECT data FROM \(table) WHERE name = ?") { s in
            s.bind(text: name, at: 1)
            guard try s.step() else { throw MetricsError("the order snapshot has no '\(name)'; reload orders to rebuild it") }
            try use(s.bytes(at: 0), name)
        }
    }

    static func text(_ db: Database, _ name: String) throws -> String? {
        try db.scalar("SELECT CAST(data AS TEXT) FROM \(table) WHERE name = ?", [.text(name)]).textValue
    }

    /// Drops the customer facts and the snapshot (after a load or a change to orders), from the
    /// schema derived tables are written to (`Database.derivedSchema`).
    public static func invalidate(_ db: Database) throws {
        try CustomerFacts.dropFacts(db)
        try db.execute("DROP TABLE IF EXISTS \(db.derivedSchema).\(table)")
    }
}

/// Where snapshot entries go: the table (`SnapshotWriter`) or memory (`SnapshotBuffer`).
protocol SnapshotSink {
    /// Stores the bytes of plain values (`BitwiseCopyable`: no references to copy) under `name`.
    func put<T: BitwiseCopyable>(_ name: String, _ values: [T]) throws
}

/// Writes snapshot entries.
struct SnapshotWriter: SnapshotSink {
    let insert: Statement
    let db: Database
    private let table: String

    init(_ db: Database) throws {
        self.db = db
        table = "\(db.derivedSchema).\(OrderSnapshot.table)"
        try db.execute("DROP TABLE IF EXISTS \(table)")
        try db.execute("CREATE TABLE \(table) (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
        insert = try db.prepare("INSERT INTO \(table) (name, data) VALUES (?, ?)")
    }

    /// Stores the bytes of plain values (`BitwiseCopyable`: no references to copy).
    func put<T: BitwiseCopyable>(_ name: String, _ values: [T]) throws {
        insert.reset()
        try insert.bind([.text(name)])
        try values.withUnsafeBytes { try insert.bind(bytes: $0, at: 2) }
        try insert.step()
    }

    /// Drops every entry put so far.
    func removeAll() throws {
        try db.execute("DELETE FROM \(table)")
    }

    func put(_ name: String, text: String) throws {
        try put(name, Array(text.utf8))
    }
}

/// Snapshot entries kept in memory, in the order they were put, for a `SnapshotWriter` later
/// (`SnapshotBlocksJob`). Used by one thread at a time.
final class SnapshotBuffer: SnapshotSink, @unchecked Sendable {
    private var entries: [(name: String, bytes: [UInt8])] = []

    func put<T: BitwiseCopyable>(_ name: String, _ values: [T]) throws {
        entries.append((name, values.withUnsafeBytes { Array($0) }))
    }

    /// Puts every entry into `writer`, in order, letting go of each once written.
    func write(to writer: SnapshotWriter) throws {
        for i in entries.indices {
            try writer.put(entries[i].name, entries[i].bytes)
            entries[i].bytes = []
        }
        entries = []
    }
}


/// The element type of each per-order column (`Column` names them in storage).
extension OrderSnapshot.Field where Element == Int32 {
    public static var day: Self { .init(column: .day) }
    public static var customer: Self { .init(column: .customer) }
    public static var channel: Self { .init(column: .channel) }
    public static var row: Self { .init(column: .row) }
}

extension OrderSnapshot.Field where Element == UInt8 {
    public static var first: Self { .init(column: .first) }
}

extension OrderSnapshot.Field where Element == Double {
    public static var amount: Self { .init(column: .amount) }
    public static var discounts: Self { .init(column: .discounts) }
    public static var commission: Self { .init(column: .commission) }
    public static var costs: Self { .init(column: .costs) }
    public static var units: Self { .init(column: .units) }
}

/// One block's day, customer and money columns, read into buffers reused from block to block: what a pass
/// that sums contribution margin per order reads (lifetime KPIs, the KPI tree's trailing windows).
struct MarginColumns {
    var day: [Int32] = [], customer: [Int32] = []
    var amount: [Double] = [], discounts: [Double] = [], costs: [Double] = [], commission: [Double] = []

    mutating func read(_ snapshot: OrderSnapshot, block b: Int, in db: Database) throws {
        try snapshot.column(.day, block: b, in: db, into: &day)
        try snapshot.column(.customer, block: b, in: db, into: &customer)
        try snapshot.column(.amount, block: b, in: db, into: &amount)
        try snapshot.column(.discounts, block: b, in: db, into: &discounts)
        try snapshot.column(.costs, block: b, in: db, into: &costs)
        try snapshot.column(.commission, block: b, in: db, into: &commission)
    }

    /// Order i's CM2.
    @inline(__always) func margin(_ i: Int) -> Double {
        OrderMeasures.cm2(amount: amount[i], discounts: discounts[i], costs: costs[i], commission: commission[i])
    }
}
