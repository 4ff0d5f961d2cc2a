import Foundation

/// What one read from the user produced.
public enum LineInput: Sendable, Equatable {
    /// A complete line, without its line ending.
    case line(String)
    /// Ctrl-C discarded the half-typed line (or a script read was interrupted).
    case interrupted
    /// Ctrl-D on an empty line, or the end of the input.
    case end
}

/// Where the shell's input lines come from: readline on a terminal, plain
/// reading for pipes, files and tests.
public protocol LineReader: AnyObject {
    /// Reads one line, showing `prompt` first when the reader is interactive.
    func readLine(prompt: String) -> LineInput
    /// Remembers a whole statement for recall (Up) and for later sessions.
    func addHistory(_ entry: String)
    /// True when a person is typing: prompts and line editing are shown.
    var isInteractive: Bool { get }
    /// Saves what must outlive the session (history) and restores the terminal.
    func close()
    /// The lines already typed of the statement the next line continues (none for a new statement),
    /// so that Tab on `  ...> ao` after `kpi gmv,` completes a KPI name, not a command.
    func setStatementSoFar(_ lines: [String])
}

extension LineReader {
    public var isInteractive: Bool { false }
    public func close() {}
    public func setStatementSoFar(_ lines: [String]) {}
}

/// Picks the reader for the standard input.
public enum LineReaders {
    /// Readline when standard input is a terminal, plain reading otherwise.
    /// Either way Ctrl-C from now on raises `InterruptFlag.shared` (see `SignalHandling`).
    ///
    /// - Parameter historyPath: the history file for the terminal reader;
    ///   `HistoryFile.defaultPath()` when nil.
    public static func standardInput(historyPath: String? = nil) -> any LineReader {
        SignalHandling.install()
        if isatty(STDIN_FILENO) == 1 {
            return ReadlineLineReader(historyPath: historyPath ?? HistoryFile.defaultPath())
        }
        return PlainLineReader(fileDescriptor: STDIN_FILENO)
    }
}
