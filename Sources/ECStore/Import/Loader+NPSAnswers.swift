/// What a load makes of NPS answers that are no plain 0–10 answers: one respondent's differing answers at one
/// moment, and a file whose scores read as another scale (1–5, 1–7: not the 0–10 NPS question; 1–10: noted).
extension Loader {
    /// Answers without a `response_id` of one respondent at one moment to the second (`customer_id` + a
    /// `responded_at` with a time of day) that differ after exact repeats are collapsed: `append` takes that key
    /// for one answer (a changed score is an update), so the file's later row counts here too, and the earlier
    /// ones are removed. Returns the note, nil when there were none.
    func collapseSameMomentAnswers(_ table: String, base: Int64) throws -> (note: String, removed: Int)? {
        let t = quoteIdentifier(table)
        let keyed = "rowid > ? AND customer_id IS NOT NULL AND length(responded_at) > 10"
        let groups = try database.query("""
            SELECT customer_id, responded_at, group_concat(score, ' then '), count(*) - 1
            FROM (SELECT customer_id, responded_at, score FROM \(t) WHERE \(keyed) ORDER BY rowid)
            GROUP BY customer_id, responded_at HAVING count(*) > 1 ORDER BY min(rowid)
            """, [.integer(base)]).rows
        guard !groups.isEmpty else { return nil }
        try database.execute("""
            DELETE FROM \(t) WHERE \(keyed) AND rowid NOT IN (SELECT max(rowid) FROM \(t) WHERE \(keyed) GROUP BY customer_id, responded_at)
            """, [.integer(base), .integer(base)])
        let removed = groups.reduce(0) { $0 + Int($1[3].intValue ?? 0) }
        let listed = groups.prefix(3).map { "\($0[0].description) at \($0[1].description): scores \($0[2].description)" }
            .joined(separator: "; ") + (groups.count > 3 ? "; …" : "")
        let n = groups.count
        return ("\(n == 1 ? "1 respondent answered" : "\(LoadSummary.grouped(n)) respondents answered") more than once at one moment "
                + "(customer_id and responded_at to the second) with different answers: the file's later row counts, as append counts "
                + "a changed answer as an update, and \(removed == 1 ? "the earlier one is" : "\(LoadSummary.grouped(removed)) earlier ones are") left out (\(listed)); "
                + "if they are separate answers, load the file with a response_id column", removed)
    }

    /// Scores this many or more, all 7 or less, stop the load; fewer get a note. On the 0–10 question even a shop
    /// with an NPS of −50 has a fifth or more of its answers at 8, 9 or 10: none of 20 is a chance of 0.8²⁰ ≈ 1%.
    static let lowScaleResponses = 20
    /// The lowest number of answers all 7 or less that gets a note.
    static let lowScaleNoted = 5
    /// Answers of 1 with none of 0 that read as a 1–10 scale: where 0 is offered, the bottom answers split between
    /// 0 and 1 (0, the scale's end, at least as often), so none of 5 being 0 is a chance of (½)⁵ ≈ 3% or less.
    static let noZeroOnes = 5

    /// Every score of the `nps` data (this file's and earlier loads') 5 or less reads as a 1–5 (or 0–5) scale, every
    /// one 7 or less (with a 6 or 7) as a 1–7 scale: counted as NPS, no answer is a promoter (all are detractors on
    /// 1–5) and the NPS is negative. From `lowScaleResponses` answers the load stops, naming the score column; with
    /// fewer, a note says it. Scores up to 10 with `noZeroOnes` answers of 1 and none of 0 read as a 1–10 scale: a
    /// note (the NPS counts them as 0–10 answers, which is not comparable with 0–10 benchmarks). `with scale '0-10'`
    /// says the question was the 0–10 one and loads the answers as they are.
    func checkScoreScale(_ table: String, plan: FilePlan, request: LoadRequest) throws -> String? {
        guard !request.options.scaleConfirmed else { return nil }
        let row = try database.query("""
            SELECT count(*), max(score), min(score), count(*) FILTER (WHERE score = 0), count(*) FILTER (WHERE score = 1)
            FROM \(quoteIdentifier(table))
            """).rows[0]
        let n = Int(row[0].intValue ?? 0)
        guard n >= Loader.lowScaleNoted, let top = row[1].intValue, let low = row[2].intValue else { return nil }
        let ones = Int(row[4].intValue ?? 0)
        if top == 10, row[3].intValue == 0, ones >= Loader.noZeroOnes {
            return "no score is 0 but \(LoadSummary.grouped(ones)) of the \(LoadSummary.grouped(n)) are 1, as on a 1–10 scale: the NPS counts "
                + "them as answers to the 0–10 question (1–6 detractors), which is not comparable with 0–10 benchmarks; "
                + "if the question was asked 0–10, with scale '0-10' says so"
        }
        guard top <= 7 else { return nil }
        let scale = top <= 5 ? "1–5" : "1–7"
        let span = "every one of the \(LoadSummary.grouped(n)) scores is between \(low) and \(top)"
        let why = top <= 5 ? "a 1–5 (satisfaction) scale is no NPS, and counted as NPS each of its answers is a detractor"
            : "a 1–7 (agreement or satisfaction) scale is no NPS, and counted as NPS none of its answers is a promoter"
        let wayOut = "load a \(scale) survey as a table (load table csat from '…'); if the question was asked 0–10, with scale '0-10' says so"
        guard n >= Loader.lowScaleResponses else { return "\(span): \(why); \(wayOut)" }
        let score = plan.columns.first { $0.name == "score" }
        var column: Int?
        if let score, case .field(let i) = score.source { column = i + 1 }
        throw LoadError(file: request.path, column: column, field: score?.header ?? "score",
                        reason: "\(span), as on a \(scale) scale, not the 0–10 NPS question: \(why) (NPS \(try scaleNPS(table)))", help: wayOut)
    }

    /// The NPS the answers would get counted as 0–10 answers, to one decimal: what the stop keeps from being shown.
    private func scaleNPS(_ table: String) throws -> String {
        let nps = try database.query("""
            SELECT printf('%.1f', 100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*))
            FROM \(quoteIdentifier(table))
            """).rows[0][0].description
        return nps.hasPrefix("-") ? "−" + nps.dropFirst() : nps
    }
}
