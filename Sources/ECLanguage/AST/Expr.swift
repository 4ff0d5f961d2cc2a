/// An expression (named `Expr` because Foundation has an `Expression`) in a segment definition, a `where` filter or a `define kpi` formula.
public struct Expr: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case literal(Literal)
        case identifier(Identifier)
        /// `- x`
        case negate(Expr)
        /// `not x`
        case not(Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `x [not] in (a, b, …)`
        case inList(Expr, [Expr], negated: Bool)
        /// `x [not] between low and high`
        case between(Expr, low: Expr, high: Expr, negated: Bool)
        /// `x [not] like pattern`
        case like(Expr, pattern: Expr, negated: Bool)
        /// `x is [not] null`
        case isNull(Expr, negated: Bool)
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// A binary operator, from loosest to tightest: or; and; comparisons; + -; * /.
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case or, and
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/"

    public var isComparison: Bool { ComparisonOperator(rawValue: rawValue) != nil }
}

/// A comparison, as used by `target` and in predicates.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}
