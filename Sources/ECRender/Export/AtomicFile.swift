import Glibc

/// Replaces a file's contents all at once: written to a temporary file beside it, then renamed
/// over it (<https://man7.org/linux/man-pages/man2/rename.2.html>), so a full disk or a crash
/// leaves the old file as it was. Failures are told in plain words with the path, from errno,
/// instead of Foundation's "NSCocoaErrorDomain error 512" that Linux shows for every cause.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws(ExportError) {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw ExportError("cannot export to '\(path)': it is a folder; name a file in it, e.g. '\(path)/result.csv'")
        }
        let folder = parent(of: path)
        if stat(folder, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR {
            throw ExportError("cannot export to '\(path)': the folder '\(folder)' does not exist",
                              help: "create it first (mkdir -p '\(folder)'), or name a file in a folder that exists")
        }
        let temporary = folder + "/.ecsh-export-\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path, errno) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + written }, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let code = n < 0 ? errno : ENOSPC
                close(fd)
                unlink(temporary)
                throw failure(path, code)
            }
            written += n
        }
        if fsync(fd) != 0 || close(fd) != 0 {
            let code = errno
            unlink(temporary)
            throw failure(path, code)
        }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw failure(path, code)
        }
    }

    /// The folder a path is in ("." for a bare file name).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func failure(_ path: String, _ code: Int32) -> ExportError {
        let reason = String(cString: strerror(code)).lowercased()
        let hint = code == ENOSPC || code == EFBIG || code == EDQUOT ? "; any earlier file there is unchanged" : ""
        return ExportError("could not write '\(path)': \(reason)\(hint)")
    }
}
