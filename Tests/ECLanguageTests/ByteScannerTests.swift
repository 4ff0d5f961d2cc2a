import Testing
import ECTestSupport
@testable import ECLanguage

/// The byte-level front end (statement splitting, the length check, error excerpts) against
/// the `[Character]` scanner it replaced, and the work it does on 1 MB statements counted
/// rather than timed (issue 13: "a 1 MB statement gets its error in well under a second").
@Suite struct ByteScannerTests {
    func reference(_ source: Source) -> [StatementText] {
        var scanner = CharacterScanner(text: source.text, start: source.startLocation)
        var statements: [StatementText] = []
        while let piece = scanner.nextStatement() {
            statements.append(StatementText(text: piece.text, start: piece.start, sourceName: source.name))
        }
        return statements
    }

    /// Statements compared scalar by scalar (`String`'s `==` would call "é" and "e\u{301}" equal).
    func exact(_ statements: [StatementText]) -> [String] {
        statements.map { "\($0.start.line):\($0.start.column) " + $0.text.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ") }
    }

    func referenceCompleteness(_ text: String) -> InputCompleteness {
        var scanner = CharacterScanner(text: text, start: loc(1, 1))
        while scanner.nextStatement() != nil {}
        return scanner.openReason.map { .needsContinuation($0) } ?? .complete
    }

    /// Hand-picked texts where a byte and a Character differ: a combining mark after a quote,
    /// `;`, `-` or `\` makes a different Character; `\r\n` is one line break; flags and emoji
    /// sequences are one Character each.
    @Test(arguments: [
        "kpi gmv; kpis\n tables",
        "x '\u{301}; y",                    // the quote takes the accent: no string starts
        "x ;\u{301} y\nz",                  // nor does this `;` end the statement
        "x -\u{301}- (\ny",                 // nor is this `--` a comment
        "x \\\u{301}\ny",                   // nor is this a line join
        "a 'é' ; b\r\nc\u{2028}d\u{85}e",
        "🇯🇵🇯🇵 'x'; 👩‍👩‍👧 (\n) 🇯",
        "x \\  \r\n  y; 'it''s' -- c\nz # d",
        "\u{301}\u{301}; '\u{301}'\u{301}",
    ])
    func agreesWithTheCharacterScanner(text: String) {
        let source = Source(name: "t", text: text, firstLine: 3)
        #expect(exact(StatementSplitter.split(source)) == exact(reference(source)))
        #expect(StatementSplitter.completeness(of: text) == referenceCompleteness(text))
    }

    /// 20,000 seeded random texts over the characters that matter, and those that make a byte
    /// differ from a Character (SplitMix64, seed 13).
    @Test func agreesWithTheCharacterScannerOnRandomText() {
        let alphabet: [String] = ["a", " ", "\t", "'", "\"", "(", ")", "\\", "#", "-", ";", "\n", "\r", "\r\n", "\u{2028}",
                                  "\u{85}", "\u{0B}", "é", "e\u{301}", "\u{301}", "\u{200D}", "👩", "🇯", "🇵", "👍🏽", "\u{0}"]
        var random = SplitMix64(seed: 13)
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...24, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "" }.joined()
            let source = Source(name: "t", text: text)
            if exact(StatementSplitter.split(source)) != exact(reference(source)) || StatementSplitter.completeness(of: text) != referenceCompleteness(text) {
                disagreements.append(text)
            }
        }
        #expect(disagreements.isEmpty, "first disagreements: \(disagreements.prefix(3).map { $0.debugDescription })")
    }
}

/// A 1 MB statement: the work of splitting it, checking its length and showing its error is
/// counted (Characters looked at), and must be about one look per Character; the
/// `[Character]` pipeline before looked at each several times through costly `Character`s
/// (0.62 s of CPU in the release binary), and the scanner before that was quadratic.
@Suite struct OneMegabyteStatementTests {
    func split(_ text: String) -> (statements: [StatementText], work: Int) {
        var work = 0
        let statements = StatementSplitter.split(Source(name: "big", text: text), work: &work)
        return (statements, work)
    }

    /// The three shapes of issue 13: a long bare word, a long string literal, a long `and` chain.
    /// Every Character is looked at once, and the one after a closing quote once more (does it
    /// double the quote?); there is no `-` or `\\` to look past.
    static let shapes: [(text: String, characters: Int, second: Int)] = [
        ("kpi " + String(repeating: "g", count: 1_000_000), 4 + 1_000_000, 0),
        ("kpi x where a = '" + String(repeating: "g", count: 1_000_000) + "'", 17 + 1_000_000 + 1, 1),
        ("segment c = " + Array(repeating: "a", count: 200_000).joined(separator: " and "), 12 + 200_000 + 199_999 * 5, 0),
    ]

