/// After the rows are in: give statuses their meaning, make ids unique, and merge with earlier loads.
///
/// Every row of this load has rowid `base + line` (ColumnPlan.Source.lineRowid),
/// so the rows of this load are `rowid > base` and each one knows its file line
/// without an extra column. All of this runs inside the load's transaction: a
/// located error here leaves the workspace as it was.
extension Loader {
    /// Maps this load's `status` words through StatusVocabulary; the word as written stays in `status_raw`.
    func applyStatusVocabulary(_ table: String, base: Int64) throws {
        let t = quoteIdentifier(table)
        let extra = try StatusVocabulary.workspaceWords(database)
        let words = try database.query("SELECT DISTINCT status FROM \(t) WHERE rowid > ? AND status IS NOT NULL",
                                       [.integer(base)]).rows.compactMap { $0[0].textValue }
        var changes: [(String, String)] = []
        for word in words {
            let meaning = StatusVocabulary.status(of: word, extra: extra) ?? StatusVocabulary.unknownForm(word)
            if meaning != word { changes.append((word, meaning)) }
        }
        if changes.isEmpty { return }
        // A temporary table instead of a CASE: a status column can hold thousands of distinct words.
        try database.execute("CREATE TEMP TABLE IF NOT EXISTS ecsh_status_map (word TEXT PRIMARY KEY, status TEXT)")
        defer { try? database.execute("DROP TABLE IF EXISTS temp.ecsh_status_map") }
        try database.execute("DELETE FROM temp.ecsh_status_map")
        let insert = try database.prepare("INSERT OR REPLACE INTO temp.ecsh_status_map (word, status) VALUES (?, ?)")
        for (word, meaning) in changes {
            try insert.bind([.text(word), .text(meaning)])
            try insert.step()
            insert.reset()
        }
        try database.execute("""
            UPDATE \(t) SET status = (SELECT m.status FROM temp.ecsh_status_map m WHERE m.word = \(t).status)
            WHERE rowid > ? AND status IN (SELECT word FROM temp.ecsh_status_map)
            """, [.integer(base)])
    }

    /// The status breakdown of this load's rows, unknown words listed with their counts.
    func statusBreakdown(_ table: String, base: Int64) throws -> (known: [LoadSummary.Count], unknown: [LoadSummary.UnknownStatus]) {
        try Loader.statusBreakdown(database, table: table, since: base)
    }

    /// The status breakdown of a table's rows after rowid `base` (all rows with 0), for loads and `describe orders`.
    public static func statusBreakdown(_ database: Database, table: String, since base: Int64 = 0) throws
        -> (known: [LoadSummary.Count], unknown: [LoadSummary.UnknownStatus]) {
        let t = quoteIdentifier(table)
        var known: [LoadSummary.Count] = []
        var unknown: [LoadSummary.UnknownStatus] = []
        let rows = try database.query("""
            SELECT status, status_raw, count(*) FROM \(t) WHERE rowid > ? GROUP BY status, status_raw ORDER BY count(*) DESC, status_raw
            """, [.integer(base)]).rows
        var byStatus: [String: Int] = [:]
        for row in rows {
            let count = Int(row[2].intValue ?? 0)
            guard let status = row[0].textValue else { byStatus["(no status)", default: 0] += count; continue }
            if StatusVocabulary.canonical.contains(status) {
                byStatus[status, default: 0] += count
            } else {
                unknown.append(LoadSummary.UnknownStatus(raw: row[1].textValue ?? status, stored: status, count: count))
            }
        }
        for name in StatusVocabulary.canonical + ["(no status)"] {
            if let n = byStatus[name] { known.append(LoadSummary.Count(name: name, count: n)) }
        }
        return (known, unknown)
    }

