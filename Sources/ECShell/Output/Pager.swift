import Foundation
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

    /// Whether `text` needs a pager on a terminal of `rows` rows (one row is kept for the prompt).
    static func needsPaging(_ text: String, rows: Int) -> Bool {
        var lines = 0
        for c in text.utf8 where c == UInt8(ascii: "\n") {
            lines += 1
            if lines >= rows { return true }
        }
        return false
    }

    /// Runs the pager with `text` on its standard input and waits for it.
    /// False when it cannot be started (the caller then prints the text itself).
    static func show(_ text: String) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        let command = environment["PAGER"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? "less -S"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var childEnvironment = environment
        // less shows colour escapes as text unless told otherwise.
        if childEnvironment["LESS"] == nil { childEnvironment["LESS"] = "-R" }
        process.environment = childEnvironment
        let input = Pipe()
        process.standardInput = input
        do { try process.run() } catch { return false }
        // A pager that quits early closes the pipe; SIGPIPE is ignored, so the write just stops.
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return true
    }
}
