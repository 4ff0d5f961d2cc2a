import ECStore

/// Tab-separated values: one line per row, fields never quoted.
///
/// Because a field cannot contain a tab or a line break, those are escaped the
/// way PostgreSQL's text COPY format does: backslash `\\`, tab `\t`, LF `\n`,
/// CR `\r`; NULL is `\N`. A NUL character is written as U+FFFD, as in CSV. Header first, lines end in LF; numbers are raw
/// (an integer in a column that holds reals written as a real, as in CSV).
public enum TSVWriter {
    /// The whole table as TSV text.
    /// `header: false` leaves out the column names (`.headers off`).
    public static func text(_ table: ResultTable, header: Bool = true) -> String {
        var out = header ? table.columns.map(escape).joined(separator: "\t") + "\n" : ""
        let real = RawValueText.realColumns(table.rawRows, count: table.columns.count)
        for row in table.rawRows {
            out += table.columns.indices.map { c in
                let value = c < row.count ? row[c] : .null
                return value.isNull ? "\\N" : escape(RawValueText.text(value, realColumn: real[c]))
            }.joined(separator: "\t")
            out += "\n"
        }
        return out
    }

    /// One field with backslash, tab, CR and LF escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            // Readers stop at a NUL; PostgreSQL's text cannot hold one (CSVWriter.nulNote).
            case "\0": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
