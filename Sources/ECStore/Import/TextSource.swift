import Glibc

/// Bytes that are not valid in the file's encoding, found while reading.
struct DecodeFailure: Error {
    /// Offset in the UTF-8 output where the bad input would have gone.
    var outputOffset: Int
    /// The first few offending input bytes, for the message.
    var bytes: [UInt8]
}

/// Streams a file as UTF-8, converting from its encoding chunk by chunk.
///
/// Never holds more than one raw chunk: memory stays flat whatever the file size.
/// UTF-8 input is validated, not copied twice; other encodings go through glibc's iconv.
final class TextSource {
    let encoding: TextEncoding
    let totalBytes: Int
    /// Raw bytes read from the file so far (for progress).
    private(set) var rawBytesRead = 0
    /// UTF-8 bytes handed out so far.
    private(set) var outputBytes = 0

    private let fd: Int32
    private var converter: iconv_t?
    private let raw: UnsafeMutablePointer<UInt8>
    /// At most 256 KB; a small file gets a buffer its size (a fuzzer loads thousands of tiny files a second).
    private let rawCapacity: Int
    private var rawStart = 0
    private var rawEnd = 0
    private var atEOF = false
    private var carry: [UInt8] = []
    private var pending: DecodeFailure?
    private var first = true
    /// UTF-8 only: hand bytes on without validating (`on_error skip`: rows with bad bytes
    /// are rejected one by one by `CSVReader.badBytesProblem()` instead of ending the load).
    var passInvalid = false

    convenience init(path: String, encoding: TextEncoding) throws {
        try self.init(path: path, encoding: encoding, converterName: encoding.iconvName)
    }

