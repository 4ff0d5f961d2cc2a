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
/// 7 per week, 365 per year), months as 'YYYY-MM' text, dates as 'YYYY-MM-DD' text; a column compared
/// with a date or a month compares its day or month (`DateLiterals`).
/// Every sub-expression is parenthesized, so SQL precedence never differs from ecsh's.
public struct PredicateCompiler {
    public var dialect: SQLDialect
    public var resolver: any NameResolver

    public init(dialect: SQLDialect = .sqlite, resolver: any NameResolver) {
        self.dialect = dialect
        self.resolver = resolver
    }

    /// The SQL of an expression.
    ///
    /// Throws a located `Diagnostic` for an unknown name, or when the SQL would pass
    /// `LanguageLimits.sqlNesting`, `sqlDepth` or `sqlLength`, so SQLite's own parser
    /// and depth errors ("parser stack overflow") are never what the user sees.
    public func compile(_ expr: Expr) throws(Diagnostic) -> SQLFragment {
        try emit(expr).sql
    }

    /// SQL with its shape: open-parenthesis nesting and expression-tree depth, as SQLite will see them.
    struct Compiled {
        var sql: SQLFragment
        var nesting: Int
        var depth: Int
    }

    private func emit(_ expr: Expr) throws(Diagnostic) -> Compiled {
        switch expr.kind {
        case .literal(let literal):
            return Compiled(sql: dialect.placeholder(dialect.value(of: literal)), nesting: 0, depth: 1)
        case .identifier(let name):
            switch try resolver.resolve(name) {
            case .column(let sql): return Compiled(sql: sql, nesting: 0, depth: 1)
            case .segment(let predicate):
                // A segment compiled by this compiler is already one ( … ) group: used as it is, a segment
                // costs the same nesting where it is used as where it was defined.
                let shape = SQLShape(predicate.sql)
                if shape.isOneGroup { return try checked(Compiled(sql: predicate, nesting: shape.nesting, depth: shape.depthBound), expr) }
                return try checked(Compiled(sql: SQLFragment("(") + predicate + SQLFragment(")"),
                                            nesting: shape.nesting + 1, depth: shape.depthBound), expr)
            }
        case .negate(let operand):
            return try wrap("(-", [try emit(operand)], ")", expr)
        case .not(let operand):
            return try wrap("(NOT ", [try emit(operand)], ")", expr)
        case .binary(let op, _, _) where op == .add || op == .subtract || op == .multiply || op == .divide:
            return try emitArithmeticChain(expr)
        case .binary(let op, let left, let right) where op == .equal || op == .notEqual:
            return try wrap("(", [try emit(left, comparedWith: right), try emit(right, comparedWith: left)], ")", expr,
                            separators: [" \(dialect.spelling(op)) "])
        case .binary(let op, let left, let right) where op.isComparison:
            return try wrap("(", [try emit(left, comparedWith: right, equality: false), try emit(right, comparedWith: left, equality: false)], ")", expr,
                            separators: [" \(dialect.spelling(op)) "])
        case .binary(let op, let left, let right):
            return try wrap("(", [try emit(left), try emit(right)], ")", expr, separators: [" \(dialect.spelling(op)) "])
        case .inList(let subject, let items, let negated):
            var parts: [Compiled] = []
            parts.reserveCapacity(items.count)
            for item in items { parts.append(try emit(item, comparedWith: subject)) }
            let list = Compiled(sql: SQLFragment.joined(parts.map(\.sql), separator: ", "),
                                nesting: parts.map(\.nesting).max() ?? 0, depth: parts.map(\.depth).max() ?? 0)
            return try wrap("(", [try emit(subject), list], "))", expr, separators: [negated ? " NOT IN (" : " IN ("], extraNesting: 1)
        case .between(let subject, let low, let high, let negated):
            let lowWidth = DateLiterals.width(of: low), highWidth = DateLiterals.width(of: high)
            if lowWidth != nil || highWidth != nil, DateLiterals.isName(subject) {
                if let lowWidth, let highWidth, DateLiterals.text(low).prefix(min(lowWidth, highWidth)) > DateLiterals.text(high).prefix(min(lowWidth, highWidth)) {
                    throw Diagnostic("the date range is empty: \(DateLiterals.text(low)) is after \(DateLiterals.text(high))", at: expr.range,
                                     help: "write the earlier date first: between \(low) and \(high) → between \(high) and \(low)")
                }
                // Each bound against the subject's day or month: `between 2024-01-01 and 2024-01` is January.
                return try wrap(negated ? "(NOT (" : "(", [try emit(subject, comparedWith: low, equality: false), try emit(low),
                                                          try emit(subject, comparedWith: high, equality: false), try emit(high)],
                                negated ? "))" : ")", expr, separators: [" >= ", " AND ", " <= "], extraNesting: negated ? 1 : 0)
            }
            return try wrap("(", [try emit(subject), try emit(low), try emit(high)], ")", expr,
                            separators: [negated ? " NOT BETWEEN " : " BETWEEN ", " AND "])
        case .like(let subject, let pattern, let negated):
            return try wrap("(", [try emit(subject), try emit(pattern)], ")", expr, separators: [negated ? " NOT LIKE " : " LIKE "])
        case .isNull(let subject, let negated):
            return try wrap("(", [try emit(subject)], negated ? " IS NOT NULL)" : " IS NULL)", expr)
        }
    }

