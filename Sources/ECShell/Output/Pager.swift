import Foundation
import ECStore
#if canImport(Glibc)
import Glibc
#endif

/// Shows text taller than the terminal through `$PAGER` (default `less -S`, which
/// scrolls wide tables sideways instead of wrapping them), as psql does with `\pset pager`.
enum Pager {
    /// The terminal's height in rows, or nil when standard output is not a terminal.
    static func terminalRows() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return Int(size.ws_row)
    }

    /// The terminal's width in columns, or nil when standard output is not a terminal.
    static func terminalColumns() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Whether `text` needs a pager on a terminal of `rows` rows (one row is kept for the prompt),
    /// or, given `columns`, has a line wider than that (`less -S` scrolls it sideways).
    static func needsPaging(_ text: String, rows: Int, columns: Int? = nil) -> Bool {
        var lines = 0
        for c in text.utf8 where c == UInt8(ascii: "\n") {
            lines += 1
            if lines >= rows { return true }
        }
        guard let columns else { return false }
        return text.split(separator: "\n", omittingEmptySubsequences: false).contains { DisplayWidth.of(withoutEscapes($0)) > columns }
    }

    /// A line without its colour escapes (ESC [ … letter), which take no room on the screen.
    static func withoutEscapes(_ line: Substring) -> String {
        var out = ""
        var inEscape = false
        for scalar in line.unicodeScalars {
            if inEscape {
                if ("@"..."~").contains(scalar) && scalar != "[" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// How a run of the pager ended.
    enum Outcome: Equatable {
        /// The pager ran and exited with status 0: the text was shown.
        case shown
        /// The pager could not be started.
        case notStarted
        /// The pager exited with a non-zero status or was killed (`status` as the shell reports
        /// it: 128 + N for signal N): it may not have shown the text.
        case failed(command: String, status: Int32)
    }

    /// Runs the pager with `text` on its standard input and waits for it.
    ///
    /// The pager runs in the shell's own process group, which is the terminal's foreground
    /// group when a person is typing: a pager in a group of its own (what Foundation's
    /// `Process` makes) is a background job, and reading the terminal for keys fails with
    /// EIO (`less` exits 1 at once, showing nothing). It is started with `posix_spawn`, the
    /// signals the shell catches or ignores back at their defaults and none blocked, so
    /// `less` handles Ctrl-C, resizes and a closed pipe as it does from any shell.
    static func show(_ text: String) -> Outcome {
        let environment = ProcessInfo.processInfo.environment
        let command = environment["PAGER"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? "less -S"
        var childEnvironment = environment
        // less shows colour escapes as text unless told otherwise.
        if childEnvironment["LESS"] == nil { childEnvironment["LESS"] = "-R" }

        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return .notStarted }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        defer { close(readEnd) }
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, readEnd)

        let arguments = ["/bin/sh", "-c", command]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = childEnvironment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        // No POSIX_SPAWN_SETPGROUP: the pager must stay in the terminal's foreground group.
        let spawned = ChildProcess.withAttributes(defaultSignals: [SIGINT, SIGQUIT, SIGPIPE, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD]) {
            posix_spawn(&pid, "/bin/sh", &actions, &$0, argv, envp)
        }
        guard spawned == 0 else {
            close(writeEnd)
            return .notStarted
        }
        close(readEnd)
        // A pager that quits early closes the pipe; SIGPIPE is ignored, so the write fails with
        // EPIPE and just stops.
        writeAll(Array(text.utf8), to: writeEnd)
        close(writeEnd)

        let exitCode = ChildProcess.wait(pid) ?? -1
        return exitCode == 0 ? .shown : .failed(command: command, status: exitCode)
    }

    /// Writes every byte, retrying after signals; stops at the first other error (a closed pipe).
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
