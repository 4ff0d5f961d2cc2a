/// The shape of a delimited file, guessed from its first lines.
enum Dialect {
    /// Picks the delimiter whose count per line is the same, and highest, on most of the first lines.
    ///
    /// Quotes are respected, so commas inside `"..."` do not count. When no
    /// candidate splits the lines but runs of blanks do (column dumps such as
    /// CDNOW), whitespace is chosen.
    static func detectDelimiter(_ text: UnsafeBufferPointer<UInt8>) -> LoadOptions.Delimiter {
        let candidates: [UInt8] = [44, 9, 59, 124]
        var counts: [[Int]] = []
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var whitespaceFields: [Int] = []
        var lineFields = 0
        var inBlank = true
        for b in text {
            if b == 34 { inQuotes.toggle() }
            if inQuotes { continue }
            if b == 10 {
                counts.append(current)
                whitespaceFields.append(lineFields)
                current = [Int](repeating: 0, count: candidates.count)
                lineFields = 0
                inBlank = true
                if counts.count >= 50 { break }
                continue
            }
            if let k = candidates.firstIndex(of: b) { current[k] += 1 }
            let blank = b == 32 || b == 9 || b == 13
            if !blank && inBlank { lineFields += 1 }
            inBlank = blank
        }
        if counts.isEmpty || current.contains(where: { $0 > 0 }) {
            counts.append(current)
            whitespaceFields.append(lineFields)
        }
        var best: (index: Int, score: Int)?
        for k in candidates.indices {
            let perLine = counts.map { $0[k] }.filter { $0 > 0 }
            guard let mode = mostCommon(perLine) else { continue }
            let agreeing = counts.filter { $0[k] == mode }.count
            // Most lines must agree; a header-only file counts as one agreeing line.
            guard agreeing * 10 >= counts.count * 8 || counts.count <= 2 else { continue }
            let score = mode * agreeing
            if best == nil || score > best!.score { best = (k, score) }
        }
        if let best { return .byte(candidates[best.index]) }
        let multi = whitespaceFields.filter { $0 > 1 }
        if let mode = mostCommon(multi), whitespaceFields.filter({ $0 == mode }).count * 10 >= whitespaceFields.count * 8 {
            return .whitespace
        }
        return .byte(44)
    }

    private static func mostCommon(_ values: [Int]) -> Int? {
        var tally: [Int: Int] = [:]
        for v in values { tally[v, default: 0] += 1 }
        return tally.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }
}
