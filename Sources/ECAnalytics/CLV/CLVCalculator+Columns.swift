import Foundation
import Synchronization

/// CLV over column histories: the horizon's ₂F₁ sums once per (x, T), P(alive) per customer.
///
/// In BG/NBD, MBG/NBD and Pareto/NBD alike, E[Y(t) | x, t_x, T] factors into
/// "expected purchases if alive at T", which depends on x and T only, times
/// P(alive | x, t_x, T). The first factor is where the cost is (a ₂F₁ per month
/// of the horizon); T takes one value per acquisition day, so a million
/// customers share a few tens of thousands of (x, T) pairs. P(alive) is one
/// exp and two logs, cheaper per customer than hashing the triple to cache it.
extension CLVCalculator {
    /// One customer's predictions, without the customer (the columns hold it).
    public struct Forecast: Sendable, Equatable {
        public var probabilityAlive: Double
        /// Expected purchases over the whole horizon (undiscounted).
        public var expectedPurchases: Double
        public var expectedSpend: Double
        public var clv: Double
    }

    /// The per-(x, T) parts for every customer in `c`, computed in parallel over the pairs.
    public func forwardTable(_ c: CustomerColumns) -> ForwardTable {
        var table = ForwardTable(c)
        let pairs = table.pairs
        let chunk = 256
        let chunks = (pairs.count + chunk - 1) / chunk
        let results = Mutex<[[ForwardTable.Parts]?]>(Array(repeating: nil, count: chunks))
        let unit = c.unit
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            let parts = pairs[k * chunk..<min(pairs.count, (k + 1) * chunk)].map { pair in
                let x = Int(pair.x), T = Double(pair.age) / unit.days
                let sums = monthlySums { transactions.expectedPurchasesIfAlive(t: $0, x: x, T: T) }
                return ForwardTable.Parts(discounted: sums.discounted, total: sums.total,
                                          aliveOneTime: x == 0 ? transactions.probabilityAlive(x: 0, tx: 0, T: T) : .nan)
            }
            results.withLock { $0[k] = parts }
        }
        table.parts = results.withLock { $0.flatMap { $0 ?? [] } }
        return table
    }

    /// Customer i's predictions, from its (x, T) parts in `table`.
    @inline(__always)
    public func forecast(_ c: CustomerColumns, _ i: Int, table: ForwardTable) -> Forecast {
        let x = Int(c.x[i])
        let parts = table.parts[table.index(x: c.x[i], age: c.ageDays[i])]
        let alive = x == 0 && c.recencyDays[i] == 0 ? parts.aliveOneTime
            : transactions.probabilityAlive(x: x, tx: c.tx(i), T: c.T(i))
        let expectedSpend = spend.expectedSpend(x: x, monetaryMean: c.mean(i))
        return Forecast(probabilityAlive: alive, expectedPurchases: alive * parts.total, expectedSpend: expectedSpend,
                        clv: alive * parts.discounted * expectedSpend * margin)
    }
}

/// Expected purchases if alive over the horizon (discounted and total) per distinct (x, T days).
///
/// Pairs are found through a grid indexed by x and age when it is small
/// (x up to a few hundred, ages over a few years: tens of thousands of
/// cells), and through a dictionary for the rare x beyond the grid.
public struct ForwardTable: Sendable {
    public struct Parts: Sendable {
        public var discounted: Double
        public var total: Double
        /// P(alive) of a one-time buyer (x = 0, t_x = 0) at this T; NaN for x > 0.
        public var aliveOneTime: Double
    }

    /// The grid holds at most this many cells (16 MB of Int32).
    static let maximumGridCells = 1 << 22

    private let minAge: Int32
    private let ageSpan: Int
    private let gridX: Int32
    private var grid: [Int32]
    private var beyondGrid: [Int64: Int32] = [:]
    /// Distinct (x, age) pairs in the order first met.
    public private(set) var pairs: [(x: Int32, age: Int32)] = []
    /// Parts per pair, in the order of `pairs`.
    public internal(set) var parts: [Parts] = []

    init(_ c: CustomerColumns) {
        let ages = c.ageDays.min().map { ($0, c.ageDays.max() ?? $0) } ?? (0, 0)
        minAge = ages.0
        ageSpan = Int(ages.1) - Int(ages.0) + 1
        let maxX = Int(c.x.max() ?? 0)
        gridX = Int32(max(-1, min(maxX, Self.maximumGridCells / ageSpan - 1)))
        grid = Array(repeating: -1, count: (Int(gridX) + 1) * ageSpan)
        for i in 0..<c.count { add(x: c.x[i], age: c.ageDays[i]) }
    }

    private mutating func add(x: Int32, age: Int32) {
        if x >= 0, x <= gridX {
            let cell = Int(x) * ageSpan + Int(age - minAge)
            if grid[cell] < 0 {
                grid[cell] = Int32(pairs.count)
                pairs.append((x, age))
            }
        } else if beyondGrid[Self.sparseKey(x, age)] == nil {
            beyondGrid[Self.sparseKey(x, age)] = Int32(pairs.count)
            pairs.append((x, age))
        }
    }

    private static func sparseKey(_ x: Int32, _ age: Int32) -> Int64 { Int64(x) << 32 | Int64(UInt32(bitPattern: age)) }

    /// The index in `parts` of a pair met while building.
    @inline(__always)
    func index(x: Int32, age: Int32) -> Int {
        if x >= 0, x <= gridX { return Int(grid[Int(x) * ageSpan + Int(age - minAge)]) }
        return Int(beyondGrid[Self.sparseKey(x, age)] ?? 0)
    }
}