    /// `expr` compared with `subject` (`=`, `!=`, `in`): an e-mail literal compared with a customer key is lower-cased
    /// as the load stores the key (`EmailKeyLiterals`).
    /// A column compared with a date or month is its day or month (`DateLiterals`).
    private func emit(_ expr: Expr, comparedWith subject: Expr, equality: Bool = true) throws(Diagnostic) -> Compiled {
        if equality, case .literal(let literal) = expr.kind, let lowered = EmailKeyLiterals.lowered(literal, comparedWith: subject) {
            return Compiled(sql: dialect.placeholder(.text(lowered)), nesting: 0, depth: 1)
        }
        guard case .identifier(let name) = expr.kind, let width = DateLiterals.width(of: subject),
              case .column(let column) = try resolver.resolve(name) else { return try emit(expr) }
        // `day` holds day numbers (19,723 for 2024-01-01): compared with a date's text it was always true or always false.
        if name.folded == "day" {
            throw Diagnostic("'day' is the order's day number (days since 1970-01-01), not a date: comparing it with \(DateLiterals.text(subject)) "
                             + "would hold for every order or none", at: expr.range,
                             help: "compare ordered_at with the date instead: a date compares with its day")
        }
        return try wrap("substr(CAST(", [Compiled(sql: column, nesting: 0, depth: 1)], " AS TEXT), 1, \(width))", expr)
    }

    /// `a + b - c` (left-associative, one precedence level) as one parenthesized SQL chain, not
    /// `((a + b) - c)`: SQLite groups it the same way, and its parser stack stays flat. The left
    /// spine is walked in a loop, so a long chain costs no Swift recursion either.
    private func emitArithmeticChain(_ expr: Expr) throws(Diagnostic) -> Compiled {
        guard case .binary(let top, _, _) = expr.kind else { return try emit(expr) }
        let additive = top == .add || top == .subtract
        var rights: [(BinaryOperator, Expr)] = []
        var node = expr
        while case .binary(let op, let left, let right) = node.kind,
              additive ? (op == .add || op == .subtract) : (op == .multiply || op == .divide) {
            rights.append((op, right))
            node = left
        }
        var parts = [try emit(node)]
        var separators: [String] = []
        for (op, right) in rights.reversed() {
            parts.append(try emit(right))
            separators.append(" \(dialect.spelling(op)) ")
        }
        return try wrap("(", parts, ")", expr, separators: separators, extraDepth: rights.count - 1)
    }

    /// `open part₀ sep₀ part₁ … close`, one parenthesis level and one tree level deeper than its parts.
    private func wrap(_ open: String, _ parts: [Compiled], _ close: String, _ expr: Expr, separators: [String] = [],
                      extraNesting: Int = 0, extraDepth: Int = 0) throws(Diagnostic) -> Compiled {
        var sql = SQLFragment(open)
        for (i, part) in parts.enumerated() {
            if i > 0 { sql = sql + SQLFragment(separators[min(i - 1, separators.count - 1)]) }
            sql = sql + part.sql
        }
        sql = sql + SQLFragment(close)
        return try checked(Compiled(sql: sql, nesting: (parts.map(\.nesting).max() ?? 0) + 1 + extraNesting,
                                    depth: (parts.map(\.depth).max() ?? 0) + 1 + extraDepth), expr)
    }

    /// The compiled piece, or a located error when it passes one of SQLite's limits.
    private func checked(_ compiled: Compiled, _ expr: Expr) throws(Diagnostic) -> Compiled {
        if compiled.nesting > LanguageLimits.sqlNesting {
            throw Diagnostic("expression nested too deeply to run (more than \(LanguageLimits.sqlNesting) levels once compiled)",
                             at: expr.range,
                             note: "long and/or chains are fine; deep nesting of parentheses, not, minus and segments inside segments is not")
        }
        if compiled.depth > LanguageLimits.sqlDepth {
            throw Diagnostic("expression too deep to run (more than \(LanguageLimits.sqlDepth) levels of operators)", at: expr.range,
                             note: "each + - * / in a chain is one level; split the formula into named parts")
        }
        if compiled.sql.sql.utf8.count > LanguageLimits.sqlLength {
            throw Diagnostic("expression too large to run (its SQL passes \(LanguageLimits.sqlLength) bytes)", at: expr.range,
                             note: "segments are expanded where they are used; keep long lists in a table")
        }
        return compiled
    }
}
