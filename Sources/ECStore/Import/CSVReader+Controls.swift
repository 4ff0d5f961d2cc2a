/// Control characters in a record read with `passControls` (`on_error skip`).
///
/// The strict reader stops the load at the first NUL or other control byte. Under
/// `on_error skip` the reader lets them through and the row is checked here, so one
/// bad row goes to `ecsh_rejects` with its location instead of ending the load, and
/// no control byte reaches a table.
extension CSVReader {
    /// The first field (1-based column) of the current record holding a control
    /// character, with that field shown escaped; nil when the record is clean.
    func firstControl() -> (column: Int, text: String)? {
        for i in 0..<count {
            let f = field(i)
            if f.contains(where: ControlEscaper.isControl) {
                return (i + 1, ControlEscaper.escaped(f.prefix(60)))
            }
        }
        return nil
    }

    /// The row problem for a control character, as `Loader.loadError` words the strict case.
    func controlProblem() -> RowProblem? {
        guard let (column, text) = firstControl() else { return nil }
        return RowProblem(column: column, field: nil, raw: text, reason: CSVReader.controlReason, help: CSVReader.controlHelp)
    }

    static let controlReason = "has a control character (shown escaped); a NUL or control byte is not text"
    static let controlHelp = "remove it from the file (e.g. tr -d '\\000' < in.csv > out.csv)"

    /// The record as it appeared in the file with control characters escaped (for `ecsh_rejects`).
    var escapedRawRecord: String { ControlEscaper.escaped(Array(rawRecord.utf8)) }
}
