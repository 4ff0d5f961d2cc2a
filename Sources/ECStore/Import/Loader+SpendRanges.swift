/// Spend exports whose rows cover a range of days (Meta Ads: `Reporting starts`, `Reporting ends`).
///
/// Meta's export can include a summary row (all campaigns over the whole range, the campaign empty), and without a
/// daily breakdown each row is a campaign's spend over the range. The row's `date` is where the range starts.
extension Loader {
    /// Headers (normalized) of the column where a row's range ends.
    static let rangeEndHeaders: Set<String> = Set(["reporting ends", "reporting end", "レポート終了日"].map(HeaderAliases.normalize))

    /// A plain column where a spend row's range ends (`Reporting ends`).
    static func isRangeEnd(_ c: ColumnPlan) -> Bool {
        c.canonical == nil && c.header.map { rangeEndHeaders.contains(HeaderAliases.normalize(HeaderAliases.withoutNotes($0))) } == true
    }

    /// Removes this load's summary rows: a row covering more than one day whose spend is the sum of the other rows
    /// of this load within its range (loaded, they would count that spend twice). Returns the notes: the summary
    /// rows skipped, and the rows still covering more than one day (their spend counts on the range's first day).
    func settleSpendRanges(_ table: String, base: Int64, plan: FilePlan) throws -> (notes: [String], removed: Int) {
        guard let end = plan.columns.first(where: Loader.isRangeEnd) else { return ([], 0) }
        let t = quoteIdentifier(table)
        let endDay = "CAST(julianday(substr(\(quoteIdentifier(end.name)), 1, 10)) - 2440587.5 AS INTEGER)"
        let ranges = "SELECT rowid AS id, day AS first, \(endDay) AS last, spend FROM \(t) WHERE rowid > \(base) AND \(endDay) > day"
        let summaries = try database.query("""
            SELECT r.id, date(r.first * 86400, 'unixepoch'), date(r.last * 86400, 'unixepoch'), count(o.rowid) FROM (\(ranges)) r
            JOIN \(t) o ON o.rowid > ? AND o.rowid <> r.id AND o.day BETWEEN r.first AND r.last
            GROUP BY r.id HAVING abs(r.spend - sum(o.spend)) < 0.005 ORDER BY r.id
            """, [.integer(base)]).rows
        var notes: [String] = []
        if !summaries.isEmpty {
            let ids = summaries.compactMap(\.first?.intValue)
            try database.execute("DELETE FROM \(t) WHERE rowid IN (\(ids.map(String.init).joined(separator: ", ")))")
            let listed = summaries.prefix(3).map { r in
                "line \((r[0].intValue ?? base) - base) (\(r[1].description) to \(r[2].description), the sum of the \(r[3].intValue ?? 0) rows within it)"
            }.joined(separator: ", ") + (summaries.count > 3 ? ", …" : "")
            notes.append("skipped \(summaries.count == 1 ? "a summary row" : "\(summaries.count) summary rows") covering several days: \(listed); "
                         + "loaded \(summaries.count == 1 ? "it" : "they") would count that spend twice")
        }
        let spans = try database.query("SELECT id, date(first * 86400, 'unixepoch'), date(last * 86400, 'unixepoch') FROM (\(ranges)) ORDER BY id").rows
        if let first = spans.first {
            notes.append("\(spans.count == 1 ? "1 row covers" : "\(LoadSummary.grouped(spans.count)) rows cover") more than one day "
                         + "('\(end.header ?? end.name)'; line \((first[0].intValue ?? base) - base): \(first[1].description) to \(first[2].description)): "
                         + "the spend of each counts on its first day, so by day or week it is not where it was spent; "
                         + "export with a daily breakdown (one day per row) for daily figures")
        }
        return (notes, summaries.count)
    }
}

extension Loader {
    /// NPS answers without a `response_id` repeated exactly in one file, to the second (the same respondent, moment,
    /// score and everything else: a submission exported twice), are one answer: the repeats are removed. Answers
    /// dated without a time of day are only counted (two answers of a day may be two). Returns both counts.
    /// (With a `response_id` the id check collapses repeats, `collapseRepeats`.)
    func collapseRepeatedAnswers(_ table: String, base: Int64) throws -> (removed: Int, sameDay: Int) {
        let t = quoteIdentifier(table)
        let columns = try database.columns(of: table).map { quoteIdentifier($0.name) }.joined(separator: ", ")
        let timed = "rowid > ? AND length(responded_at) > 10"
        let count = "SELECT count(*) FROM \(t) WHERE \(timed)"
        let before = try database.scalar(count, [.integer(base)]).intValue ?? 0
        try database.execute("""
            DELETE FROM \(t) WHERE \(timed) AND rowid NOT IN (SELECT min(rowid) FROM \(t) WHERE \(timed) GROUP BY \(columns))
            """, [.integer(base), .integer(base)])
        let after = try database.scalar(count, [.integer(base)]).intValue ?? 0
        let sameDay = try database.scalar("""
            SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM \(t) WHERE rowid > ? AND length(responded_at) <= 10 GROUP BY \(columns))
            """, [.integer(base)]).intValue ?? 0
        return (Int(before - after), Int(sameDay))
    }
}
