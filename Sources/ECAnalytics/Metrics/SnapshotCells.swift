import CSQLite
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

    /// Cells (period slots × combinations).
    let count: Int
    /// Every counter in one buffer: lines, in-range lines, the counts, then the events,
    /// `count` each; every sum in another. Plain memory rather than arrays of arrays: the
    /// snapshot pass adds to a dozen of them per order, and each `array[i][j] += x` on
    /// nested arrays re-checks that both levels are uniquely referenced.
    private let counters: PlainBuffer<Int32>
    private let sums: PlainBuffer<Double>
    private static let countersBefore = 2, eventsBefore = 2 + Count.allCases.count

    /// Cells share their storage when copied (the pass fills one set and hands it on).
    init(cells: Int) {
        count = cells
        counters = PlainBuffer(repeating: 0, count: cells * (Self.eventsBefore + Event.allCases.count))
        sums = PlainBuffer(repeating: 0, count: cells * Sum.allCases.count)
    }

    /// One more order in `cell`; `inRange`: its day is inside the shown range.
    @inline(__always) func addLine(_ cell: Int, inRange: Bool) {
        precondition(cell >= 0 && cell < count, "snapshot cell out of range")
        counters[cell] += 1
        if inRange { counters[count + cell] += 1 }
    }
    @inline(__always) func add(_ s: Sum, _ cell: Int, _ value: Double) {
        precondition(cell >= 0 && cell < count, "snapshot cell out of range")
        sums[s.rawValue * count + cell] += value
    }
    @inline(__always) func add(_ c: Count, _ cell: Int) {
        precondition(cell >= 0 && cell < count, "snapshot cell out of range")
        counters[(Self.countersBefore + c.rawValue) * count + cell] += 1
    }
    @inline(__always) func add(_ e: Event, _ cell: Int, _ delta: Int32) {
        precondition(cell >= 0 && cell < count, "snapshot cell out of range")
        counters[(Self.eventsBefore + e.rawValue) * count + cell] += delta
    }

    /// Orders per cell (history included) and orders inside the shown range.
    func lines(_ cell: Int) -> Int32 { counters[cell] }
    func inRange(_ cell: Int) -> Int32 { counters[count + cell] }
    subscript(_ s: Sum, _ cell: Int) -> Double { sums[s.rawValue * count + cell] }
    subscript(_ c: Count, _ cell: Int) -> Int32 { counters[(Self.countersBefore + c.rawValue) * count + cell] }
    subscript(_ e: Event, _ cell: Int) -> Int32 { counters[(Self.eventsBefore + e.rawValue) * count + cell] }
}

/// A fixed-size buffer of plain values, zero-cost to index in a hot loop (no copy-on-write
/// check; a `let` reference, so no exclusivity check either), bounds still checked.
final class PlainBuffer<T: BitwiseCopyable> {
    let count: Int
    private let base: UnsafeMutablePointer<T>

    init(repeating value: T, count: Int) {
        self.count = count
        base = .allocate(capacity: max(1, count))
        base.initialize(repeating: value, count: count)
    }

    deinit { base.deallocate() }

    /// Starts bringing element `i` into the cache (nothing when out of range).
    @inline(__always) func prefetch(_ i: Int) {
        if i >= 0 && i < count { ecsh_prefetch(base + i) }
    }

    subscript(i: Int) -> T {
        @inline(__always) get {
            precondition(i >= 0 && i < count, "index out of range")
            return base[i]
        }
        @inline(__always) set {
            precondition(i >= 0 && i < count, "index out of range")
            base[i] = newValue
        }
    }
}

/// Per-state memory of a pass (`SnapshotPass.Tally`): the last period slot in which a customer
/// (and order key) was seen, kept as slot + 1 (0: not yet seen). Read and written at random, once
/// per order, so the narrowest store that holds every slot is the fastest (`SnapshotPass.run`).
protocol SeenSlots: AnyObject {
    /// The most slots the store tells apart.
    static var maxSlots: Int { get }
    init(states: Int)
    /// slot + 1 of the last period state `i` was seen in; 0: never.
    func seen(_ i: Int) -> Int
    /// Records that state `i` was seen in slot `slot` (< `maxSlots`).
    func mark(_ i: Int, slot: Int)
    func prefetch(_ i: Int)
}

extension PlainBuffer: SeenSlots where T: FixedWidthInteger & UnsignedInteger {
    static var maxSlots: Int { Int(T.max) - 1 }
    convenience init(states: Int) { self.init(repeating: 0, count: states) }
    @inline(__always) func seen(_ i: Int) -> Int { Int(self[i]) }
    @inline(__always) func mark(_ i: Int, slot: Int) { self[i] = T(truncatingIfNeeded: slot + 1) }
}

/// A pass of one period keeps a bit per state: seen or not. At 5M customers by a column of 7
/// values that is 4.4 MB read at random (35 MB as bytes), and the total row's 640 KB stays in cache.
final class SeenBits: SeenSlots {
    static var maxSlots: Int { 1 }
    /// The words themselves, not a `PlainBuffer`: one pointer fewer to follow per order.
    private let words: UnsafeMutablePointer<UInt64>
    private let states: Int
    init(states: Int) {
        self.states = states
        let count = max(1, (states + 63) / 64)
        words = .allocate(capacity: count)
        words.initialize(repeating: 0, count: count)
    }
    deinit { words.deallocate() }
    @inline(__always) func seen(_ i: Int) -> Int {
        precondition(i >= 0 && i < states, "state out of range")
        return Int(truncatingIfNeeded: words[i >> 6] >> UInt64(i & 63)) & 1
    }
    @inline(__always) func mark(_ i: Int, slot: Int) {
        precondition(i >= 0 && i < states && slot == 0, "a bit holds one period of the states")
        words[i >> 6] |= 1 << UInt64(i & 63)
    }
    @inline(__always) func prefetch(_ i: Int) { if i >= 0 && i < states { ecsh_prefetch(words + (i >> 6)) } }
}

/// Starts bringing element `i` of `array` into the cache (nothing when out of range): a hint for
/// per-customer arrays read at random, once per order, in passes over the snapshot's day-ordered
/// orders (`OrderStream.forEach`'s `prefetch`).
@inline(__always) func prefetchElement<T>(_ array: [T], _ i: Int) {
    array.withUnsafeBufferPointer { if i >= 0 && i < $0.count { ecsh_prefetch($0.baseAddress! + i) } }
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
