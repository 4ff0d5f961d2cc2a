/// The unit of a derived KPI's value, worked out from its formula so that
/// `define kpi r = ltv / cac` reads like the catalogue's `ltv_cac` (0.41, not 40.8%).
///
/// A value is yen^yen × count^count, where "count" is anything counted (orders,
/// customers, sessions, months). Exponents make the algebra exact: revenue / aov is
/// orders, roas × spend is yen, sessions × cvr × aov is yen. A value without
/// dimension reads one of three ways (`Plain`), and a quotient of like quantities
/// picks between a share and a ratio the way the catalogue does:
/// - count ÷ count of the same things is a share, shown as a percent (new_customers / customers), and so is a
///   conversion, orders or customers ÷ sessions (cvr); of different things it is a ratio (orders / customers,
///   1.2 orders per customer, not 120%; units / orders);
/// - yen ÷ yen from the same rows is a share (margin_rate = margin / revenue,
///   discount_rate, mall_dependence: a part of the same orders' money);
/// - yen ÷ yen from different rows is a ratio, shown as a plain number
///   (roas = revenue / spend, ltv_cac = ltv / cac);
/// - a quotient of two dimensionless values (roas / mer, f2_rate / repeat_rate) is a ratio.
struct DerivedUnit: Equatable {
    /// How a value without dimension reads.
    enum Plain: Equatable { case share, ratio, score }

    var yen: Int
    var count: Int
    var plain: Plain
    /// The CTEs the value is computed from: the "same rows" test for yen ÷ yen.
    var sources: Set<Measure.Source>
    /// What a plain count counts (`orders`, `customers`, `sessions`, …), when the value is one: the "same things"
    /// test for count ÷ count. Nil for anything else, or when it is not known.
    var counts: String? = nil

    /// The things each count KPI of the catalogue counts.
    static let countedThings: [String: String] = [
        "orders": "orders", "units": "units", "customers": "customers", "new_customers": "customers",
        "returning_customers": "customers", "active_members": "customers", "sessions": "sessions", "payback": "months",
    ]

    /// The unit of a catalogue KPI (its single output column).
    init(of def: KPIDefinition) {
        sources = Set(def.measures.map(\.source))
        plain = .ratio
        switch def.display {
        case .money: (yen, count) = (1, def.perCount ? -1 : 0)
        case .count: (yen, count, counts) = (0, 1, Self.countedThings[def.name])
        case .percent: (yen, count, plain) = (0, 0, .share)
        case .decimal: (yen, count, plain) = (0, 0, .ratio)
        case .score: (yen, count, plain) = (0, 0, .score)
        }
    }

    private init(yen: Int, count: Int, plain: Plain, sources: Set<Measure.Source>, counts: String? = nil) {
        (self.yen, self.count, self.plain, self.sources, self.counts) = (yen, count, plain, sources, counts)
    }

    var isDimensionless: Bool { yen == 0 && count == 0 }

    /// How the value is shown: yen and yen per count as money, a count as a count,
    /// a dimensionless value by its `plain`, anything else (yen², 1/orders) as a plain number.
    var display: KPIDefinition.Display {
        switch (yen, count) {
        case (1, 0), (1, -1): return .money
        case (0, 1): return .count
        case (0, 0):
            switch plain {
            case .share: return .percent
            case .ratio: return .decimal
            case .score: return .score
            }
        default: return .decimal
        }
    }

    /// a × b; a bare number (nil) keeps the other side's unit.
    static func product(_ a: DerivedUnit?, _ b: DerivedUnit?) -> DerivedUnit? {
        guard let a else { return b }
        guard let b else { return a }
        let plain: Plain
        switch (a.isDimensionless, b.isDimensionless) {
        case (true, true): plain = a.plain == .share && b.plain == .share ? .share : .ratio  // cvr × retention_rate
        case (true, false): plain = b.plain
        case (false, true): plain = a.plain
        case (false, false): plain = .ratio
        }
        // A count scaled by a share or ratio still counts the same things (customers × repeat_rate).
        let counts = a.isDimensionless ? b.counts : b.isDimensionless ? a.counts : nil
        return DerivedUnit(yen: a.yen + b.yen, count: a.count + b.count, plain: plain, sources: a.sources.union(b.sources), counts: counts)
    }

    /// a ÷ b; dividing by a bare number keeps a's unit, a number divided by a KPI is a ratio.
    static func quotient(_ a: DerivedUnit?, _ b: DerivedUnit?) -> DerivedUnit? {
        guard let b else { return a }
        let sources = b.sources.union(a?.sources ?? [])
        guard let a else { return DerivedUnit(yen: -b.yen, count: -b.count, plain: .ratio, sources: sources) }
        let yen = a.yen - b.yen, count = a.count - b.count
        let plain: Plain
        if yen != 0 || count != 0 || a.isDimensionless {
            plain = b.isDimensionless && a.isDimensionless ? .ratio : (b.isDimensionless ? a.plain : .ratio)
        } else if a.yen == 0, let things = a.counts, let per = b.counts, things != per, per != "sessions" {
            plain = .ratio  // orders per customer, units per order
        } else if a.yen == 0 || a.sources == b.sources {
            plain = .share
        } else {
            plain = .ratio
        }
        return DerivedUnit(yen: yen, count: count, plain: plain, sources: sources, counts: b.isDimensionless ? a.counts : nil)
    }

    /// a ± b: the first side's unit (a bare number takes the other side's: 1 − retention_rate is a share).
    static func sum(_ a: DerivedUnit?, _ b: DerivedUnit?) -> DerivedUnit? {
        guard let a else { return b }
        return DerivedUnit(yen: a.yen, count: a.count, plain: a.plain, sources: a.sources.union(b?.sources ?? []),
                           counts: b == nil || b?.counts == a.counts ? a.counts : nil)
    }
}
