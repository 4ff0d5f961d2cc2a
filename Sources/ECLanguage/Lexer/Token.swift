/// One token of a statement, with its source range.
public struct Token: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A bare word: a keyword or an identifier (`kpi`, `channel`, `顧客ID`). Keywords are matched case-insensitively.
        case word(String)
        /// `"Created at"`
        case quotedIdentifier(String)
        /// `'text'`
        case string(String)
        case integer(Int64)
        case real(Double)
        /// `15%`, as the fraction 0.15.
        case percent(Double)
        case date(CalendarDate)
        case month(CalendarMonth)
        case symbol(Symbol)
        /// The end of the statement.
        case end
    }

    public var kind: Kind
    public var range: SourceRange
    /// Character offsets of the token in the statement text (end is one past the last character).
    public var startOffset: Int
    public var endOffset: Int

    /// The word in lower case when this is a bare word, for keyword matching.
    public var keyword: String? {
        if case .word(let w) = kind { return w.lowercased() }
        return nil
    }

    /// True for the bare word `word` (case-insensitive).
    public func isKeyword(_ word: String) -> Bool { keyword == word }

    /// The token as the user would recognize it in an error message.
    public var display: String {
        switch kind {
        case .word(let w): return "'\(w)'"
        case .quotedIdentifier(let s): return "\"\(s)\""
        case .string(let s): return "'\(s)'"
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .percent(let d): return String(d * 100) + "%"
        case .date(let d): return d.description
        case .month(let m): return m.description
        case .symbol(let s): return "'\(s.rawValue)'"
        case .end: return "end of statement"
        }
    }
}

/// Operators and punctuation. Alternative spellings map to one symbol: `==` is `=`, `<>` is `!=`, `×` is `*`, `÷` is `/`.
public enum Symbol: String, Sendable, Hashable, CaseIterable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case plus = "+", minus = "-", times = "*", divide = "/"
    case leftParen = "(", rightParen = ")", comma = ",", semicolon = ";"
}
