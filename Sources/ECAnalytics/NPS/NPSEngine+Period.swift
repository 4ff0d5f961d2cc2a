import ECStore

extension NPSEngine {
    /// NPS per response period (`nps by month`): responses grouped by the
    /// week, month or quarter of their `day`, oldest first.
    public func summary(byPeriod unit: PeriodUnit, customerFilter: SQLFragment? = nil) throws -> ResultTable {
        _ = try summary(customerFilter: customerFilter)  // validates the scores
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
            if score >= 9 { c.p += 1 } else if score >= 7 { c.pa += 1 } else { c.d += 1 }
            counts[period] = c
        }
        guard let first = counts.keys.min(), let last = counts.keys.max() else {
            return Self.table([], header: unit.rawValue)
        }
        // Every period in range appears, so a month without responses is visible.
        let groups = (first...last).map { i -> (String, NPSSummary) in
            let c = counts[i] ?? (0, 0, 0, 0)
            return (unit.label(of: i), NPSSummary(n: c.n, promoters: c.p, passives: c.pa, detractors: c.d))
        }
        return Self.table(groups, header: unit.rawValue)
    }
}
