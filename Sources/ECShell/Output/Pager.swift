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
