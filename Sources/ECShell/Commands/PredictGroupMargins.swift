import ECStore
import ECLanguage
import ECAnalytics

/// Each `predict ltv` group's own margin: CM2 / GMV of its customers' counted orders up to the calibration end,
/// so a channel of thin margins is not valued at the shop's (docs/metrics.md, Predictive CLV).
extension Session {
    /// Each customer's CM2 and GMV up to `end`, by customer key, read once for every grouping shown.
    typealias CustomerMargins = (cm2: [Double], gmv: [Double])

    /// From the snapshot's pass when the histories came from it (`keyMargins`), else one SQL pass over `orders`.
    /// Only the customers of `segments` (when named) count, as only they are fitted: `for vip by first_channel`
    /// prices each channel's VIPs at the VIPs' own margin, not at the margin of all that channel's customers.
    func customerMargins(to end: Int, columns: CustomerColumns, segments: [Identifier]) throws -> CustomerMargins {
        if let sums = columns.keyMargins { return sums }
        var sums = try CLVData.marginByCustomer(db: database, countedOrders: try metricSettings().countedCondition(), through: end,
                                                keys: try customerKeyCount(), facts: try CustomerFacts.relation(for: "", database))
        if let members = try segmentMembers(segments) {
            for k in sums.gmv.indices where k >= members.count || !members[k] { (sums.cm2[k], sums.gmv[k]) = (0, 0) }
        }
        return sums
    }

    /// The margin of each group of `grouping`; a group with no GMV takes the shop's `shop`, which the note says.
    func groupMargins(_ grouping: CLVGrouping, _ sums: CustomerMargins, shop: Double) -> (margins: [Double], note: String?) {
        var cm2 = Array(repeating: 0.0, count: grouping.labels.count), gmv = cm2
        for k in sums.gmv.indices {
            grouping.membership.forEachGroup(ofKey: Int32(k)) { g in
                cm2[g] += sums.cm2[k]
                gmv[g] += sums.gmv[k]
            }
        }
        let none = grouping.labels.indices.filter { !(gmv[$0] > 0) }
        let margins = grouping.labels.indices.map { gmv[$0] > 0 ? cm2[$0] / gmv[$0] : shop }
        let note = none.isEmpty ? nil
            : "no GMV up to the calibration end in " + none.map { grouping.labels[$0] }.joined(separator: ", ")
                + String(format: ": the shop's margin %.1f%% used there", shop * 100)
        return (margins, note)
    }

    /// The note saying what the margin column is, and what the shop's one margin would have made the equity.
    static func groupMarginNote(shop: Double, shopEquity: Double, currency: String) -> String {
        "margin: CM2/GMV of the group's own customers' counted orders up to the calibration end, which its expected spend is "
            + String(format: "multiplied by (the total's is the one its equity works out to); at the shop's %.1f%% for everyone, ", shop * 100)
            + "customer equity would be " + money(shopEquity, currency: currency)
    }
}
