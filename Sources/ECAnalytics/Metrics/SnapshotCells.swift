/// The snapshot pass's accumulators over cells (period slot × combination of
/// dimension values), addressed by measure rather than by position, so that
/// adding or reordering a measure cannot make one column read another's sums.
struct SnapshotCells {
    /// Order-level sums (money and units).
    enum Sum: Int, MeasureSlot {
        case gmv, revenue, units, margin, commission, discounts, mallGMV

        var measure: Measure {
            switch self {
            case .gmv: return .gmv
            case .revenue: return .revenue
            case .units: return .units
            case .margin: return .margin
            case .commission: return .commission
            case .discounts: return .discounts
            case .mallGMV: return .mall_gmv
            }
        }
    }

    /// Counts of orders and of customers (each customer once per cell).
    enum Count: Int, MeasureSlot {
        case orders, customers, newCustomers, returningCustomers, f2New, f2Converted, retained

        var measure: Measure {
            switch self {
            case .orders: return .orders
            case .customers: return .customers
            case .newCustomers: return .new_customers
            case .returningCustomers: return .returning_customers
            case .f2New: return .f2_new
            case .f2Converted: return .f2_converted
            case .retained: return .retained
            }
        }
    }

    /// +1/−1 events whose running sum is a stock at each period end.
    enum Event: Int, MeasureSlot {
        case everCustomers, repeatCustomers, activeMembers

        var measure: Measure {
            switch self {
            case .everCustomers: return .ever_customers
            case .repeatCustomers: return .repeat_customers
            case .activeMembers: return .active_members
            }
        }
    }

    /// Orders per cell (history included) and orders inside the shown range.
    var lines: [Int32], inRange: [Int32]
    private var sums: [[Double]]
    private var counts: [[Int32]]
    private(set) var events: [[Int32]]

    init(cells: Int) {
        lines = .init(repeating: 0, count: cells)
        inRange = lines
        sums = .init(repeating: .init(repeating: 0, count: cells), count: Sum.allCases.count)
        counts = .init(repeating: .init(repeating: 0, count: cells), count: Count.allCases.count)
        events = .init(repeating: .init(repeating: 0, count: cells), count: Event.allCases.count)
    }

    @inline(__always) mutating func add(_ s: Sum, _ cell: Int, _ value: Double) { sums[s.rawValue][cell] += value }
    @inline(__always) mutating func add(_ c: Count, _ cell: Int) { counts[c.rawValue][cell] += 1 }
    @inline(__always) mutating func add(_ e: Event, _ cell: Int, _ delta: Int32) { events[e.rawValue][cell] += delta }

    subscript(_ s: Sum, _ cell: Int) -> Double { sums[s.rawValue][cell] }
    subscript(_ c: Count, _ cell: Int) -> Int32 { counts[c.rawValue][cell] }
}

/// A slot of `SnapshotCells` named by the measure it accumulates; the slot for a
/// measure is found from that naming, so it is written once per slot kind.
protocol MeasureSlot: CaseIterable {
    var measure: Measure { get }
}

extension MeasureSlot {
    init?(_ measure: Measure) {
        guard let slot = Self.allCases.first(where: { $0.measure == measure }) else { return nil }
        self = slot
    }
}
