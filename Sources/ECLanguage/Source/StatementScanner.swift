/// Cuts a text into statements: knows quotes, comments, parentheses and line joins.
///
/// In a SQL statement (`SQLStatementStart`) it also knows SQLite's own quoting: `/* … */`
/// comments (across lines), `[identifier]` and `` `identifier` ``, so a `;`, a quote or a
/// `#` inside them is text, as SQLite reads it.
///
/// It steps over the text's UTF-8 bytes (`UTF8Characters`), a Character at a time, so a
/// 1 MB statement is split in a few milliseconds; the Characters, columns and line breaks
/// it sees are those of the `String` (a test compares it with a `[Character]` scanner on
/// random text with combining marks, emoji, `\r\n` and U+2028). `LineCompleteness` mirrors
/// its rules one typed line at a time; the `FuzzLanguage` target checks that they agree.
struct StatementScanner {
    private let characters: UTF8Characters
    /// Byte offset of the next Character.
    private var position = 0
    private var location: SourceLocation
    /// Why the last statement was still open at the end of the text, if it was.
    private(set) var openReason: ContinuationReason?
    /// Characters looked at so far (each a bounded number of times: see `StatementSplitter.split(_:work:)`).
    private(set) var work = 0

    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), backslash = UInt8(ascii: "\\")
    private static let semicolon = UInt8(ascii: ";"), hash = UInt8(ascii: "#"), minus = UInt8(ascii: "-")
    private static let quote = UInt8(ascii: "'"), doubleQuote = UInt8(ascii: "\"")
    private static let open = UInt8(ascii: "("), close = UInt8(ascii: ")"), comma = UInt8(ascii: ",")
    private static let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*"), backtick = UInt8(ascii: "`")
    private static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")

    init(text: String, start: SourceLocation) {
        characters = UTF8Characters(text)
        location = start
    }

    private var atEnd: Bool { position >= characters.count }

    private mutating func look(_ offset: Int) -> UTF8Characters.Step {
        work += 1
        return characters.step(at: offset)
    }

    /// Consumes the Character `step` at `position`, adding its bytes to `text` when a statement has started.
    private mutating func take(_ step: UTF8Characters.Step, into text: inout [UInt8], started: Bool) {
        if started {
            if step.length == 1 { text.append(characters.bytes[position]) }
            else { text.append(contentsOf: characters.bytes[position..<position + step.length]) }
        }
        position += step.length
        location = location.advanced(over: step)
    }

    private static func isBlank(_ step: UTF8Characters.Step) -> Bool { step.ascii == space || step.ascii == tab }

    /// True when the `\` at `position` is followed only by spaces and tabs up to a line break or the end.
    private mutating func isLineJoin() -> Bool {
        var offset = position + 1
        while offset < characters.count {
            let step = look(offset)
            guard Self.isBlank(step) else { return step.isNewline }
            offset += step.length
        }
        return true
    }

    /// The next non-empty statement, or nil at the end. Every iteration consumes a Character.
    mutating func nextStatement() -> (text: String, start: SourceLocation, unfinishedJoin: SourceLocation?)? {
        while !atEnd {
            openReason = nil
            var unfinishedJoin: SourceLocation?  // a `\` that joins the statement's last line to no line
            var text: [UInt8] = []
            var start: SourceLocation?
            var depth = 0
            var lastContentLength = 0  // bytes of text up to the last non-blank Character
            var endsInComma = false  // the last Character outside blanks and comments was `,`: a line break continues
            var sql = SQLStatementStart()
            while !atEnd {
                let step = look(position)
                let c = step.ascii
                if c == Self.backslash && isLineJoin() {
                    // A line join: the backslash becomes a space, the line break stays, so columns still match.
                    let joinAt = location
                    take(step, into: &text, started: false)
                    if start != nil { text.append(Self.space) }
                    sql.feed(Self.space)
                    while !atEnd {
                        let next = look(position)
                        guard Self.isBlank(next) else { break }
                        take(next, into: &text, started: start != nil)
                    }
                    if !atEnd {
                        let next = look(position)
                        if next.isNewline { take(next, into: &text, started: start != nil) }
                    }
                    if atEnd {
                        openReason = .trailingBackslash
                        if start != nil { unfinishedJoin = joinAt }
                    }
                    continue
                }
                if (step.isNewline && !endsInComma || c == Self.semicolon) && depth <= 0 {
                    take(step, into: &text, started: false)
                    endsInComma = false  // ended by `;`: nothing open
                    break
                }
                if c == Self.hash || (c == Self.minus && lookAscii(position + 1) == Self.minus) {
                    sql.feed(Self.space)
                    while !atEnd {
                        let next = look(position)
                        if next.isNewline { break }
                        take(next, into: &text, started: start != nil)
                    }
                    continue
                }
                if start == nil {
                    if Self.isBlank(step) || step.isNewline { take(step, into: &text, started: false); continue }
                    if c == Self.slash && lookAscii(position + 1) == Self.star {
                        // A comment before the first word is skipped like `--`; one left open becomes the
                        // statement, for the parser to report at its `/*`.
                        let commentStart = location
                        var comment: [UInt8] = []
                        if takeBlockComment(into: &comment) { continue }
                        openReason = .unclosedComment
                        start = commentStart
                        text += comment
                        lastContentLength = text.count
                        continue
                    }
                    start = location
                }
                sql.feed(c, isNewline: step.isNewline)
                if sql.isSQL && c == Self.slash && lookAscii(position + 1) == Self.star {
                    if !takeBlockComment(into: &text) { openReason = .unclosedComment }
                    lastContentLength = text.count  // SQLite reads it (and reports one left open)
                    continue
                }
                let closing = sql.isSQL && c == Self.openBracket ? Self.closeBracket : c
                if c == Self.quote || c == Self.doubleQuote || (sql.isSQL && (c == Self.backtick || c == Self.openBracket)) {
                    take(step, into: &text, started: true)
                    var closed = false
                    while !atEnd {
                        let next = look(position)
                        take(next, into: &text, started: true)
                        if next.ascii == closing {
                            if closing == c && !atEnd {  // `]` is never doubled in SQLite; quotes and backticks are
                                let doubled = look(position)
                                if doubled.ascii == c { take(doubled, into: &text, started: true); continue }
                            }
                            closed = true
                            break
                        }
                    }
                    lastContentLength = text.count
                    endsInComma = false
                    if !closed { openReason = c == Self.quote ? .unclosedString : .unclosedQuotedIdentifier }
                    continue
                }
                if c == Self.open { depth += 1 }
                if c == Self.close { depth -= 1 }
                take(step, into: &text, started: true)
                if !(Self.isBlank(step) || step.isNewline) {
                    lastContentLength = text.count
                    endsInComma = c == Self.comma
                }
            }
            if openReason == nil && depth > 0 { openReason = .unclosedParenthesis }
            if openReason == nil && endsInComma { openReason = .trailingComma }
            if let start {
                return (String(decoding: text[..<lastContentLength], as: UTF8.self), start, unfinishedJoin)
            }
        }
        return nil
    }

    /// Takes a `/* … */` comment starting at `position` into `text`; false when the text ends before `*/`.
    /// As in SQLite, the opening `*` does not close it (`/*/` is still open).
    private mutating func takeBlockComment(into text: inout [UInt8]) -> Bool {
        take(look(position), into: &text, started: true)  // `/`
        take(look(position), into: &text, started: true)  // `*`
        var afterStar = false
        while !atEnd {
            let step = look(position)
            take(step, into: &text, started: true)
            if afterStar && step.ascii == Self.slash { return true }
            afterStar = step.ascii == Self.star
        }
        return false
    }

    /// The Character at byte offset `offset` as one ASCII byte, or `UTF8Characters.other`.
    private mutating func lookAscii(_ offset: Int) -> UInt8 {
        offset < characters.count ? look(offset).ascii : UTF8Characters.other
    }
}
