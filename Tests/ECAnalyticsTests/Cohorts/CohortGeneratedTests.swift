import Testing
import ECStore
import ECLanguage
@testable import ECAnalytics

/// A seeded random shop; every matrix cell is recomputed in plain Swift over
/// the generated rows (Foundation calendar, sets of customers) and compared.
@Suite struct CohortGeneratedTests {
    struct Shop {
        var db: Database
        var orders: [OrderFixture]
        var days: [Int]
    }

    static func makeShop(seed: UInt64) throws -> Shop {
        var rng = SeededRandom(seed: seed)
        let start = 19_358  // 2023-01-01
        var orders: [OrderFixture] = [], days: [Int] = []
        let statuses: [String?] = [nil, nil, nil, "shipped", "cancelled", "returned"]
        let channels: [String?] = ["own", "rakuten", "amazon", nil]
        for c in 0..<220 {
            var day = start + Int.random(in: 0..<600, using: &rng)
            let count = Int.random(in: 1...7, using: &rng)
            // Orders stop at day start + 700 so recent cohorts run past the data's end.
            for _ in 0..<count where day <= start + 700 {
                let amount = Double(Int.random(in: 10...300, using: &rng))
                func maybe(_ x: Double) -> Double? { Int.random(in: 0..<5, using: &rng) == 0 ? nil : x }
                orders.append(OrderFixture(
                    id: "o\(orders.count)", customer: "c\(c)", date: ReferenceCalendar.dateText(ofDay: day), amount: amount,
                    channel: channels.randomElement(using: &rng)!, status: statuses.randomElement(using: &rng)!,
                    discount: maybe(Double(Int.random(in: 0...20, using: &rng))), points: maybe(1),
                    cogs: maybe(amount * 0.3), shipping: maybe(5), commission: maybe(amount * 0.1)))
                days.append(day)
                day += Int.random(in: 0...120, using: &rng)
            }
        }
        return Shop(db: try Workspace.create(orders: orders), orders: orders, days: days)
    }

    /// The reference matrix: [label: cells] plus the average row, straight from the definitions.
    static func reference(_ shop: Shop, unit: PeriodUnit, measure: CohortMeasure, mode: RetentionMode,
                          cumulative: Bool, periods n: Int, byChannel: Bool) -> (rows: [String?: [Double?]], sizes: [String?: Int], average: [Double?]) {
        let lastOrdinal = ReferenceCalendar.period(unit, ofDay: shop.days.max()!).ordinal
        // Counted orders per customer, sorted by (day, ordered_at = date).
        var byCustomer: [String: [(ordinal: Int, order: OrderFixture, day: Int)]] = [:]
        for (o, day) in zip(shop.orders, shop.days) where !["cancelled", "returned", "refunded"].contains(o.status ?? "") {
            byCustomer[o.customer, default: []].append((ReferenceCalendar.period(unit, ofDay: day).ordinal, o, day))
        }
        var numerators: [String?: [Double]] = [:], covered: [String?: [Double]] = [:], sizes: [String?: Int] = [:]
        for (_, list) in byCustomer {
            let sorted = list.sorted { ($0.day, Int($0.order.id.dropFirst())!) < ($1.day, Int($1.order.id.dropFirst())!) }
            let first = sorted[0]
            let cohort: String? = byChannel ? first.order.channel : ReferenceCalendar.period(unit, ofDay: first.day).label
            sizes[cohort, default: 0] += 1
            var num = numerators[cohort] ?? Array(repeating: 0, count: n + 1)
            var cov = covered[cohort] ?? Array(repeating: 0, count: n + 1)
            for k in 0...n where first.ordinal + k <= lastOrdinal {
                cov[k] += 1
                let target = first.ordinal + k
                switch measure {
                case .retention, .customers:
                    let effective = cumulative ? RetentionMode.cumulative : mode
                    let counts: Bool
                    switch effective {
                    case .on: counts = sorted.contains { $0.ordinal == target }
                    case .onOrAfter: counts = sorted.contains { $0.ordinal >= target }
                    case .cumulative: counts = sorted.count >= 2 && sorted[1].ordinal <= target
                    }
                    if counts { num[k] += 1 }
                case .orders, .revenue, .margin:
                    for entry in sorted where cumulative ? entry.ordinal <= target : entry.ordinal == target {
                        let o = entry.order
                        let revenue = o.amount - (o.discount ?? 0) - (o.points ?? 0)
                        switch measure {
                        case .orders: num[k] += 1
                        case .revenue: num[k] += revenue
                        default: num[k] += revenue - (o.cogs ?? 0) - (o.shipping ?? 0) - (o.commission ?? 0)
                        }
                    }
                }
            }
            numerators[cohort] = num
            covered[cohort] = cov
        }
        var rows: [String?: [Double?]] = [:]
        var avgNum = Array(repeating: 0.0, count: n + 1), avgDen = avgNum
        for (cohort, num) in numerators {
            let cov = covered[cohort]!
            rows[cohort] = (0...n).map { k in
                guard cov[k] > 0 else { return nil }
                let v = measure == .customers ? num[k] : num[k] / cov[k]
                avgNum[k] += v * cov[k]
                avgDen[k] += cov[k]
                return v
            }
        }
        return (rows, sizes, (0...n).map { avgDen[$0] > 0 ? avgNum[$0] / avgDen[$0] : nil })
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var unit: PeriodUnit, measure: CohortMeasure, mode: RetentionMode, cumulative: Bool, byChannel: Bool
        var testDescription: String { "\(unit) \(measure) \(mode) cumulative=\(cumulative) channel=\(byChannel)" }
    }

