/// Decides, from a statement's first words as a scanner meets them, whether the statement is SQL.
///
/// SQL statements (`sql …`, and the bare SQL of `Parser.startsBareSQL`: `select`, `with`,
/// `pragma`, `values`, `explain query plan`) reach SQLite as written, so the scanners must
/// read them as SQLite does: a `;` or a quote inside a `/* … */` comment, an `[identifier]`
/// or a `` `identifier` `` neither ends the statement nor opens a string
/// (<https://www.sqlite.org/lang_keywords.html>, <https://www.sqlite.org/lang_comment.html>).
/// ecsh's own statements have none of these, so there they stay ordinary characters.
/// `StatementScanner` and `LineCompleteness` both feed it, so they decide alike.
struct SQLStatementStart: Sendable, Hashable {
    private enum Phase: Sendable, Hashable { case firstWord, afterExplain, secondWord, decided }
    private var phase = Phase.firstWord
    /// The word being read, lowercased; longer than any of the words looked for means none of them.
    private var word: [UInt8] = []
    private var wordIsPlain = true
    /// True once the statement is known to be SQL.
    private(set) var isSQL = false

    private static let longestWord = 7  // "explain", "select", "pragma"

    /// True while nothing but blanks and comments has been fed: a `/* … */` here is a comment
    /// whatever the statement turns out to be (no ecsh statement starts with `/`), so
    /// `/* weekly */ select …` is still read as SQL, as SQLite and the sqlite3 shell read it.
    var awaitsFirstWord: Bool { phase == .firstWord && word.isEmpty && wordIsPlain }

    /// Feeds the statement's next Character outside quotes and comments as its ASCII byte
    /// (`UTF8Characters.other` for any other Character); a comment or a line join is fed as a blank.
    mutating func feed(_ c: UInt8, isNewline: Bool = false) {
        if phase == .decided { return }
        if !isNewline && (Self.isWordByte(c) || c == UTF8Characters.other) {
            if phase == .afterExplain { phase = .secondWord }
            if c == UTF8Characters.other || word.count >= Self.longestWord { wordIsPlain = false }
            if wordIsPlain { word.append(c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c | 0x20 : c) }
            return
        }
        let isSeparator = isNewline || c == UInt8(ascii: " ") || c == UInt8(ascii: "\t")
        switch phase {
        case .firstWord:
            if word.isEmpty && isSeparator { return }  // blanks before the statement
            if wordIsPlain && word == Array("explain".utf8) && isSeparator {
                phase = .afterExplain
                word = []
                return
            }
            decide(first: wordIsPlain ? word : [], second: nil)
        case .afterExplain:
            if isSeparator { return }
            decide(first: Array("explain".utf8), second: nil)
        case .secondWord:
            decide(first: Array("explain".utf8), second: wordIsPlain ? word : [])
        case .decided:
            return
        }
    }

    private mutating func decide(first: [UInt8], second: [UInt8]?) {
        let first = String(decoding: first, as: UTF8.self)
        isSQL = first == "sql" || Parser.startsBareSQL(first, second.map { String(decoding: $0, as: UTF8.self) })
        phase = .decided
        word = []
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
    }
}
