import Glibc

/// A byte that does not fit the detected encoding, found while reading past the
/// detection sample (the first MB).
///
/// By then only the reader's few bad bytes are at hand. Telling "a stray byte" from
/// "the file switches to CP932 here" needs the line itself and whether UTF-8 text came
/// before, so the file is read once more up to that line, on this error path only.
extension EncodingSniffer {
    /// `.mixed` when line `target` is in a Japanese encoding and an earlier line has UTF-8
    /// text; `.encoding(e)` when the lines above are plain ASCII and line `target` reads as
    /// `e` (the whole file is probably `e`); nil when the line is just a stray byte.
    static func laterLine(path: String, line target: Int) -> Verdict? {
        guard let (bytes, firstUTF8) = readLine(path: path, line: target),
              let japanese = bytes.withUnsafeBufferPointer({ japaneseEncoding($0) }) else { return nil }
        if let firstUTF8 {
            let column = bytes.withUnsafeBufferPointer { firstHighColumn($0) }
            return .mixed(firstLine: firstUTF8, first: .utf8, otherLine: target, column: column, other: japanese)
        }
        return .encoding(japanese)
    }

    /// The column of line `target`'s first non-ASCII character when that line is UTF-8 text (a UTF-8 line in a
    /// file read as CP932 or EUC-JP); nil otherwise.
    static func utf8Text(path: String, line target: Int) -> Int? {
        guard let (bytes, _) = readLine(path: path, line: target) else { return nil }
        return bytes.withUnsafeBufferPointer { kind($0) == .utf8 ? firstHighColumn($0) : nil }
    }

    /// Line `target` (1-based, without its line break) and the first line above it with UTF-8 text; nil when the
    /// file cannot be read or is shorter.
    private static func readLine(path: String, line target: Int) -> (bytes: [UInt8], firstUTF8: Int?)? {
        guard target >= 1, let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var firstUTF8: Int?
        for number in 1...target {
            let n = getline(&buffer, &capacity, file)
            guard n >= 0, let buffer else { return nil }
            var count = n
            while count > 0 && (buffer[count - 1] == 10 || buffer[count - 1] == 13) { count -= 1 }
            let bytes = Array(UnsafeRawBufferPointer(start: buffer, count: count))
            if number == target { return (bytes, firstUTF8) }
            if firstUTF8 == nil && bytes.contains(where: { $0 >= 0x80 }) && bytes.withUnsafeBufferPointer({ kind($0) }) == .utf8 {
                firstUTF8 = number
            }
        }
        return nil
    }
}
