/// Day totals inside a spend or traffic report: a row with a date whose label says `合計`, `小計`, `Total` or
/// `Subtotal` (in the campaign, the channel or another text column) and whose figure is the sum of the other rows of
/// that day. A totals row without a date is found while reading (`ReportRows`); a dated one is a row like any other
/// there, and loaded it counted the day's spend or sessions twice without a word.
extension Loader {
    /// Removes this load's dated day-total rows and returns the notes: the rows skipped, and any row labelled as a
    /// total whose figure is not such a sum (kept as data, and named, since it may be either).
    func settleDatedSubtotals(_ table: String, base: Int64, role: DatasetRole) throws -> (notes: [String], removed: Int) {
        guard role == .spend || role == .traffic else { return ([], 0) }
        let measure = role == .spend ? "spend" : "sessions"
        let t = quoteIdentifier(table)
        let labels = try database.columns(of: table).filter { $0.type.uppercased() == "TEXT" && $0.name != "date" }.map(\.name)
        guard !labels.isEmpty else { return ([], 0) }
        // A cheap first cut in SQL, the exact rule in Swift (`ReportRows.isTotalsLabel`).
        let patterns = ["total%", "grand total%", "subtotal%", "sub total%", "合計%", "小計%", "総計%", "総合計%"]
        let cut = labels.map { c in patterns.map { "lower(trim(\(quoteIdentifier(c)))) LIKE '\($0)'" }.joined(separator: " OR ") }.joined(separator: " OR ")
        let hasChannel = labels.contains("channel")
        let candidates = try database.query("""
            SELECT rowid, day, \(quoteIdentifier(measure)), \(hasChannel ? "channel" : "NULL"), \(labels.map(quoteIdentifier).joined(separator: ", "))
            FROM \(t) WHERE rowid > ? AND day IS NOT NULL AND (\(cut)) ORDER BY rowid
            """, [.integer(base)]).rows
        var removed: [(line: Int64, label: String, rows: Int)] = []
        var kept: [(line: Int64, label: String)] = []
        for row in candidates {
            guard let id = row[0].intValue, let day = row[1].intValue else { continue }
            let named = zip(labels, row[4...]).first { ReportRows.isTotalsLabel($0.1.textValue ?? "") }
            guard let (column, value) = named, let label = value.textValue else { continue }
            // The day's other rows; of the row's own channel unless the label is in the channel.
            var condition = "rowid > ? AND rowid <> ? AND day = ?"
            var bindings: [Value] = [.integer(base), .integer(id), .integer(day)]
            if hasChannel && column != "channel" && !row[3].isNull {
                condition += " AND channel = ?"
                bindings.append(row[3])
            }
            let others = try database.query("SELECT count(*), sum(\(quoteIdentifier(measure))) FROM \(t) WHERE \(condition)", bindings).rows[0]
            let n = Int(others[0].intValue ?? 0)
            if n >= 2, let sum = others[1].doubleValue, let figure = row[2].doubleValue, abs(sum - figure) < 0.005 {
                try database.execute("DELETE FROM \(t) WHERE rowid = ?", [.integer(id)])
                removed.append((id - base, label, n))
            } else {
                kept.append((id - base, label))
            }
        }
        var notes: [String] = []
        if !removed.isEmpty {
            let listed = removed.prefix(3).map { "line \($0.line) '\($0.label)' (the sum of that day's \($0.rows) other rows)" }.joined(separator: ", ")
                + (removed.count > 3 ? ", …" : "")
            notes.append("skipped \(removed.count) day total row\(removed.count == 1 ? "" : "s") (\(listed)): loaded \(removed.count == 1 ? "it" : "they") would count that day's \(measure) twice")
        }
        if !kept.isEmpty {
            let listed = kept.prefix(3).map { "line \($0.line) '\($0.label)'" }.joined(separator: ", ") + (kept.count > 3 ? ", …" : "")
            notes.append("\(kept.count == 1 ? "a row says" : "\(kept.count) rows say") total (\(listed)) but \(kept.count == 1 ? "its \(measure) is not" : "their \(measure) are not") the sum of that day's other rows: loaded as data; "
                         + "if \(kept.count == 1 ? "it is" : "they are") the report's totals, delete \(kept.count == 1 ? "it" : "them"): sql DELETE FROM \(table) WHERE …")
        }
        return (notes, removed.count)
    }
}
