import ECStore

/// A statement's NPS answers counted once per segment and day (`temp.ecsh_kpi_nps`), read by the query's
/// rows and by its total row alike.
///
/// The total row of `kpi nps by quarter for s` is the same count over the whole range as its rows, so
/// running the reference SQL twice paid twice for a segment's respondents. The day is the finest grain:
/// any period's, and the whole range's, counts are sums of days (`Plan.npsAggregate`). A segment's answers
/// are picked by their respondents' keys (`NPSAnswerMembership`) where the workspace keeps them; else each
/// answer looks its respondent up (`CustomerFacts.respondentCondition`: about 0.7 s at 753k answers).
/// The reference SQL, which `show sql` prints, counts the responses itself.
final class NPSDayCounts: @unchecked Sendable {
    static let table = "temp.ecsh_kpi_nps"
    /// What the table holds: the segments' conditions (nil: no segments) and the days counted.
    private var counted: (conditions: [SQLFragment]?, days: ClosedRange<Int>)?

    /// Drops what it knows: a new statement counts afresh (the answers may have changed since).
    func forget() { counted = nil }

    /// Counts the plan's responses into `table` unless it holds them already (the same segments,
    /// a range of days that covers the plan's); returns the table's name. A segment's respondents are
    /// picked by their keys (`NPSAnswerMembership`, sharing the statement's `members`) where the workspace
    /// keeps them, else by the reference SQL's condition on each response.
    /// Every score is checked as `NPSEngine.checkScores` checks it (which throws `StoreError`): by the first
    /// scan that reads every answer, else by that check itself.
    func table(for plan: KPIEngine.Plan, in db: Database, members: SegmentMembers? = nil) throws -> String {
        let conditions = plan.hasSegments ? plan.respondentConditions : nil
        let days = plan.startDay...plan.endDay
        if let c = counted, c.conditions == conditions, c.days.lowerBound <= days.lowerBound, c.days.upperBound >= days.upperBound {
            return Self.table
        }
        counted = nil
        try db.execute("DROP TABLE IF EXISTS \(Self.table)")
        try db.execute("CREATE TABLE \(Self.table) (slot INTEGER, day INTEGER, responses INTEGER, promoters INTEGER, detractors INTEGER)")
        let insert = try db.prepare("INSERT INTO \(Self.table) VALUES (?, ?, ?, ?, ?)")
        let engine = NPSEngine(db)
        var checked = false
        for slot in plan.segments.indices {
            var responses = SQLFragment("SELECT n.day, n.score, n.rowid FROM nps AS n")
            var answers: NPSAnswerMembership?
            if conditions != nil {
                answers = plan.hasOrders ? try NPSAnswerMembership.make(db, predicate: plan.segments[slot].predicate, known: members) : nil
            }
            // Without a condition the scan reads every answer (the range is kept below) and checks the scores once.
            let everyAnswer = conditions == nil || answers != nil
            if !everyAnswer {
                responses = responses + SQLFragment(" WHERE n.day BETWEEN ? AND ? AND ", [.integer(Int64(days.lowerBound)), .integer(Int64(days.upperBound))])
                    + conditions![slot]
            }
            let perDay = try Self.countsPerDay(responses, in: db, answers: answers, checking: everyAnswer && !checked ? engine : nil)
            checked = checked || everyAnswer
            for (day, c) in perDay where days.contains(day) {
                insert.reset()
                try insert.bind([.integer(Int64(slot)), .integer(Int64(day)), .integer(Int64(c.n)),
                                 .integer(Int64(c.promoters)), .integer(Int64(c.detractors))])
                try insert.step()
            }
        }
        if !checked { try engine.checkScores() }
        counted = (conditions, days)
        return Self.table
    }

    /// The responses of `query` (rows of day, score, and rowid when `answers` picks among them) counted
    /// per day, days in order. Counted here: SQLite groups by sorting every response (0.54 s for 753k,
    /// against 0.1 s to read them). A NULL day counts nowhere.
    static func countsPerDay(_ query: SQLFragment, in db: Database, answers: NPSAnswerMembership? = nil,
                             checking engine: NPSEngine? = nil) throws -> [(day: Int, counts: Counts)] {
        let perDay = try counts(query, in: db, answers: answers, checking: engine) { $0.isNull(at: 0) ? nil : Int($0.int64(at: 0)) }
        return perDay.keys.sorted().map { ($0, perDay[$0]!) }
    }

    /// The responses of `query` (columns: anything, score at 1, rowid at 2 when `answers` picks among them)
    /// counted per `group` of the row (nil: not counted).
    /// `checking`: the query reads every answer of that engine's table, whose scores are checked on the way
    /// as `NPSEngine.checkScores` checks them (a whole number 0...10 stored as a number), which then saves
    /// its own scan; a score that fails has that check run, which throws its error.
    static func counts<Group: Hashable>(_ query: SQLFragment, in db: Database, answers: NPSAnswerMembership? = nil,
                                        checking engine: NPSEngine? = nil, by group: (Statement) -> Group?) throws -> [Group: Counts] {
        let s = try db.prepare(query.sql)
        try s.bind(query.bindings)
        var counts: [Group: Counts] = [:]
        while try s.step() {
            if let engine, !Self.isScore(s, at: 1) {
                try engine.checkScores()
                throw StoreError("NPS scores in \(engine.table) are not whole numbers 0..10; fix the file and reload")
            }
            if let answers, !answers.contains(row: s.int64(at: 2)) { continue }
            guard let g = group(s) else { continue }
            var c = counts[g] ?? Counts()
            c.n += 1
            // As the SQL's count(CASE …): a NULL score is a response but none of the three (`checkScores`
            // refuses those).
            if !s.isNull(at: 1) {
                let score = s.double(at: 1)
                if score >= Double(NPSSummary.promoterMinimum) { c.promoters += 1 }
                if score <= Double(NPSSummary.detractorMaximum) { c.detractors += 1 }
                if score >= Double(NPSSummary.detractorMaximum + 1), score <= Double(NPSSummary.promoterMinimum - 1) { c.passives += 1 }
            }
            counts[g] = c
        }
        return counts
    }

    /// Whether column `i` of `s` holds a score `NPSEngine.checkScores` accepts: an integer or real number,
    /// whole, in 0...10 (text, even '10', and NULL are refused).
    @inline(__always) static func isScore(_ s: Statement, at i: Int) -> Bool {
        switch s.value(kindAt: i) {
        case .integer:
            return (0...10).contains(s.int64(at: i))
        case .real:
            let v = s.double(at: i)
            return v >= 0 && v <= 10 && v == v.rounded(.towardZero)
        default:
            return false
        }
    }

    /// One day's responses and how many of them were promoters, passives and detractors.
    struct Counts {
        var n = 0, promoters = 0, passives = 0, detractors = 0

        /// Adds `other`'s responses to these.
        mutating func add(_ other: Counts) {
            n += other.n
            promoters += other.promoters
            passives += other.passives
            detractors += other.detractors
        }

        var summary: NPSSummary { NPSSummary(n: n, promoters: promoters, passives: passives, detractors: detractors) }
    }
}
