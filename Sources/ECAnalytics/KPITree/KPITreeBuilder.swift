import ECStore

/// Which tree: `kpi tree revenue|gmv|margin|customer_equity`.
public enum KPITreeRoot: String, Sendable, CaseIterable {
    case revenue, gmv, margin, customerEquity = "customer_equity"
}

/// Builds the trees from two periods' figures. Every value is a sum of rows or a
/// ratio of two sums, so the products and sums reproduce the root exactly.
enum KPITreeBuilder {
    static func tree(_ root: KPITreeRoot, _ a: PeriodFigures, _ b: PeriodFigures) -> [KPITreeNode] {
        switch root {
        case .revenue: return revenue(a, b)
        case .gmv: return gmv(a, b)
        case .margin: return [margin(a, b)]
        case .customerEquity: return [customerEquity(a, b)]
        }
    }

    /// A ratio with a zero denominator is undefined (nil, shown blank), as `kpi` leaves AOV blank for a
    /// period without orders: 0 would read as orders worth ¥0.
    private static func ratio(_ x: Double, _ y: Double) -> Double? { y != 0 ? x / y : nil }

    /// customers = new + returning, as a sum node.
    private static func customers(_ a: PeriodFigures, _ b: PeriodFigures) -> KPITreeNode {
        KPITreeNode("customers", .count, a.customers, b.customers, formula: "new_customers + returning_customers",
                    combination: .sum, children: [
                        KPITreeNode("new_customers", .count, a.newCustomers, b.newCustomers),
                        KPITreeNode("returning_customers", .count, a.returningCustomers, b.returningCustomers)])
    }

    /// revenue = sessions × cvr × aov (with traffic) and revenue = customers × orders per customer × aov.
    static func revenue(_ a: PeriodFigures, _ b: PeriodFigures) -> [KPITreeNode] {
        let aov = KPITreeNode("aov", .money, ratio(a.revenue, a.orders), ratio(b.revenue, b.orders))
        var trees: [KPITreeNode] = []
        if let sa = a.sessions, let sb = b.sessions {
            trees.append(KPITreeNode("revenue", .money, a.revenue, b.revenue, formula: "sessions × cvr × aov", children: [
                KPITreeNode("sessions", .count, sa, sb),
                KPITreeNode("cvr", .percent, ratio(a.orders, sa), ratio(b.orders, sb)),
                aov]))
        }
        trees.append(KPITreeNode("revenue", .money, a.revenue, b.revenue, formula: "customers × orders_per_customer × aov",
                                 children: [customers(a, b),
                                            KPITreeNode("orders_per_customer", .ratio, ratio(a.orders, a.customers),
                                                        ratio(b.orders, b.customers)),
                                            aov]))
        return trees
    }

    /// gmv = orders × aov_gross, orders = customers × orders per customer; gmv = mall + own.
    static func gmv(_ a: PeriodFigures, _ b: PeriodFigures) -> [KPITreeNode] {
        let orders = KPITreeNode("orders", .count, a.orders, b.orders, formula: "customers × orders_per_customer", children: [
            customers(a, b),
            KPITreeNode("orders_per_customer", .ratio, ratio(a.orders, a.customers), ratio(b.orders, b.customers))])
        return [
            KPITreeNode("gmv", .money, a.gmv, b.gmv, formula: "orders × aov_gross", children: [
                orders, KPITreeNode("aov_gross", .money, ratio(a.gmv, a.orders), ratio(b.gmv, b.orders))]),
            KPITreeNode("gmv", .money, a.gmv, b.gmv, formula: "mall_gmv + own_gmv", combination: .sum, children: [
                KPITreeNode("mall_gmv", .money, a.mallGMV, b.mallGMV),
                KPITreeNode("own_gmv", .money, a.gmv - a.mallGMV, b.gmv - b.mallGMV)]),
        ]
    }

    /// margin (CM2) = gmv − discounts − points − cogs − shipping − commission.
    static func margin(_ a: PeriodFigures, _ b: PeriodFigures) -> KPITreeNode {
        let costs: [(String, Double, Double)] = [
            ("discounts", a.discount, b.discount), ("points", a.points, b.points), ("cogs", a.cogs, b.cogs),
            ("shipping", a.shipping, b.shipping), ("commission", a.commission, b.commission)]
        return KPITreeNode("margin", .money, a.margin, b.margin,
                           formula: "gmv − discounts − points − cogs − shipping − commission", combination: .sum,
                           children: [KPITreeNode("gmv", .money, a.gmv, b.gmv)]
                               + costs.map { KPITreeNode($0.0, .money, $0.1, $0.2, sign: -1) })
    }

    /// customer_equity_12m: the margin the active members brought in the trailing window,
    /// = active_members × orders per member × margin per order (historical, not a model).
    static func customerEquity(_ a: PeriodFigures, _ b: PeriodFigures) -> KPITreeNode {
        KPITreeNode("customer_equity_12m", .money, a.memberMargin, b.memberMargin,
                    formula: "active_members × orders_per_member × margin_per_order", children: [
                        KPITreeNode("active_members", .count, a.members, b.members, formula: "new_members + returning_members",
                                    combination: .sum, children: [
                                        KPITreeNode("new_members", .count, a.newMembers, b.newMembers),
                                        KPITreeNode("returning_members", .count, a.returningMembers, b.returningMembers)]),
                        KPITreeNode("orders_per_member", .ratio, ratio(a.memberOrders, a.members), ratio(b.memberOrders, b.members)),
                        KPITreeNode("margin_per_order", .money, ratio(a.memberMargin, a.memberOrders),
                                    ratio(b.memberMargin, b.memberOrders))])
    }
}
