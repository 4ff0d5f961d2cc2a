/// A name written by the user: a bare word (`channel`, `顧客ID`) or a quoted identifier (`"Created at"`).
public struct Identifier: Sendable, Hashable {
    /// The name without quotes; `""` escapes are already resolved.
    public var name: String
    /// True when the name was written in double quotes (never a keyword then).
    public var isQuoted: Bool
    public var range: SourceRange

    public init(_ name: String, isQuoted: Bool = false, range: SourceRange) {
        self.name = name
        self.isQuoted = isQuoted
        self.range = range
    }

    /// The name folded for case-insensitive matching of keywords, KPIs and segments.
    public var folded: String { name.lowercased() }
}

/// A calendar day such as `2024-03-05`.
public struct CalendarDate: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }
    /// `YYYY-MM-DD`, the text form stored in the workspace and bound in SQL.
    public var description: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }
}

/// A calendar month such as `2024-03`.
public struct CalendarMonth: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public init(year: Int, month: Int) { self.year = year; self.month = month }
    /// `YYYY-MM`, the text form bound in SQL (cohort months are stored this way).
    public var description: String { pad(year, 4) + "-" + pad(month, 2) }
}

/// A duration (named `TimeSpan` because the standard library has a `Duration`) written as a number and a unit: `90 days`, `12 months`, `6 weeks`.
public struct TimeSpan: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        case day, week, month, year

        /// Days per unit. Months count as 30 days and years as 365 so that a
        /// duration compares with a number of days (`recency > 6 months`).
        public var days: Double {
            switch self {
            case .day: return 1
            case .week: return 7
            case .month: return 30
            case .year: return 365
            }
        }
    }

    public var amount: Double
    public var unit: Unit
    public init(amount: Double, unit: Unit) { self.amount = amount; self.unit = unit }

    /// The length in days (30 per month, 7 per week, 365 per year).
    public var days: Double { amount * unit.days }

    public var description: String {
        let number = amount.rounded() == amount && abs(amount) < 9e15 ? String(Int64(amount)) : plainNumber(amount)
        return number + " " + unit.rawValue + (amount == 1 ? "" : "s")
    }
}

/// A literal value as written in a statement.
public enum Literal: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case real(Double)
    /// `15%` is stored as its fraction, 0.15.
    case percent(Double)
    case date(CalendarDate)
    case month(CalendarMonth)
    case duration(TimeSpan)
    case boolean(Bool)
    case null

    /// The numeric value of integers, reals and percents (as a fraction).
    public var numberValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .real(let d), .percent(let d): return d
        default: return nil
        }
    }
}

/// A value given to `set` or to a `load … with` option: a literal or a bare word (`skip`, `monday`).
public enum OptionValue: Sendable, Hashable {
    case literal(Literal)
    case word(String)

    /// The value as text: a string literal or a word.
    public var text: String? {
        switch self {
        case .literal(.string(let s)): return s
        case .word(let w): return w
        default: return nil
        }
    }
}

/// A value with the source range it was written at.
public struct Located<Wrapped: Sendable & Hashable>: Sendable, Hashable {
    public var value: Wrapped
    public var range: SourceRange
    public init(_ value: Wrapped, range: SourceRange) { self.value = value; self.range = range }
}

private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// A number in plain decimal notation, never with an exponent (`1e+20` → `100000000000000000000`),
/// because ecsh's lexer reads only plain numbers and a printed definition must parse again.
/// The digits are Swift's shortest round-tripping ones, so parsing the text gives the same value.
func plainNumber(_ value: Double) -> String {
    let shortest = String(value)
    guard let e = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }),
          let exponent = Int(shortest[shortest.index(after: e)...]) else { return shortest }
    var mantissa = shortest[..<e]
    let negative = mantissa.hasPrefix("-")
    if negative { mantissa = mantissa.dropFirst() }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    let whole = parts.first.map(String.init) ?? ""
    let digits = whole + (parts.count > 1 ? String(parts[1]) : "")
    let point = whole.count + exponent
    let plain: String
    if point <= 0 {
        plain = "0." + String(repeating: "0", count: -point) + digits
    } else if point >= digits.count {
        plain = digits + String(repeating: "0", count: point - digits.count)
    } else {
        plain = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
    }
    return (negative ? "-" : "") + plain
}
