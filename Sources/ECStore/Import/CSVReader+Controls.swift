/// Bad bytes in a record read with `passControls` (`on_error skip`): control
/// characters, and in a UTF-8 file bytes that are not UTF-8.
///
/// The strict reader stops the load at the first NUL, control byte or undecodable
/// byte. Under `on_error skip` the reader (and, for UTF-8, the text source) lets them
/// through and each row is checked here, so one bad row goes to `ecsh_rejects` with
/// its location instead of ending the load, and no such byte reaches a table.
extension CSVReader {
    /// The first field (1-based column) of the current record with a control character
    /// or (UTF-8 passed unchecked) an invalid byte, with the reason and the field shown escaped.
    func firstBadField() -> (column: Int, text: String, reason: String)? {
        let checkUTF8 = passesInvalidUTF8
        for i in 0..<count {
            let f = field(i)
            if checkUTF8, let bad = UTF8Validator.firstInvalid(f) {
                let bytes = Array(f[bad..<min(bad + 4, f.count)])
                return (i + 1, ControlEscaper.escapedBytes(f.prefix(60)),
                        "has bytes \(Loader.hex(bytes)) that are not valid utf-8 (the rest of the file is utf-8)")
            }
            if f.contains(where: ControlEscaper.isControl) {
                return (i + 1, ControlEscaper.escaped(f.prefix(60)), CSVReader.controlReason)
            }
        }
        return nil
    }

    /// The row problem for the first bad field, or nil when the record is clean.
    func badBytesProblem() -> RowProblem? {
        guard let (column, text, reason) = firstBadField() else { return nil }
        return RowProblem(column: column, field: nil, raw: text, reason: reason, help: CSVReader.controlHelp)
    }

    static let controlReason = "has a control character (shown escaped); a NUL or control byte is not text"
    static let controlHelp = "remove it from the file (e.g. tr -d '\\000' < in.csv > out.csv)"

    /// The record as it appeared in the file with control characters and bytes that are not
    /// UTF-8 escaped (for `ecsh_rejects`: `\0`, `\u{1B}`, `\x{E9}`).
    var escapedRawRecord: String { ControlEscaper.escapedBytes(Array(rawRecordBytes)) }
}

extension ControlEscaper {
    /// `escaped`, and each byte that is not UTF-8 as `\x{HH}`.
    static func escapedBytes(_ bytes: some Collection<UInt8>) -> String {
        var rest = Array(bytes)[...]
        var out = ""
        while !rest.isEmpty {
            let bad = rest.withUnsafeBufferPointer { UTF8Validator.firstInvalid($0) }
            guard let bad else { out += escaped(rest); break }
            out += escaped(rest.prefix(bad))
            let b = rest[rest.startIndex + bad]
            let hex = Array("0123456789ABCDEF")
            out += "\\x{" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)]) + "}"
            rest = rest.dropFirst(bad + 1)
        }
        return out
    }
}

extension UTF8Validator {
    /// Offset of the first byte that is not UTF-8, a cut-off character at the end included.
    static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let c = check(bytes)
        if let at = c.invalidAt { return at }
        return c.incompleteTail > 0 ? bytes.count - c.incompleteTail : nil
    }
}
