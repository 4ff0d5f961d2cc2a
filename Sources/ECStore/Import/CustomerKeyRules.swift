/// Customer ids loaded before the rules of `CustomerKeyPlaceholders` and e-mail keys in lower case (the forty-second
/// session) brought into line with them, once per workspace, by the first load after: rows loaded under the new rules
/// beside rows kept as written made one customer two (`Taro@Example.jp` and `taro@example.jp`) and kept `-` a
/// customer while the new rows of `-` were guests, and nothing said so.
///
/// In that load's transaction, before its rows meet earlier ones: in `orders`, `customers` and `nps`, an id with an `@`
/// is lower-cased (a customers row whose lower-cased id another row also has gives way to the later one, as a load
/// keeps the last row of an id), and a placeholder id becomes no id. Each table changed gets a new input version, so
/// derived data built from the old ids is rebuilt. A workspace records that it is done in `ecsh_key_rules`; a new one is
/// marked at its first load without a scan. The same on a PostgreSQL workspace (`ServerLoader`), where "the later row"
/// of a customers id is the one stored last (`ctid`; SQLite's `rowid`).
enum CustomerKeyRules {
    static let version = 1
    static let table = "ecsh_key_rules"
    static let datasets = ["orders", "customers", "nps"]

    /// Brings earlier rows into line if this workspace has not been; the load's note, or nil when nothing changed.
    static func upgrade(_ db: Database) throws -> String? {
        guard !db.isReadOnly else { return nil }
        let done = try db.tableExists(table) ? (try db.scalar("SELECT max(version) FROM \(table)").intValue ?? 0) : 0
        guard done < version else { return nil }
        try db.execute("CREATE TABLE IF NOT EXISTS \(table) (version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
        try db.execute("INSERT INTO \(table) (version, applied_at) VALUES (?, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'))",
                       [.integer(Int64(version))])
        var lowered = 0, placeholders = 0, dropped = 0
        let position = db.engine == .sqlite ? "rowid" : "ctid"
        for name in datasets where try db.tableExists(name) && db.columns(of: name).contains(where: { $0.name == "customer_id" }) {
            let t = quoteIdentifier(name)
            let before = (lowered, placeholders)
            try InputVersion.unwatch(db, table: name)
            if name == "customers" {
                // Its ids are unique: of rows whose ids differ in case only, the last one stays.
                try db.execute("""
                    DELETE FROM \(t) WHERE customer_id LIKE '%@%' AND \(position) NOT IN
                      (SELECT max(\(position)) FROM \(t) WHERE customer_id LIKE '%@%' GROUP BY lower(customer_id))
                    """)
                dropped += db.changes
            }
            try db.execute("UPDATE \(t) SET customer_id = lower(customer_id) WHERE customer_id LIKE '%@%' AND customer_id <> lower(customer_id)")
            lowered += db.changes
            let marks = CustomerKeyPlaceholders.words.map { _ in "?" }.joined(separator: ", ")
            try db.execute("UPDATE \(t) SET customer_id = NULL WHERE lower(trim(customer_id)) IN (\(marks)) OR trim(customer_id) = ''",
                           CustomerKeyPlaceholders.words.map { .text($0) })
            placeholders += db.changes
            if (lowered, placeholders) != before || dropped > 0 {
                _ = try InputVersion.bump(db, table: name, cause: "customer ids kept under this version's rules (e-mail ids in lower case, placeholders as no customer)")
            }
        }
        guard lowered + placeholders + dropped > 0 else { return nil }
        var what: [String] = []
        if lowered > 0 { what.append("\(LoadSummary.grouped(lowered)) e-mail ids put in lower case") }
        if placeholders > 0 { what.append("\(LoadSummary.grouped(placeholders)) placeholder ids made no customer") }
        if dropped > 0 { what.append("\(LoadSummary.grouped(dropped)) customers rows that repeated another's e-mail in other case dropped") }
        return "rows loaded by an earlier ecsh were brought under this version's customer-id rules, once: " + what.joined(separator: ", ")
            + " (docs/language.md, load: guests and e-mail addresses)"
    }
}
