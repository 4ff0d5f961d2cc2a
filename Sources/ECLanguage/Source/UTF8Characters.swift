/// A string's Characters stepped through by UTF-8 offset, one byte at a time where that is exact.
///
/// Why: statement splitting, the shell's dot-command check and error rendering ran over
/// `Array(text)` (a `Character` per element, each a small string compared by Unicode
/// rules); on a 1 MB statement that was most of half a second. Most source text is ASCII,
/// and between two ASCII scalars there is always a Character boundary except inside
/// `\r\n` (Unicode's grapheme rules GB3-GB5; no ASCII scalar extends or prepends). So an
/// ASCII byte followed by an ASCII byte is a whole Character by itself; only around
/// other bytes does this ask Swift for the Character, so the answers (what is a quote,
/// a line break, a column) are exactly those of iterating the `String`.
struct UTF8Characters {
    /// What the scanners need to know about one Character.
    struct Step {
        /// Its length in UTF-8 bytes.
        var length: Int
        /// Its byte when it is a single ASCII scalar; `UTF8Characters.other` otherwise.
        var ascii: UInt8
        /// `Character.isNewline` (`\n`, `\r`, `\r\n`, VT, FF, NEL, U+2028, U+2029).
        var isNewline: Bool
    }

    /// The `ascii` of a Character that is not a single ASCII scalar.
    static let other: UInt8 = 0xFF

    let text: String
    let bytes: [UInt8]

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    var count: Int { bytes.count }

    /// The Character starting at byte offset `i`, which must be a Character boundary below `count`.
    func step(at i: Int) -> Step {
        let b = bytes[i]
        if b < 0x80 {
            let next: UInt8 = i + 1 < bytes.count ? bytes[i + 1] : 0
            if next < 0x80 {
                if b == 0x0D && next == 0x0A { return Step(length: 2, ascii: Self.other, isNewline: true) }
                return Step(length: 1, ascii: b, isNewline: b >= 0x0A && b <= 0x0D)
            }
        }
        // A substring starting at a Character boundary segments onward exactly as the whole string does.
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: i)
        let rest = text[start...]
        guard let character = rest.first else { return Step(length: 1, ascii: Self.other, isNewline: false) }
        let length = character.utf8.count
        return Step(length: length, ascii: length == 1 ? b : Self.other, isNewline: character.isNewline)
    }

    /// The byte offset just after the `count`-th line break (0 for none), or nil when the
    /// text has fewer. Line-break scalars (LF, VT, FF, CR, NEL, U+2028, U+2029) are always
    /// Characters of their own (grapheme rules GB4 and GB5), except CR LF, which is one; so
    /// counting them byte by byte gives `Character.isNewline`'s count without forming Characters.
    func offset(afterLineBreaks count: Int) -> Int? {
        var remaining = count, i = 0
        while remaining > 0 {
            guard i < bytes.count else { return nil }
            let b = bytes[i]
            i += 1
            switch b {
            case 0x0A, 0x0B, 0x0C:
                remaining -= 1
            case 0x0D:
                if i < bytes.count && bytes[i] == 0x0A { i += 1 }
                remaining -= 1
            case 0xC2:
                if i < bytes.count && bytes[i] == 0x85 { i += 1; remaining -= 1 }
            case 0xE2:
                if i + 1 < bytes.count && bytes[i] == 0x80 && (bytes[i + 1] == 0xA8 || bytes[i + 1] == 0xA9) { i += 2; remaining -= 1 }
            default:
                break
            }
        }
        return i
    }
}

extension SourceLocation {
    /// The location after one Character: a line break starts the next line.
    func advanced(over step: UTF8Characters.Step) -> SourceLocation {
        step.isNewline ? SourceLocation(line: line + 1, column: 1) : SourceLocation(line: line, column: column + 1)
    }
}
