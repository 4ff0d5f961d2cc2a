import CReadline
import ECStore
import Foundation
import Synchronization

/// Line editing on a terminal through GNU readline's callback interface.
///
/// `readline()` itself keeps a half-typed line across Ctrl-C, so this reader
/// works as CPython's readline module does: it installs a line handler
/// (`rl_callback_handler_install`), waits for keys with `poll`, and feeds them
/// one at a time to `rl_callback_read_char`. Readline's own signal handlers
/// are off (`rl_catch_signals = 0`); our SIGINT handler raises
/// `InterruptFlag.shared` and interrupts `poll` with EINTR, and the loop then
/// throws the line away and returns `.interrupted`.
///
/// Readline is one per process, so there should be one reader at a time.
/// See https://tiswww.case.edu/php/chet/readline/readline.html#Alternate-Interface
public final class ReadlineLineReader: LineReader {
    /// Completion candidates for the word being typed.
    ///
    /// Called with the whole line, the character offset where the word starts
    /// and the word itself (without an opening quote). Candidates that do not
    /// start with the word (ignoring case) are dropped.
    public var completer: (@Sendable (_ line: String, _ wordStart: Int, _ word: String) -> [String])? {
        get { ReadlineState.completer.withLock { $0 } }
        set { ReadlineState.completer.withLock { $0 = newValue } }
    }

    private var history: HistoryFile
    private let interruptFlag: InterruptFlag
    private var closed = false

    /// Characters that end a word for completion: blanks, operators, brackets
    /// and quotes (so `"Created at` completes inside the quotes).
    static let wordBreakCharacters = " \t\n\"'`()[]{},;=<>+-*/%|&!.#"

    /// Sets readline up for ecsh and loads the history.
    /// - Parameters:
    ///   - historyPath: the history file (see `HistoryFile.defaultPath()`).
    ///   - historyLimit: how many statements to keep.
    public init(historyPath: String, historyLimit: Int = 1000, interruptFlag: InterruptFlag = .shared) {
        self.interruptFlag = interruptFlag
        history = HistoryFile(path: historyPath, limit: historyLimit)
        SignalHandling.install()
        // Readline keeps these pointers: give it copies that live for the process.
        ecsh_rl_set_name(strdup("ecsh"))
        ecsh_rl_set_catch_signals(0)
        ecsh_rl_set_word_break_characters(strdup(Self.wordBreakCharacters))
        ecsh_rl_set_basic_quote_characters(strdup("\"'"))
        ecsh_rl_set_completion(ReadlineState.attemptCompletion)
        clear_history()
        stifle_history(Int32(clamping: historyLimit))
        for entry in history.entries { add_history(entry) }
    }

    deinit { close() }

    public var isInteractive: Bool { true }

    /// Reads one line with editing; Ctrl-C gives `.interrupted`, Ctrl-D on an empty line `.end`.
    public func readLine(prompt: String) -> LineInput {
        interruptFlag.clear()
        ReadlineState.pending.withLock { $0 = nil }
        using_history()  // Up starts from the newest entry again, even after a cancelled recall.
        rl_callback_handler_install(prompt, ReadlineState.lineArrived)
        while true {
            if interruptFlag.isRaised { return discardLine() }
            if SignalHandling.terminalResized.exchange(false, ordering: .relaxed) { rl_resize_terminal() }
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, -1)
            if ready < 0 {
                if errno == EINTR { continue }  // The flag check at the top decides.
                rl_callback_handler_remove()
                return .end
            }
            rl_callback_read_char()
            // On Ctrl-D readline itself moves to a fresh line.
            if let input = ReadlineState.pending.withLock({ $0.take() }) { return input }
        }
    }

    public func setStatementSoFar(_ lines: [String]) {
        // Joined by blanks: the completer reads words, and a line break between them is a blank.
        ReadlineState.statementSoFar.withLock { $0 = lines.map { $0 + " " }.joined() }
    }

    /// Adds a statement to readline's recall list and appends it to the history file.
    public func addHistory(_ entry: String) {
        guard history.add(entry) else { return }
        add_history(history.entries.last)
    }

    /// Saves the history (cut to its limit) and restores the terminal.
    public func close() {
        guard !closed else { return }
        closed = true
        history.save()
        rl_callback_handler_remove()
    }

    /// Ctrl-C while typing: forget the line, show `^C`, and leave the terminal ready for a new prompt.
    private func discardLine() -> LineInput {
        // Before the clean-up: it ends bracketed-paste mode with a carriage return,
        // and `^C` written after that would overwrite the prompt.
        Self.write("^C")
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_cleanup_after_signal()
        rl_callback_handler_remove()
        Self.write("\n")
        interruptFlag.clear()
        return .interrupted
    }

    private static func write(_ text: String) {
        ecsh_rl_write(text)
    }
}
