import ECStore
import Foundation

/// Reads lines plainly from a pipe, a file or a string: no prompt, no escape codes.
///
/// Used when standard input is not a terminal (scripts, `ecsh < file`,
/// tests). Reads in large chunks, accepts `\n` and `\r\n` endings, a final
/// line without a newline, and a leading UTF-8 byte-order mark.
public final class PlainLineReader: LineReader {
    private enum Source {
        case fileDescriptor(Int32)
        case memory
    }

    private let source: Source
    private let interruptFlag: InterruptFlag
    private var buffer: [UInt8] = []
    private var position = 0
    private var reachedEnd = false
    private var atStart = true
    private static let chunkSize = 64 * 1024

    /// Reads from an open file descriptor (not closed by the reader).
    public init(fileDescriptor: Int32, interruptFlag: InterruptFlag = .shared) {
        source = .fileDescriptor(fileDescriptor)
        self.interruptFlag = interruptFlag
    }

    /// Reads the lines of an in-memory text.
    public init(text: String, interruptFlag: InterruptFlag = .shared) {
        source = .memory
        buffer = Array(text.utf8)
        reachedEnd = true
        self.interruptFlag = interruptFlag
    }

    public var isInteractive: Bool { false }

    /// Returns the next line; the prompt is ignored.
    public func readLine(prompt: String) -> LineInput {
        if atStart {
            atStart = false
            if case .interrupted = fill(minimum: 3) { return .interrupted }
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        }
        var searchFrom = position
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                return .line(takeLine(upTo: newline, skipping: 1))
            }
            searchFrom = buffer.count
            if reachedEnd {
                if position < buffer.count { return .line(takeLine(upTo: buffer.count, skipping: 0)) }
                return .end
            }
            if case .interrupted = fill(minimum: 1) { return .interrupted }
        }
    }

    /// Scripts do not add to the user's history.
    public func addHistory(_ entry: String) {}

    private func takeLine(upTo end: Int, skipping separator: Int) -> String {
        var last = end
        if last > position, buffer[last - 1] == UInt8(ascii: "\r") { last -= 1 }
        let text = String(decoding: buffer[position..<last], as: UTF8.self)
        position = end + separator
        if position >= Self.chunkSize {
            // Drop consumed bytes so a long script does not keep growing the buffer.
            buffer.removeFirst(position)
            position = 0
        }
        return text
    }

    private enum FillResult { case filled, interrupted }

    /// Reads until at least `minimum` more bytes are buffered or the input ends.
    private func fill(minimum: Int) -> FillResult {
        guard case .fileDescriptor(let fd) = source else { return .filled }
        var gained = 0
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        while gained < minimum, !reachedEnd {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                gained += n
            } else if n == 0 {
                reachedEnd = true
            } else if errno == EINTR {
                // Our SIGINT handler does not restart reads; honour Ctrl-C only if it was ours.
                if interruptFlag.isRaised { return .interrupted }
            } else {
                reachedEnd = true
            }
        }
        return .filled
    }
}
