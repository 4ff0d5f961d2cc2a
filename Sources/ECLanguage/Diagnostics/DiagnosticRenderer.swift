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

    /// The rendered text, ending with a line break. `sourceName` names the file; `line(n)` gives source line n.
    public func render(_ diagnostic: Diagnostic, sourceName: String, line: (Int) -> String?) -> String {
        let start = diagnostic.range.start
        let gutter = String(start.line).count
        let pad = String(repeating: " ", count: gutter)
        var out = paint("error", "1;31") + paint(": " + diagnostic.headline, "1") + "\n"
        out += pad + paint("--> ", "1;34") + "\(sourceName):\(start.line):\(start.column)\n"
        if let text = line(start.line) {
            let characters = Array(text)
            let before = characters.prefix(max(0, start.column - 1))
            // Underline to the range's end on this line, or to the line's end for multi-line ranges; at least one caret.
            let endColumn = diagnostic.range.end.line == start.line ? diagnostic.range.end.column : characters.count + 1
            let underlined = characters.dropFirst(before.count).prefix(max(0, endColumn - start.column))
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

    /// Renders against a whole source (its name and lines).
    public func render(_ diagnostic: Diagnostic, in source: Source) -> String {
        render(diagnostic, sourceName: source.name, line: source.line)
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m" + text + "\u{1B}[0m" : text
    }
}

private extension String {
    /// Tabs as four spaces, matching `DisplayWidth.of("\t")`.
    func replacingTabs() -> String {
        var out = ""
        for c in self { if c == "\t" { out += "    " } else { out.append(c) } }
        return out
    }
}
