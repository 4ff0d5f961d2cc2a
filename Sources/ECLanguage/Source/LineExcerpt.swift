/// The part of a source line that an error shows: the whole line when it is short,
/// otherwise a window around the error's column with "…" where it was cut.
public struct LineExcerpt: Sendable, Hashable {
    /// The text shown (with "…" at each cut).
    public var text: String
    /// The error's column within `text` (1-based).
    public var column: Int
    /// Characters looked at to find it (for tests that count work instead of timing it).
    public var work: Int
}

extension Source {
    /// Line `number`'s excerpt around `column`: the whole line when it has at most `width`
    /// Characters; else `width` Characters starting `width / 4` before the column (or ending
    /// at the line's end), with "…" at each cut. Why not `line(_:)` and a cut: a 1 MB line
    /// would be copied and counted whole; this looks at the bytes of the lines before it
    /// (for line breaks only) and at most `column + width` Characters of it.
    public func excerpt(line number: Int, column: Int, width: Int) -> LineExcerpt? {
        let characters = UTF8Characters(text)
        var work = 0
        guard number >= firstLine, let lineStart = characters.offset(afterLineBreaks: number - firstLine) else { return nil }
        var offset = lineStart
        // Count the line's Characters, but no further than the window could reach.
        let reach = max(0, column - 1 - width / 4) + width + 1
        var count = 0
        while offset < characters.count && count < reach {
            let step = characters.step(at: offset)
            work += 1
            if step.isNewline { break }
            offset += step.length
            count += 1
        }
        // `count == reach` means the line is longer than the window (its true length is not needed).
        let from = count <= width ? 0 : max(0, min(column - 1 - width / 4, count - width))
        let to = count <= width ? count : min(count, from + width)
        // The byte offsets of Characters `from` and `to` of the line.
        var fromOffset = lineStart, toOffset = lineStart
        offset = lineStart
        for index in 0...to {
            if index == from { fromOffset = offset }
            if index == to { toOffset = offset; break }
            offset += characters.step(at: offset).length
            work += 1
        }
        let body = String(decoding: characters.bytes[fromOffset..<toOffset], as: UTF8.self)
        let cutBefore = from > 0, cutAfter = to < count
        return LineExcerpt(text: (cutBefore ? "…" : "") + body + (cutAfter ? "…" : ""),
                           column: column - from + (cutBefore ? 1 : 0), work: work)
    }
}
