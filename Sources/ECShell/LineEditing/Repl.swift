import ECStore
import Foundation

/// The read-eval loop: reads lines until a statement is complete, then runs it.
///
/// Lines accumulate (shown with the continuation prompt) until `isComplete`
/// accepts the text; the whole statement is then added to the history and
/// handed to `execute`. Ctrl-C while typing throws the statement away; Ctrl-D
/// or the end of the input ends the loop.
public final class Repl {
    /// Shown before the first line of a statement.
    public static let prompt = "ecsh> "
    /// Shown before each further line of an unfinished statement.
    public static let continuationPrompt = "  ...> "

    private let reader: any LineReader
    private let isComplete: (String) -> Bool
    private let execute: (String) -> Void
    private let interruptFlag: InterruptFlag

    /// - Parameters:
    ///   - reader: where lines come from (`LineReaders.standardInput()` for the real shell).
    ///   - isComplete: whether the accumulated text (lines joined with `\n`) is a whole statement.
    ///   - execute: runs one statement; it reports its own errors.
    public init(
        reader: any LineReader,
        interruptFlag: InterruptFlag = .shared,
        isComplete: @escaping (String) -> Bool,
        execute: @escaping (String) -> Void
    ) {
        self.reader = reader
        self.interruptFlag = interruptFlag
        self.isComplete = isComplete
        self.execute = execute
    }

    /// Why the loop ended.
    public enum Ending: Sendable, Equatable {
        /// Ctrl-D, or the end of the script.
        case endOfInput
        /// Ctrl-C stopped a script (the caller may exit with status 130).
        case interrupted
    }

    /// Runs statements until the input ends. A script (non-interactive input)
    /// also stops when Ctrl-C interrupted it, instead of going on to the next statement.
    @discardableResult
    public func run() -> Ending {
        var lines: [String] = []
        while true {
            let prompt = lines.isEmpty ? Self.prompt : Self.continuationPrompt
            switch reader.readLine(prompt: prompt) {
            case .line(let line):
                if lines.isEmpty && line.allSatisfy(\.isWhitespace) { continue }
                lines.append(line)
                let statement = lines.joined(separator: "\n")
                guard isComplete(statement) else { continue }
                lines.removeAll()
                // Stored before running, so a statement that crashes the shell can be recalled.
                reader.addHistory(statement)
                interruptFlag.clear()
                execute(statement)
                if !reader.isInteractive && interruptFlag.isRaised { return .interrupted }
            case .interrupted:
                lines.removeAll()
                if !reader.isInteractive { return .interrupted }
            case .end:
                // An unfinished last statement still runs, so its error (say, an
                // unclosed quote) is reported instead of silently dropped.
                if !lines.isEmpty {
                    interruptFlag.clear()
                    execute(lines.joined(separator: "\n"))
                }
                return .endOfInput
            }
        }
    }
}

/// A simple completeness test for when the language's own is not at hand:
/// quotes closed, parentheses balanced, and no trailing backslash.
///
/// `'…'` and `"…"` quote (doubling escapes), `#` and `--` start comments.
public func isBalancedStatement(_ text: String) -> Bool {
    var depth = 0
    var quote: Character? = nil
    var chars = Array(text)
    var i = 0
    while i < chars.count {
        let ch = chars[i]
        if let open = quote {
            if ch == open { quote = nil }  // a doubled quote reopens at the next character
        } else if ch == "'" || ch == "\"" {
            quote = ch
        } else if ch == "(" {
            depth += 1
        } else if ch == ")" {
            depth = max(0, depth - 1)
        } else if ch == "#" || (ch == "-" && i + 1 < chars.count && chars[i + 1] == "-") {
            // Comment to the end of the line.
            while i < chars.count, chars[i] != "\n" { i += 1 }
            continue
        }
        i += 1
    }
    if quote != nil || depth > 0 { return false }
    while let last = chars.last, last == " " || last == "\t" { chars.removeLast() }
    return chars.last != "\\"
}
