#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ECRender

/// Writes rendered text to a file descriptor (standard output or error), buffered until `flush`.
public final class FileSink: TextSink {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    public let isTerminal: Bool
    /// Whether `deinit` closes the descriptor (a file opened by `.output`/`.once`).
    private let ownsDescriptor: Bool
    /// A sink flushed before each write here, so that results and notes sent to
    /// two streams that end in one place (`2>&1`, a terminal) keep their order.
    public weak var flushesFirst: FileSink?

    init(descriptor: Int32, owned: Bool = false) {
        self.descriptor = descriptor
        self.isTerminal = isatty(descriptor) == 1
        self.ownsDescriptor = owned
        buffer.reserveCapacity(1 << 16)
    }

    public static func standardOutput() -> FileSink { FileSink(descriptor: 1) }
    public static func standardError() -> FileSink { FileSink(descriptor: 2) }

    /// A new file (truncated if it exists) for `.output FILE` and `.once FILE`.
    static func creating(path: String) -> FileSink? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        return fd < 0 ? nil : FileSink(descriptor: fd, owned: true)
    }

    public func write(_ text: String) {
        if let first = flushesFirst, first !== self { first.flush() }
        buffer.append(contentsOf: text.utf8)
        // Errors and terminal output appear at once; large results go out in 64 KB blocks.
        if descriptor == 2 || buffer.count >= 1 << 16 { flush() }
    }

    public func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                break  // a closed pipe: drop the output rather than crash
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit {
        flush()
        if ownsDescriptor { close(descriptor) }
    }
}

/// Whether colour may be used on a stream when `set color auto` (the default) leaves it to the environment:
/// - `FORCE_COLOR` set and not empty (<https://force-color.org>; `0` and `false` excepted, which Node's tools
///   read as "no colour"), or `CLICOLOR_FORCE` set, not empty and not `0` (<https://bixense.com/clicolors/>):
///   colour, even into a pipe or file and over `NO_COLOR` (force-color.org's reference order);
/// - otherwise only on a terminal, and not with `NO_COLOR` set and not empty (<https://no-color.org>: an empty
///   `NO_COLOR=` does not count), `TERM=dumb`, or `CLICOLOR=0`.
/// `set color on` and `set color off` decide before any of these.
func colorAllowed(isTerminal: Bool, environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }) -> Bool {
    func value(_ name: String) -> String? { environment(name).flatMap { $0.isEmpty ? nil : $0 } }
    if let force = value("FORCE_COLOR"), !["0", "false"].contains(force.lowercased()) { return true }
    if let force = value("CLICOLOR_FORCE"), force != "0" { return true }
    guard isTerminal else { return false }
    if value("NO_COLOR") != nil || value("TERM") == "dumb" || value("CLICOLOR") == "0" { return false }
    return true
}
