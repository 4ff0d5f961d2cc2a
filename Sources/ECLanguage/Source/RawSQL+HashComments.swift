extension RawSQL {
    /// `text` with each `#` comment (from `#` outside quotes and `--` comments to the end of its line)
    /// turned into spaces, one per Character, so SQLite — which has no `#` comments — reads the SQL
    /// the way ecsh's statement scanner does, and its error offsets still map to the source columns
    /// (`location(ofUTF8Offset:)` counts Characters). Quotes are `'…'` and `"…"`, as the scanner knows them.
    static func blankingHashComments(_ text: String) -> String {
        guard text.contains("#") else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var quote: Character?
        var comment: Character?  // "#" blanks to the line end, "-" keeps a `--` comment as written
        var previous: Character?
        for c in text {
            defer { previous = c }
            if c.isNewline { comment = nil; out.append(c); continue }  // a quote stays open across lines
            if let open = comment {
                out.append(open == "#" ? " " : c)
                continue
            }
            if let open = quote {
                if c == open { quote = nil }  // a doubled quote closes and reopens: the same text
                out.append(c)
                continue
            }
            switch c {
            case "'", "\"": quote = c; out.append(c)
            case "#": comment = "#"; out.append(" ")
            case "-" where previous == "-": comment = "-"; out.append(c)
            default: out.append(c)
            }
        }
        return out
    }
}
