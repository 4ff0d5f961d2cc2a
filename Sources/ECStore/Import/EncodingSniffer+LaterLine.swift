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
            if number < target {
                if firstUTF8 == nil && bytes.contains(where: { $0 >= 0x80 }) && bytes.withUnsafeBufferPointer({ kind($0) }) == .utf8 {
                    firstUTF8 = number
                }
                continue
            }
            guard let japanese = bytes.withUnsafeBufferPointer({ japaneseEncoding($0) }) else { return nil }
            if let firstUTF8 { return .mixed(firstLine: firstUTF8, first: .utf8, otherLine: target, other: japanese) }
            return .encoding(japanese)
        }
        return nil
    }
}
