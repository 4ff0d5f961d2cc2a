/// The shape of a delimited file, guessed from its first lines.
enum Dialect {
    /// The delimiter `DialectSniffer` picks for a whole text (kept for callers that need only that).
    static func detectDelimiter(_ text: UnsafeBufferPointer<UInt8>) -> LoadOptions.Delimiter {
        DialectSniffer.sniff(text, isWholeFile: true).delimiter
    }

    /// True when no delimiter splits the lines but runs of blanks do, the same number of times on most lines (CDNOW dumps).
    static func looksWhitespaceSeparated(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var whitespaceFields: [Int] = []
        var lineFields = 0
        var inBlank = true
        for b in text {
            if b == 10 {
                whitespaceFields.append(lineFields)
                lineFields = 0
                inBlank = true
                if whitespaceFields.count >= 50 { break }
                continue
            }
            let blank = b == 32 || b == 9 || b == 13
            if !blank && inBlank { lineFields += 1 }
            inBlank = blank
        }
        if lineFields > 0 { whitespaceFields.append(lineFields) }
        let multi = whitespaceFields.filter { $0 > 1 }
        guard let mode = mostCommon(multi) else { return false }
        return whitespaceFields.filter({ $0 == mode }).count * 10 >= whitespaceFields.count * 8
    }

    private static func mostCommon(_ values: [Int]) -> Int? {
        var tally: [Int: Int] = [:]
        for v in values { tally[v, default: 0] += 1 }
        return tally.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }
}
