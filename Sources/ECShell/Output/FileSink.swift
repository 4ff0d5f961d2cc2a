#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ECRender

/// Writes rendered text to a C stream (stdout or stderr), unbuffered beyond libc's.
public final class FileSink: TextSink {
    private let stream: UnsafeMutablePointer<FILE>
    public let isTerminal: Bool

    init(stream: UnsafeMutablePointer<FILE>, descriptor: Int32) {
        self.stream = stream
        self.isTerminal = isatty(descriptor) == 1
    }

    public static func standardOutput() -> FileSink { FileSink(stream: stdout, descriptor: 1) }
    public static func standardError() -> FileSink { FileSink(stream: stderr, descriptor: 2) }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { buf in _ = fwrite(buf.baseAddress, 1, buf.count, stream) }
    }

    public func flush() { fflush(stream) }
}

/// Whether colour may be used on a stream: only a terminal, and never with NO_COLOR set.
/// See <https://no-color.org>.
func colorAllowed(isTerminal: Bool) -> Bool {
    guard isTerminal else { return false }
    if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
    if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
    return true
}
