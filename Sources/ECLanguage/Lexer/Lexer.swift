/// Turns statement text into tokens, one at a time (the parser pulls them so `sql` can take its raw text).
///
/// Literal forms: `'text'` (`''` escapes a quote), `12`, `3.5`, `1_000`, `1e3`, `15%`,
/// `2024-03-05` (a date), `2024-03` (a month), `"quoted identifier"` (`""` escapes).
/// Comments run from `#` or `--` to the end of the line.
public struct Lexer: Sendable {
    let characters: [Character]
    var index = 0
    var location: SourceLocation

    public init(_ statement: StatementText) {
        self.init(text: statement.text, start: statement.start)
    }

    public init(text: String, start: SourceLocation = SourceLocation(line: 1, column: 1)) {
        characters = Array(text)
        location = start
    }

    /// All tokens up to and including `.end`.
    public static func tokenize(_ text: String, start: SourceLocation = SourceLocation(line: 1, column: 1)) throws(Diagnostic) -> [Token] {
        var lexer = Lexer(text: text, start: start)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    /// The source text from a character offset to the end, with its range (for `sql`'s raw text).
    func rawText(from offset: Int, at start: SourceLocation) -> (text: String, range: SourceRange) {
        var end = start
        for c in characters[offset...] { end = end.advanced(over: c) }
        return (String(characters[offset...]), SourceRange(start: start, end: end))
    }

    /// When the `,` at `offset` sits inside digits as a thousands separator (`1,000`, `12,500,000`), the
    /// number as written and as ecsh reads it (`1_000`); nil otherwise. A comma always separates list
    /// items, so `1,000` is never a number: errors at such a comma say how to write it.
    func thousandsSeparated(at offset: Int) -> (written: String, number: String)? {
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < characters.count && characters[i].isASCII && characters[i].isNumber }
        guard offset < characters.count, characters[offset] == ",", isDigit(offset - 1) else { return nil }
        var first = offset
        while isDigit(first - 1) || (first - 1 >= 0 && characters[first - 1] == "_") { first -= 1 }
        var end = offset
        while end < characters.count, characters[end] == ",", (1...3).allSatisfy({ isDigit(end + $0) }), !isDigit(end + 4) { end += 4 }
        guard end > offset else { return nil }
        if end < characters.count, characters[end].isLetter || characters[end] == "_" || characters[end] == "." { return nil }
        let written = String(characters[first..<end])
        return (written, written.replacingOccurrences(of: ",", with: "_"))
    }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    @discardableResult
    private mutating func step() -> Character {
        let c = characters[index]
        index += 1
        location = location.advanced(over: c)
        return c
    }

    /// Skips blanks, line breaks and comments.
    private mutating func skipTrivia() {
        while let c = peek() {
            if c == " " || c == "\t" || c.isNewline {
                step()
            } else if c == "#" || (c == "-" && peek(1) == "-") {
                while let n = peek(), !n.isNewline { step() }
            } else {
                return
            }
        }
    }

    /// The next token; `.end` (repeatedly) at the end of the text.
    public mutating func next() throws(Diagnostic) -> Token {
        skipTrivia()
        let start = location
        let startOffset = index
        guard let c = peek() else {
            return Token(kind: .end, range: SourceRange(at: start), startOffset: index, endOffset: index)
        }
        let kind: Token.Kind
        if c == "'" {
            kind = .string(try quoted("'", what: "string", start: start))
        } else if c == "\"" {
            let name = try quoted("\"", what: "quoted identifier", start: start)
            if name.isEmpty { throw Diagnostic("empty quoted identifier", at: SourceRange(start: start, end: location)) }
            kind = .quotedIdentifier(name)
        } else if c.isASCII && c.isNumber || (c == "." && peek(1)?.isASCII == true && peek(1)?.isNumber == true) {
            kind = try number(start: start)
        } else if c.isLetter || c == "_" {
            var word = ""
            while let n = peek(), n.isLetter || n.isNumber || n == "_" { word.append(step()) }
            kind = .word(word)
        } else {
            kind = .symbol(try symbol(start: start))
        }
        return Token(kind: kind, range: SourceRange(start: start, end: location), startOffset: startOffset, endOffset: index)
    }

