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
        // Counted per day in the engine (a PostgreSQL server sends one row per day, not per response),
        // then summed per period here.
        var query = SQLFragment("SELECT day, \(Self.countColumns(score: "score")) FROM \(quoteIdentifier(table)) WHERE day IS NOT NULL")
        if let customerFilter { query = query + SQLFragment(" AND ") + customerFilter }
        query = query + SQLFragment(" GROUP BY day")
        var counts: [Int: (n: Int, p: Int, pa: Int, d: Int)] = [:]
        for row in try db.query(query.sql, query.bindings).rows {
            guard let day = row[0].intValue else { continue }
            let period = unit.index(ofDay: Int(day))
            let v = row.dropFirst().map { Int($0.intValue ?? 0) }
            var c = counts[period] ?? (0, 0, 0, 0)
            c.n += v[0]; c.p += v[1]; c.pa += v[2]; c.d += v[3]
            counts[period] = c
        }
        guard let first = counts.keys.min(), let last = counts.keys.max() else { return [] }
        return (first...last).map { i in
            let c = counts[i] ?? (0, 0, 0, 0)
            return (unit.label(of: i), NPSSummary(n: c.n, promoters: c.p, passives: c.pa, detractors: c.d))
        }
    }
}
