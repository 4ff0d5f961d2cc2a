import Glibc

/// Makes a load source readable more than once.
///
/// `load` reads a file several times (encoding sample, dialect sample, types,
/// rows). A FIFO, a pipe or standard input can be read only once: opened twice,
/// a FIFO blocks forever, and a second read of a pipe finds it empty ("has no
/// rows"). Such a source is copied once, chunk by chunk, into a temporary file
/// that the passes then read; a regular file is used where it is.
final class InputSpool {
    /// The path the passes open: the file itself, or the temporary copy.
    let path: String
    private let temporary: Bool

    /// `-` and `stdin` (any case) mean standard input.
    static func isStandardInput(_ path: String) -> Bool {
        path == "-" || path.lowercased() == "stdin" || path == "/dev/stdin"
    }

    init(path source: String) throws {
        let fd: Int32
        let ownsFD: Bool
        if InputSpool.isStandardInput(source) {
            fd = 0
            ownsFD = false
        } else {
            var st = stat()
            guard stat(source, &st) == 0 else {
                throw StoreError("cannot open '\(source)': \(String(cString: strerror(errno)))")
            }
            let type = st.st_mode & S_IFMT
            if type == S_IFREG || type == S_IFDIR {
                path = source
                temporary = false
                return
            }
            // A FIFO or character device: opened once, here. Opening a FIFO waits for its writer, and a
            // signal (a terminal resized, a child process ending) breaks the wait off with EINTR: wait
            // again, unless it was Ctrl-C.
            var opened = open(source, O_RDONLY)
            while opened < 0 && errno == EINTR && !InterruptFlag.shared.isRaised { opened = open(source, O_RDONLY) }
            if opened < 0 && errno == EINTR { throw DatabaseError.interrupted }
            guard opened >= 0 else { throw StoreError("cannot open '\(source)': \(String(cString: strerror(errno)))") }
            fd = opened
            ownsFD = true
        }
        defer { if ownsFD { close(fd) } }
        let dir = TemporaryFile.folder
        var template = Array("\(dir)/ecsh-load-XXXXXX".utf8CString)
        let out = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard out >= 0 else { throw StoreError("cannot make a temporary copy of '\(source)' in \(dir): \(String(cString: strerror(errno)))") }
        let copyPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { close(out) }
        do {
            try InputSpool.copy(from: fd, to: out, name: source)
        } catch {
            unlink(copyPath)
            throw error
        }
        path = copyPath
        temporary = true
    }

    deinit {
        if temporary { unlink(path) }
    }

    private static func copy(from input: Int32, to output: Int32, name: String) throws {
        let size = 256 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(input, buffer, size)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw StoreError("cannot read '\(name)': \(String(cString: strerror(errno)))") }
            if n == 0 { return }
            var done = 0
            while done < n {
                let w = write(output, buffer + done, n - done)
                if w < 0 && errno == EINTR { continue }
                if w <= 0 { throw StoreError("cannot copy '\(name)' to a temporary file: \(String(cString: strerror(errno)))") }
                done += w
            }
        }
    }
}
