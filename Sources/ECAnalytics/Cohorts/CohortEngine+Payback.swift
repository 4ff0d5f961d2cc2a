import ECStore

extension CohortEngine {
    /// Adds CAC per cohort and the payback offset to a cumulative margin (LTV) matrix.
    ///
    /// CAC follows `AcquisitionCost` (spend up to `asOfDay`, the data's last
    /// day here): spend in the cohort's period when grouped by period, the
    /// channel's spend when grouped by first channel, all spend for `.all`.
    /// Skipped (with a note) when there is no spend table.
    func addPayback(to matrix: inout CohortMatrix, asOfDay: Int) throws {
        let query = matrix.query
        guard let spendTable = query.spendTable, try db.tableExists(spendTable) else {
            matrix.notes.append("no spend loaded: CAC and payback need a spend table")
            return
        }
        let split: AcquisitionCost.Split
        switch query.grouping {
        case .period(let unit):
            split = .period(unit)
            matrix.notes.append("CAC = spend in the cohort's \(unit.rawValue) / cohort size (all channels)")
        case .attribute(let attribute):
            guard attribute.matchesSpendChannel else {
                matrix.notes.append("CAC needs cohorts by month or by first channel; \(attribute.name) has no spend")
                return
            }
            split = .channel
            matrix.notes.append("CAC = the channel's spend / customers whose first counted order came through it (spend without a channel: the ∅ cohort)")
        case .all:
            split = .all
            matrix.notes.append("CAC = total spend / all customers")
        }
        let spend = try AcquisitionCost.spend(db, table: spendTable, split: split, asOfDay: asOfDay)
        for i in matrix.rows.indices {
            let row = matrix.rows[i]
            guard let cac = AcquisitionCost.cac(spend: spend.byLabel[row.label], newCustomers: row.size) else { continue }
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
