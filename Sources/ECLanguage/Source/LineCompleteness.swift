/// Tells, one typed line at a time, whether the lines so far form complete statements.
///
/// The interactive shell asks after every line whether to run the text or read another
/// line. Asking `StatementSplitter.completeness(of:)` about all the lines joined rescans
/// every earlier line each time, which is quadratic in the number of lines: pasting a
/// 20,000-line query took minutes. This keeps the splitter's state between lines instead
/// (open quote, parenthesis depth, a pending line join), so each line is scanned once.
///
/// A typed line ends with the Enter that sent it, so it answers for the lines each followed
/// by a line break: the same answer as `StatementSplitter.completeness(of: lines.joined(separator: "\n") + "\n")`
/// for every sequence of lines (a unit test and the `FuzzLanguage` fuzz target check that),
/// including a line that ends in `\r`, which the following `\n` turns into one `\r\n` character.
/// The line break matters after a line join: `kpi gmv \` ⏎ ⏎ is complete, as in bash (the
/// empty line ends the statement, as it does in a script), while `kpi gmv \` ⏎ waits for the
/// joined line. The shell runs the text with that last line break (`Repl`).
public struct LineCompleteness: Sendable {
    private var state = ScanState()
    private var hasLines = false
    /// The last line ended in a lone `\r`: held back, since it joins the next separator.
    private var heldCR = false
    /// Characters scanned since the start (for tests that count work instead of timing it).
    public private(set) var scannedCharacters = 0

    public init() {}

    /// Adds one line (without its line break) and returns whether all the lines so far are complete.
    public mutating func append(line: String) -> InputCompleteness {
        var characters = Array(line)
        if hasLines { feed(heldCR ? ["\r\n"] : ["\n"]) }
        hasLines = true
        heldCR = characters.last == "\r"
        if heldCR { characters.removeLast() }
        feed(characters)
        // The answer with this line's own line break (not counted: the next line's separator is that break).
        var probe = state
        _ = probe.scan(heldCR ? ["\r\n"] : ["\n"], at: 0)
        return probe.completeness
    }

    /// Starts over for a new statement (the count of scanned characters goes on).
    public mutating func reset() {
        let scanned = scannedCharacters
        self = LineCompleteness()
        scannedCharacters = scanned
    }

    private mutating func feed(_ characters: [Character]) {
        var i = 0
        while i < characters.count { i = state.scan(characters, at: i) }
        scannedCharacters += characters.count
    }
}

/// The splitter's state at a point in the text; mirrors `Scanner.nextStatement` one character at a time.
///
/// Only what decides completeness is kept: statement text and locations are not.
/// Lookahead never crosses the end of a chunk: a chunk always ends where a line break
/// or the end of the text follows, and every lookahead (`''`, `--`, a `\` followed only
/// by blanks) treats those two alike.
private struct ScanState: Sendable {
    /// `quote(open, close)`: `'…'`, `"…"`, and in SQL `` `…` `` and `[…]`; `blockComment(afterStar:)`: `/* … */` in SQL.
    enum Mode: Sendable { case normal, quote(Character, Character), comment, blockComment(afterStar: Bool), join }
    var mode = Mode.normal
    /// Whether the statement is SQL, as the splitter decides it.
    var sql = SQLStatementStart()
    var depth = 0
    /// The last character scanned belonged to a line join (so an end here is a trailing backslash).
    var joined = false
    /// The last character outside blanks and comments was `,`: a line break does not end the statement.
    var comma = false

    var completeness: InputCompleteness {
        switch mode {
        case .quote(let q, _): return .needsContinuation(q == "'" ? .unclosedString : .unclosedQuotedIdentifier)
        case .blockComment: return .needsContinuation(.unclosedComment)
        case .join: return .needsContinuation(.trailingBackslash)
        case .normal, .comment:
            if joined { return .needsContinuation(.trailingBackslash) }
            if depth > 0 { return .needsContinuation(.unclosedParenthesis) }
            return comma ? .needsContinuation(.trailingComma) : .complete
        }
    }

    /// Scans the character at `i` (and a doubled quote's partner) and returns the next index.
    mutating func scan(_ cs: [Character], at i: Int) -> Int {
        let c = cs[i]
        let next: Character? = i + 1 < cs.count ? cs[i + 1] : nil
        switch mode {
        case .quote(let q, let close):
            guard c == close else { return i + 1 }
            if q == close && next == q { return i + 2 }  // a doubled quote stays inside (`]` is never doubled)
            mode = .normal
            return i + 1
        case .blockComment(let afterStar):
            mode = afterStar && c == "/" ? .normal : .blockComment(afterStar: c == "*")
            return i + 1
        case .comment:
            guard c.isNewline else { return i + 1 }
            mode = .normal
            return scan(cs, at: i)
        case .join:
            if c == " " || c == "\t" { return i + 1 }
            mode = .normal
            if c.isNewline { return i + 1 }  // the joined line break
            joined = false
            return scan(cs, at: i)
        case .normal:
            joined = false
            if c == "\\" && Self.onlyBlanksFollow(cs, after: i) {
                sql.feed(UInt8(ascii: " "))
                mode = .join
                joined = true
                return i + 1
            }
            if (c.isNewline && !comma || c == ";") && depth <= 0 {
                depth = 0  // a new statement
                comma = false
                sql = SQLStatementStart()
                return i + 1
            }
            if c == " " || c == "\t" || c.isNewline {
                sql.feed(c.asciiValue ?? UTF8Characters.other, isNewline: c.isNewline)
                return i + 1
            }
            if c == "#" || (c == "-" && next == "-") {
                sql.feed(UInt8(ascii: " "))
                mode = .comment  // a comment keeps what came before it: `kpi gmv, # more below` goes on
                return i + 1
            }
            if c == "/" && next == "*" && sql.awaitsFirstWord {
                mode = .blockComment(afterStar: false)  // a comment before the first word
                return i + 2
            }
            sql.feed(c.utf8.count == 1 ? c.asciiValue ?? UTF8Characters.other : UTF8Characters.other)
            if sql.isSQL && c == "/" && next == "*" {
                mode = .blockComment(afterStar: false)
                return i + 2  // the opening `*` does not close it (`/*/` is still open), as in SQLite
            }
            comma = c == ","
            if c == "'" || c == "\"" || (sql.isSQL && c == "`") {
                mode = .quote(c, c)
            } else if sql.isSQL && c == "[" {
                mode = .quote(c, "]")
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
            }
            return i + 1
        }
    }

    /// Whether only spaces and tabs follow index `i` up to a line break or the end of the chunk.
    static func onlyBlanksFollow(_ cs: [Character], after i: Int) -> Bool {
        var j = i + 1
        while j < cs.count, cs[j] == " " || cs[j] == "\t" { j += 1 }
        return j == cs.count || cs[j].isNewline
    }
}
