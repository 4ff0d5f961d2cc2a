import ECStore

extension CohortEngine {
    /// Adds CAC per cohort and the payback offset to a cumulative margin (LTV) matrix.
    ///
    /// CAC = spend / cohort size: spend in the cohort's period when grouped by
    /// period, the channel's spend when grouped by first channel, all spend for
    /// `.all`. Skipped (with a note) when there is no spend table.
    func addPayback(to matrix: inout CohortMatrix) throws {
        let query = matrix.query
        guard let spendTable = query.spendTable, try db.tableExists(spendTable) else {
            matrix.notes.append("no spend loaded: CAC and payback need a spend table")
            return
        }
        let table = quoteIdentifier(spendTable)
        var spendByLabel: [String: Double] = [:]
        switch query.grouping {
        case .period(let unit):
            let result = try db.query("SELECT day, sum(spend) FROM \(table) WHERE day IS NOT NULL GROUP BY day")
            for row in result.rows {
                guard let day = row[0].intValue, let spend = row[1].doubleValue else { continue }
                spendByLabel[unit.label(of: unit.index(ofDay: Int(day))), default: 0] += spend
            }
            matrix.notes.append("CAC = spend in the cohort's \(unit.rawValue) / cohort size (all channels)")
        case .attribute(let attribute):
            guard attribute.matchesSpendChannel else {
                matrix.notes.append("CAC needs cohorts by month or by first channel; \(attribute.name) has no spend")
                return
            }
            let result = try db.query("SELECT channel, sum(spend) FROM \(table) GROUP BY channel")
            for row in result.rows {
                guard let spend = row[1].doubleValue else { continue }
                if row[0].isNull {
                    matrix.notes.append("spend without a channel (\(spend)) is not attributed to any channel")
                } else {
                    spendByLabel[row[0].description, default: 0] += spend
                }
            }
            matrix.notes.append("CAC = the channel's total spend / customers whose first counted order came through it")
        case .all:
            spendByLabel["all"] = try db.scalar("SELECT sum(spend) FROM \(table)").doubleValue
            matrix.notes.append("CAC = total spend / all customers")
        }
        for i in matrix.rows.indices {
            let row = matrix.rows[i]
            guard let spend = spendByLabel[row.label], row.size > 0 else { continue }
            let cac = spend / Double(row.size)
            matrix.rows[i].cac = cac
            if let k = row.cells.firstIndex(where: { ($0 ?? -.infinity) >= cac }) {
                matrix.rows[i].payback = .offset(k)
            } else {
                matrix.rows[i].payback = .notYet
            }
        }
        matrix.notes.append("payback = first offset where cumulative margin per customer ≥ CAC (\"not yet\" when never reached in the shown offsets)")
    }
}
