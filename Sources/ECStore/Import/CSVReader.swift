import Glibc

/// A problem in the file's structure, found while splitting it into records.
enum CSVFailure: Error, Equatable {
    case invalidEncoding(line: Int, column: Int, bytes: [UInt8])
    /// A NUL or other control character (not tab, CR or LF): `text` is the field with it escaped.
    case controlCharacter(line: Int, column: Int, text: String)
    case unterminatedQuote(line: Int, column: Int)
    /// A closing quote followed by something other than a delimiter or line end: `"ab"c`.
    case strayQuote(line: Int, column: Int)
    case recordTooLong(line: Int, limit: Int)
    case tooManyFields(line: Int, limit: Int)
}

extension CSVFailure {
    /// Limits on one record, stated in docs/language.md ("Limits").
    static let maxRecordBytes = 16 << 20
    /// SQLite's default SQLITE_LIMIT_COLUMN: a table cannot hold more columns.
    static let maxColumns = 2000
}

/// Splits UTF-8 text into records and fields, RFC 4180 style, at the byte level.
///
/// Handles quoted fields with delimiters, doubled quotes and line breaks inside,
/// CRLF or LF endings, and skips blank lines. Fields are views into an internal
/// buffer, valid until the next call to `next()`; the buffer grows only as far
/// as the longest record, capped by `maxRecordBytes` so a runaway quote cannot
/// eat memory.
final class CSVReader {
    /// A field's bytes in the buffer; `escaped` when it holds doubled quotes to collapse.
    struct Field {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    let delimiter: LoadOptions.Delimiter
    let dialect: CSVDialect
    let maxRecordBytes: Int
    let maxFields: Int
    /// Line (1-based) where the current record starts.
    private(set) var line = 0
    /// Number of fields in the current record.
    private(set) var count = 0

    private let source: TextSource
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var dataEnd = 0
    private var pos = 0
    private var recordStart = 0
    private var recordEnd = 0
    private var nextLine = 1
    private var sourceDone = false
    private var fields: UnsafeMutablePointer<Field>
    private var fieldCapacity = 64
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 4096
    /// true for the delimiter, CR, LF, the comment byte and control characters: what ends an unquoted field.
    private let stops: UnsafeMutablePointer<Bool>
    /// true for the quote, the escape, LF and control characters: what a quoted field's scan stops at.
    private let quotedStops: UnsafeMutablePointer<Bool>
    private let quote: UInt8
    private let hasQuote: Bool
    /// The escape byte; equal to `quote` for doubled quotes.
    private let escape: UInt8
    private let comment: Int
    /// Control characters are field bytes (`on_error skip`), checked per row by `firstControl()`.
    let passControls: Bool
    /// A line starting with the comment byte that has this many fields is a row (`CSVDialect.commentRowFields`);
    /// set by the caller once past the header (lines above it are never rows).
    var commentRowFields: Int?
    /// Lines skipped as comments so far, and the first few of them (for the load's note).
    private(set) var commentLines = 0
    private(set) var firstCommentLines: [Int] = []
    /// Records that start with the comment byte but were read as rows (they have the header's fields).
    private(set) var commentLikeRows = 0
    private(set) var firstCommentLikeRows: [Int] = []
    /// The record being parsed starts with the comment byte and is read as a row.
    private var startsWithComment = false
    /// How many lines the note lists.
    static let linesNamed = 5

    /// An RFC 4180 reader (double quotes, doubled to escape) with the given delimiter.
    convenience init(source: TextSource, delimiter: LoadOptions.Delimiter, maxRecordBytes: Int = CSVFailure.maxRecordBytes,
                     maxFields: Int = CSVFailure.maxColumns) {
        self.init(source: source, dialect: CSVDialect(delimiter: delimiter), maxRecordBytes: maxRecordBytes, maxFields: maxFields)
    }