    static let cases: [Case] = {
        var all: [Case] = []
        for unit in PeriodUnit.allCases {
            for mode in RetentionMode.allCases { all.append(Case(unit: unit, measure: .retention, mode: mode, cumulative: false, byChannel: false)) }
            for measure in [CohortMeasure.orders, .revenue, .margin] {
                for cumulative in [false, true] { all.append(Case(unit: unit, measure: measure, mode: .on, cumulative: cumulative, byChannel: false)) }
            }
        }
        all.append(Case(unit: .month, measure: .customers, mode: .onOrAfter, cumulative: false, byChannel: false))
        all.append(Case(unit: .month, measure: .retention, mode: .on, cumulative: false, byChannel: true))
        all.append(Case(unit: .month, measure: .retention, mode: .cumulative, cumulative: false, byChannel: true))
        all.append(Case(unit: .month, measure: .margin, mode: .on, cumulative: true, byChannel: true))
        return all
    }()

    @Test(arguments: cases)
    func everyCellMatchesPlainSwift(_ c: Case) throws {
        let shop = try Self.makeShop(seed: 20_240_501)
        let periods = c.unit == .week ? 30 : 8
        let grouping: CohortGrouping = c.byChannel ? .attribute(.firstChannel) : .period(c.unit)
        let m = try CohortEngine(shop.db).run(CohortQuery(
            measure: c.measure, cumulative: c.cumulative, grouping: grouping, mode: c.mode, periods: periods,
            orders: Workspace.counted, offsetUnit: c.unit, spendTable: nil))
        let expected = Self.reference(shop, unit: c.unit, measure: c.measure, mode: c.mode, cumulative: c.cumulative,
                                      periods: periods, byChannel: c.byChannel)
        #expect(m.rows.count == expected.rows.count)
        let labels = m.rows.map(\.label)
        let sorted = labels.sorted { a, b in
            guard let a, let b else { return b == nil && a != nil }
            return a < b
        }
        #expect(labels == sorted)
        var sawEmpty = false
        for row in m.rows {
            #expect(row.size == expected.sizes[row.label], "\(String(describing: row.label))")
            guard let cells = expected.rows[row.label] else { Issue.record("unexpected cohort \(String(describing: row.label))"); continue }
            for (k, (a, e)) in zip(row.cells, cells).enumerated() {
                if e == nil { sawEmpty = true }
                #expect(a.map { abs($0 - e!) < 1e-6 } ?? (e == nil), "\(String(describing: row.label)) offset \(k): \(String(describing: a)) vs \(String(describing: e))")
            }
        }
        for (k, (a, e)) in zip(m.average, expected.average).enumerated() {
            #expect(a.map { abs($0 - e!) < 1e-6 } ?? (e == nil), "average offset \(k)")
        }
        if !c.byChannel { #expect(sawEmpty, "recent cohorts must have empty cells after the data's end") }
    }
}
