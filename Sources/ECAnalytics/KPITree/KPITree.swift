import Foundation

/// A KPI's decomposition as a tree, with each node's value in two periods.
///
/// Children combine into their parent in one of two ways: as factors of a product
/// (revenue = sessions × CVR × AOV) or as terms of a sum (margin = GMV − discounts − …).
/// How much of the parent's change a child explains is, for a product, its share of
/// the log change (ln(x₁/x₀) / ln(y₁/y₀): the shares add up to 100% exactly), and for
/// a sum, its signed change over the parent's change (these add up to 100% too).
public struct KPITreeNode: Sendable {
    public enum Combination: Sendable { case product, sum }
    public enum Unit: String, Sendable { case money, count, percent, ratio }

    public var name: String
    /// How the children make this node, as shown ("sessions × cvr × aov"); empty for a leaf.
    public var formula: String
    public var unit: Unit
    /// nil for a ratio with a zero denominator (AOV of a period without orders): undefined, not 0.
    public var previous: Double?
    public var current: Double?
    /// −1 for a term subtracted from its parent (discounts in margin).
    public var sign: Double
    public var combination: Combination
    public var children: [KPITreeNode]

    init(_ name: String, _ unit: Unit, _ previous: Double?, _ current: Double?, sign: Double = 1,
         formula: String = "", combination: Combination = .product, children: [KPITreeNode] = []) {
        self.name = name
        self.formula = formula
        self.unit = unit
        self.previous = previous
        self.current = current
        self.sign = sign
        self.combination = combination
        self.children = children
    }

    /// current / previous − 1, nil when the previous value is 0 or either is undefined.
    public var change: Double? {
        guard let previous, let current, previous != 0 else { return nil }
        return current / previous - 1
    }

    /// The share of `parent`'s change this node explains, nil when it cannot be said (no change, a zero).
    func explains(in parent: KPITreeNode) -> Double? {
        switch parent.combination {
        case .product:
            guard let previous, let current, let p0 = parent.previous, let p1 = parent.current,
                  previous > 0, current > 0, p0 > 0, p1 > 0, p1 != p0 else { return nil }
            return log(current / previous) / log(p1 / p0)
        case .sum:
            guard let previous, let current, let p0 = parent.previous, let p1 = parent.current, p1 != p0 else { return nil }
            return sign * (current - previous) / (p1 - p0)
        }
    }
}
