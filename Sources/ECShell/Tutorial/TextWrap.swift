#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ECRender
import ECStore

/// Word wrapping for prose (lesson text, interpretations), by display width so
/// Japanese text and symbols such as ¥ and × count as they show.
enum TextWrap {
    /// Columns to wrap to: the terminal's width on a terminal, else $COLUMNS, else 80; at least 40, at most 100
    /// (long lines of prose are hard to read even on a wide terminal).
    static func width(isTerminal: Bool) -> Int {
        var columns = isTerminal ? Pager.terminalColumns() ?? 0 : 0
        if columns == 0, let text = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(text) { columns = n }
        if columns == 0 { columns = 80 }
        return min(100, max(40, columns))
    }

    /// `text` wrapped at word boundaries to `width` columns; each paragraph ("\n") wrapped alone.
    /// Continuation lines get `indent`; a word longer than a line stays whole.
    static func wrap(_ text: String, width: Int, indent: String = "") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { paragraph -> String in
            var lines: [String] = []
            var line = ""
            var used = 0
            var hasWord = false
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                let w = DisplayWidth.of(String(word))
                if hasWord && used + 1 + w > width {
                    lines.append(line)
                    line = indent
                    used = DisplayWidth.of(indent)
                    hasWord = false
                }
                if hasWord {
                    line += " "
                    used += 1
                }
                line += word
                used += w
                hasWord = true
            }
            lines.append(line)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
