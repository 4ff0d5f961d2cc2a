/// The stated limits of the ecsh language (docs/language.md, "Limits").
///
/// Each is enforced with a located error rather than left to the stack, to SQLite's
/// parser (whose stack holds about 100 entries in the SQLite Debian ships, so ~35
/// levels of nested parentheses) or to SQLite's expression-depth cap of 1000
/// (https://www.sqlite.org/limits.html). Other targets (derived KPIs, cohorts) use
/// the same numbers so that every front-end limit is stated once.
public enum LanguageLimits {
    /// Characters in one statement (a 1 MB paste is refused at once, not parsed).
    public static let statementLength = 100_000
    /// Nesting of parentheses, `not` and unary minus in the source text.
    public static let nesting = 100
    /// Terms (names and values, including the items of an `in` list) in one expression.
    public static let terms = 5_000
    /// Levels of parentheses in the SQL an expression compiles to (and/or chains are
    /// balanced, so a chain of n terms costs about log2(n) levels). SQLite's parser
    /// overflows between 35 and 50; the margin leaves room for the query around it.
    public static let sqlNesting = 24
    /// Depth of the SQL expression tree an expression compiles to (a chain of
    /// `+ - * /` counts one level per operator); SQLite's own cap is 1000.
    public static let sqlDepth = 500
    /// Bytes of SQL one expression compiles to, segments expanded (SQLite's cap is 1,000,000).
    public static let sqlLength = 500_000
    /// The largest `periods N` of `cohort`.
    public static let cohortPeriods = 1_000
}

extension Expr {
    /// The number of terms (names and values) and the height of the tree, counted
    /// without recursion so that any tree can be measured (derived KPIs check formulas with it).
    public var shape: (terms: Int, height: Int) {
        var terms = 0, height = 0
        var pending: [(Expr, Int)] = [(self, 1)]
        while let (expr, level) = pending.popLast() {
            height = max(height, level)
            switch expr.kind {
            case .literal, .identifier: terms += 1
            case .negate(let x), .not(let x), .isNull(let x, _): pending.append((x, level + 1))
            case .binary(_, let l, let r), .like(let l, let r, _): pending += [(l, level + 1), (r, level + 1)]
            case .between(let s, let lo, let hi, _): pending += [(s, level + 1), (lo, level + 1), (hi, level + 1)]
            case .inList(let s, let items, _): pending += [(s, level + 1)] + items.map { ($0, level + 1) }
            }
        }
        return (terms, height)
    }
}
