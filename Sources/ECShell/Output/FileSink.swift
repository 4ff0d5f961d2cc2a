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

    init(descriptor: Int32) {
        self.descriptor = descriptor
        self.isTerminal = isatty(descriptor) == 1
        buffer.reserveCapacity(1 << 16)
    }

    public static func standardOutput() -> FileSink { FileSink(descriptor: 1) }
    public static func standardError() -> FileSink { FileSink(descriptor: 2) }

    public func write(_ text: String) {
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

    deinit { flush() }
}

/// Whether colour may be used on a stream: only a terminal, and never with NO_COLOR set.
/// See <https://no-color.org>.
func colorAllowed(isTerminal: Bool) -> Bool {
    guard isTerminal else { return false }
    if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
    if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
    return true
}
