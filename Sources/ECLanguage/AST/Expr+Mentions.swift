extension Expr {
    /// Whether an identifier with this folded name appears anywhere in the expression
    /// (used to refuse dropping a segment that another segment's definition uses).
    public func mentions(_ folded: String) -> Bool {
        switch kind {
        case .literal: return false
        case .identifier(let id): return id.folded == folded
        case .negate(let e), .not(let e): return e.mentions(folded)
        case .binary(_, let a, let b): return a.mentions(folded) || b.mentions(folded)
        case .inList(let e, let list, _): return e.mentions(folded) || list.contains { $0.mentions(folded) }
        case .between(let e, let lo, let hi, _): return e.mentions(folded) || lo.mentions(folded) || hi.mentions(folded)
        case .like(let e, let p, _): return e.mentions(folded) || p.mentions(folded)
        case .isNull(let e, _): return e.mentions(folded)
        }
    }
}

extension Expr {
    /// Whether the expression negates anything (`not`, `!=`, `not in`, `not between`, `not like`): where an
    /// operand is null SQL's answer is unknown, so such a row is in neither the expression nor its opposite.
    public var negates: Bool {
        switch kind {
        case .literal, .identifier: return false
        case .not: return true
        case .negate(let e): return e.negates
        case .binary(let op, let a, let b): return op == .notEqual || a.negates || b.negates
        case .inList(let e, let list, let negated): return negated || e.negates || list.contains { $0.negates }
        case .between(let e, let lo, let hi, let negated): return negated || e.negates || lo.negates || hi.negates
        case .like(let e, let p, let negated): return negated || e.negates || p.negates
        case .isNull(let e, _): return e.negates
        }
    }

    /// The empty text literals compared with something (`region = ''`, `region in ('Osaka', '')`): an empty field
    /// is loaded as null, so they match no row.
    public var emptyTextComparisons: [Expr] {
        switch kind {
        case .literal(.string(let s)): return s.isEmpty ? [self] : []
        case .literal, .identifier, .isNull: return []
        case .not(let e), .negate(let e): return e.emptyTextComparisons
        case .binary(let op, let a, let b): return op == .and || op == .or || op.isComparison ? a.emptyTextComparisons + b.emptyTextComparisons : []
        case .inList(let e, let list, _): return e.emptyTextComparisons + list.flatMap(\.emptyTextComparisons)
        case .between(let e, let lo, let hi, _): return e.emptyTextComparisons + lo.emptyTextComparisons + hi.emptyTextComparisons
        case .like(let e, let p, _): return e.emptyTextComparisons + p.emptyTextComparisons
        }
    }
}

extension Expr {
    /// The folded names of the identifiers in the expression.
    public var identifiers: Set<String> {
        switch kind {
        case .literal: return []
        case .identifier(let id): return [id.folded]
        case .negate(let e), .not(let e), .isNull(let e, _): return e.identifiers
        case .binary(_, let a, let b), .like(let a, let b, _): return a.identifiers.union(b.identifiers)
        case .inList(let e, let list, _): return list.reduce(e.identifiers) { $0.union($1.identifiers) }
        case .between(let e, let lo, let hi, _): return e.identifiers.union(lo.identifiers).union(hi.identifiers)
        }
    }

    /// Whether the expression may be null where every identifier it reads has a value: it holds a `null`
    /// literal or a division (by zero).
    public var mayBeNullWithValues: Bool {
        switch kind {
        case .literal(let l): return l == .null
        case .identifier: return false
        case .negate(let e), .not(let e), .isNull(let e, _): return e.mayBeNullWithValues
        case .binary(let op, let a, let b): return op == .divide || a.mayBeNullWithValues || b.mayBeNullWithValues
        case .like(let a, let b, _): return a.mayBeNullWithValues || b.mayBeNullWithValues
        case .inList(let e, let list, _): return e.mayBeNullWithValues || list.contains { $0.mayBeNullWithValues }
        case .between(let e, let lo, let hi, _): return [e, lo, hi].contains { $0.mayBeNullWithValues }
        }
    }
}
