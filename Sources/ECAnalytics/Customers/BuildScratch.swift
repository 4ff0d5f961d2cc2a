import ECStore
#if canImport(Glibc)
import Glibc
#endif

/// A scratch file of the facts build (`OrderSpill`, `ShareSpill`): a `TemporaryFile` (in
/// `$TMPDIR`, unlinked from the start, so nothing is left behind whatever happens to the
/// process), written front to back and read back from the start.
final class BuildScratch {
    private let file: UnsafeMutablePointer<FILE>
    /// What the file holds, for messages ("56 bytes an order").
    private let holds: String

    init(holding holds: String) throws {
        guard let f = TemporaryFile.open(prefix: "ecsh-build") else { throw Self.failure("make", errno, holds: holds) }
        file = f
        self.holds = holds
    }

    deinit { fclose(file) }

    static func failure(_ what: String, _ code: Int32, holds: String) -> MetricsError {
        MetricsError("cannot \(what) a temporary file of the customer facts build: \(String(cString: strerror(code))) (it holds \(holds), in \(TemporaryFile.folder); set TMPDIR to use another folder)")
    }

    func failure(_ what: String, _ code: Int32) -> MetricsError { Self.failure(what, code, holds: holds) }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        guard fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count else { throw failure("write", errno) }
    }

    /// Ready to read what was written, from the start.
    func rewind() throws {
        guard fflush(file) == 0, fseek(file, 0, SEEK_SET) == 0 else { throw failure("write", errno) }
    }

    /// Up to `buffer.count` bytes; fewer only at the end of what was written.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let got = fread(buffer.baseAddress, 1, buffer.count, file)
        if got < buffer.count && ferror(file) != 0 { throw failure("read", errno) }
        return got
    }

    /// Back at the end, to append again.
    func toEnd() throws {
        guard fseek(file, 0, SEEK_END) == 0 else { throw failure("read", errno) }
    }
}
