/// The text of one statement cut from a source, with where it starts.
public struct StatementText: Sendable, Hashable {
    /// The statement, without its terminating newline or `;`. A line-joining `\`
    /// is replaced by a space, so every character keeps its source line and column.
    public var text: String
    /// The location of `text`'s first character.
    public var start: SourceLocation
    /// The name of the source it came from (for diagnostics).
    public var sourceName: String
    /// Where a line-joining `\` stands when the source ends right after it: the next line it asks
    /// for is missing (a script cut short?), an error rather than a `\` silently ignored.
    public var unfinishedJoin: SourceLocation?

    public init(text: String, start: SourceLocation, sourceName: String = "<command line>", unfinishedJoin: SourceLocation? = nil) {
        self.text = text
        self.start = start
        self.sourceName = sourceName
        self.unfinishedJoin = unfinishedJoin
    }

    /// The statement's first line, up to its first `\n` (for errors not tied to one word).
    public var firstLineRange: SourceRange {
        let characters = UTF8Characters(text)
        var position = 0, count = 0
        while position < characters.count {
            let step = characters.step(at: position)
            if step.ascii == UInt8(ascii: "\n") { break }
            position += step.length
            count += 1
        }
        return SourceRange(start: start, end: SourceLocation(line: start.line, column: start.column + count))
    }

    /// Where the Character at `offset` is, or nil when the text is shorter (for the statement-length
    /// limit). Looks at no more than `offset + 1` Characters, and at none when the text has
    /// at most `offset` bytes.
    func locationOfCharacter(_ offset: Int) -> SourceLocation? {
        guard text.utf8.count > offset else { return nil }
        let characters = UTF8Characters(text)
        var location = start, position = 0
        for _ in 0..<offset {
            guard position < characters.count else { return nil }
            let step = characters.step(at: position)
            position += step.length
            location = location.advanced(over: step)
        }
        return position < characters.count ? location : nil
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
    /// The last line ends in `,` (outside quotes and comments): a list goes on (`kpi gmv,` ⏎ `aov`).
    case trailingComma
    /// A `/* … */` comment of a SQL statement is not closed yet.
    case unclosedComment
}

/// Splits sources into statements and tells whether interactive input is complete.
///
/// A statement ends at a newline or `;` outside quotes and parentheses; a `\` at the
/// end of a line joins it with the next, and so does a `,` (no statement ends in one). Comments (`#`, `--`) run to the end of the line.
/// In SQL statements `/* … */`, `[…]` and `` `…` `` also enclose text, as in SQLite (`SQLStatementStart`).
public enum StatementSplitter {
    /// The statements of a source, in order; blank and comment-only statements are skipped.
    public static func split(_ source: Source) -> [StatementText] {
        var work = 0
        return split(source, work: &work)
    }

    /// The statements of a source; `work` grows by the number of Characters looked at
    /// (for tests that count work instead of timing it: each is looked at a bounded number of times).
    public static func split(_ source: Source, work: inout Int) -> [StatementText] {
        var scanner = StatementScanner(text: source.text, start: source.startLocation)
        var statements: [StatementText] = []
        while let piece = scanner.nextStatement() {
            statements.append(StatementText(text: piece.text, start: piece.start, sourceName: source.name, unfinishedJoin: piece.unfinishedJoin))
        }
        work += scanner.work
        return statements
    }

    /// Whether `input` (all lines typed so far) is complete or the shell should read another line.
    public static func completeness(of input: String) -> InputCompleteness {
        var scanner = StatementScanner(text: input, start: SourceLocation(line: 1, column: 1))
        while scanner.nextStatement() != nil {}
        if let reason = scanner.openReason { return .needsContinuation(reason) }
        return .complete
    }
}
