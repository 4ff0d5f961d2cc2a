extension RawSQL {
    /// The SQL of a `sql` statement (or bare SQL) as SQLite should read it: each `#` comment blanked
    /// (`blankingHashComments`), and an error for a `/* … */` comment left open. SQLite accepts an
    /// open one and skips the rest, so in a script every statement after it — the scanner runs it
    /// to the end of the file — would be skipped without a word (the sqlite3 shell says
    /// "incomplete SQL" there too).
    static func reading(_ text: String, range: SourceRange) throws(Diagnostic) -> RawSQL {
        let (blanked, openComment) = blankingHashComments(text)
        let sql = RawSQL(text: blanked, range: range)
        if let offset = openComment {
            throw unterminatedComment(at: sql.location(ofUTF8Offset: offset))
        }
        return sql
    }

    /// The error for a `/*` at `start` left open (in SQL, or before a statement's first word).
    static func unterminatedComment(at start: SourceLocation) -> Diagnostic {
        Diagnostic("unterminated comment", at: SourceRange(start: start, end: SourceLocation(line: start.line, column: start.column + 2)),
                   note: "close it with */; SQLite would skip everything after /*, in a script every line to the end of the file")
    }

    /// `text` with each `#` comment (from `#` outside quotes and comments to the end of its line)
    /// turned into spaces, one per Character, so SQLite — which has no `#` comments — reads the SQL
    /// the way ecsh's statement scanner does, and its error offsets still map to the source columns
    /// (`location(ofUTF8Offset:)` counts Characters). It reads SQL as the scanner does in a SQL
    /// statement: quotes `'…'`, `"…"`, `` `…` `` and `[…]`, comments `--` and `/* … */`, which keep
    /// a `#` as written. Also returns the UTF-8 offset of a `/*` left open, if there is one.
    static func blankingHashComments(_ text: String) -> (text: String, openComment: Int?) {
        guard text.contains("#") || text.contains("/*") else { return (text, nil) }
        enum State { case sql, quote(Character), lineComment(blanks: Bool), blockComment(afterStar: Bool) }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var state = State.sql
        var previous: Character?  // the previous Character read as SQL (not in a quote or comment)
        var offset = 0, commentStart = 0
        for c in text {
            defer { offset += c.utf8.count }
            switch state {
            case .lineComment(let blanks):
                if c.isNewline { state = .sql; out.append(c) } else { out.append(blanks ? " " : c) }
                previous = nil
                continue
            case .quote(let close):
                if c == close { state = .sql }  // a doubled quote closes and reopens: the same text
                out.append(c)
                previous = nil
                continue
            case .blockComment(let afterStar):
                state = afterStar && c == "/" ? .sql : .blockComment(afterStar: c == "*")
                out.append(c)
                previous = nil
                continue
            case .sql:
                break
            }
            switch c {
            case "'", "\"", "`": state = .quote(c); out.append(c)
            case "[": state = .quote("]"); out.append(c)
            case "#": state = .lineComment(blanks: true); out.append(" ")
            case "-" where previous == "-": state = .lineComment(blanks: false); out.append(c)
            case "*" where previous == "/": state = .blockComment(afterStar: false); commentStart = offset - 1; out.append(c)
            default: out.append(c)
            }
            previous = c
        }
        if case .blockComment = state { return (out, commentStart) }
        return (out, nil)
    }
}
