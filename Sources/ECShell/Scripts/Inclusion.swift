import Foundation
import ECLanguage

/// A `run` (or `.read`) statement that included the script running now: one level of the
/// "in outer.ecsh:3:1 (run 'inner.ecsh')" chain under an error inside a nested script.
struct Inclusion: Equatable {
    /// The including source: a script's path, `<stdin>`, `<command line>`, `<input>`.
    let sourceName: String
    let location: SourceLocation
    /// The statement's first line as written, cut to `shownLength` characters.
    let statement: String

    static let shownLength = 80

    init(_ statement: StatementText) {
        sourceName = statement.sourceName
        location = statement.start
        let firstLine = statement.text.prefix { !$0.isNewline }.trimmingCharacters(in: .whitespaces)
        self.statement = firstLine.count > Self.shownLength ? firstLine.prefix(Self.shownLength - 1) + "…" : firstLine
    }

    /// The chain's lines for `inclusions` (outermost first), innermost first as a compiler's
    /// "included from"; a level repeated in a row (a script that runs itself) is shown once with its count.
    /// A statement typed at the prompt is left out: it is on the screen just above.
    static func chain(_ inclusions: [Inclusion]) -> String {
        var lines = ""
        var levels = inclusions.reversed().filter { $0.sourceName != Session.interactiveSourceName }[...]
        while let level = levels.first {
            let repeats = levels.prefix { $0 == level }.count
            levels = levels.dropFirst(repeats)
            lines += "  in \(level.sourceName):\(level.location.line):\(level.location.column) (\(level.statement))"
                + (repeats > 1 ? " ×\(repeats)" : "") + "\n"
        }
        return lines
    }
}