    /// `passControls`: control characters are read as field bytes instead of stopping the
    /// read (`on_error skip`: the row is then rejected by `firstControl()`, the rest loads).
    init(source: TextSource, dialect: CSVDialect, maxRecordBytes: Int = CSVFailure.maxRecordBytes,
         maxFields: Int = CSVFailure.maxColumns, passControls: Bool = false) {
        self.source = source
        self.passControls = passControls
        if passControls && source.encoding == .utf8 { source.passInvalid = true }
        self.dialect = dialect
        self.delimiter = dialect.delimiter
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
        quote = dialect.quote ?? 34
        hasQuote = dialect.quote != nil
        escape = dialect.escape ?? quote
        comment = dialect.comment.map(Int.init) ?? -1
        // 1 MB, or twice the file for a small one (it grows for longer records, up to maxRecordBytes).
        capacity = min(1 << 20, max(2 * CSVReader.minimumFree, 2 * source.totalBytes + 4096))
        buffer = .allocate(capacity: capacity)
        fields = .allocate(capacity: fieldCapacity)
        scratch = .allocate(capacity: scratchCapacity)
        stops = .allocate(capacity: 256)
        stops.initialize(repeating: false, count: 256)
        quotedStops = .allocate(capacity: 256)
        quotedStops.initialize(repeating: false, count: 256)
        for b in 0..<256 where !passControls && ControlEscaper.isControl(UInt8(b)) {
            stops[b] = true
            quotedStops[b] = true
        }
        stops[10] = true
        stops[13] = true
        if comment >= 0 { stops[comment] = true }
        quotedStops[10] = true
        quotedStops[Int(quote)] = true
        quotedStops[Int(escape)] = true
        switch delimiter {
        case .byte(let b): stops[Int(b)] = true
        case .whitespace: stops[32] = true; stops[9] = true
        }
    }

    deinit {
        buffer.deallocate()
        fields.deallocate()
        scratch.deallocate()
        stops.deallocate()
        quotedStops.deallocate()
    }

    static let minimumFree = 64 * 1024

    /// The encoding the file is read in.
    var encoding: TextEncoding { source.encoding }

    /// Bytes of the file consumed so far, for progress.
    var rawBytesRead: Int { source.rawBytesRead }
    /// Bytes of the file behind the records handed out so far, about: what was read less what waits in
    /// the buffers (read ahead of the first records, it is most of what was read), in the file's bytes.
    /// For estimating a file's rows from its first ones.
    var bytesParsed: Int {
        let output = source.outputBytes
        guard output > 0 else { return 0 }
        let parsed = max(0, output - (dataEnd - pos))
        return Int(Double(parsed) * Double(source.rawBytesRead) / Double(output))
    }
    /// The source's size in bytes (0 for a pipe).
    var totalBytes: Int { source.totalBytes }

    /// The current record comes after a blank line (comment lines may be between): where a report starts
    /// another table (GA4's sections), for the help of a row with another number of fields.
    private(set) var followsBlankLine = false
    private var blankSinceRecord = false

    /// Moves to the next non-blank record; false at end of file.
    func next() throws(CSVFailure) -> Bool {
        while true {
            switch try parseRecord() {
            case .needMore:
                try refill()
            case .endOfFile:
                return false
            case .skipped(let end, let lines):
                commentLines += 1
                if firstCommentLines.count < CSVReader.linesNamed { firstCommentLines.append(nextLine) }
                nextLine += lines
                pos = end
            case .record(let end, let lines):
                line = nextLine
                if startsWithComment {
                    commentLikeRows += 1
                    if firstCommentLikeRows.count < CSVReader.linesNamed { firstCommentLikeRows.append(line) }
                }
                nextLine += lines
                recordStart = pos
                recordEnd = end
                pos = end
                if count == 1 && fields[0].start == fields[0].end && !fields[0].escaped
                    && (fields[0].start == recordStart || isBlankLine()) {
                    blankSinceRecord = true
                    continue
                }
                followsBlankLine = blankSinceRecord
                blankSinceRecord = false
                return true
            }
        }
    }

    /// Adds empty fields up to `n` (`null_padding`: a short row's missing values are empty).
    func pad(to n: Int) {
        while count < n {
            if count == fieldCapacity { grow() }
            fields[count] = Field(start: recordEnd, end: recordEnd, escaped: false)
            count += 1
        }
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Field>.allocate(capacity: fieldCapacity * 2)
        bigger.moveInitialize(from: fields, count: count)
        fields.deallocate()
        fields = bigger
        fieldCapacity *= 2
    }

