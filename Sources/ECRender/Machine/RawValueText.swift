import ECStore

/// Values written exactly for machines: no grouping, full precision.
enum RawValueText {
    /// The exact text of a non-NULL value: integers as digits, reals in Swift's
    /// shortest round-trip form, blobs as lower-case hex.
    static func text(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .integer(let i): return String(i)
        case .real(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
            return String(d)
        case .text(let s): return s
        case .blob(let bytes): return hex(bytes)
        }
    }

    /// Per column, whether it holds a real: its integers are then written as reals (`0.0` beside
    /// `4000.5`, `4000.0` beside `0`), so a program reading the CSV, TSV or JSON sees one number type
    /// per column (a `gmv` of 0 in an empty week is SQLite's integer 0 beside real sums).
    static func realColumns(_ rows: [[Value]], count: Int) -> [Bool] {
        var real = Array(repeating: false, count: count)
        for row in rows {
            for (c, value) in row.prefix(count).enumerated() { if case .real = value { real[c] = true } }
        }
        return real
    }

    /// The exact text of a non-NULL value in a column; an integer in a real column gets `.0` (its digits
    /// as they are, so no integer loses precision on the way).
    static func text(_ value: Value, realColumn: Bool) -> String {
        if realColumn, case .integer(let i) = value { return String(i) + ".0" }
        return text(value)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return out
    }
}
