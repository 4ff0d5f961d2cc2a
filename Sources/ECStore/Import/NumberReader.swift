import Glibc

/// What a column holds, as `ecsh_fields.type` records it.
public enum FieldKind: String, Sendable, Equatable, CaseIterable {
    case integer, real, date, timestamp, text

    /// The SQLite column type: dates are ISO text.
    var sqlType: String {
        switch self {
        case .integer: return "INTEGER"
        case .real: return "REAL"
        case .date, .timestamp, .text: return "TEXT"
        }
    }
}

/// A number read from a field.
enum ParsedNumber: Equatable {
    case integer(Int64)
    /// An integer written with a leading zero ("007"): numeric, but an inferred column keeps it as text.
    case zeroPadded(Int64)
    case real(Double)
}

/// Reads numbers as people write them in exports: `1,234`, `¥1,980`, `1980円`,
/// `$ 12.50`, ` -3 `, `1.234,5` (with decimal ','), `1e3`.
///
/// Thousands separators must group by three, so `1,5` is not read as 15.
///
/// Japanese exports' forms read too (`parseWritten`): full-width digits and marks (`３，３００`, `－１２．５`),
/// the minus sign `−`, `▲1,000` and `△1,000` (negative in bookkeeping), `(1,000)` (negative), and, in a
/// Shift_JIS file (`backslashIsYen`), `\1,100`, whose byte 0x5C is the yen sign.
struct NumberReader {
    let decimalMark: UInt8
    let groupMark: UInt8
    /// The file was decoded from CP932/Shift_JIS, whose yen sign is the byte that decodes to `\`.
    let backslashIsYen: Bool

    init(decimal: Character, backslashIsYen: Bool = false) {
        decimalMark = decimal == "," ? 44 : 46
        groupMark = decimal == "," ? 46 : 44
        self.backslashIsYen = backslashIsYen
    }

    private static let powers: [Double] = (0...22).map { Glibc.pow(10.0, Double($0)) }

    /// The number in `b`, or nil when it is not one.
    func parse(_ b: UnsafeBufferPointer<UInt8>) -> ParsedNumber? {
        if let number = parsePlain(b) { return number }
        return parseWritten(b)
    }

