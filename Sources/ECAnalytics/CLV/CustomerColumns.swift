/// Customer histories as columns: what `predict ltv` reads, fits and predicts from.
///
/// At a million customers an array of `CustomerSummary` values (about 120
/// bytes each, with a String that is retained and released on every copy)
/// cost more memory and time than the models. Here each field is its own
/// flat array, 24 bytes a customer, and t_x and T stay whole days: the
/// snapshot and the SQL route both count in days, so (x, t_x, T) is a triple
/// of integers that groups by sorting packed keys instead of by hashing
/// Doubles. `tx(_:)` and `T(_:)` give exactly the Doubles `CustomerSummary`
/// holds (days ÷ unit.days), so fits and predictions are the same.
public struct CustomerColumns: Sendable {
    /// The unit t_x and T are reported in.
    public var unit: CLVTimeUnit
    /// The customer's number in the customer facts (`customer_key`), −1 when not known.
    public var key: [Int32] = []
    /// Repeat purchases in calibration (purchases − 1).
    public var x: [Int32] = []
    /// t_x in days: first to last calibration purchase.
    public var recencyDays: [Int32] = []
    /// T in days: first purchase to the calibration end.
    public var ageDays: [Int32] = []
    /// Mean value of the repeat purchases; NaN when x = 0.
    public var monetaryMean: [Double] = []
    /// With a holdout (`predict validate`), per customer in column order: the holdout's purchases (merged
    /// days), spend and own CM2; empty without one.
    public var holdoutPurchases: [Int32] = []
    public var holdoutValue: [Double] = []
    public var holdoutMargin: [Double] = []
    /// Counted orders of a negative amount (refunds) the histories left out, and their amounts' sum:
    /// a refund is not a purchase (docs/metrics.md), so it is in neither x, t_x, T nor m̄.
    /// Each customer's CM2 and GMV of counted orders up to the calibration end, indexed by customer key (not by
    /// row), when the histories came from the snapshot: what `predict ltv`'s group margins are summed from.
    public var keyMargins: (cm2: [Double], gmv: [Double])?
    public var refundRows = 0
    public var refundAmount = 0.0

    /// Whether every customer has holdout figures.
    public var hasHoldout: Bool {
        holdoutPurchases.count == count && holdoutValue.count == count && holdoutMargin.count == count
    }

    public init(unit: CLVTimeUnit, capacity: Int = 0) {
        self.unit = unit
        key.reserveCapacity(capacity)
        x.reserveCapacity(capacity)
        recencyDays.reserveCapacity(capacity)
        ageDays.reserveCapacity(capacity)
        monetaryMean.reserveCapacity(capacity)
    }

    /// Columns from summaries (the SQL route, tests): t_x and T back to whole days.
    ///
    /// Summaries built from day numbers hold days ÷ unit.days, so rounding
    /// t_x · unit.days recovers the day count and `tx(_:)` gives the same Double back.
    public init(_ summaries: [CustomerSummary], unit: CLVTimeUnit = .weeks) {
        self.init(unit: unit, capacity: summaries.count)
        for s in summaries {
            append(key: s.key, x: s.x, recencyDays: Int((s.tx * unit.days).rounded()),
                   ageDays: Int((s.T * unit.days).rounded()), monetaryMean: s.monetaryMean)
        }
        // The holdout figures when every summary has them.
        if summaries.allSatisfy({ $0.holdoutPurchases != nil && $0.holdoutValue != nil && $0.holdoutMargin != nil }) {
            holdoutPurchases = summaries.map { Int32(clamping: $0.holdoutPurchases ?? 0) }
            holdoutValue = summaries.map { $0.holdoutValue ?? 0 }
            holdoutMargin = summaries.map { $0.holdoutMargin ?? 0 }
        }
    }

    public mutating func append(key k: Int32, x n: Int, recencyDays r: Int, ageDays a: Int, monetaryMean m: Double?) {
        key.append(k)
        x.append(Int32(clamping: n))
        recencyDays.append(Int32(clamping: r))
        ageDays.append(Int32(clamping: a))
        monetaryMean.append(m ?? .nan)
    }

    public var count: Int { key.count }

    /// Customers without a repeat purchase.
    public var oneTimeBuyers: Int { x.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }

    @inline(__always) public func tx(_ i: Int) -> Double { Double(recencyDays[i]) / unit.days }
    @inline(__always) public func T(_ i: Int) -> Double { Double(ageDays[i]) / unit.days }
    @inline(__always) public func mean(_ i: Int) -> Double? { monetaryMean[i].isNaN ? nil : monetaryMean[i] }

    /// Customer i as a summary (for the statements that list or split customers).
    public func summary(_ i: Int) -> CustomerSummary {
        CustomerSummary(customerID: "", key: key[i], x: Int(x[i]), tx: tx(i), T: T(i), monetaryMean: mean(i))
    }

    /// Every customer as a summary, in column order.
    public var summaries: [CustomerSummary] { (0..<count).map(summary) }
}