    /// `converterName`: iconv's name of the encoding (nil: UTF-8, no converter); a test passes one iconv lacks.
    init(path: String, encoding: TextEncoding, converterName: String?) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError("cannot open '\(path)': \(reason)")
        }
        var st = stat()
        fstat(fd, &st)
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw StoreError("'\(path)' is a directory, not a file")
        }
        self.fd = fd
        self.totalBytes = Int(st.st_size)
        self.encoding = encoding
        self.rawCapacity = min(256 * 1024, max(4096, totalBytes + 1))
        self.raw = .allocate(capacity: rawCapacity)
        if let name = converterName {
            let cd = iconv_open("UTF-8", name)
            guard let cd, cd != iconv_t(bitPattern: -1) else {
                // Every property is set, so `deinit` runs when this throws: it closes the file and frees the
                // buffer (doing it here too was a double free).
                throw StoreError("this system cannot convert from \(encoding.displayName) (iconv has no '\(name)')")
            }
            converter = cd
        }
    }

    deinit {
        close(fd)
        raw.deallocate()
        if let converter { iconv_close(converter) }
    }

    /// Reads up to `capacity` raw bytes of the file, from the start (for detection).
    static func sample(path: String, capacity: Int) throws -> (bytes: [UInt8], isWholeFile: Bool) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw StoreError("cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // Sized to the file when it is smaller (st_size is 0 for a FIFO: then the whole capacity),
        // and never zero-filled: a small file costs a small allocation.
        var st = stat()
        let size = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : capacity
        let room = max(1, min(capacity, size + 1))
        var got = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: room) { buffer, initialized in
            while got < room, let base = buffer.baseAddress {
                let n = Glibc.read(fd, base + got, room - got)
                if n <= 0 { break }
                got += n
            }
            initialized = got
        }
        // A file that grew since fstat: read on up to the capacity.
        if got == room && room < capacity {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while bytes.count < capacity {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, min(4096, capacity - bytes.count)) }
                if n <= 0 { break }
                bytes.append(contentsOf: chunk[0..<n])
            }
        }
        var probe: UInt8 = 0
        let more = bytes.count == capacity && Glibc.read(fd, &probe, 1) == 1
        return (bytes, !more)
    }

    /// Fills `dest` with the next UTF-8 bytes; 0 means end of file.
    /// `capacity` must be at least 16 bytes.
    func read(into dest: UnsafeMutablePointer<UInt8>, capacity: Int) throws(DecodeFailure) -> Int {
        if let pending { throw pending }
        let n = converter == nil ? try readUTF8(into: dest, capacity: capacity)
                                 : try readConverted(into: dest, capacity: capacity)
        outputBytes += n
        return n
    }

    private func fillRaw(_ dest: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        var got = 0
        while got < count {
            let n = Glibc.read(fd, dest + got, count - got)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { atEOF = true; break }
            got += n
            if got >= 64 * 1024 { break }
        }
        rawBytesRead += got
        return got
    }

    private func readUTF8(into dest: UnsafeMutablePointer<UInt8>, capacity: Int) throws(DecodeFailure) -> Int {
        var total = carry.count
        for (i, b) in carry.enumerated() { dest[i] = b }
        carry.removeAll()
        while total < capacity && !atEOF {
            total += fillRaw(dest + total, capacity - total)
            if total > 0 { break }
        }
        if first {
            first = false
            if total >= 3 && dest[0] == 0xEF && dest[1] == 0xBB && dest[2] == 0xBF {
                // A UTF-8 byte-order mark: drop it so the first header has no stray bytes.
                memmove(dest, dest + 3, total - 3)
                total -= 3
            }
        }
        if passInvalid { return total }
        let result = UTF8Validator.check(UnsafeBufferPointer(start: dest, count: total))
        if let bad = result.invalidAt {
            let failure = DecodeFailure(outputOffset: outputBytes + bad,
                                        bytes: Array(UnsafeBufferPointer(start: dest + bad, count: min(4, total - bad))))
            if bad == 0 { throw failure }
            pending = failure
            return bad
        }
        if result.incompleteTail > 0 {
            if atEOF {
                let at = total - result.incompleteTail
                let failure = DecodeFailure(outputOffset: outputBytes + at,
                                            bytes: Array(UnsafeBufferPointer(start: dest + at, count: result.incompleteTail)))
                if at == 0 { throw failure }
                pending = failure
                return at
            }
            carry = Array(UnsafeBufferPointer(start: dest + total - result.incompleteTail, count: result.incompleteTail))
            total -= result.incompleteTail
            if total == 0 { return try readUTF8(into: dest, capacity: capacity) }
        }
        return total
    }

    private func readConverted(into dest: UnsafeMutablePointer<UInt8>, capacity: Int) throws(DecodeFailure) -> Int {
        var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dest).assumingMemoryBound(to: CChar.self)
        var outLeft = capacity
        while true {
            if rawStart == rawEnd || (rawEnd - rawStart < 8 && !atEOF) {
                // Keep an incomplete character's bytes and read more after them.
                let left = rawEnd - rawStart
                if left > 0 { memmove(raw, raw + rawStart, left) }
                rawStart = 0
                rawEnd = left
                if !atEOF { rawEnd += fillRaw(raw + left, rawCapacity - left) }
                if rawEnd == 0 { return capacity - outLeft }
            }
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(raw + rawStart).assumingMemoryBound(to: CChar.self)
            var inLeft = rawEnd - rawStart
            let before = inLeft
            let r = iconv(converter, &inPtr, &inLeft, &outPtr, &outLeft)
            let code = errno
            rawStart += before - inLeft
            let produced = capacity - outLeft
            if r != -1 { continue }
            switch code {
            case E2BIG:
                return produced
            case EINVAL:
                // A character cut by the chunk end: fine unless the file ends there.
                if atEOF {
                    let failure = DecodeFailure(outputOffset: outputBytes + produced,
                                                bytes: Array(UnsafeBufferPointer(start: raw + rawStart, count: min(4, rawEnd - rawStart))))
                    if produced == 0 { throw failure }
                    pending = failure
                    return produced
                }
                let left = rawEnd - rawStart
                memmove(raw, raw + rawStart, left)
                rawStart = 0
                rawEnd = left + fillRaw(raw + left, rawCapacity - left)
                if produced > 0 && produced > capacity / 2 { return produced }
            default:
                let failure = DecodeFailure(outputOffset: outputBytes + produced,
                                            bytes: Array(UnsafeBufferPointer(start: raw + rawStart, count: min(4, rawEnd - rawStart))))
                if produced == 0 { throw failure }
                pending = failure
                return produced
            }
        }
    }
}