    /// A quoted string or identifier; the doubled quote escapes itself.
    private mutating func quoted(_ quote: Character, what: String, start: SourceLocation) throws(Diagnostic) -> String {
        step()
        var text = ""
        while let c = peek() {
            step()
            if c == quote {
                if peek() == quote { step(); text.append(quote); continue }
                return text
            }
            text.append(c)
        }
        throw Diagnostic("unterminated \(what)", at: SourceRange(start: start, end: location),
                         note: "close it with \(quote); write \(quote)\(quote) for a \(quote) inside")
    }

    /// A number, percent, month or date.
    private mutating func number(start: SourceLocation) throws(Diagnostic) -> Token.Kind {
        // Dates and months: exactly 4 digits, '-', 2 digits [, '-', 2 digits], not followed by a word character.
        if let kind = try calendarLiteral(start: start) { return kind }
        var digits = ""
        var isReal = false
        while let c = peek() {
            if c.isASCII && c.isNumber {
                digits.append(step())
            } else if c == "_", let n = peek(1), n.isASCII && n.isNumber, !digits.isEmpty {
                step()
            } else if c == ".", !isReal, let n = peek(1), n.isASCII && n.isNumber {
                isReal = true
                digits.append(step())
            } else {
                break
            }
        }
        // An exponent, as in SQL and every spreadsheet: `1e3` = 1000, `2.5E-2` = 0.025 (a real).
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1) == "+" || peek(1) == "-" ? 1 : 0
            if let d = peek(1 + sign), d.isASCII && d.isNumber, !digits.isEmpty {
                isReal = true
                digits.append(step())
                if sign == 1 { digits.append(step()) }
                while let c = peek(), c.isASCII && c.isNumber { digits.append(step()) }
            }
        }
        let range = SourceRange(start: start, end: location)
        if peek() == "%" {
            step()
            guard let value = Double(digits), value.isFinite else { throw Diagnostic("invalid number", at: range) }
            return .percent(value / 100)
        }
        if !isReal, let value = Int64(digits) { return .integer(value) }
        guard let value = Double(digits), value.isFinite else { throw Diagnostic("invalid number", at: range) }
        return .real(value)
    }

    private func digitRun(at offset: Int) -> Int {
        var n = 0
        while let c = peek(offset + n), c.isASCII && c.isNumber { n += 1 }
        return n
    }

    private mutating func calendarLiteral(start: SourceLocation) throws(Diagnostic) -> Token.Kind? {
        guard digitRun(at: 0) == 4, peek(4) == "-", digitRun(at: 5) == 2 else { return nil }
        let hasDay = peek(7) == "-" && digitRun(at: 8) == 2
        let length = hasDay ? 10 : 7
        if let after = peek(length), after.isLetter || after.isNumber || after == "_" { return nil }
        let text = String(characters[index..<index + length])
        for _ in 0..<length { step() }
        let range = SourceRange(start: start, end: location)
        // Only ASCII digits reach here (digitRun), so every part converts; 0 keeps the code trap-free regardless.
        let parts = text.split(separator: "-").map { Int($0) ?? 0 }
        guard (1...12).contains(parts[1]) else {
            throw Diagnostic("invalid month \(parts[1]) in \(text)", at: range, note: "months run from 01 to 12")
        }
        if !hasDay { return .month(CalendarMonth(year: parts[0], month: parts[1])) }
        let days = daysIn(year: parts[0], month: parts[1])
        guard (1...days).contains(parts[2]) else {
            throw Diagnostic("invalid date \(text)", at: range, note: "\(text.prefix(7)) has \(days) days")
        }
        return .date(CalendarDate(year: parts[0], month: parts[1], day: parts[2]))
    }

    private mutating func symbol(start: SourceLocation) throws(Diagnostic) -> Symbol {
        let c = step()
        let next = peek()
        switch c {
        case "=": if next == "=" { step() }; return .equal
        case "!":
            if next == "=" { step(); return .notEqual }
        case "<":
            if next == "=" { step(); return .lessOrEqual }
            if next == ">" { step(); return .notEqual }
            return .less
        case ">":
            if next == "=" { step(); return .greaterOrEqual }
            return .greater
        case "+": return .plus
        case "-": return .minus
        case "*", "×": return .times
        case "/", "÷": return .divide
        case "(": return .leftParen
        case ")": return .rightParen
        case ",": return .comma
        case ";": return .semicolon
        default: break
        }
        throw Diagnostic("unexpected character '\(c)'", at: SourceRange(start: start, end: location),
                         note: "names with other characters go in double quotes, text in single quotes")
    }
}

/// Days in a month of the proleptic Gregorian calendar.
func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}
