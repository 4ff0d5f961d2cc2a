import ECStore

/// CAC, defined once: the spend attributed to a group up to as_of divided by
/// the customers acquired in that group (their first counted order is in it).
///
/// `kpi cac` (the catalogue's SQL, `spend / new_customers` over spend rows
/// in the query's range, which never passes as_of), `unit economics` and
/// `cohort … margin cumulative`'s payback all follow it:
/// - spend after as_of is not counted, as orders after it are not (before
///   this, unit economics and cohort payback summed every spend row);
/// - a group with no spend rows has no CAC (blank), not CAC 0: absent spend
///   data is not free acquisition (`kpi cac` showed 0 there before);
/// - by channel, spend without a channel belongs to the group of orders
///   without a channel, as `kpi cac by channel` puts it.
public enum AcquisitionCost {
    /// How spend rows are put into groups.
    enum Split {
        /// By the period of the spend row's day (acquisition months, weeks, quarters).
        case period(PeriodUnit)
        /// By the spend row's channel; rows without a channel under nil (a NULL key).
        case channel
        /// One group, `all`.
        case all
    }

    /// The spend per group label (nil: spend without a channel), and the total, of spend rows dated up to `asOfDay`.
    static func spend(_ db: Database, table: String, split: Split, asOfDay: Int) throws -> (byLabel: [String?: Double], total: Double) {
        let t = quoteIdentifier(table)
        let through = [Value.integer(Int64(asOfDay))]
        var byLabel: [String?: Double] = [:]
        var total = 0.0
        switch split {
        case .period(let unit):
            for row in try db.query("SELECT day, sum(spend) FROM \(t) WHERE day <= ? GROUP BY day", through).rows {
                guard let day = row[0].intValue, let amount = row[1].doubleValue else { continue }
                byLabel[unit.label(of: unit.index(ofDay: Int(day))), default: 0] += amount
                total += amount
            }
        case .channel:
            for row in try db.query("SELECT channel, sum(spend) FROM \(t) WHERE day <= ? GROUP BY channel", through).rows {
                guard let amount = row[1].doubleValue else { continue }
                byLabel[row[0].isNull ? nil : row[0].description, default: 0] += amount
                total += amount
            }
        case .all:
            total = try db.scalar("SELECT coalesce(sum(spend), 0) FROM \(t) WHERE day <= ?", through).doubleValue ?? 0
            byLabel["all"] = total
        }
        return (byLabel, total)
    }

    /// spend / new customers; nil without new customers or without spend data.
    static func cac(spend: Double?, newCustomers: Int) -> Double? {
        guard let spend, newCustomers > 0 else { return nil }
        return spend / Double(newCustomers)
    }

    /// How notes word the definition.
    static let definition = "CAC (blended) = spend up to as_of / customers acquired (first counted order) in the group"
}
