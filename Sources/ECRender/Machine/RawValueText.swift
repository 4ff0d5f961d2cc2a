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
