import Foundation
import ECStore

/// Comma-separated values following RFC 4180 (<https://www.rfc-editor.org/rfc/rfc4180>).
///
/// - A header line with the column names, then one line per row, in result order.
/// - A field is quoted when it contains a comma, a double quote, CR or LF (or has
///   leading/trailing spaces); quotes inside are doubled.
/// - Lines end in LF, not the RFC's CRLF: every CSV reader in use accepts LF, and
///   it keeps files diff-friendly. A quoted field may itself contain CR/LF.
/// - NULL is an empty, unquoted field; the empty string is written `""` so the two
///   stay apart (PostgreSQL's COPY … CSV does the same).
/// - Numbers are raw (no grouping); reals in shortest round-trip form, and an integer in a column
///   that holds reals as a real (`0.0`), so each column reads as one type; NaN and
///   infinities as NaN / Infinity / -Infinity; blobs as hex. Summary rows are
///   written like any other row.
/// - A text cell (or column name) that a spreadsheet would run as a formula, one starting
///   with `=`, `+`, `-`, `@`, a tab or CR and not a plain number, is written with a leading
///   `'`, as OWASP advises (<https://owasp.org/www-community/attacks/CSV_Injection>): a
///   channel or campaign name comes from the shop's customers and platforms. `formulaNote`
///   says how many cells were changed; TSV and JSON keep the text as it is.
/// - A NUL character inside a text is written as U+FFFD (`�`): readers stop at it or reject the
///   line (Excel cuts the cell, R warns "embedded nul", Python's csv before 3.11 raises). TSV does
///   the same; JSON keeps it exactly as `\u0000`. `nulNote` says how many cells had one.
public enum CSVWriter {
    /// The whole table as CSV text.
    /// `header: false` leaves out the column names (`.headers off`).
    public static func text(_ table: ResultTable, delimiter: Character = ",", header: Bool = true) -> String {
        var out = header ? table.columns.map { field(inert(withoutNUL($0)), delimiter: delimiter) }.joined(separator: String(delimiter)) + "\n" : ""
        let real = RawValueText.realColumns(table.rawRows, count: table.columns.count)
        for row in table.rawRows {
            out += table.columns.indices.map { c in
                let value = c < row.count ? row[c] : .null
                if value.isNull { return "" }
                if case .text(let s) = value { return field(inert(withoutNUL(s)), delimiter: delimiter) }
                return field(RawValueText.text(value, realColumn: real[c]), delimiter: delimiter)
            }.joined(separator: String(delimiter))
            out += "\n"
        }
        return out
    }

    /// One field, quoted when it has to be.
    public static func field(_ text: String, delimiter: Character = ",") -> String {
        let needsQuotes = text.isEmpty
            || text.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether a spreadsheet would take `text` for a formula: it starts with `=`, `+`, `-`, `@`,
    /// a tab or CR, and is not a plain number (`-5`, `+1.5e3` stay numbers).
    static func looksLikeFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return false }
        return Double(text) == nil
    }

    /// The text with a leading `'` when a spreadsheet would run it as a formula.
    static func inert(_ text: String) -> String {
        looksLikeFormula(text) ? "'" + text : text
    }

    /// The text with each NUL character replaced by U+FFFD.
    static func withoutNUL(_ text: String) -> String {
        guard text.utf8.contains(0) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
    }

    /// The notes for a CSV (or, with `tsv`, a TSV) of `table`: cells written with a leading `'`
    /// (CSV only) and cells whose NUL characters were replaced.
    public static func notes(_ table: ResultTable, header: Bool = true, tsv: Bool = false) -> [String] {
        [tsv ? nil : formulaNote(table, header: header), nulNote(table, header: header, format: tsv ? "TSV" : "CSV")].compactMap { $0 }
    }

    /// The note that says how many cells had a NUL character, written as U+FFFD; nil when none.
    static func nulNote(_ table: ResultTable, header: Bool, format: String) -> String? {
        var count = header ? table.columns.filter { $0.utf8.contains(0) }.count : 0
        for row in table.rawRows {
            for value in row { if case .text(let s) = value, s.utf8.contains(0) { count += 1 } }
        }
        guard count > 0 else { return nil }
        return "\(count) cell\(count == 1 ? "" : "s") with a NUL character (\\0) written in \(format) with � (U+FFFD) in its place, "
            + "as spreadsheets and CSV readers stop at a NUL; .json keeps it as \\u0000"
    }

    /// The note that says how many cells CSV writes with a leading `'`, or nil when none
    /// (`header`: whether the column names are written).
    public static func formulaNote(_ table: ResultTable, header: Bool = true) -> String? {
        var count = header ? table.columns.filter(looksLikeFormula).count : 0
        for row in table.rawRows {
            for value in row { if case .text(let s) = value, looksLikeFormula(s) { count += 1 } }
        }
        guard count > 0 else { return nil }
        return "\(count) cell\(count == 1 ? "" : "s") starting with =, +, - or @ written with a leading ' so that a spreadsheet "
            + "shows \(count == 1 ? "it" : "them") as text instead of running a formula; .tsv and .json keep the text as it is"
    }
}
