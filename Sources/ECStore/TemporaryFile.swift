#if canImport(Glibc)
import Glibc
#endif

/// Unnamed scratch files for work that does not fit in memory (the facts build's spills, the
/// PostgreSQL id check), in `$TMPDIR` or `/tmp`.
///
/// Why not `tmpfile()`: glibc's ignores `TMPDIR` and always uses `/tmp`, which is often a
/// small RAM-backed tmpfs; a 10M-order build writes about 1 GB there. The file is unlinked as
/// soon as it is made, so nothing is left behind whatever happens to the process.
public enum TemporaryFile {
    /// `$TMPDIR` when set and not empty, else `/tmp`.
    public static var folder: String {
        guard let v = getenv("TMPDIR").map({ String(cString: $0) }), !v.isEmpty else { return "/tmp" }
        return v
    }

    /// A new, already unlinked file in `folder`, open for reading and writing; nil with `errno`
    /// set when it cannot be made.
    public static func open(prefix: String, in folder: String = folder) -> UnsafeMutablePointer<FILE>? {
        var template = Array("\(folder)/\(prefix)-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        guard let file = fdopen(fd, "w+") else {
            let saved = errno
            close(fd)
            errno = saved
            return nil
        }
        return file
    }
}
