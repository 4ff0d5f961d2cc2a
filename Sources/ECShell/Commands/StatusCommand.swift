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
            if updated > 0 { try OrderSnapshot.invalidate(database) }
        }
        say("status '\(word)' = \(status)\(updated > 0 ? " (\(grouped(updated)) loaded order\(updated == 1 ? "" : "s") updated)" : "")")
    }
}
