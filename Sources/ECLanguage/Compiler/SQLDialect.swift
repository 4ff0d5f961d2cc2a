import ECStore

/// Everything specific to the SQL dialect the compiler writes (SQLite for now): quoting, placeholders, literal forms.
public struct SQLDialect: Sendable {
    /// SQLite: identifiers in double quotes, `?` placeholders, dates as ISO-8601 text.
    /// <https://www.sqlite.org/lang_keywords.html>, <https://www.sqlite.org/lang_datefunc.html>
    public static let sqlite = SQLDialect()

    /// An identifier in double quotes, with embedded quotes doubled (ECStore's rule, so both layers agree).
    public func quoteIdentifier(_ name: String) -> String {
        ECStore.quoteIdentifier(name)
    }

    /// A bound parameter.
    public func placeholder(_ value: Value) -> SQLFragment { SQLFragment("?", [value]) }

    /// The value a literal is bound as: dates as 'YYYY-MM-DD' text, months as 'YYYY-MM' text,
    /// durations as a number of days, percents as fractions, booleans as 1/0.
    public func value(of literal: Literal) -> Value {
        switch literal {
        case .string(let s): return .text(s)
        case .integer(let i): return .integer(i)
        case .real(let d), .percent(let d): return .real(d)
        case .date(let d): return .text(d.description)
        case .month(let m): return .text(m.description)
        case .duration(let span):
            let days = span.days
            return days.rounded() == days && abs(days) < 9e15 ? .integer(Int64(days)) : .real(days)
        case .boolean(let b): return .integer(b ? 1 : 0)
        case .null: return .null
        }
    }

    /// The SQL spelling of an operator.
    public func spelling(_ op: BinaryOperator) -> String {
        switch op {
        case .or: return "OR"
        case .and: return "AND"
        case .notEqual: return "<>"
        default: return op.rawValue
        }
    }
}
