import Foundation
import ECStore

/// Derived data built by the load that changes its inputs, inside the load's transaction
/// (issue 15, "built while loading"): the first statement after a load only reads.
///
/// A load of orders builds the customer facts and the order snapshot from the new rows
/// before its commit, stamped with the input version the load took (`InputVersion`), so a
/// kill at any moment leaves old orders with old facts or new orders with new facts. A load
/// of customers or NPS answers changes only the facts' attribute columns: when the facts
/// were built from the orders as they still are, those columns are joined again onto the
/// existing rows (no read of the orders); otherwise everything is built.
extension CustomerFacts {
    /// Brings the facts and the snapshot up to date after a load of `role`, inside its
    /// transaction (after `InputVersion.bump`). A build that cannot be made (orders
    /// without dates, say) leaves no derived data: the load still commits, and the first
    /// statement that needs the facts says what is wrong.
    /// `pass` is what the load collected from its rows (an orders load), used when it saw them all.
    public static func refreshInLoad(_ db: Database, role: DatasetRole, settings: MetricSettings, collected pass: LoadPass? = nil) throws {
        guard [.orders, .customers, .nps].contains(role) else { return }
        guard try db.tableExists("orders") else { return try OrderSnapshot.invalidate(db) }
        do {
            // PostgreSQL keeps the facts as one table built by SQL on the server (`rebuildInEngine`).
            if role != .orders, db.engine == .sqlite, let stamp = try stampOfUnchangedOrders(db) {
                try rejoinAttributes(db, since: stamp)
            } else {
                try rebuild(db, settings: settings, from: role == .orders && pass?.isUsable == true ? pass : nil, inLoad: true)
            }
        } catch let e as DatabaseError {
            throw e
        } catch {
            try OrderSnapshot.invalidate(db)
        }
    }

    /// The derived tables a load of `role` drops and writes again in its transaction (`refreshInLoad`): an orders
    /// load builds the facts and the snapshot afresh; a customers load writes the customers columns again, an NPS
    /// load the scores. (The load reads their old pages ahead while its rows go in: `Loader.alsoReplaced`.)
    public static func tablesReplaced(byLoadOf role: DatasetRole) -> [String] {
        switch role {
        case .orders: [baseTable, scoresTable, attributesTable, OrderSnapshot.table]
        case .customers: [attributesTable]
        case .nps: [scoresTable]
        case .spend, .traffic: []
        }
    }

    /// The stamp of the facts and snapshot in the workspace when they were built, in this layout,
    /// after the last change of the orders (and of any table of unknown reach); nil otherwise.
    static func stampOfUnchangedOrders(_ db: Database) throws -> OrderSnapshot.Stamp? {
        guard let stamp = try OrderSnapshot.stamp(db), stamp.format == OrderSnapshot.formatVersion else { return nil }
        return stamp.inputs >= (try InputVersion.current(db, of: ["orders"])) ? stamp : nil
    }

    /// Brings the facts' attribute columns up to date, keeping every column computed from orders
    /// as it is, by the cheapest way that gives what a full build gives:
    /// - only the NPS answers changed since `stamp`: the scores are written afresh if any changed (`rejoinScores`);
    /// - only the customers dataset changed, its ids indexed text: the facts are copied once with
    ///   its columns joined on by SQL (`rejoinCustomers`);
    /// - otherwise both are joined afresh (`rejoinEverything`).
    /// The first two keep what did not change; the stamp's input version says it did not.
    static func rejoinAttributes(_ db: Database, since stamp: OrderSnapshot.Stamp) throws {
        let unchanged = { (table: String) in stamp.inputs >= (try InputVersion.current(db, of: [table])) }
        if try unchanged("customers"), try factsCarryCustomerColumns(db) {
            try rejoinScores(db)
        } else if try unchanged("nps"), try customersJoin(db) != nil {
            try rejoinCustomers(db)
        } else {
            try rejoinEverything(db)
        }
    }

    /// Whether the facts' columns after `nps` are the customers dataset's columns as they are now.
    static func factsCarryCustomerColumns(_ db: Database) throws -> Bool {
        let columns = try db.columns(of: table)
        guard let nps = columns.firstIndex(where: { $0.name == "nps" }) else { return false }
        let extra = try extraColumns(db)
        let carried = columns[(nps + 1)...]
        return carried.map(\.name) == extra.names && carried.map(\.type) == extra.types
    }

    /// `customersJoin` where the customers' ids have a unique index of their own.
    static let joinOnUniqueID = "c.customer_id = f.customer_id"

    /// How SQL finds a facts row's row of the customers dataset as the full build's byte-keyed lookup
    /// does (the row whose id has the facts' id's bytes; the last such row), or nil when it cannot
    /// do so quickly. `customers.customer_id` must be a text column leading an index in binary order:
    /// a unique index of its own (what a customers load leaves) joins on the id, any other takes the
    /// largest rowid under the id.
    static func customersJoin(_ db: Database) throws -> String? {
        guard try db.tableExists("customers"),
              try db.columns(of: "customers").first(where: { $0.name.lowercased() == "customer_id" })?.type.uppercased() == "TEXT"
        else { return nil }
        let unique = try db.scalar("""
            SELECT max(l."unique" = 1 AND (SELECT count(*) FROM pragma_index_xinfo(l.name) WHERE key = 1) = 1)
            FROM pragma_index_list('customers') AS l
            WHERE l.partial = 0 AND (SELECT lower(name) = 'customer_id' AND coll = 'BINARY' FROM pragma_index_xinfo(l.name) WHERE seqno = 0)
            """).intValue
        switch unique {
        case 1: return joinOnUniqueID
        case 0: return "c.rowid = (SELECT max(rowid) FROM customers WHERE customer_id = f.customer_id)"
        default: return nil
        }
    }

