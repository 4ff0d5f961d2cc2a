import ECStore
/// Renders a diagnostic with its source line and a caret underline, in the style of rustc and swift-syntax:
///
/// ```
/// error: unknown KPI 'aovv'; did you mean 'aov'?
///  --> analysis.ecsh:3:5
///   |
/// 3 | kpi aovv by month
///   |     ^^^^
/// ```
public struct DiagnosticRenderer: Sendable {
    /// Whether to colour the output with ANSI escapes (the shell decides: TTY and no NO_COLOR).
    public var color: Bool

    public init(color: Bool = false) { self.color = color }

    /// The rendered text, ending with a line break, for a diagnostic in `source`.
    public func render(_ diagnostic: Diagnostic, in source: Source) -> String {
        render(diagnostic, sourceName: source.name) { number, column in
            source.excerpt(line: number, column: column, width: Self.lineWindow)
        }
    }

    /// The rendered text, ending with a line break. `sourceName` names the file; `line(n)` gives source line n.
    public func render(_ diagnostic: Diagnostic, sourceName: String, line: (Int) -> String?) -> String {
        render(diagnostic, sourceName: sourceName) { number, column in
            line(number).flatMap { Source(name: sourceName, text: $0).excerpt(line: 1, column: column, width: Self.lineWindow) }
        }
    }

    /// The rendered text; `excerpt(line, column)` gives the part of the source line to show.
    func render(_ diagnostic: Diagnostic, sourceName: String, excerpt: (Int, Int) -> LineExcerpt?) -> String {
        let start = diagnostic.range.start
        let gutter = String(start.line).count
        let pad = String(repeating: " ", count: gutter)
        var out = paint("error", "1;31") + paint(": " + Self.shortened(diagnostic.headline), "1") + "\n"
        out += pad + paint("--> ", "1;34") + "\(sourceName):\(start.line):\(start.column)\n"
        if let shownLine = excerpt(start.line, start.column) {
            let text = shownLine.text, column = shownLine.column
            let characters = Array(text)
            let before = characters.prefix(max(0, column - 1))
            // Underline to the range's end on this line, or to the line's end for multi-line ranges; at least one caret.
            let endColumn = diagnostic.range.end.line == start.line ? diagnostic.range.end.column : Int.max
            let underlined = characters.dropFirst(before.count).prefix(max(0, min(endColumn - start.column, characters.count)))
            let caretCount = max(1, DisplayWidth.of(String(underlined)))
            let shown = text.replacingTabs()
            out += pad + " " + paint("|", "1;34") + "\n"
            out += paint(String(start.line), "1;34") + " " + paint("|", "1;34") + " " + shown + "\n"
            out += pad + " " + paint("|", "1;34") + " " + String(repeating: " ", count: DisplayWidth.of(String(before)))
                + paint(String(repeating: "^", count: caretCount), "1;31") + "\n"
        }
        if let note = diagnostic.note {
            out += pad + " " + paint("= help: ", "1") + note + "\n"
        }
        return out
    }

    /// The longest source line shown whole; longer ones are cut to a window around the caret
    /// (`Source.excerpt(line:column:width:)`).
    static let lineWindow = 160

    /// A message cut in the middle when a name in it is huge (a 100,000-character word, say).
    static func shortened(_ message: String) -> String {
        guard message.count > 2 * lineWindow else { return message }
        return String(message.prefix(lineWindow)) + "…" + String(message.suffix(lineWindow / 2))
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m" + text + "\u{1B}[0m" : text
    }
}

private extension String {
    /// Tabs as four spaces, matching `DisplayWidth.of("\t")`.
    func replacingTabs() -> String {
        guard utf8.contains(UInt8(ascii: "\t")) else { return self }
        var out = ""
        for c in self { if c == "\t" { out += "    " } else { out.append(c) } }
        return out
    }
}
