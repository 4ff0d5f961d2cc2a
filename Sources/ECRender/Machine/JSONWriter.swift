import ECStore

/// A JSON array of objects, one object per row, keys in column order.
///
/// Integers and reals are JSON numbers (raw, full precision; an integer in a column that holds
/// reals is written as a real, `0.0`, so a typed reader sees one type per key); NaN and infinities,
/// which JSON cannot express, become null, as does NULL. Text is escaped per
/// RFC 8259 (quote, backslash, control characters); other characters are written
/// as UTF-8. Blobs are hex strings. A repeated column name gets a suffix
/// (`name_2`) so no key is lost. One row per line, for `grep` and diffs.
public enum JSONWriter {
    /// The whole table as JSON text, ending in a newline.
    public static func text(_ table: ResultTable) -> String {
        guard !table.rawRows.isEmpty else { return "[]\n" }
        let keys = uniqueKeys(table.columns).map(quoted)
        let real = RawValueText.realColumns(table.rawRows, count: keys.count)
        var lines: [String] = []
        for row in table.rawRows {
            let members = keys.indices.map { c in
                let v = c < row.count ? row[c] : .null
                if real[c], case .integer = v { return keys[c] + ":" + RawValueText.text(v, realColumn: true) }
                return keys[c] + ":" + value(v)
            }
            lines.append("{" + members.joined(separator: ",") + "}")
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }

    /// One value as a JSON literal.
    public static func value(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .integer(let i): return String(i)
        case .real(let d): return d.isFinite ? String(d) : "null"
        case .text(let s): return quoted(s)
        case .blob(let b): return quoted(RawValueText.hex(b))
        }
    }

    /// A JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Column names made distinct: a second "x" becomes "x_2".
    static func uniqueKeys(_ columns: [String]) -> [String] {
        var seen = Set<String>()
        return columns.map { name in
            var key = name
            var n = 2
            while seen.contains(key) { key = "\(name)_\(n)"; n += 1 }
            seen.insert(key)
            return key
        }
    }
}
