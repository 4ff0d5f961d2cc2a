/// Decides a file's encoding from a sample, line by line, and refuses to guess when lines disagree.
///
/// A whole-sample guess silently turned a UTF-8 file with one stray byte into
/// CP932 mojibake. Looking at each line instead tells apart three cases: a
/// clean file (one encoding fits every line), a UTF-8 file with a stray byte
/// (some lines are UTF-8 text, one is not and is not Japanese either), and a
/// file mixing UTF-8 and CP932 lines. The last two are located errors.
enum EncodingSniffer {
    enum Verdict: Equatable {
        case encoding(TextEncoding)
        /// A byte that fits no encoding the rest of the file is in; 1-based line and column.
        case strayBytes(line: Int, column: Int, bytes: [UInt8], encoding: TextEncoding)
        /// Lines in two encodings: `firstLine` is the first in `first` (the file's encoding from the top), `otherLine`
        /// the first in `other`, whose first non-ASCII character is at `column`.
        case mixed(firstLine: Int, first: TextEncoding, otherLine: Int, column: Int, other: TextEncoding)
        /// Not UTF-8, and no Japanese encoding reads it.
        case unknown(line: Int, column: Int, bytes: [UInt8])
    }

    /// Bytes read for detection: enough for thousands of lines, still O(sample).
    static let sampleBytes = 1 << 20