    /// The bytes of field `i` (escapes resolved); valid until the next `field` or `next` call.
    @inline(__always)
    func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let f = fields[i]
        if !f.escaped { return UnsafeBufferPointer(start: buffer + f.start, count: f.end - f.start) }
        return unescape(f)
    }

    func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// All fields of the record as strings (for headers, samples and error messages).
    var strings: [String] { (0..<count).map { string($0) } }

    /// The record as it appeared in the file, line break removed (for `ecsh_rejects`).
    var rawRecord: String { String(decoding: rawRecordBytes, as: UTF8.self) }

    /// The record's bytes as in the file, line break removed; valid until the next `next()`.
    var rawRecordBytes: UnsafeBufferPointer<UInt8> {
        var end = recordEnd
        while end > recordStart && (buffer[end - 1] == 10 || buffer[end - 1] == 13) { end -= 1 }
        return UnsafeBufferPointer(start: buffer + recordStart, count: end - recordStart)
    }

    /// Bytes that are not UTF-8 reach the fields unchecked (`passControls` on a UTF-8 file).
    var passesInvalidUTF8: Bool { source.passInvalid }

    private func isBlankLine() -> Bool {
        var i = recordStart
        while i < recordEnd {
            let b = buffer[i]
            if b != 32 && b != 9 && b != 10 && b != 13 { return false }
            i += 1
        }
        return true
    }

