import ECStore

/// What each group of `nps compare by X` is tested against.
public enum NPSReference: Sendable, Equatable {
    /// All other responses in the table (one group against the rest). The two
    /// samples share no response, as the two-sample z test assumes, and no
    /// group has to be picked as the baseline.
    case rest
    /// The period just before (period over period), for time grains.
    case previousPeriod
}

extension NPSEngine {
    /// A named group of responses for `compare`, e.g. a segment's condition on `customer_id`.
    public struct Group: Sendable {
        public var label: String
        /// A condition on the response columns (score, day, customer_id, ...).
        public var condition: SQLFragment
        /// The segment `condition` picks the respondents of (a condition on the facts' columns, as
        /// `CustomerFacts.respondentCondition` takes it), when it is one: then counted as `nps for` it is,
        /// by the answers' keys where the workspace keeps them.
        public var segment: SQLFragment?
        public init(label: String, condition: SQLFragment, segment: SQLFragment? = nil) {
            self.label = label
            self.condition = condition
            self.segment = segment
        }
    }

    static let testNote = "z = (NPS₁ − NPS₂) / √(SE₁² + SE₂²); p from the normal distribution"

    /// Two groups side by side with the z statistic and two-sided p-value of their difference.
    public func compare(a: Group, b: Group) throws -> ResultTable {
        try checkScores()
        var groups: [(String?, NPSSummary)] = []
        for group in [a, b] {
            // A segment's answers by their respondents' keys (`groups`): the condition looks every answer's
            // respondent up by id, at random where answers come by date or ids are hashed (36 s at 10M orders).
            if let segment = group.segment {
                let counted = try self.groups(by: nil, segment: segment).first?.summary
                groups.append((group.label, counted ?? NPSSummary(n: 0, promoters: 0, passives: 0, detractors: 0)))
                continue
            }
            let query = SQLFragment("SELECT \(Self.countColumns(score: "score")) FROM \(quoteIdentifier(table)) WHERE ")
                + group.condition
            groups.append((group.label, Self.summary(counts: try db.query(query.sql, query.bindings).rows[0][...])))
        }
        var table = Self.table(groups, header: "group")
        // The test takes two samples without a shared answer: overlapping segments (`repeaters` and `big`, where every
        // repeater is big) would have their shared answers on both sides, and z and p would be wrong.
        let shared = try sharedResponses(a, b)
        if shared > 0 {
            table.notes.append("no test of \(a.label) − \(b.label): \(LoadSummary.grouped(shared)) response\(shared == 1 ? " is" : "s are") in both "
                               + "(their respondents are in both segments), and the z test needs two samples without a shared response; "
                               + (a.label.lowercased() == b.label.lowercased() ? "compare the segment with another"
                                   : "compare \(a.label) with the rest of \(b.label) instead: segment \(b.label)_rest = \(b.label) and not \(a.label)"))
        } else if let test = NPSSummary.compare(groups[0].1, groups[1].1) {
            table.notes.append(String(format: "difference %@ − %@: z = %.2f, two-sided p = %.4f", a.label, b.label, test.z, test.p))
            table.notes.append(Self.testNote)
        } else {
            table.notes.append("no comparison: a group has no responses (or both have zero spread)")
        }
        return table
    }

    /// The answers of both groups, counted as `compare` counts each.
    func sharedResponses(_ a: Group, _ b: Group) throws -> Int {
        if let first = a.segment, let second = b.segment {
            let both = SQLFragment("(") + first + SQLFragment(") AND (") + second + SQLFragment(")")
            return try groups(by: nil, segment: both).first?.summary.n ?? 0
        }
        let query = SQLFragment("SELECT count(*) FROM \(quoteIdentifier(table)) WHERE (") + a.condition + SQLFragment(") AND (")
            + b.condition + SQLFragment(")")
        return Int(try db.query(query.sql, query.bindings).rows[0][0].intValue ?? 0)
    }

    /// `nps compare by X`: every group of `grouping` against a reference — the
    /// period before for a time grain, all other responses otherwise.
    public func compare(by grouping: NPSGrouping, customerFilter: SQLFragment? = nil, segment: SQLFragment? = nil,
                        orders: OrderSelection? = nil) throws -> ResultTable {
        let reference: NPSReference
        if case .period = grouping { reference = .previousPeriod } else { reference = .rest }
        return Self.comparisonTable(try groups(by: grouping, customerFilter: customerFilter, segment: segment, orders: orders),
                                    header: grouping.header, reference: reference)
    }

    /// One row per group: its responses, NPS and margin, the reference it is
    /// tested against, the difference, z and two-sided p (`NPSSummary.compare`).
    /// Blank where either side has no responses (or there is no period before).
    public static func comparisonTable(_ groups: [(label: String?, summary: NPSSummary)], header: String,
                                       reference: NPSReference) -> ResultTable {
        var total = (n: 0, p: 0, pa: 0, d: 0)
        for (_, s) in groups { total = (total.n + s.n, total.p + s.promoters, total.pa + s.passives, total.d + s.detractors) }
        var tests = 0
        let rows = groups.enumerated().map { i, group -> [Value] in
            let s = group.summary
            let against: (label: String?, summary: NPSSummary)?
            switch reference {
            case .rest:
                against = ("rest", NPSSummary(n: total.n - s.n, promoters: total.p - s.promoters,
                                              passives: total.pa - s.passives, detractors: total.d - s.detractors))
            case .previousPeriod:
                against = i > 0 ? groups[i - 1] : nil
            }
            let test = against.flatMap { NPSSummary.compare(s, $0.summary) }
            if test != nil { tests += 1 }
            let difference = s.nps.flatMap { a in against?.summary.nps.map { a - $0 } }
            return [group.label.map(Value.text) ?? .null, .integer(Int64(s.n)), real(s.nps), real(s.margin95),
                    against?.label.map(Value.text) ?? .null, real(against?.summary.nps), real(difference),
                    real(test?.z), real(test?.p), s.warning.map(Value.text) ?? .null]
        }
        let columns = [header, "responses", "nps", "margin95", "vs", "vs_nps", "difference", "z", "p", "warning"]
        let formats: [ColumnFormat] = [.text, .auto, .decimal(places: 1), .decimal(places: 1), .text, .decimal(places: 1),
                                       .decimal(places: 1), .decimal(places: 2), .decimal(places: 4), .text]
        var notes = [formulaNote]
        switch reference {
        case .rest: notes.append("each group against the rest: all other responses in the table (difference = NPS − NPS of the rest)")
        case .previousPeriod: notes.append("each period against the period before (difference = NPS − NPS of the period before)")
        }
        notes.append(testNote + "; two-sided")
        if tests >= 3 {
            notes.append("\(tests) tests: about 1 in 20 gives p < 0.05 by chance alone, so one small p among many groups is weak evidence")
        }
        return ResultTable(columns: columns, rows: rows, formats: formats, notes: notes)
    }

    private static func real(_ d: Double?) -> Value { d.map(Value.real) ?? .null }
}
