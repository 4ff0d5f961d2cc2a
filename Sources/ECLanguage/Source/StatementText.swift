/// The text of one statement cut from a source, with where it starts.
public struct StatementText: Sendable, Hashable {
    /// The statement, without its terminating newline or `;`. A line-joining `\`
    /// is replaced by a space, so every character keeps its source line and column.
    public var text: String
    /// The location of `text`'s first character.
    public var start: SourceLocation
    /// The name of the source it came from (for diagnostics).
    public var sourceName: String

    public init(text: String, start: SourceLocation, sourceName: String = "<command line>") {
        self.text = text
        self.start = start
        self.sourceName = sourceName
    }
}

/// Whether accumulated input forms complete statements or needs more lines.
public enum InputCompleteness: Sendable, Hashable {
    case complete
    /// The input continues on the next line, for the reason given.
    case needsContinuation(ContinuationReason)
}

/// Why input continues on the next line (shown by the shell's `...>` prompt if it wants).
public enum ContinuationReason: Sendable, Hashable {
    case unclosedString
    case unclosedQuotedIdentifier
    case unclosedParenthesis
    case trailingBackslash
}

/// Splits sources into statements and tells whether interactive input is complete.
///
/// A statement ends at a newline or `;` outside quotes and parentheses; a `\` at the
/// end of a line joins it with the next. Comments (`#`, `--`) run to the end of the line.
public enum StatementSplitter {
    /// The statements of a source, in order; blank and comment-only statements are skipped.
    public static func split(_ source: Source) -> [StatementText] {
        var scanner = Scanner(text: source.text, start: source.startLocation)
        var statements: [StatementText] = []
        while let piece = scanner.nextStatement() {
            statements.append(StatementText(text: piece.text, start: piece.start, sourceName: source.name))
        }
        return statements
    }

    /// Whether `input` (all lines typed so far) is complete or the shell should read another line.
    public static func completeness(of input: String) -> InputCompleteness {
        var scanner = Scanner(text: input, start: SourceLocation(line: 1, column: 1))
        while scanner.nextStatement() != nil {}
        if let reason = scanner.openReason { return .needsContinuation(reason) }
        return .complete
    }
}

/// A character scanner that knows quotes, comments, parentheses and line joins.
private struct Scanner {
    let characters: [Character]
    var index = 0
    var location: SourceLocation
    /// Why the last statement was still open at the end of the text, if it was.
    var openReason: ContinuationReason?

    init(text: String, start: SourceLocation) {
        characters = Array(text)
        location = start
    }

    mutating func step() -> Character {
        let c = characters[index]
        index += 1
        location = location.advanced(over: c)
        return c
    }

    func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    /// True when a `\` at `index` is followed only by spaces up to a line break or the end.
    func isLineJoin() -> Bool {
        var i = index + 1
        while i < characters.count, characters[i] == " " || characters[i] == "\t" { i += 1 }
        return i == characters.count || characters[i].isNewline
    }

    /// The next non-empty statement, or nil at the end. Every iteration consumes a character.
    mutating func nextStatement() -> (text: String, start: SourceLocation)? {
        while index < characters.count {
            openReason = nil
            // Characters, not a String: `count` must be O(1) so that splitting stays linear in the input.
            var text: [Character] = []
            var start: SourceLocation?
            var depth = 0
            var lastContentLength = 0  // text length up to the last non-blank character
            while index < characters.count {
                let c = characters[index]
                if c == "\\" && isLineJoin() {
                    // A line join: the backslash becomes a space, the line break stays, so columns still match.
                    _ = step()
                    if start != nil { text.append(" ") }
                    while let n = peek(), n == " " || n == "\t" { let s = step(); if start != nil { text.append(s) } }
                    if let n = peek(), n.isNewline { let s = step(); if start != nil { text.append(s) } }
                    if index == characters.count { openReason = .trailingBackslash }
                    continue
                }
                if (c.isNewline || c == ";") && depth <= 0 { _ = step(); break }
                if c == "#" || (c == "-" && peek(1) == "-") {
                    while let n = peek(), !n.isNewline { let s = step(); if start != nil { text.append(s) } }
                    continue
                }
                if start == nil {
                    if c == " " || c == "\t" || c.isNewline { _ = step(); continue }
                    start = location
                }
                if c == "'" || c == "\"" {
                    text.append(step())
                    var closed = false
                    while let n = peek() {
                        text.append(step())
                        if n == c {
                            if peek() == c { text.append(step()); continue }
                            closed = true
                            break
                        }
                    }
                    lastContentLength = text.count
                    if !closed { openReason = c == "'" ? .unclosedString : .unclosedQuotedIdentifier }
                    continue
                }
                if c == "(" { depth += 1 }
                if c == ")" { depth -= 1 }
                text.append(step())
                if !(c == " " || c == "\t" || c.isNewline) { lastContentLength = text.count }
            }
            if openReason == nil && depth > 0 { openReason = .unclosedParenthesis }
            if let start {
                return (String(text[..<lastContentLength]), start)
            }
        }
        return nil
    }
}