    /// After an NPS load, customers unchanged: each customer's latest score by the full build's
    /// rules (`LatestScores`), written when any differs from the facts'. No other table or index changes.
    static func rejoinScores(_ db: Database) throws {
        let started = Date.timeIntervalSinceReferenceDate
        let count = try customerCount(db)
        var scores = [Int32](repeating: -1, count: count)
        if try LatestScores.available(db) {
            // The facts' id index finds each respondent's key; kept for the statements (`NPSAnswerKeys`).
            var latest = LatestScores(customers: count)
            let keys = try NPSAnswerKeys.eachAnswer(db, customers: count) { s, key in
                if let key { latest.add(s, key: key, into: &scores) }
            }
            LoadTrace.mark("facts: answers read, latest scores")
            try keys.write(db, customers: count)
            LoadTrace.mark("facts: answers' keys written")
        } else {
            try NPSAnswerKeys.remove(db)
        }
        try setScores(db, scores)
        LoadTrace.mark("facts: scores set")
        try OrderSnapshot.writeStamp(db, seconds: Date.timeIntervalSinceReferenceDate - started)
        LoadTrace.mark("facts: stamp")
    }

    /// The number of customers in the facts (keys 0..<n). Unqualified, as readers name the facts: a read-only
    /// workspace reads the file's current facts from `main` until it builds its own in `temp`, which then come
    /// first (`derivedSchema` names where they would be built: `temp.ecsh_customer_base` failed `segments`).
    static func customerCount(_ db: Database) throws -> Int {
        Int(try db.scalar("SELECT coalesce(max(customer_key) + 1, 0) FROM \(baseTable)").intValue ?? 0)
    }

    /// The customer key in column `column` of `s`, checked to lie in 0..<count.
    static func key(_ s: Statement, at column: Int = 0, below count: Int) throws -> Int {
        let k = Int(s.int64(at: column))
        guard k >= 0, k < count else { throw MetricsError("customer facts are not numbered 0..<n") }
        return k
    }

    /// Sets the facts' `nps` to `scores` (by key; −1: NULL): `ecsh_customer_scores` written afresh when any
    /// score differs from the one it holds. Only that table is written: the base's rows are not visited (when
    /// `nps` was a column of the base, setting 737k scores rewrote nearly every page of its 5.45M rows, 2.6 s
    /// of a 4.1 s NPS load at 10M orders; docs/decisions.md, "NPS scores in a table of their own").
    static func setScores(_ db: Database, _ scores: [Int32]) throws {
        let table = "\(db.derivedSchema).\(scoresTable)"
        var before = [Int32](repeating: -1, count: scores.count)
        let old = try db.prepare("SELECT customer_key, nps FROM \(table)")
        while try old.step() { before[try key(old, below: scores.count)] = Int32(truncatingIfNeeded: old.int64(at: 1)) }
        guard before != scores else { return }
        try db.execute("DELETE FROM \(table)")
        try writeScores(db, scores, offset: 0)
    }

    /// After a customers load, NPS unchanged: the customers dataset's columns written afresh into
    /// `ecsh_customer_attrs`, joined by id (`customersJoin`); the base and its index stay as they are.
    static func rejoinCustomers(_ db: Database) throws {
        let started = Date.timeIntervalSinceReferenceDate
        try createAttributes(db, try extraColumns(db))
        LoadTrace.mark("facts: customers columns' table created")
        try joinAttributes(db)
        try OrderSnapshot.writeStamp(db, seconds: Date.timeIntervalSinceReferenceDate - started)
    }

    /// The customers dataset's columns and the latest NPS score taken afresh (`collectExtras`, the rules
    /// of a full build), keeping every column computed from orders as it is. Customers are read by key
    /// from the facts themselves.
    static func rejoinEverything(_ db: Database) throws {
        let started = Date.timeIntervalSinceReferenceDate
        var c = Collected()
        let keys = try db.prepare("SELECT customer_key, customer_id FROM \(db.derivedSchema).\(baseTable) ORDER BY customer_key")
        while try keys.step() {
            guard Int(keys.int64(at: 0)) == c.customers.count, c.customers.add(keys.bytes(at: 1)).isNew else {
                throw MetricsError("customer facts are not numbered 0..<n")
            }
        }
        let x = try collectExtras(db, c)
        try createAttributes(db, x)
        if x.joinedBySQL { try joinAttributes(db) } else { try writeAttributes(db, x, offset: 0) }
        try setScores(db, x.nps)
        try NPSAnswerKeys.write(db)
        try OrderSnapshot.writeStamp(db, seconds: Date.timeIntervalSinceReferenceDate - started)
    }
}