    /// A number in ASCII (with ¥ ￥ € £ 円), as nearly every field is written; `parseWritten` folds the rest to it.
    func parsePlain(_ b: UnsafeBufferPointer<UInt8>) -> ParsedNumber? {
        guard let p = b.baseAddress else { return nil }
        var i = 0
        var n = b.count
        while i < n && (p[i] == 32 || p[i] == 9) { i += 1 }
        while n > i && (p[n - 1] == 32 || p[n - 1] == 9) { n -= 1 }
        if i == n { return nil }
        var negative = false
        var sawSign = false
        var sawCurrency = false
        // Sign and currency may come in either order: -¥100, ¥-100. One sign only: `--100`, `-+100`
        // and `-¥-100` say two things at once and are not numbers.
        for _ in 0..<2 {
            if i < n && (p[i] == 45 || p[i] == 43) {
                if sawSign { return nil }
                sawSign = true
                negative = p[i] == 45
                i += 1
                if i < n && (p[i] == 45 || p[i] == 43) { return nil }
            }
            let c = NumberReader.currencyLength(p, i, n)
            if c > 0 && !sawCurrency {
                sawCurrency = true
                i += c
                while i < n && p[i] == 32 { i += 1 }
            }
        }
        // Trailing currency: 1980円, 12 €.
        let suffix = NumberReader.currencySuffixLength(p, i, n)
        if suffix > 0 {
            n -= suffix
            while n > i && p[n - 1] == 32 { n -= 1 }
        }
        if i == n { return nil }
        var mantissa: UInt64 = 0
        var digits = 0
        var intDigits = 0
        var fracDigits = 0
        var groupRun = -1  // digits since the last separator; -1 = none seen yet
        var overflow = false
        var sawPoint = false
        let firstDigit = i
        while i < n {
            let c = p[i]
            if c >= 48 && c <= 57 {
                // Leading zeros add nothing; past 19 significant digits strtod takes over.
                if mantissa != 0 || c != 48 {
                    if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(c &- 48); digits += 1 } else { overflow = true }
                }
                if sawPoint { fracDigits += 1 } else {
                    intDigits += 1
                    if groupRun >= 0 { groupRun += 1 }
                }
                i += 1
            } else if c == groupMark && !sawPoint && intDigits > 0 {
                if groupRun == -1 { if intDigits > 3 { return nil } } else if groupRun != 3 { return nil }
                groupRun = 0
                i += 1
            } else if c == decimalMark && !sawPoint {
                if groupRun >= 0 && groupRun != 3 { return nil }
                sawPoint = true
                i += 1
            } else {
                break
            }
        }
        if groupRun >= 0 && groupRun != 3 { return nil }
        if intDigits == 0 && fracDigits == 0 { return nil }
        var exponent = 0
        if i < n && (p[i] == 101 || p[i] == 69) && !sawCurrency {
            i += 1
            var expNegative = false
            if i < n && (p[i] == 45 || p[i] == 43) { expNegative = p[i] == 45; i += 1 }
            let expStart = i
            while i < n && p[i] >= 48 && p[i] <= 57 && exponent < 10_000 {
                exponent = exponent * 10 + Int(p[i] - 48)
                i += 1
            }
            if i == expStart { return nil }
            if expNegative { exponent = -exponent }
        }
        if i != n { return nil }
        if !sawPoint && exponent == 0 && !overflow {
            if mantissa > UInt64(Int64.max) { return .real(negative ? -Double(mantissa) : Double(mantissa)) }
            let value = negative ? -Int64(mantissa) : Int64(mantissa)
            let padded = p[firstDigit] == 48 && intDigits > 1
            return padded ? .zeroPadded(value) : .integer(value)
        }
        let scale = exponent - fracDigits
        if !overflow && mantissa < (1 << 53) && scale >= -22 && scale <= 22 {
            // Both operands are exact doubles, so one multiply or divide rounds correctly.
            var d = Double(mantissa)
            d = scale < 0 ? d / NumberReader.powers[-scale] : d * NumberReader.powers[scale]
            return .real(negative ? -d : d)
        }
        return slowReal(p, firstDigit, i, negative: negative)
    }

    /// strtod on a cleaned copy: only for more than 15 significant digits or big exponents.
    private func slowReal(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int, negative: Bool) -> ParsedNumber? {
        var text: [CChar] = negative ? [45] : []
        for k in from..<to {
            let c = p[k]
            if c == groupMark { continue }
            text.append(CChar(bitPattern: c == decimalMark ? 46 : c))
        }
        text.append(0)
        let d = strtod(text, nil)
        return d.isFinite ? .real(d) : nil
    }

    /// $ ¥ ￥ € £ at `i`: the byte length, or 0.
    static func currencyLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        guard i < n else { return 0 }
        if p[i] == 36 { return 1 }
        if p[i] == 0xC2 && i + 1 < n && (p[i + 1] == 0xA5 || p[i + 1] == 0xA3) { return 2 }
        if p[i] == 0xEF && i + 2 < n && p[i + 1] == 0xBF && p[i + 2] == 0xA5 { return 3 }
        if p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x82 && p[i + 2] == 0xAC { return 3 }
        return 0
    }

    /// 円 or € ending the field: the byte length, or 0.
    static func currencySuffixLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        guard n - i >= 4 else { return 0 }
        if p[n - 3] == 0xE5 && p[n - 2] == 0x86 && p[n - 1] == 0x86 { return 3 }
        if p[n - 3] == 0xE2 && p[n - 2] == 0x82 && p[n - 1] == 0xAC { return 3 }
        return 0
    }
}
