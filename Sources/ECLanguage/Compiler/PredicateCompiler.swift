import ECStore

/// What a name in a predicate stands for.
public enum ResolvedName: Sendable, Equatable {
    /// A column or computed attribute: SQL text such as `"c"."revenue"` (already quoted by the resolver).
    case column(SQLFragment)
    /// A named segment: its already-compiled predicate, used in parentheses.
    case segment(SQLFragment)
}

/// Maps a name to what it stands for, or throws a located `Diagnostic` (use `Diagnostic.unknownName` for did-you-mean).
public protocol NameResolver {
    func resolve(_ name: Identifier) throws(Diagnostic) -> ResolvedName
}

/// A resolver from a closure.
public struct ClosureNameResolver: NameResolver {
    let body: (Identifier) throws(Diagnostic) -> ResolvedName
    public init(_ body: @escaping (Identifier) throws(Diagnostic) -> ResolvedName) { self.body = body }
    public func resolve(_ name: Identifier) throws(Diagnostic) -> ResolvedName { try body(name) }
}

/// Compiles a predicate or formula to SQL text with `?` placeholders and bound values.
///
/// Values are always bound and names always come from the resolver (which quotes them),
/// so no input reaches the SQL text unquoted. Durations bind as days (30 per month,
/// 7 per week, 365 per year), months as 'YYYY-MM' text, dates as 'YYYY-MM-DD' text.
/// Every sub-expression is parenthesized, so SQL precedence never differs from ecsh's.
public struct PredicateCompiler {
    public var dialect: SQLDialect
    public var resolver: any NameResolver

    public init(dialect: SQLDialect = .sqlite, resolver: any NameResolver) {
        self.dialect = dialect
        self.resolver = resolver
    }

    /// The SQL of an expression.
    public func compile(_ expr: Expr) throws(Diagnostic) -> SQLFragment {
        switch expr.kind {
        case .literal(let literal):
            return dialect.placeholder(dialect.value(of: literal))
        case .identifier(let name):
            switch try resolver.resolve(name) {
            case .column(let sql): return sql
            case .segment(let predicate): return SQLFragment("(") + predicate + SQLFragment(")")
            }
        case .negate(let operand):
            return SQLFragment("(-") + (try compile(operand)) + SQLFragment(")")
        case .not(let operand):
            return SQLFragment("(NOT ") + (try compile(operand)) + SQLFragment(")")
        case .binary(let op, let left, let right):
            return SQLFragment("(") + (try compile(left)) + SQLFragment(" \(dialect.spelling(op)) ") + (try compile(right)) + SQLFragment(")")
        case .inList(let subject, let items, let negated):
            var parts: [SQLFragment] = []
            for item in items { parts.append(try compile(item)) }
            return SQLFragment("(") + (try compile(subject)) + SQLFragment(negated ? " NOT IN (" : " IN (")
                + SQLFragment.joined(parts, separator: ", ") + SQLFragment("))")
        case .between(let subject, let low, let high, let negated):
            return SQLFragment("(") + (try compile(subject)) + SQLFragment(negated ? " NOT BETWEEN " : " BETWEEN ")
                + (try compile(low)) + SQLFragment(" AND ") + (try compile(high)) + SQLFragment(")")
        case .like(let subject, let pattern, let negated):
            return SQLFragment("(") + (try compile(subject)) + SQLFragment(negated ? " NOT LIKE " : " LIKE ")
                + (try compile(pattern)) + SQLFragment(")")
        case .isNull(let subject, let negated):
            return SQLFragment("(") + (try compile(subject)) + SQLFragment(negated ? " IS NOT NULL)" : " IS NULL)")
        }
    }
}
