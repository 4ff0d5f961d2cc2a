/// Finds the dialect (delimiter, quote, escape, comment) that reads a sample most consistently,
/// in the manner of DuckDB's CSV sniffer.
///
/// Every candidate dialect parses the sample; one whose quoting breaks (a quote
/// never closed, text after a closing quote) is out. Of the rest, the winner
/// has every record with the same number of fields (or failing that, at least
/// 80% of them), then the most fields, then the most records that agree, then
/// the most usual settings (`,` `"` doubled quotes, no comments). Detection
/// costs a few parses of the sample: O(sample), whatever the file's size.
struct DialectSniffer {
    static let delimiters: [UInt8] = [44, 9, 59, 124]
    /// Records read per candidate.
    static let maxRecords = 500

    struct Score: Comparable {
        var tier: Int
        var fields: Int
        var agreeing: Int
        var preference: Int
        /// Records before the consistent part (not part of the comparison).
        var preamble = 0

        static func < (a: Score, b: Score) -> Bool {
            (a.tier, a.fields, a.agreeing, a.preference) < (b.tier, b.fields, b.agreeing, b.preference)
        }
    }

    /// The best dialect for `text`; `isWholeFile` says whether the sample's last line is complete.
    static func sniff(_ text: UnsafeBufferPointer<UInt8>, isWholeFile: Bool, delimiter: LoadOptions.Delimiter? = nil) -> CSVDialect {
        detect(text, isWholeFile: isWholeFile, delimiter: delimiter).dialect
    }

    /// The dialect, and how many records above the table to skip (titles, notes: a preamble
    /// whose records have fewer fields than every record after it).
    /// `options`: a quote, escape or comment the user set is the only candidate for it.
    static func detect(_ text: UnsafeBufferPointer<UInt8>, isWholeFile: Bool,
                       delimiter: LoadOptions.Delimiter? = nil, options: LoadOptions = LoadOptions()) -> (dialect: CSVDialect, preamble: Int) {
        // Quotes count only at the start of a field (after a possible delimiter, a line break or blanks):
        // an apostrophe inside "don't" is text in every dialect.
        var hasSingle = false, hasBackslash = false, hasHash = false, hasDouble = false
        var atLineStart = true
        var atFieldStart = true
        for b in text {
            switch b {
            case 39 where atFieldStart: hasSingle = true
            case 34 where atFieldStart: hasDouble = true
            case 92: hasBackslash = true
            case 35 where atLineStart: hasHash = true
            default: break
            }
            let blank = b == 32 || b == 9 || b == 13
            atLineStart = b == 10 || (atLineStart && blank)
            atFieldStart = b == 10 || b == 44 || b == 9 || b == 59 || b == 124 || (atFieldStart && blank)
        }
        var quotes: [UInt8?] = [34]
        if hasSingle { quotes.append(39) }
        quotes.append(nil)
        var escapes: [UInt8?] = hasBackslash ? [nil, 92] : [nil]
        var comments: [UInt8?] = hasHash ? [nil, 35] : [nil]
        if let q = options.quote { quotes = [CSVDialect.byte(q)] }
        if let e = options.escape { escapes = [CSVDialect.byte(e)] }
        if let c = options.comment { comments = [CSVDialect.byte(c)] }
        let delimiters: [UInt8]
        if case .byte(let d)? = delimiter { delimiters = [d] } else { delimiters = Self.delimiters }
        var best: (CSVDialect, Score)?
        /// Delimiters whose `"` reading has a quote never closed: a broken file, to be reported, not read another way.
        var unterminated = Set<UInt8>()
        for (di, d) in delimiters.enumerated() {
            for (qi, q) in quotes.enumerated() {
                for (ei, e) in escapes.enumerated() where q != nil || ei == 0 {
                    for (ci, c) in comments.enumerated() {
                        // A character has one role (a set quote `|` is not also a candidate delimiter).
                        if q == d || e == d || c == d || (c != nil && (c == q || c == e)) { continue }
                        let dialect = CSVDialect(delimiter: .byte(d), quote: q, escape: e, comment: c)
                        let outcome = parse(text, dialect, isWholeFile: isWholeFile)
                        if outcome == .unterminated && q == 34 && e == nil && c == nil { unterminated.insert(d) }
                        guard case .counts(let counts) = outcome else { continue }
                        // Quote styles that the sample never uses tie; only a used one earns its place
                        // (with none used, `"` wins by order and reads the same).
                        let quoteUsed = q.map { $0 == 34 ? hasDouble : hasSingle } ?? false
                        let preference = -(di * 100 + qi * 20 + ei * 5 + ci * 2) - (quoteUsed ? 0 : 1000)
                        guard var score = score(counts, preference: preference) else { continue }
                        // Read without quotes, a file whose every row has `"1,200"` has more fields in every row than
                        // its header, which then passes for a title: the columns split inside the numbers (a Yahoo! ad
                        // report loaded as `"12` and `000"`). Quotes as text that need a title where the sample
                        // quotes fields rank below the tier they reach.
                        if q == nil && hasDouble && score.preamble > 0 { score.tier -= 1 }
                        if best.map({ $0.1 < score }) ?? true { best = (dialect, score) }
                    }
                }
            }
        }
        if let best, best.1.fields > 1 || delimiter != nil {
            if best.0.quote == nil, options.quote == nil, case .byte(let d) = best.0.delimiter, unterminated.contains(d) {
                // Reading quotes as text would hide the unclosed quote: read RFC 4180 and report it.
                return (CSVDialect(delimiter: best.0.delimiter), 0)
            }
            return (best.0, best.1.preamble)
        }
        if delimiter == nil && Dialect.looksWhitespaceSeparated(text) { return (CSVDialect(delimiter: .whitespace, quote: nil), 0) }
        return (best?.0 ?? CSVDialect(delimiter: delimiter ?? .byte(44)), 0)
    }

