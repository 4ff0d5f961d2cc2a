/// Which groups each customer is in, by customer key (`CustomerSummary.key`).
///
/// Indexed by number rather than by text id: at a million customers a
/// `[String: [Int]]` spent more time hashing ids and allocating arrays than the
/// fits took. A partition (one attribute) stores one group per customer; named
/// segments may overlap, so they store a bit per segment.
public enum CLVMembership: Sendable {
    /// The group index per customer key; −1 when the customer is in none.
    case partition([Int32])
    /// Bit i set when the customer is in segment i (at most `maximumSegments`).
    case segments([UInt64])

    public static let maximumSegments = 64

    /// Calls `body` with each group the customer with this key is in.
    @inline(__always)
    public func forEachGroup(ofKey key: Int32, _ body: (Int) -> Void) {
        guard key >= 0 else { return }
        switch self {
        case .partition(let group):
            if Int(key) < group.count, group[Int(key)] >= 0 { body(Int(group[Int(key)])) }
        case .segments(let masks):
            guard Int(key) < masks.count else { return }
            var mask = masks[Int(key)]
            while mask != 0 {
                body(mask.trailingZeroBitCount)
                mask &= mask - 1
            }
        }
    }

    /// True when some customer is in more than one group.
    public var overlaps: Bool {
        switch self {
        case .partition: return false
        case .segments(let masks): return masks.contains { $0.nonzeroBitCount > 1 }
        }
    }
}
