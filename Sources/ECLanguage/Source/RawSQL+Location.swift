extension RawSQL {
    /// The source location of a UTF-8 byte offset into `text`, such as SQLite's `sqlite3_error_offset`
    /// (<https://www.sqlite.org/c3ref/errcode.html>). Offsets past the end map to the end.
    public func location(ofUTF8Offset offset: Int) -> SourceLocation {
        var location = range.start
        var bytes = 0
        for character in text {
            let width = character.utf8.count
            if bytes + width > offset { return location }
            bytes += width
            location = location.advanced(over: character)
        }
        return location
    }

    /// The range of the word (or the single character) at a UTF-8 byte offset, for a caret under the token SQLite blames.
    public func range(ofUTF8Offset offset: Int) -> SourceRange {
        let start = location(ofUTF8Offset: offset)
        var bytes = 0
        var end = start
        var started = false
        for character in text {
            if bytes >= offset {
                let isWordCharacter = character.isLetter || character.isNumber || character == "_"
                if started && !isWordCharacter { break }
                if character.isNewline { break }
                end = end.advanced(over: character)
                started = true
                if !isWordCharacter { break }
            }
            bytes += character.utf8.count
        }
        return SourceRange(start: start, end: end)
    }
}