    static func score(_ all: [Int], preference: Int) -> Score? {
        guard !all.isEmpty else { return nil }
        // A preamble: the first few records have fewer fields than all that follow.
        var preamble = 0
        if let last = all.last, all.count > 2 {
            var r = all.count - 1
            while r > 0 && all[r - 1] == last { r -= 1 }
            if r > 0 && r <= 20 && all.count - r >= 2 && all[..<r].allSatisfy({ $0 < last - 1 || $0 == 1 }) { preamble = r }
        }
        let counts = all[preamble...]
        var tally: [Int: Int] = [:]
        for c in counts { tally[c, default: 0] += 1 }
        guard let mode = tally.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }) else { return nil }
        // One field per record is what a wrong delimiter gives: it is consistent, but says nothing.
        let tier = mode.key < 2 ? -1 : mode.value == counts.count ? 2 : (mode.value * 10 >= counts.count * 8 ? 1 : 0)
        return Score(tier: tier, fields: mode.key, agreeing: mode.value, preference: preference, preamble: preamble)
    }

    /// Fields per record of the sample read in `dialect`; nil when its quoting breaks.
    /// A last record that the sample cuts off is left out.
    static func fieldCounts(_ text: UnsafeBufferPointer<UInt8>, _ dialect: CSVDialect, isWholeFile: Bool) -> [Int]? {
        if case .counts(let c) = parse(text, dialect, isWholeFile: isWholeFile) { return c }
        return nil
    }

    enum Outcome: Equatable {
        case counts([Int])
        /// A quote opens a field and is never closed.
        case unterminated
        /// Text follows a closing quote.
        case stray
    }

    static func parse(_ text: UnsafeBufferPointer<UInt8>, _ dialect: CSVDialect, isWholeFile: Bool) -> Outcome {
        guard case .byte(let delim) = dialect.delimiter else { return .stray }
        let q = dialect.quote.map(Int.init) ?? -1
        let esc = dialect.escape.map(Int.init) ?? q
        let comment = dialect.comment.map(Int.init) ?? -1
        let n = text.count
        var counts: [Int] = []
        var i = 0
        while i < n && counts.count < maxRecords {
            // Skip blank lines and comment lines.
            var j = i
            while j < n && (text[j] == 32 || text[j] == 9) && text[j] != delim { j += 1 }
            if j < n && (text[j] == 10 || text[j] == 13) { i = j + 1; continue }
            if j >= n { break }
            if Int(text[j]) == comment {
                while j < n && text[j] != 10 { j += 1 }
                i = j + 1
                continue
            }
            var fields = 1
            var complete = false
            while i < n {
                let b = text[i]
                if Int(b) == q && atFieldStart(text, i, delim) {
                    i += 1
                    var closed = false
                    while i < n {
                        let c = Int(text[i])
                        if c == esc && esc != q { i += 2; continue }
                        if c == q {
                            if esc == q && i + 1 < n && Int(text[i + 1]) == q { i += 2; continue }
                            closed = true
                            i += 1
                            break
                        }
                        i += 1
                    }
                    if !closed { return isWholeFile || counts.isEmpty ? .unterminated : .counts(counts) }
                    while i < n && (text[i] == 32 || text[i] == 9) && text[i] != delim { i += 1 }
                    if i < n && text[i] != delim && text[i] != 10 && text[i] != 13 && Int(text[i]) != comment { return .stray }
                    continue
                }
                if b == delim { fields += 1; i += 1; continue }
                if b == 10 || b == 13 || Int(b) == comment {
                    while i < n && text[i] != 10 { i += 1 }
                    i += 1
                    complete = true
                    break
                }
                i += 1
            }
            if complete || isWholeFile { counts.append(fields) }
        }
        return .counts(counts)
    }

    /// True at the start of a field, blanks before the quote allowed (`a, "b"`).
    @inline(__always)
    private static func atFieldStart(_ text: UnsafeBufferPointer<UInt8>, _ i: Int, _ delim: UInt8) -> Bool {
        var k = i
        while k > 0 && text[k - 1] == 32 && delim != 32 { k -= 1 }
        return k == 0 || text[k - 1] == delim || text[k - 1] == 10 || text[k - 1] == 13
    }
}