    @Test(arguments: shapes)
    func isSplitInOneLookPerCharacterAndRefused(text: String, characters: Int, second: Int) throws {
        let (statements, work) = split(text + "\nkpis")
        #expect(statements.count == 2)
        #expect(work == characters + 1 + 4 + second)  // the statement, its line break, "kpis", looks again
        #expect(statements.first?.text.unicodeScalars.count == characters)
        #expect(statements.last?.start == loc(2, 1))
        guard let first = statements.first else { return }
        #expect(throws: Diagnostic("statement too long (more than 100000 characters)", at: SourceRange(at: loc(1, 100_001)),
                                   note: "load long lists from a file; split long scripts into statements")) {
            _ = try Parser.parse(first)
        }
    }

    /// The error's source line is a 160-Character window with the caret under column 100,001:
    /// from = 100,001 - 1 - 160/4 = 99,960, so the window shows Characters 99,961 to 100,120 after
    /// an "…", and the caret is at column 100,001 - 99,960 + 1 = 42 of it. Finding that looks at
    /// 100,121 Characters (up to the window's reach, 99,960 + 160 + 1) and steps again to 100,120:
    /// 200,241 in all, not the line's 1,000,004.
    @Test func itsErrorShowsAWindowAndLooksOnlyThatFar() {
        let text = "kpi " + String(repeating: "g", count: 1_000_000) + "\nkpis"
        let source = Source(name: "big", text: text)
        let excerpt = source.excerpt(line: 1, column: 100_001, width: 160)
        #expect(excerpt?.column == 42)
        #expect(excerpt?.work == 200_241)
        #expect(excerpt?.text == "…" + String(repeating: "g", count: 160) + "…")
        let rendered = DiagnosticRenderer().render(Diagnostic("statement too long", at: SourceRange(at: loc(1, 100_001))), in: source)
        #expect(rendered.contains("1 | …" + String(repeating: "g", count: 160) + "…\n  | " + String(repeating: " ", count: 41) + "^\n"))
    }

    /// The window against the `[Character]` one the renderer used before (kept here as the
    /// reference), on seeded random lines of 0 to 400 Characters with multi-byte Characters,
    /// at every kind of column (before, inside and after the line).
    @Test func excerptsMatchTheCharacterWindow() {
        let alphabet: [String] = ["a", "b", " ", "\t", "é", "e\u{301}", "🇯🇵", "👩‍👩‍👧", "日"]
        var random = SplitMix64(seed: 160)
        for _ in 0..<2_000 {
            let lines = (0..<3).map { _ in (0..<Int.random(in: 0...400, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "" }.joined() }
            let breaks = ["\n", "\r\n", "\r", "\u{2028}", "\u{2029}", "\u{85}", "\u{0B}", "\u{0C}"]
            let text = lines[0] + (breaks.randomElement(using: &random) ?? "\n") + lines[1] + (breaks.randomElement(using: &random) ?? "\n") + lines[2]
            let number = Int.random(in: 1...3, using: &random)
            let line = Array(lines[number - 1])
            let column = Int.random(in: 1...(line.count + 2), using: &random)
            let window = characterWindow(line, column: column)
            let excerpt = Source(name: "t", text: text, firstLine: 1).excerpt(line: number, column: column, width: 160)
            #expect(excerpt?.text.unicodeScalars.elementsEqual(window.text.unicodeScalars) == true && excerpt?.column == window.column,
                    "line \(number) column \(column) of \(text.debugDescription)")
        }
        #expect(Source(name: "t", text: "a\nb").excerpt(line: 3, column: 1, width: 160) == nil)
    }

    /// The window as the renderer cut it before, from the whole line's Characters.
    func characterWindow(_ line: [Character], column: Int) -> (text: String, column: Int) {
        let lineWindow = 160
        guard line.count > lineWindow else { return (String(line), column) }
        let from = max(0, min(column - 1 - lineWindow / 4, line.count - lineWindow))
        let to = min(line.count, from + lineWindow)
        let text = (from > 0 ? "…" : "") + String(line[from..<to]) + (to < line.count ? "…" : "")
        return (text, column - from + (from > 0 ? 1 : 0))
    }
}

/// The scanner `StatementSplitter` used before commit (issue 13, hardening round 3): a
/// `[Character]` walk, kept here unchanged as the reference the byte-level scanner must match.
struct CharacterScanner {
    let characters: [Character]
    var index = 0
    var location: ECLanguage.SourceLocation
    /// Why the last statement was still open at the end of the text, if it was.
    var openReason: ContinuationReason?

    init(text: String, start: ECLanguage.SourceLocation) {
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
    mutating func nextStatement() -> (text: String, start: ECLanguage.SourceLocation)? {
        while index < characters.count {
            openReason = nil
            // Characters, not a String: `count` must be O(1) so that splitting stays linear in the input.
            var text: [Character] = []
            var start: ECLanguage.SourceLocation?
            var depth = 0
            var lastContentLength = 0  // text length up to the last non-blank character
            var endsInComma = false
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
                if (c.isNewline && !endsInComma || c == ";") && depth <= 0 { _ = step(); endsInComma = false; break }
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
                    endsInComma = false
                    if !closed { openReason = c == "'" ? .unclosedString : .unclosedQuotedIdentifier }
                    continue
                }
                if c == "(" { depth += 1 }
                if c == ")" { depth -= 1 }
                text.append(step())
                if !(c == " " || c == "\t" || c.isNewline) { lastContentLength = text.count; endsInComma = c == "," }
            }
            if openReason == nil && depth > 0 { openReason = .unclosedParenthesis }
            if openReason == nil && endsInComma { openReason = .trailingComma }
            if let start {
                return (String(text[..<lastContentLength]), start)
            }
        }
        return nil
    }
}
