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
/// - Numbers are raw (no grouping); reals in shortest round-trip form; NaN and
///   infinities as NaN / Infinity / -Infinity; blobs as hex. Summary rows are
///   written like any other row.
public enum CSVWriter {
    /// The whole table as CSV text.
    /// `header: false` leaves out the column names (`.headers off`).
    public static func text(_ table: ResultTable, delimiter: Character = ",", header: Bool = true) -> String {
        var out = header ? table.columns.map { field($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + "\n" : ""
        for row in table.rawRows {
            out += table.columns.indices.map { c in
                let value = c < row.count ? row[c] : .null
                if value.isNull { return "" }
                return field(RawValueText.text(value), delimiter: delimiter)
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
}
