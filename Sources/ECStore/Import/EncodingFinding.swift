/// Where bytes stop being UTF-8 text and what `load`'s encoding detection (`EncodingSniffer`) makes of
/// them, for the messages of readers that take UTF-8 only (script files).
public struct EncodingFinding: Sendable, Equatable {
    /// The encoding that reads every byte (`cp932`, `euc-jp`, `utf-16le`, …); nil when none does.
    public let encoding: String?
    /// The finding in words: "byte 0x93 at line 2, column 8 is not UTF-8 (the text would read as cp932)".
    public let summary: String

    /// The finding for a whole file's bytes, which are not valid UTF-8.
    public init(_ bytes: [UInt8]) {
        let (verdict, place) = bytes.withUnsafeBufferPointer { all in
            (EncodingSniffer.sniff(all, isWholeFile: true), Self.firstBadByte(all))
        }
        var guess = ""
        switch verdict {
        case .encoding(let e):
            encoding = e == .utf8 ? nil : e.displayName
            if let encoding { guess = " (the text would read as \(encoding))" }
        case .mixed(let firstLine, let first, let otherLine, _, let other):
            encoding = nil
            guess = " (lines in \(first.displayName), as line \(firstLine), and in \(other.displayName), as line \(otherLine))"
        case .strayBytes, .unknown:
            encoding = nil
        }
        let shown = place.bytes.map { "0x" + ($0 < 0x10 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
        summary = (place.bytes.count > 1 ? "bytes \(shown) at" : "byte \(shown) at")
            + " line \(place.line), column \(place.column) \(place.bytes.count > 1 ? "are" : "is") not UTF-8" + guess
    }

    /// The first byte that breaks UTF-8 (and the non-ASCII bytes right after it), with its 1-based line and column.
    static func firstBadByte(_ all: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int, bytes: [UInt8]) {
        let check = UTF8Validator.check(all)
        let bad = min(check.invalidAt ?? (all.count - check.incompleteTail), max(0, all.count - 1))
        let lineStart = all[..<bad].lastIndex(of: 10).map { $0 + 1 } ?? 0
        let line = 1 + all[..<bad].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        let column = EncodingSniffer.characterColumn(UnsafeBufferPointer(rebasing: all[lineStart...]), upTo: bad - lineStart)
        let following = Array(all[bad..<min(bad + 4, all.count)])
        return (line, column, Array(following.prefix(EncodingSniffer.badRun(following))))
    }
}
