import ECStore
import ECLanguage
import ECAnalytics

/// Order statuses in the shell: the load summary's breakdown and `set status 'WORD', STATUS`.
extension Session {
    /// The status breakdown of a load and, prominently, every word the vocabulary does not know.
    func sayStatuses(_ summary: LoadSummary) throws {
        guard let line = summary.statusLine else { return }
        say("  \(line)")
        let settings = try metricSettings()
        for u in summary.unknownStatuses {
            let treatment = settings.counts(status: u.stored)
                ? "counted as a sale (\(settings.countedDescription))"
                : "not counted (\(settings.countedDescription))"
            say("  warning: unknown status '\(u.raw)' on \(grouped(u.count)) order\(u.count == 1 ? "" : "s"): \(treatment)")
            say("    say what it means: set status '\(u.raw)', cancelled   (or one of \(StatusVocabulary.canonical.joined(separator: ", ")))")
        }
    }

    /// `describe orders`: the status breakdown, unknown words and guest orders.
    /// `counted`: the load's figures for `orders` (`ColumnStatistics.current`): the statuses and guests as
    /// the load counted them while the table is as it left it; else they are counted by a scan.
    func orderStatusNotes(counted: ColumnStatistics.Counted?) throws -> [String] {
        let columns = try database.columns(of: "orders").map(\.name)
        var notes: [String] = []
        if columns.contains("status_raw") {
            let (known, unknown) = try counted?.statuses ?? Loader.statusBreakdown(database, table: "orders")
            if let line = LoadSummary.statusLine(known, unknown) { notes.append(line) }
            let settings = try metricSettings()
            for u in unknown {
                notes.append("unknown status '\(u.raw)' on \(grouped(u.count)) order\(u.count == 1 ? "" : "s"): \(settings.counts(status: u.stored) ? "counted" : "not counted")"
                             + "; set status '\(u.raw)', <meaning> says what it is")
            }
        }
        if columns.contains("customer_id") {
            let guests = try counted.flatMap { c in c.figures["customer_id"].map { c.rows - $0.nonNull } }
                ?? Int(try database.scalar("SELECT count(*) FROM orders WHERE customer_id IS NULL").intValue ?? 0)
            if guests > 0 { notes.append("\(grouped(guests)) guest orders (no customer_id): in order KPIs, not in customer KPIs") }
        }
        if let zero = try zeroAmountNote(counted: counted) { notes.append(zero) }
        return notes
    }

    /// Counted orders of amount 0 (free samples, gifts, replacement shipments): they count as orders and as purchases,
    /// so a customer with one paid order and a free sample is a repeat buyer, and nothing said so. Nil when there are
    /// none; the load's figures (`counted`) spare the scan when the smallest amount is above 0.
    func zeroAmountNote(counted: ColumnStatistics.Counted?) throws -> String? {
        let columns = try database.columns(of: "orders").map(\.name)
        guard columns.contains("amount"), columns.contains("status") else { return nil }
        if let least = counted?.figures["amount"] {
            guard least.nonNull > 0, let min = least.min.doubleValue, min <= 0 else { return nil }
        }
        let settings = try metricSettings()
        let query = SQLFragment("SELECT count(*), count(DISTINCT customer_id) FROM orders WHERE amount = 0 AND ") + settings.countedCondition()
        let row = try database.query(query.sql, query.bindings).rows.first
        let orders = Int(row?[0].intValue ?? 0), customers = Int(row?[1].intValue ?? 0)
        guard orders > 0 else { return nil }
        // Only the counted ones: relabelling a cancelled ¥0 order `sample` too would call it an unknown word later.
        let counted = settings.countedCondition()
        let only = SQLFragment.inlined(counted.sql, counted.bindings).map { " AND " + $0 } ?? ""
        var way = "sql UPDATE orders SET status = 'sample', status_raw = 'sample' WHERE amount = 0" + only
        if case .excluding(let list) = settings.counted {
            way += ", then set excluded_statuses '\((list + ["sample"]).joined(separator: ", "))'"
        } else {
            way += " (a status that is not counted)"
        }
        return "\(grouped(orders)) counted order\(orders == 1 ? " has" : "s have") amount 0 (\(grouped(customers)) customer\(customers == 1 ? "" : "s")): "
            + "they count as orders and as purchases (orders, aov, repeat_rate, f2_rate, retention, cohorts, CLV); "
            + "if they are free samples, gifts or replacements, leave them out: \(way)"
    }

    /// `set status 'WORD', STATUS`: the workspace's own meaning for a status word.
    ///
    /// Stored in `ecsh_settings` (`status_word:KEY`) so later loads use it, and
    /// applied at once to orders already loaded with that word.
    func setStatusWord(_ s: SetStatement) throws {
        guard s.values.count == 2, let word = s.values[0].value.text, let target = s.values[1].value.text else {
            throw ShellError("set status takes a status word and its meaning", at: s.name.range,
                             help: "set status 'on hold', pending   (meanings: \(StatusVocabulary.canonical.joined(separator: ", ")))")
        }
        let status = target.lowercased()
        guard StatusVocabulary.canonical.contains(status) else {
            throw ShellError("'\(target)' is not a status meaning", at: s.values[1].range,
                             help: "use one of: \(StatusVocabulary.canonical.joined(separator: ", "))")
        }
        let key = StatusVocabulary.key(word)
        guard !key.isEmpty else { throw ShellError("the status word is empty", at: s.values[0].range) }
        var updated = 0
        try database.transaction {
            try database.execute("CREATE TABLE IF NOT EXISTS ecsh_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try database.execute("INSERT OR REPLACE INTO ecsh_settings (name, value) VALUES (?, ?)",
                                 [.text("status_word:" + key), .text(status)])
            guard try database.tableExists("orders"),
                  try database.columns(of: "orders").contains(where: { $0.name == "status_raw" }) else { return }
            let raws = try database.query("SELECT DISTINCT status_raw FROM orders WHERE status_raw IS NOT NULL").rows
            for case let raw? in raws.map({ $0[0].textValue }) where StatusVocabulary.key(raw) == key {
                try database.execute("UPDATE orders SET status = ? WHERE status_raw = ?", [.text(status), .text(raw)])
                updated += database.changes
            }
            if updated > 0 { try inputsChanged(table: "orders", cause: "set status '\(word)'") }
        }
        say("status '\(word)' = \(status)\(updated > 0 ? " (\(grouped(updated)) loaded order\(updated == 1 ? "" : "s") updated)" : "")")
    }
}