    static func sniff(_ s: UnsafeBufferPointer<UInt8>, isWholeFile: Bool) -> Verdict {
        let n = s.count
        if n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF { return utf8Verdict(s, isWholeFile: isWholeFile) }
        if n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)) { return .encoding(.utf16) }
        if let wide = utf16WithoutBOM(s) { return .encoding(wide) }
        return utf8Verdict(s, isWholeFile: isWholeFile)
    }

    /// UTF-16 text of a CSV is mostly ASCII (delimiters, digits, line breaks): every
    /// other byte is zero. Zeros at odd offsets mean little-endian, at even ones big-endian.
    static func utf16WithoutBOM(_ s: UnsafeBufferPointer<UInt8>) -> TextEncoding? {
        let n = min(s.count, 4096) & ~1
        guard n >= 4 else { return nil }
        var evenZeros = 0, oddZeros = 0
        for i in stride(from: 0, to: n, by: 2) {
            if s[i] == 0 { evenZeros += 1 }
            if s[i + 1] == 0 { oddZeros += 1 }
        }
        let pairs = n / 2
        if oddZeros * 10 >= pairs * 3 && evenZeros * 20 < pairs { return .utf16LE }
        if evenZeros * 10 >= pairs * 3 && oddZeros * 20 < pairs { return .utf16BE }
        return nil
    }

    enum LineKind { case ascii, utf8, other }

    private static func utf8Verdict(_ s: UnsafeBufferPointer<UInt8>, isWholeFile: Bool) -> Verdict {
        let check = UTF8Validator.check(s)
        if check.invalidAt == nil && (check.incompleteTail == 0 || !isWholeFile) { return .encoding(.utf8) }
        guard let base = s.baseAddress else { return .encoding(.utf8) }
        // Classify each line (a cut-off last line of a sample is left out).
        var firstUTF8: Int?
        var firstOther: (line: Int, start: Int, end: Int)?
        var lineNo = 1
        var start = 0
        var i = 0
        let n = s.count
        while start < n {
            i = start
            while i < n && s[i] != 10 { i += 1 }
            if i == n && !isWholeFile { break }
            let line = UnsafeBufferPointer(start: base + start, count: i - start)
            switch kind(line) {
            case .ascii: break
            case .utf8: if firstUTF8 == nil { firstUTF8 = lineNo }
            case .other: if firstOther == nil { firstOther = (lineNo, start, i) }
            }
            if firstUTF8 != nil && firstOther != nil { break }
            lineNo += 1
            start = i + 1
        }
        guard let other = firstOther else { return .encoding(.utf8) }
        let otherLine = UnsafeBufferPointer(start: base + other.start, count: other.end - other.start)
        if let utf8Line = firstUTF8 {
            // The file has UTF-8 text: a line in a Japanese encoding means mixing; otherwise a stray byte.
            if let japanese = japaneseEncoding(otherLine) {
                if utf8Line < other.line {
                    return .mixed(firstLine: utf8Line, first: .utf8, otherLine: other.line, column: firstHighColumn(otherLine), other: japanese)
                }
                // The UTF-8 line is the one that differs: find it again for its column.
                var start = 0, number = 1
                while number < utf8Line, let lf = s[start...].firstIndex(of: 10) { start = lf + 1; number += 1 }
                let end = s[start...].firstIndex(of: 10) ?? n
                return .mixed(firstLine: other.line, first: japanese, otherLine: utf8Line,
                              column: firstHighColumn(UnsafeBufferPointer(rebasing: s[start..<end])), other: .utf8)
            }
            return stray(otherLine, line: other.line, encoding: .utf8)
        }
        let sample = UnsafeBufferPointer(rebasing: s[0..<(isWholeFile ? n : start)])
        // Text valid in both is made only of bytes 0xA1...0xFE: EUC-JP kanji far more
        // often than CP932 half-width katakana pairs.
        if TextEncoding.iconvAccepts("EUC-JP-MS", sample, isWholeFile: true) { return .encoding(.eucJP) }
        if TextEncoding.iconvAccepts("CP932", sample, isWholeFile: true) { return .encoding(.cp932) }
        if case .strayBytes(let line, let column, let bytes, _) = stray(otherLine, line: other.line, encoding: .utf8) {
            return .unknown(line: line, column: column, bytes: bytes)
        }
        return .unknown(line: other.line, column: 1, bytes: [])
    }

    static func kind(_ line: UnsafeBufferPointer<UInt8>) -> LineKind {
        var ascii = true
        for b in line where b >= 0x80 { ascii = false; break }
        if ascii { return .ascii }
        let c = UTF8Validator.check(line)
        return c.invalidAt == nil && c.incompleteTail == 0 ? .utf8 : .other
    }

    /// CP932 or EUC-JP when the whole line converts and has Japanese text in it, and its first
    /// non-ASCII byte already breaks UTF-8 (a UTF-8 line with a stray byte has UTF-8 text before it).
    static func japaneseEncoding(_ line: UnsafeBufferPointer<UInt8>) -> TextEncoding? {
        guard let firstHigh = line.firstIndex(where: { $0 >= 0x80 }),
              UTF8Validator.check(line).invalidAt == firstHigh else { return nil }
        var trimmed = line
        if let last = line.last, last == 13 { trimmed = UnsafeBufferPointer(rebasing: line.dropLast()) }
        var high = 0
        for b in trimmed where b >= 0x80 { high += 1 }
        guard high >= 2 else { return nil }
        if TextEncoding.iconvAccepts("CP932", trimmed, isWholeFile: true) { return .cp932 }
        if TextEncoding.iconvAccepts("EUC-JP-MS", trimmed, isWholeFile: true) { return .eucJP }
        return nil
    }

    /// Where in `line` the first byte that is not UTF-8 sits (column counted in characters).
    private static func stray(_ line: UnsafeBufferPointer<UInt8>, line number: Int, encoding: TextEncoding) -> Verdict {
        let bad = UTF8Validator.check(line).invalidAt ?? max(0, line.count - 1)
        let column = characterColumn(line, upTo: bad)
        let bytes = Array(line[bad..<min(bad + 4, line.count)])
        return .strayBytes(line: number, column: column, bytes: Array(bytes.prefix(badRun(bytes))), encoding: encoding)
    }

    /// How many leading bytes of `bytes` to show: the bad byte and any that follow it before an ASCII one.
    static func badRun(_ bytes: [UInt8]) -> Int {
        var k = 1
        while k < bytes.count && bytes[k] >= 0x80 { k += 1 }
        return k
    }

    /// 1-based column of the line's first non-ASCII byte (where it stops being ASCII, in any encoding).
    static func firstHighColumn(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        characterColumn(line, upTo: line.firstIndex { $0 >= 0x80 } ?? line.count)
    }

    /// 1-based column of byte `offset`: characters (UTF-8 lead bytes) before it, plus one.
    static func characterColumn(_ line: UnsafeBufferPointer<UInt8>, upTo offset: Int) -> Int {
        var column = 1
        var i = 0
        while i < offset && i < line.count {
            if line[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column
    }
}
