/// What one counted order contributes: the one definition of GMV, revenue,
/// discounts and contribution margin (CM2) per order that the reference SQL,
/// the snapshot pass, customer facts, cohorts and unit economics all use
/// as do the KPI tree's period figures and the CLV holdout's margin
/// (docs/metrics.md, "Orders and customers" and "Margin").
///
/// Each measure has an SQL form over the columns of `orders` and a Swift form
/// over the snapshot's stored columns (`discounts` = discount + points,
/// `costs` = cogs + shipping, NULLs already 0), so the two routes cannot
/// drift apart.
enum OrderMeasures {
    /// `alias.column`, or the bare column without an alias.
    private static func column(_ alias: String?, _ name: String) -> String {
        (alias.map { $0 + "." } ?? "") + name
    }

    /// A money column with NULL read as 0 (missing costs count as 0).
    private static func money(_ alias: String?, _ name: String) -> String {
        "coalesce(\(column(alias, name)), 0)"
    }

    /// GMV of an order: the amount before discounts and points.
    static func gmvSQL(_ alias: String? = "o") -> String { column(alias, "amount") }

    /// Discounts and points together.
    static func discountsSQL(_ alias: String? = "o") -> String {
        "\(money(alias, "discount")) + \(money(alias, "points"))"
    }

    /// Net revenue: amount − discount − points.
    static func revenueSQL(_ alias: String? = "o") -> String {
        "\(column(alias, "amount")) - \(money(alias, "discount")) - \(money(alias, "points"))"
    }

    /// Cost of goods and shipping together (the snapshot stores them as one `costs` column).
    static func costsSQL(_ alias: String? = "o") -> String {
        "\(money(alias, "cogs")) + \(money(alias, "shipping"))"
    }

    /// One cost field on its own, NULL as 0 (the KPI tree shows each as a child of margin).
    static func costSQL(_ field: CostField, _ alias: String? = "o") -> String { money(alias, field.rawValue) }

    /// Payment fees and marketplace commission.
    static func commissionSQL(_ alias: String? = "o") -> String { money(alias, "commission") }

    /// CM2: amount − discount − points − cogs − shipping − commission.
    static func cm2SQL(_ alias: String? = "o") -> String {
        "\(revenueSQL(alias)) - \(money(alias, "cogs")) - \(money(alias, "shipping")) - \(money(alias, "commission"))"
    }

    /// CM2 of a bare `orders` row whose table may lack cost columns (`present`, lowercased): a missing one counts
    /// as 0, as in the KPI engine's `margin`.
    static func cm2SQL(columns present: Set<String>) -> String {
        gmvSQL(nil) + CostField.allCases.filter { present.contains($0.rawValue) }.map { " - " + money(nil, $0.rawValue) }.joined()
    }

    /// The snapshot's `discounts` column from an order's fields (NULL read as 0 by the caller).
    @inline(__always) static func discounts(discount: Double, points: Double) -> Double { discount + points }

    /// The snapshot's `costs` column from an order's fields (NULL read as 0 by the caller).
    @inline(__always) static func costs(cogs: Double, shipping: Double) -> Double { cogs + shipping }

    /// Net revenue from the snapshot's columns.
    @inline(__always) static func revenue(amount: Double, discounts: Double) -> Double { amount - discounts }

    /// CM2 from the snapshot's columns.
    @inline(__always) static func cm2(amount: Double, discounts: Double, costs: Double, commission: Double) -> Double {
        amount - discounts - costs - commission
    }
}
