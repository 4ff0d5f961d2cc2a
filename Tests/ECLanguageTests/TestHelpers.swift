import ECLanguage

/// Input with the expected error range marked by « and »; returns the clean text and the range (1-based, one line).
func marked(_ text: String) -> (text: String, range: SourceRange) {
    var clean = ""
    var line = 1, column = 1
    var start = SourceLocation(line: 1, column: 1), end = start
    for c in text {
        if c == "«" { start = SourceLocation(line: line, column: column); continue }
        if c == "»" { end = SourceLocation(line: line, column: column); continue }
        clean.append(c)
        if c.isNewline { line += 1; column = 1 } else { column += 1 }
    }
    return (clean, SourceRange(start: start, end: end))
}

/// Parses one statement written at line 1, column 1.
func parse(_ text: String) throws -> StatementKind {
    guard let statement = try Parser.parse(StatementText(text: text, start: SourceLocation(line: 1, column: 1))) else {
        throw Diagnostic("empty", at: SourceRange(at: SourceLocation(line: 1, column: 1)))
    }
    return statement.kind
}

/// The diagnostic a statement fails with, or nil when it parses.
func parseError(_ text: String) -> Diagnostic? {
    do { _ = try Parser.parse(StatementText(text: text, start: SourceLocation(line: 1, column: 1))); return nil }
    catch { return error }
}

func loc(_ line: Int, _ column: Int) -> SourceLocation { SourceLocation(line: line, column: column) }
func span(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> SourceRange { SourceRange(start: loc(l1, c1), end: loc(l2, c2)) }

/// Names of identifiers, for compact assertions.
func names(_ ids: [Identifier]) -> [String] { ids.map(\.name) }
