import ECStore

/// The unit-economics table: one row per group, an optional blended total, and the formulas in force.
public struct UnitEconomics: Sendable {
    public var query: UnitEconomicsQuery
    public var rows: [UnitEconomicsRow]
    public var total: UnitEconomicsRow?
    /// GMV through mall channels / total GMV (channel grouping).
    public var mallDependence: Double?
    public var notes: [String]
    public var missingCostFields: [CostField]
    /// The SQL that selected the orders (for `show sql`).
    public var sql: SQLFragment

    public func toResultTable(currency: String = "JPY") -> ResultTable {
        let h = query.horizonMonths
        let channel = query.by == .channel
        var columns = [query.by == .none ? "scope" : query.by.rawValue, "new_customers", "spend", "CAC", "orders", "AOV",
                       "CM2_per_order", "orders_per_customer_\(h)m", "LTV_\(h)m", "LTV_CAC", "LTV_CAC_status", "payback"]
        let money = ColumnFormat.currency(code: currency)
        var formats: [ColumnFormat] = [.text, .auto, money, money, .auto, money, money, .decimal(places: 2), money,
                                       .decimal(places: 2), .text, .text]
        if channel {
            columns += ["kind", "commission_burden", "GMV_share"]
            formats += [.text, .percent(places: 1), .percent(places: 1)]
        }
        let totalGMV = (total?.gmv) ?? rows.reduce(0) { $0 + $1.gmv }
        func values(_ r: UnitEconomicsRow) -> [Value] {
            func v(_ d: Double?) -> Value { d.map(Value.real) ?? .null }
            let status: Value
            switch (r.isHealthy, r.isLossMaking) {
            case (true?, _): status = .text("≥ 3 (healthy by rule of thumb)")
            case (_, true?): status = .text("< 1: loss-making")
            case (false?, _): status = .text("< 3")
            default: status = .null
            }
            let payback: Value
            switch r.payback {
            case .offset(let k)?: payback = .text("M\(k)")
            case .notYet?:
                // A negative margin so far recovers none of CAC: "-50% of CAC recovered" read as a share on its way.
                payback = .text(r.recovered.map {
                    let months = $0.months == 1 ? "1 month" : "\($0.months) months"
                    return $0.share < 0
                        ? "not yet: margin per customer is negative after \(months) (\(Int(($0.share * 100).rounded()))% of CAC)"
                        : "not yet: \(Int(($0.share * 100).rounded()))% of CAC recovered after \(months)"
                } ?? "not yet")
            case nil: payback = .null
            }
            var out: [Value] = [r.group.map(Value.text) ?? .null, .integer(Int64(r.newCustomers)), v(r.spend), v(r.cac), .integer(Int64(r.orders)),
                                v(r.aov), v(r.marginPerOrder), v(r.ordersPerCustomer), v(r.ltv), v(r.ltvToCAC), status, payback]
            if channel {
                out.append(r.isMall.map { .text($0 ? "mall" : "own") } ?? .null)
                out.append(v(r.commissionBurden))
                out.append(v(totalGMV > 0 ? r.gmv / totalGMV : nil))
            }
            return out
        }
        var table = rows.map(values)
        var summary: Set<Int> = []
        if let total {
            summary.insert(table.count)
            table.append(values(total))
        }
        var result = ResultTable(columns: columns, rows: table, formats: formats, notes: notes, summaryRows: summary)
        result.formats = result.formatsWithFinerSmallPercents()  // a commission burden under 10% gets two decimals, as kpi's rates
        return result
    }
}
