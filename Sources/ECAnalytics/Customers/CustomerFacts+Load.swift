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
            if role != .orders, try ordersUnchangedSinceBuild(db) {
                try rejoinAttributes(db)
            } else {
                try rebuild(db, settings: settings, from: role == .orders && pass?.isUsable == true ? pass : nil)
            }
        } catch let e as DatabaseError {
            throw e
        } catch {
            try OrderSnapshot.invalidate(db)
        }
    }

    /// True when the facts and snapshot in the workspace were built, in this layout, after the
    /// last change of the orders (and of any table of unknown reach).
    static func ordersUnchangedSinceBuild(_ db: Database) throws -> Bool {
        guard let stamp = try OrderSnapshot.stamp(db), stamp.format == OrderSnapshot.formatVersion else { return false }
        return stamp.inputs >= (try InputVersion.current(db, of: ["orders"]))
    }

    /// Rewrites the facts with the customers dataset's columns and the latest NPS score
    /// taken afresh (`collectExtras`, the rules of a full build), keeping every column
    /// computed from orders as it is. Customers are read by key from the facts themselves.
    static func rejoinAttributes(_ db: Database) throws {
        let started = Date.timeIntervalSinceReferenceDate
        var c = Collected()
        let keys = try db.prepare("SELECT customer_key, customer_id FROM \(table) ORDER BY customer_key")
        while try keys.step() {
            guard Int(keys.int64(at: 0)) == c.customers.count, c.customers.add(keys.bytes(at: 1)).isNew else {
                throw MetricsError("customer facts are not numbered 0..<n")
            }
        }
        let x = try collectExtras(db, c)
        let old = "ecsh_customer_facts_before"
        let schema = db.derivedSchema
        try db.execute("DROP INDEX IF EXISTS \(schema).ecsh_customer_facts_id")
        try db.execute("ALTER TABLE \(schema).\(table) RENAME TO \(old)")
        try createFactsTable(db, x, name: table)
        let own = (["customer_key"] + ownColumns.map(\.name)).map(quoteIdentifier).joined(separator: ", ")
        try db.execute("INSERT INTO \(schema).\(table) (\(own)) SELECT \(own) FROM \(schema).\(old) ORDER BY customer_key")
        try db.execute("DROP TABLE \(schema).\(old)")
        let columns = x.names.map(quoteIdentifier)
        let setExtras = columns.isEmpty ? "" : ", (\(columns.joined(separator: ", "))) = (SELECT \(columns.joined(separator: ", ")) FROM customers WHERE rowid = ?2)"
        let update = try db.prepare("UPDATE \(schema).\(table) SET nps = ?1\(setExtras) WHERE customer_key = ?3")
        for k in 0..<c.customers.count {
            let row = columns.isEmpty ? 0 : x.customerRow[k]
            guard x.nps[k] >= 0 || row != 0 else { continue }
            update.reset()
            if x.nps[k] < 0 { update.bindNull(at: 1) } else { update.bind(int64: Int64(x.nps[k]), at: 1) }
            if !columns.isEmpty { update.bind(int64: row, at: 2) }
            update.bind(int64: Int64(k), at: 3)
            try update.step()
        }
        try finishFacts(db, started: started)
    }
}
