import Foundation
import ECStore

/// A program running in a real terminal (a detached tmux pane), driven by keys
/// and read back from the screen, for end-to-end tests of line editing.
///
/// Every session has its own tmux server (`-L` socket name), so tests running
/// in parallel never see each other's panes. The pane stays on screen after the
/// program exits (`remain-on-exit`) so a test can read its last words and exit status.
public final class TmuxSession {
    /// The tmux server's socket name, unique to this session.
    public let socketName: String
    private let directory: TemporaryDirectory
    private var closed = false

    /// Whether tmux can be run here.
    public static var isAvailable: Bool { executablePath("tmux") != nil }

    /// Starts `command` in a detached pane of `width`×`height` characters.
    /// - Parameter environment: added to this process's environment; `NO_COLOR=1` is always set.
    public init(command: [String], environment: [String: String] = [:], width: Int = 100, height: Int = 30) throws {
        guard Self.isAvailable else { throw TmuxError("tmux is not installed; install it with: apt-get install tmux") }
        socketName = "ecsh-test-\(UUID().uuidString.prefix(12))"
        directory = try TemporaryDirectory("ecsh-tmux")
        // No user configuration; no status line, so the pane is the whole screen.
        let config = try directory.write("tmux.conf", """
            set -g remain-on-exit on
            set -g status off
            set -g history-limit 5000
            set -g default-terminal screen
            """)
        var env = environment
        env["NO_COLOR"] = "1"
        // Empty unless a test sets them: set and not empty, either would colour the pane over NO_COLOR.
        env["FORCE_COLOR"] = env["FORCE_COLOR"] ?? ""
        env["CLICOLOR_FORCE"] = env["CLICOLOR_FORCE"] ?? ""
        var arguments = ["-f", config, "new-session", "-d", "-x", "\(width)", "-y", "\(height)"]
        for (key, value) in env.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        // The wrapper prints the exit status: tmux does not always record it (a pane
        // whose terminal closes before the process is reaped has none).
        // The trap keeps the wrapper alive through Ctrl-C (which the whole foreground
        // group receives) without making the program ignore it: traps reset on exec.
        let wrapper = ["sh", "-c", "trap : INT; \"$@\"; echo \"\(Self.exitMarker)$?]\"", "sh"] + command
        arguments.append(wrapper.map(Self.shellQuoted).joined(separator: " "))
        try run(arguments, environment: env)
    }

    deinit { close() }

    /// Types `text` literally (no key names are interpreted).
    public func type(_ text: String) throws {
        try run(["send-keys", "-t", "0", "-l", text])
    }

    /// Presses keys by tmux name: `Enter`, `Tab`, `Up`, `C-c`, `C-d`, …
    public func press(_ keys: String...) throws {
        try run(["send-keys", "-t", "0"] + keys)
    }

    /// The screen and its scrollback, one string per row (wrapped rows joined),
    /// trailing blanks removed.
    ///
    /// The scrollback matters: when the program exits, tmux scrolls its last
    /// screen away to show "Pane is dead".
    public func screenLines() throws -> [String] {
        let text = try run(["capture-pane", "-p", "-J", "-S", "-", "-t", "0"])
        var lines = text.components(separatedBy: "\n")
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
    }

    /// The screen and its scrollback as one text.
    public func screen() throws -> String { try screenLines().joined(separator: "\n") }

    /// Waits until the screen contains `text`.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(10)) throws -> [String] {
        try waitUntil("the screen shows \"\(text)\"", timeout: timeout) { $0.joined(separator: "\n").contains(text) }
    }

    /// Waits until `condition` holds for the screen's lines, polling every 50 ms.
    /// - Throws: `TmuxError` with the last screen when the time runs out.
    @discardableResult
    public func waitUntil(
        _ description: String, timeout: Duration = .seconds(10), _ condition: ([String]) -> Bool
    ) throws -> [String] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let lines = try screenLines()
            if condition(lines) { return lines }
            if clock.now >= deadline {
                throw TmuxError("timed out after \(timeout) waiting until \(description); screen:\n\(lines.joined(separator: "\n"))")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// What the wrapper shell prints when the program ends: `[exited with status N]`.
    static let exitMarker = "[exited with status "

    /// The program's exit status once it has ended, or nil while it runs.
    public func exitStatus() throws -> Int32? {
        guard let line = try screenLines().last(where: { $0.hasPrefix(Self.exitMarker) }) else { return nil }
        return Int32(line.dropFirst(Self.exitMarker.count).dropLast())
    }

    /// Waits for the program to end and returns its exit status.
    public func waitForExit(timeout: Duration = .seconds(10)) throws -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let status = try exitStatus() { return status }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TmuxError("the program did not exit within \(timeout); screen:\n\(try screen())")
    }

    /// Stops the program and this session's tmux server.
    public func close() {
        guard !closed else { return }
        closed = true
        _ = try? run(["kill-server"])
        // tmux leaves its socket behind; it is ours alone, so remove it.
        let socketFolder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        unlink("\(socketFolder)/tmux-\(getuid())/\(socketName)")
        directory.remove()
    }

    @discardableResult
    private func run(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let tmux = Self.executablePath("tmux") ?? "/usr/bin/tmux"
        var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // tmux refuses to start its server without a usable TERM (CI has none).
        if env["TERM"].map({ $0.isEmpty || $0 == "dumb" }) ?? true { env["TERM"] = "xterm-256color" }
        env.removeValue(forKey: "TMUX")  // never talk to a tmux the tests themselves run inside
        // Output goes to files, not pipes: the server `new-session` forks inherits
        // them, and a pipe it held open would never reach end-of-file.
        let outputPath = directory.path("tmux.out")
        let errorPath = directory.path("tmux.err")
        let status = try Self.spawnAndWait(
            tmux, ["tmux", "-L", socketName] + arguments,
            environment: env.map { "\($0.key)=\($0.value)" }, output: outputPath, errors: errorPath)
        let output = FileManager.default.contents(atPath: outputPath) ?? Data()
        guard status == 0 else {
            let errorData = FileManager.default.contents(atPath: errorPath) ?? Data()
            let message = String(decoding: errorData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TmuxError("tmux \(arguments.first ?? "") failed (status \(status)): \(message)")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Runs a program to its end with posix_spawn and waitpid.
    ///
    /// Not Foundation's `Process`: on Linux its `waitUntilExit` was seen to hang
    /// when tests run in parallel, leaving the exited tmux client unreaped.
    private static func spawnAndWait(
        _ path: String, _ arguments: [String], environment: [String], output: String, errors: String
    ) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // Test runners call this from worker threads that block signals, and a
        // spawned program inherits that mask: the shell would never see Ctrl-C.
        var pid = pid_t()
        let rc = ChildProcess.withAttributes(defaultSignals: [SIGINT, SIGQUIT, SIGPIPE, SIGCHLD, SIGWINCH, SIGTERM, SIGHUP]) {
            posix_spawn(&pid, path, &actions, &$0, argv, envp)
        }
        guard rc == 0 else { throw TmuxError("cannot run \(path): \(String(cString: strerror(rc)))") }
        guard let status = ChildProcess.wait(pid) else {
            throw TmuxError("waiting for tmux failed: \(String(cString: strerror(errno)))")
        }
        return status
    }

    private static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static func executablePath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A tmux session failed to start, or the screen never showed what a test waited for.
public struct TmuxError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
