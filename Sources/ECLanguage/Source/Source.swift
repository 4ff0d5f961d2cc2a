/// A text to run: a script file, standard input or a `-c` command line.
public struct Source: Sendable, Hashable {
    /// The file path, or `<stdin>` / `<command line>`; shown in diagnostics.
    public var name: String
    public var text: String
    /// The line number of the text's first line, so a statement read at line 37 of a script reports line 37.
    public var firstLine: Int

    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.firstLine = firstLine
    }

    /// The text of a 1-based line number (counted from `firstLine`), without its line break.
    public func line(_ number: Int) -> String? {
        let index = number - firstLine
        guard index >= 0 else { return nil }
        var current = 0
        var lineStart = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            if text[i].isNewline {
                if current == index { return String(text[lineStart..<i]) }
                current += 1
                lineStart = text.index(after: i)
            }
            i = text.index(after: i)
        }
        return current == index ? String(text[lineStart...]) : nil
    }

    /// Where the text starts.
    public var startLocation: SourceLocation { SourceLocation(line: firstLine, column: 1) }
}

extension SourceLocation {
    /// The location after stepping over one character: a line break starts the next line.
    func advanced(over character: Character) -> SourceLocation {
        character.isNewline ? SourceLocation(line: line + 1, column: 1) : SourceLocation(line: line, column: column + 1)
    }
}

extension SourceRange {
    /// An empty range at one location (for "expected …" at the end of input).
    public init(at location: SourceLocation) { self.init(start: location, end: location) }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }
}
