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
        for d in summary.debatableStatuses {
            let counted = settings.counts(status: d.stored)
            say("  note: status '\(d.raw)' on \(grouped(d.count)) order\(d.count == 1 ? "" : "s"), read as \(d.stored) and "
                + "\(counted ? "counted as a sale" : "not counted"): \(StatusVocabulary.debatable[d.raw] ?? "its meaning depends on the shop system"); "
                + (counted ? "if they are no sales here: set status '\(d.raw)', failed" : "if they are sales here: set status '\(d.raw)', pending"))
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
        notes += try unpaidAmountNotes(counted: counted)
        return notes
    }

    /// Counted orders of amount 0 (free samples, gifts, replacement shipments) and of a negative amount (refund
    /// rows): they count as orders and as purchases, so a customer with one paid order and a free sample (or the
    /// refund of that order) is a repeat buyer, and nothing said so. None when there are none; the load's figures
    /// (`counted`) spare the scan when the smallest amount is above 0.
    func unpaidAmountNotes(counted: ColumnStatistics.Counted?) throws -> [String] {
        let columns = try database.columns(of: "orders").map(\.name)
        guard columns.contains("amount"), columns.contains("status") else { return [] }
        if let least = counted?.figures["amount"] {
            guard least.nonNull > 0, let min = least.min.doubleValue, min <= 0 else { return [] }
        }
        let settings = try metricSettings()
        let countedCondition = settings.countedCondition()
        let query = SQLFragment("""
            SELECT count(CASE WHEN amount = 0 THEN 1 END), count(DISTINCT CASE WHEN amount = 0 THEN customer_id END),
                   count(CASE WHEN amount < 0 THEN 1 END), count(DISTINCT CASE WHEN amount < 0 THEN customer_id END),
                   sum(CASE WHEN amount < 0 THEN amount END)
            FROM orders WHERE amount <= 0 AND
            """) + countedCondition
        guard let row = try database.query(query.sql, query.bindings).rows.first else { return [] }
        let figure = { (i: Int) in Int(row[i].intValue ?? 0) }
        // Only the counted ones: relabelling a cancelled ¥0 order too would call it an unknown word later.
        let only = SQLFragment.inlined(countedCondition.sql, countedCondition.bindings).map { " AND " + $0 } ?? ""
        func way(_ word: String, _ condition: String) -> String {
            var way = "sql UPDATE orders SET status = '\(word)', status_raw = '\(word)' WHERE \(condition)" + only
            if case .excluding(let list) = settings.counted {
                if !list.contains(word) { way += ", then set excluded_statuses '\((list + [word]).joined(separator: ", "))'" }
            } else {
                way += " (a status that is not counted)"
            }
            return way
        }
        func whose(_ orders: Int, _ customers: Int, _ what: String) -> String {
            "\(grouped(orders)) counted order\(orders == 1 ? " has" : "s have") \(what) (\(grouped(customers)) customer\(customers == 1 ? "" : "s"))"
        }
        var notes: [String] = []
        if figure(0) > 0 {
            notes.append(whose(figure(0), figure(1), "amount 0") + ": "
                + "they count as orders and as purchases (orders, aov, repeat_rate, f2_rate, retention, cohorts, CLV); "
                + "if they are free samples, gifts or replacements, leave them out: \(way("sample", "amount = 0"))")
        }
        if figure(2) > 0 {
            let sum = Session.money(-(row[4].doubleValue ?? 0), currency: settings.currency)
            let one = figure(2) == 1
            notes.append(whose(figure(2), figure(3), "a negative amount") + ", \(sum) in all: "
                + "the KPIs count \(one ? "it" : "them") as orders and as purchases (orders, aov, customers, repeat_rate, f2_rate, "
                + "retention, cohorts) and \(one ? "its amount lowers" : "their amounts lower") gmv and revenue; predict leaves "
                + "\(one ? "it" : "them") out. "
                + (one ? "If it is the refund of an earlier order, not a purchase, leave it out: "
                       : "If they are refunds of earlier orders, not purchases, leave them out: ")
                + "\(way("refunded", "amount < 0")) (gmv and revenue are then before refunds)")
        }
        return notes
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
