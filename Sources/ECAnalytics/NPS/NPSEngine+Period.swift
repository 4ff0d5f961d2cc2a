import ECStore

extension NPSEngine {
    /// NPS per response period (`nps by month`): responses grouped by the
    /// week, month or quarter of their `day`, oldest first.
    public func summary(byPeriod unit: PeriodUnit, customerFilter: SQLFragment? = nil) throws -> ResultTable {
        try summary(by: .period(unit), customerFilter: customerFilter)
    }

    /// Responses per period of their `day`. Every period from the first to the last
    /// response appears, so a month without responses is visible (with n = 0).
    func periodGroups(_ unit: PeriodUnit, customerFilter: SQLFragment?) throws -> [(label: String, summary: NPSSummary)] {
        var query = SQLFragment("SELECT day, score FROM \(quoteIdentifier(table)) WHERE day IS NOT NULL")
        if let customerFilter { query = query + SQLFragment(" AND ") + customerFilter }
        var counts: [Int: (n: Int, p: Int, pa: Int, d: Int)] = [:]
        let statement = try db.prepare(query.sql)
        try statement.bind(query.bindings)
        while try statement.step() {
            let period = unit.index(ofDay: Int(statement.int64(at: 0)))
            let score = statement.double(at: 1)
            var c = counts[period] ?? (0, 0, 0, 0)
            c.n += 1
            if score >= Double(NPSSummary.promoterMinimum) { c.p += 1 } else if score > Double(NPSSummary.detractorMaximum) { c.pa += 1 } else { c.d += 1 }
            counts[period] = c
        }
        guard let first = counts.keys.min(), let last = counts.keys.max() else { return [] }
        return (first...last).map { i in
            let c = counts[i] ?? (0, 0, 0, 0)
            return (unit.label(of: i), NPSSummary(n: c.n, promoters: c.p, passives: c.pa, detractors: c.d))
        }
    }
}