    /// Makes `key` unique among this load's rows: exact repeats collapse; differing repeats are a
    /// located error, or with `on_error skip` the later row wins and the earlier goes to `ecsh_rejects`.
    func collapseRepeats(_ table: String, key: String, base: Int64, request: LoadRequest,
                         summary: inout LoadSummary) throws {
        let t = quoteIdentifier(table)
        let k = quoteIdentifier(key)
        try database.execute("CREATE INDEX IF NOT EXISTS \(quoteIdentifier("ecsh_\(table)_\(key)")) ON \(t)(\(k))")
        let repeated = "SELECT max(rowid) AS keep, \(k) AS key FROM \(t) WHERE rowid > \(base) AND \(k) IS NOT NULL GROUP BY \(k) HAVING count(*) > 1"
        guard try database.scalar("SELECT count(*) FROM (\(repeated))").intValue ?? 0 > 0 else { return }
        let columns = try database.columns(of: table).map(\.name)
        let same = columns.map { "d.\(quoteIdentifier($0)) IS kept.\(quoteIdentifier($0))" }.joined(separator: " AND ")
        let pairs = try database.query("""
            SELECT d.rowid, kept.rowid, d.\(k), \(same) FROM \(t) d JOIN (\(repeated)) r ON d.\(k) = r.key
            JOIN \(t) kept ON kept.rowid = r.keep WHERE d.rowid > ? AND d.rowid <> r.keep ORDER BY d.rowid
            """, [.integer(base)]).rows
        let rejects = try database.prepare("INSERT INTO ecsh_rejects (dataset, source, line, col, field, reason, raw) VALUES (?, ?, ?, NULL, ?, ?, ?)")
        for pair in pairs {
            guard let earlier = pair[0].intValue, let later = pair[1].intValue else { continue }
            if pair[3].intValue == 1 { summary.exactRepeats += 1; continue }
            let id = pair[2].description
            let difference = try firstDifference(table, columns, earlier, later)
            let reason = "\(key) '\(id)' is also at line \(later - base) with different values (\(difference))"
            if request.options.onError == .stop {
                throw LoadError(file: request.path, line: Int(earlier - base), field: key, reason: reason,
                                help: "a \(key) must be unique in one file; with on_error skip the later row wins and the earlier one goes to ecsh_rejects")
            }
            try rejects.bind([.text(table), .text(request.path), .integer(earlier - base), .text(key),
                              .text(reason + "; the later row was kept"), .text(id)])
            try rejects.step()
            rejects.reset()
            summary.replacedRepeats += 1
        }
        try database.execute("""
            DELETE FROM \(t) WHERE rowid > ? AND \(k) IS NOT NULL AND rowid NOT IN (SELECT keep FROM (\(repeated)))
            AND \(k) IN (SELECT key FROM (\(repeated)))
            """, [.integer(base)])
    }

    /// `column: 'a' vs 'b'` for the first column where two rows differ.
    private func firstDifference(_ table: String, _ columns: [String], _ a: Int64, _ b: Int64) throws -> String {
        let list = columns.map(quoteIdentifier).joined(separator: ", ")
        let rows = try database.query("SELECT \(list) FROM \(quoteIdentifier(table)) WHERE rowid IN (?, ?) ORDER BY rowid",
                                      [.integer(a), .integer(b)]).rows
        guard rows.count == 2 else { return "values differ" }
        for (i, name) in columns.enumerated() where rows[0][i] != rows[1][i] {
            return "\(name): '\(rows[0][i].description)' vs '\(rows[1][i].description)'"
        }
        return "values differ"
    }

    /// `append`: rows of this load replace earlier rows with the same `key` (a later export is the newer truth).
    func mergeWithEarlier(_ table: String, key: String, base: Int64, summary: inout LoadSummary) throws {
        let t = quoteIdentifier(table)
        let k = quoteIdentifier(key)
        let columns = try database.columns(of: table).map(\.name)
        let same = columns.map { "n.\(quoteIdentifier($0)) IS o.\(quoteIdentifier($0))" }.joined(separator: " AND ")
        let counts = try database.query("""
            SELECT count(DISTINCT n.rowid), count(DISTINCT CASE WHEN \(same) THEN n.rowid END)
            FROM \(t) n JOIN \(t) o ON o.\(k) = n.\(k) AND o.rowid <= ? WHERE n.rowid > ?
            """, [.integer(base), .integer(base)]).rows[0]
        let matched = Int(counts[0].intValue ?? 0)
        let unchanged = Int(counts[1].intValue ?? 0)
        let added = Int(try database.scalar("SELECT count(*) FROM \(t) WHERE rowid > ?", [.integer(base)]).intValue ?? 0)
        summary.merge = LoadSummary.Merge(new: added - matched, updated: matched - unchanged, unchanged: unchanged)
        if matched > 0 {
            try database.execute("DELETE FROM \(t) WHERE rowid <= ? AND \(k) IN (SELECT \(k) FROM \(t) WHERE rowid > ?)",
                                 [.integer(base), .integer(base)])
        }
    }
}