    private func unescape(_ f: Field) -> UnsafeBufferPointer<UInt8> {
        let n = f.end - f.start
        if n > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = n
            scratch = .allocate(capacity: n)
        }
        var o = 0
        var i = f.start
        while i < f.end {
            let b = buffer[i]
            scratch[o] = b
            o += 1
            if b == escape && i + 1 < f.end && (escape != quote || buffer[i + 1] == quote) {
                scratch[o - 1] = buffer[i + 1]
                i += 2
            } else {
                i += 1
            }
        }
        return UnsafeBufferPointer(start: scratch, count: o)
    }

    private enum Step {
        case record(end: Int, lines: Int)
        /// A comment line: nothing to return.
        case skipped(end: Int, lines: Int)
        case needMore
        case endOfFile
    }

    @inline(__always)
    private func addField(_ start: Int, _ end: Int, _ escaped: Bool, lines: Int) throws(CSVFailure) {
        if count == fieldCapacity {
            if count >= maxFields { throw .tooManyFields(line: nextLine + lines, limit: maxFields) }
            grow()
        }
        fields[count] = Field(start: start, end: end, escaped: escaped)
        count += 1
    }

    /// Parses one record starting at `pos`, or says more input is needed.
    /// Restarting after a refill re-scans only the partial record, and the
    /// buffer doubles when full, so a long record costs O(n log n) at worst.
    private func parseRecord() throws(CSVFailure) -> Step {
        count = 0
        startsWithComment = false
        var i = pos
        var lines = 0
        let end = dataEnd
        let buf = buffer
        if i == end { return sourceDone ? .endOfFile : .needMore }
        if case .whitespace = delimiter { return try parseWhitespaceRecord() }
        guard case .byte(let delim) = delimiter else { return .needMore }
        if Int(buf[i]) == comment {
            guard let isRow = lineIsRow(from: i, delim) else { return .needMore }
            if !isRow { return skipComment(from: i, lines: 0) }
            startsWithComment = true
        }
        while true {
            if hasQuote && i < end && buf[i] == 32 && delim != 32 {
                // Blanks before a quote: `a, "b"` is the quoted field b.
                var j = i
                while j < end && buf[j] == 32 { j += 1 }
                if j >= end && !sourceDone { return .needMore }
                if j < end && buf[j] == quote { i = j }
            }
            if hasQuote && i < end && buf[i] == quote {
                // Quoted field: runs to a quote that is not escaped.
                let quoteLine = lines
                let column = count + 1
                i += 1
                let contentStart = i
                var escaped = false
                while true {
                    while i < end && !quotedStops[Int(buf[i])] { i += 1 }
                    if i >= end {
                        if sourceDone { throw .unterminatedQuote(line: nextLine + quoteLine, column: column) }
                        return .needMore
                    }
                    let b = buf[i]
                    if b == escape {
                        if i + 1 >= end && !sourceDone { return .needMore }
                        if escape != quote {
                            if i + 1 < end { escaped = true; i += 2; continue }
                            throw .unterminatedQuote(line: nextLine + quoteLine, column: column)
                        }
                        if i + 1 < end && buf[i + 1] == quote { escaped = true; i += 2; continue }
                        break
                    }
                    if b == quote { break }
                    if b == 10 { lines += 1; i += 1; continue }
                    throw controlFailure(at: i, fieldStart: contentStart - 1, line: nextLine + lines, column: column)
                }
                try addField(contentStart, i, escaped, lines: lines)
                i += 1
                while i < end && (buf[i] == 32 || buf[i] == 9) && buf[i] != delim { i += 1 }
                if i >= end {
                    if sourceDone { return .record(end: i, lines: lines + 1) }
                    return .needMore
                }
                let c = buf[i]
                if c == delim { i += 1; continue }
                if Int(c) == comment { return skipComment(from: i, lines: lines) }
                if c != 10 && c != 13 { throw .strayQuote(line: nextLine + lines, column: column) }
            } else {
                let start = i
                // The comment byte that starts a row is the first byte of its first field (`#1001`).
                if startsWithComment && i == pos { i += 1 }
                while i < end && !stops[Int(buf[i])] { i += 1 }
                if i >= end {
                    if !sourceDone { return .needMore }
                    try addField(start, i, false, lines: lines)
                    return .record(end: i, lines: lines + 1)
                }
                try addField(start, i, false, lines: lines)
                let c = buf[i]
                if c == delim { i += 1; continue }
                if Int(c) == comment { return skipComment(from: i, lines: lines) }
                if c != 10 && c != 13 {
                    throw controlFailure(at: i, fieldStart: start, line: nextLine + lines, column: count)
                }
            }
            // At CR or LF: the record ends.
            if buf[i] == 13 {
                if i + 1 >= end && !sourceDone { return .needMore }
                i += (i + 1 < end && buf[i + 1] == 10) ? 2 : 1
            } else {
                i += 1
            }
            return .record(end: i, lines: lines + 1)
        }
    }

    /// Whether the line at `start`, which begins with the comment byte, is a row: it has
    /// `commentRowFields` fields (one more when the last is empty: a trailing delimiter), counted
    /// on the line itself as the parser would split it. A quoted field running past the line
    /// keeps it a comment. nil: the buffer does not hold the whole line yet.
    private func lineIsRow(from start: Int, _ delim: UInt8) -> Bool? {
        guard let width = commentRowFields else { return false }
        let end = dataEnd
        var i = start + 1
        var fields = 1
        var atFieldStart = false
        var lastFieldEmpty = false
        while i < end {
            let b = buffer[i]
            if b == 10 || b == 13 || Int(b) == comment { break }
            if b == delim {
                fields += 1
                atFieldStart = true
                lastFieldEmpty = true
                i += 1
                continue
            }
            if hasQuote && b == quote && atFieldStart {
                i += 1
                var closed = false
                while i < end && buffer[i] != 10 && buffer[i] != 13 {
                    let c = buffer[i]
                    if c == escape && escape != quote { i += 2; continue }
                    if c == quote {
                        if escape == quote && i + 1 < end && buffer[i + 1] == quote { i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    i += 1
                }
                if !closed { return i >= end && !sourceDone ? nil : false }
                atFieldStart = false
                lastFieldEmpty = false
                continue
            }
            if b != 32 { atFieldStart = false; lastFieldEmpty = false }
            i += 1
        }
        if i >= end && !sourceDone { return nil }
        return fields == width || (fields == width + 1 && lastFieldEmpty)
    }

    /// From a comment byte to the end of its line. A comment at the start of a
    /// record skips the line; after values it ends the record.
    private func skipComment(from start: Int, lines: Int) -> Step {
        var i = start
        let end = dataEnd
        while i < end && buffer[i] != 10 && buffer[i] != 13 { i += 1 }
        if i >= end && !sourceDone { return .needMore }
        if i < end {
            if buffer[i] == 13 {
                if i + 1 >= end && !sourceDone { return .needMore }
                i += (i + 1 < end && buffer[i + 1] == 10) ? 2 : 1
            } else {
                i += 1
            }
        }
        return count == 0 ? .skipped(end: i, lines: lines + 1) : .record(end: i, lines: lines + 1)
    }

    /// The located error for a control character at `at`, with the field shown escaped.
    private func controlFailure(at: Int, fieldStart: Int, line: Int, column: Int) -> CSVFailure {
        var stop = at + 1
        while stop < dataEnd && stop - fieldStart < 60 && !(buffer[stop] == 10 || buffer[stop] == 13) {
            if case .byte(let d) = delimiter, buffer[stop] == d { break }
            stop += 1
        }
        let text = ControlEscaper.escaped(UnsafeBufferPointer(start: buffer + fieldStart, count: stop - fieldStart))
        return .controlCharacter(line: line, column: column, text: text)
    }

    /// Whitespace-separated records: runs of spaces/tabs split fields, no quoting.
    private func parseWhitespaceRecord() throws(CSVFailure) -> Step {
        var i = pos
        let end = dataEnd
        let buf = buffer
        while true {
            while i < end && (buf[i] == 32 || buf[i] == 9) { i += 1 }
            if i >= end {
                if !sourceDone { return .needMore }
                if count == 0 { try addField(i, i, false, lines: 0) }
                return .record(end: i, lines: 1)
            }
            let b = buf[i]
            if b == 10 || b == 13 {
                if b == 13 && i + 1 >= end && !sourceDone { return .needMore }
                i += (b == 13 && i + 1 < end && buf[i + 1] == 10) ? 2 : 1
                if count == 0 { try addField(i, i, false, lines: 0) }
                return .record(end: i, lines: 1)
            }
            let start = i
            while i < end && !stops[Int(buf[i])] { i += 1 }
            if i >= end && !sourceDone { return .needMore }
            if i < end && ControlEscaper.isControl(buf[i]) && buf[i] != 9 {
                throw controlFailure(at: i, fieldStart: start, line: nextLine, column: count + 1)
            }
            try addField(start, i, false, lines: 0)
        }
    }

    /// Keeps the partial record, reads more text after it; grows the buffer when the record fills it.
    private func refill() throws(CSVFailure) {
        if pos > 0 {
            let left = dataEnd - pos
            if left > 0 { memmove(buffer, buffer + pos, left) }
            recordStart -= pos
            recordEnd -= pos
            dataEnd = left
            pos = 0
        }
        // Keep room for a whole chunk: a decoder handed a few bytes of space could not
        // fit one multi-byte character and would stall.
        if capacity - dataEnd < CSVReader.minimumFree {
            if dataEnd >= maxRecordBytes {
                throw .recordTooLong(line: nextLine, limit: maxRecordBytes)
            }
            let newCapacity = min(capacity * 2, maxRecordBytes + (1 << 20))
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            bigger.update(from: buffer, count: dataEnd)
            buffer.deallocate()
            buffer = bigger
            capacity = newCapacity
        }
        do {
            let n = try source.read(into: buffer + dataEnd, capacity: capacity - dataEnd)
            if n == 0 { sourceDone = true }
            dataEnd += n
        } catch {
            var lines = 0
            var lineStart = pos
            for k in pos..<dataEnd where buffer[k] == 10 { lines += 1; lineStart = k + 1 }
            let column = EncodingSniffer.characterColumn(UnsafeBufferPointer(start: buffer + lineStart, count: dataEnd - lineStart),
                                                          upTo: dataEnd - lineStart)
            throw .invalidEncoding(line: nextLine + lines, column: column, bytes: error.bytes)
        }
    }
}
