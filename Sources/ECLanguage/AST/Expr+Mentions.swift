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
