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

    /// Bytes free in `folder` for this process (`statvfs`), nil when it cannot be told.
    @Sendable public static func freeBytes(in folder: String) -> Int? {
        var info = statvfs()
        guard statvfs(folder, &info) == 0 else { return nil }
        let (bytes, overflow) = Int(info.f_bavail).multipliedReportingOverflow(by: Int(info.f_frsize))
        return overflow ? Int.max : bytes
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

/// How much room a folder of scratch files keeps for others when what ecsh writes there only saves time (`RowPages`,
/// the rows SQLite copies in): a TMPDIR too small for them (a RAM-backed `/tmp`, say) must not fail a statement that
/// binding its rows would finish. The free space is looked at when such a file is made and then at every
/// `checkEvery` bytes written; with less than `reserve` left, the writer takes no more rows and the caller binds
/// them. (A folder filled by someone else in between can still fail a write, with an error naming it.)
public struct ScratchRoom: Sendable {
    public var reserve: Int
    public var checkEvery: Int
    /// Bytes free in a folder for this process, nil when unknown (then the writing goes on).
    public var free: @Sendable (String) -> Int?

    public init(reserve: Int, checkEvery: Int, free: @escaping @Sendable (String) -> Int?) {
        self.reserve = reserve
        self.checkEvery = checkEvery
        self.free = free
    }

    public static let standard = ScratchRoom(reserve: 64 << 20, checkEvery: 8 << 20, free: TemporaryFile.freeBytes)
}
