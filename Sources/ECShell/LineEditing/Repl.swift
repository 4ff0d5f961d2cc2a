import ECLanguage
import ECStore
import Foundation

/// The read-eval loop: reads lines until a statement is complete, then runs it.
///
/// Lines accumulate (shown with the continuation prompt) until the language's
/// splitter finds the text complete; the whole statement is then added to the
/// history and handed to `execute`. Each line is scanned once (`LineCompleteness`
/// keeps the splitter's state between lines), so typing or pasting a statement of
/// n lines costs O(n), not the O(n²) of rescanning everything typed so far. Ctrl-C while typing throws the statement away; Ctrl-D
/// or the end of the input ends the loop.
public final class Repl {
    /// Shown before the first line of a statement.
    public static let prompt = "ecsh> "
    /// Shown before each further line of an unfinished statement.
    public static let continuationPrompt = "  ...> "

    private let reader: any LineReader
    private var completeness = LineCompleteness()
    private let execute: (String) -> Void
    private let stopRequested: () -> Bool
    private let interruptFlag: InterruptFlag

    /// Characters the completeness check has scanned so far (tests count work with it).
    public var scannedCharacters: Int { completeness.scannedCharacters }

    /// - Parameters:
    ///   - reader: where lines come from (`LineReaders.standardInput()` for the real shell).
    ///   - stopRequested: asked after each statement; true ends the loop (`quit`).
    ///   - execute: runs one statement (its lines, each ended by `\n`; an unfinished one at the
    ///     end of the input has no last `\n`); it reports its own errors.
    public init(
        reader: any LineReader,
        interruptFlag: InterruptFlag = .shared,
        stopRequested: @escaping () -> Bool = { false },
        execute: @escaping (String) -> Void
    ) {
        self.reader = reader
        self.interruptFlag = interruptFlag
        self.stopRequested = stopRequested
        self.execute = execute
    }

    /// Why the loop ended.
    public enum Ending: Sendable, Equatable {
        /// Ctrl-D, or the end of the script.
        case endOfInput
        /// Ctrl-C stopped a script (the caller may exit with status 130).
        case interrupted
        /// A statement asked to leave (`quit`, `exit`, `.quit`).
        case stopped
    }

    /// Runs statements until the input ends. A script (non-interactive input)
    /// also stops when Ctrl-C interrupted it, instead of going on to the next statement.
    @discardableResult
    public func run() -> Ending {
        var lines: [String] = []
        while true {
            let prompt = lines.isEmpty ? Self.prompt : Self.continuationPrompt
            reader.setStatementSoFar(lines)
            switch reader.readLine(prompt: prompt) {
            case .line(let line):
                if lines.isEmpty && line.allSatisfy(\.isWhitespace) { continue }
                lines.append(line)
                guard completeness.append(line: line) == .complete else { continue }
                let statement = lines.joined(separator: "\n")
                lines.removeAll()
                completeness.reset()
                // Stored before running, so a statement that crashes the shell can be recalled.
                reader.addHistory(statement)
                interruptFlag.clear()
                // With the Enter that completed it: after `kpi gmv \` ⏎ ⏎ that line break ends the
                // statement (`LineCompleteness`); without it the `\` would join to no line.
                execute(statement + "\n")
                if stopRequested() { return .stopped }
                if !reader.isInteractive && interruptFlag.isRaised { return .interrupted }
            case .interrupted:
                lines.removeAll()
                completeness.reset()
                if !reader.isInteractive { return .interrupted }
            case .end:
                // An unfinished last statement still runs, so its error (say, an
                // unclosed quote) is reported instead of silently dropped; it goes
                // into the history like any statement that ran, to be fixed next time.
                if !lines.isEmpty {
                    let statement = lines.joined(separator: "\n")
                    reader.addHistory(statement)
                    interruptFlag.clear()
                    execute(statement)
                }
                return .endOfInput
            }
        }
    }
}
