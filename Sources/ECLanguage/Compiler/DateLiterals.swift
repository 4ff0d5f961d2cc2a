/// Dates and months compared with a column: the column's day or month is compared, not its text.
///
/// `ordered_at` holds timestamps (`2024-01-31 23:59:59`), and as text `'2024-01-31 23:59:59' > '2024-01-31'`,
/// so `where ordered_at <= 2024-01-31` (or `between '2024-01-01' and '2024-01-31'`) left out the last day's
/// orders after midnight, `= 2024-01-31` matched none and `between 2024-01 and 2024-03` left out the whole
/// quarter, silently. A date literal (`2024-01-31`, or the text `'2024-01-31'`) compared with a column
/// compares the column's first 10 characters (its day: timestamps are stored in the workspace's zone,
/// as `day` is), a month (`2024-01`, `'2024-01'`) its first 7 (its month).
enum DateLiterals {
    /// The number of leading characters of a column that a literal compares with: 10 for a date, 7 for a month.
    static func width(of expr: Expr) -> Int? {
        guard case .literal(let literal) = expr.kind else { return nil }
        switch literal {
        case .date: return 10
        case .month: return 7
        case .string(let text):
            let bytes = Array(text.utf8)
            func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) } }
            guard bytes.count == 10 || bytes.count == 7, digits(0..<4), bytes[4] == UInt8(ascii: "-"), digits(5..<7) else { return nil }
            if bytes.count == 7 { return 7 }
            return bytes[7] == UInt8(ascii: "-") && digits(8..<10) ? 10 : nil
        default: return nil
        }
    }

    /// True when `expr` is a name (a column, or a segment the resolver will reject or expand).
    static func isName(_ expr: Expr) -> Bool {
        if case .identifier = expr.kind { return true }
        return false
    }

    /// The literal's text as written (`2024-01-31`), for messages.
    static func text(_ expr: Expr) -> String {
        if case .literal(.string(let s)) = expr.kind { return s }
        return expr.description
    }
}
