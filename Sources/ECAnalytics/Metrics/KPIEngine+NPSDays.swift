import ECStore

/// A statement's NPS answers counted once per segment and day (`temp.ecsh_kpi_nps`), read by the query's
/// rows and by its total row alike.
///
/// Each response of a segment's count looks up its respondent (`CustomerFacts.respondentCondition`: about
/// 0.7 s at 753k responses). The total row of `kpi nps by quarter for s` is the same count over the whole
/// range, so running the reference SQL twice paid that twice. The day is the finest grain: any period's,
/// and the whole range's, counts are sums of days (`Plan.npsAggregate`). The reference SQL, which
/// `show sql` prints, counts the responses itself.
final class NPSDayCounts: @unchecked Sendable {
    static let table = "temp.ecsh_kpi_nps"
    /// What the table holds: the segments' conditions (nil: no segments) and the days counted.
    private var counted: (conditions: [SQLFragment]?, days: ClosedRange<Int>)?

    /// Drops what it knows: a new statement counts afresh (the answers may have changed since).
    func forget() { counted = nil }

    /// Counts the plan's responses into `table` unless it holds them already (the same segments,
    /// a range of days that covers the plan's); returns the table's name.
    func table(for plan: KPIEngine.Plan, in db: Database) throws -> String {
        let conditions = plan.hasSegments ? plan.respondentConditions : nil
        let days = plan.startDay...plan.endDay
        if let c = counted, c.conditions == conditions, c.days.lowerBound <= days.lowerBound, c.days.upperBound >= days.upperBound {
            return Self.table
        }
        counted = nil
        try db.execute("DROP TABLE IF EXISTS \(Self.table)")
        try db.execute("CREATE TABLE \(Self.table) (slot INTEGER, day INTEGER, responses INTEGER, promoters INTEGER, detractors INTEGER)")
        let insert = try db.prepare("INSERT INTO \(Self.table) VALUES (?, ?, ?, ?, ?)")
        for slot in plan.segments.indices {
            var responses = SQLFragment("SELECT n.day, n.score FROM nps AS n WHERE n.day BETWEEN ? AND ?",
                                        [.integer(Int64(days.lowerBound)), .integer(Int64(days.upperBound))])
            if let conditions { responses = responses + SQLFragment(" AND ") + conditions[slot] }
            for (day, c) in try Self.countsPerDay(responses, in: db) {
                insert.reset()
                try insert.bind([.integer(Int64(slot)), .integer(Int64(day)), .integer(Int64(c.n)),
                                 .integer(Int64(c.promoters)), .integer(Int64(c.detractors))])
                try insert.step()
            }
        }
        counted = (conditions, days)
        return Self.table
    }

    /// The responses of `query` (rows of day, score) counted per day, days in order. Counted here: SQLite
    /// groups by sorting every response (0.54 s for 753k, against 0.1 s to read them).
    static func countsPerDay(_ query: SQLFragment, in db: Database) throws -> [(day: Int, counts: Counts)] {
        let s = try db.prepare(query.sql)
        try s.bind(query.bindings)
        var perDay: [Int: Counts] = [:]
        while try s.step() {
            let day = Int(s.int64(at: 0))
            var c = perDay[day] ?? Counts()
            c.n += 1
            // As the SQL's count(CASE …): a NULL score is a response but none of the three (`checkScores`
            // refuses those).
            if !s.isNull(at: 1) {
                let score = s.double(at: 1)
                if score >= Double(NPSSummary.promoterMinimum) { c.promoters += 1 }
                if score <= Double(NPSSummary.detractorMaximum) { c.detractors += 1 }
                if score >= Double(NPSSummary.detractorMaximum + 1), score <= Double(NPSSummary.promoterMinimum - 1) { c.passives += 1 }
            }
            perDay[day] = c
        }
        return perDay.keys.sorted().map { ($0, perDay[$0]!) }
    }

    /// One day's responses and how many of them were promoters, passives and detractors.
    struct Counts {
        var n = 0, promoters = 0, passives = 0, detractors = 0
    }
}
