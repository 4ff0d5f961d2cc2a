import Foundation

/// The statements a user typed, kept in a file across sessions.
///
/// One entry per line; a statement that spans lines is stored on one line
/// with `\n` for its line breaks and `\\` for a backslash, so it comes back
/// whole. Blank entries and repeats of the previous entry are not stored.
/// Each entry is appended as soon as it is added, so a crash loses nothing;
/// the file is cut back to the newest `limit` entries on load and on `save()`.
public struct HistoryFile: Sendable {
    /// Where the history lives.
    public let path: String
    /// How many entries are kept.
    public let limit: Int
    /// The entries, oldest first, at most `limit` of them.
    public private(set) var entries: [String] = []
    /// Entries in the file (it may hold more than `limit` between saves).
    private var entriesInFile = 0

    /// The history file: `$ECSH_HISTORY` when set, else `~/.ecsh_history`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["ECSH_HISTORY"], !path.isEmpty { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".ecsh_history")
    }

    /// Loads the history at `path`; a missing or unreadable file is an empty history.
    public init(path: String, limit: Int = 1000) {
        self.path = path
        self.limit = max(1, limit)
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let lines = String(decoding: data, as: UTF8.self)
            .split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" }
        entries = lines.map { Self.decode(String($0)) }
        entriesInFile = entries.count
        if entries.count > self.limit {
            entries.removeFirst(entries.count - self.limit)
            save()
        }
    }

    /// Adds an entry unless it is blank or repeats the previous one.
    /// - Returns: true when the entry was stored.
    @discardableResult
    public mutating func add(_ entry: String) -> Bool {
        var entry = entry
        while entry.hasSuffix("\n") || entry.hasSuffix("\r") { entry.removeLast() }
        guard !entry.allSatisfy(\.isWhitespace), entry != entries.last else { return false }
        entries.append(entry)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        append(Self.encode(entry) + "\n")
        entriesInFile += 1
        // Appending is cheap; rewrite only once the file has grown well past the cap.
        if entriesInFile > 2 * limit { save() }
        return true
    }

    /// Rewrites the file with the kept entries (atomically, readable only by the user).
    ///
    /// Only a regular file (or none) is replaced: `ECSH_HISTORY=/dev/null` (or a FIFO) must stay
    /// what it is. Renaming over it would turn the system's /dev/null into a plain file when
    /// ecsh runs as root, and every program that opens /dev/null after that breaks.
    public mutating func save() {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG { return }
        let text = entries.map { Self.encode($0) + "\n" }.joined()
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(
            atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]
        ) else { return }
        if rename(temporary, path) == 0 {
            entriesInFile = entries.count
        } else {
            unlink(temporary)
        }
    }

    private func append(_ text: String) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }  // History is a convenience: never fail a statement over it.
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// One entry as one file line: backslash and line breaks escaped.
    static func encode(_ entry: String) -> String {
        var out = ""
        for ch in entry {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(ch)
            }
        }
        return out
    }

    /// The inverse of `encode`; an unknown escape is kept as written.
    static func decode(_ line: String) -> String {
        var out = ""
        var escaping = false
        for ch in line {
            if escaping {
                switch ch {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "\\": out.append("\\")
                default: out.append("\\"); out.append(ch)
                }
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else if ch != "\r" {
                out.append(ch)
            }
        }
        if escaping { out.append("\\") }
        return out
    }
}
