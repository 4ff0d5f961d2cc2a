import Glibc

/// A character encoding `load` can read; everything is converted to UTF-8 on the way in.
enum TextEncoding: Sendable, Equatable {
    case utf8
    /// Windows-31J, the Shift_JIS that Japanese Windows and mall exports actually use.
    case cp932
    case eucJP
    /// UTF-16 with a byte-order mark (big-endian when there is none).
    case utf16
    case utf16LE
    case utf16BE
    case latin1

    static let knownNames = ["utf-8", "cp932 (shift_jis, sjis)", "euc-jp", "utf-16", "utf-16le", "utf-16be", "latin-1"]

    init?(name: String) {
        let key = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch key {
        case "utf8": self = .utf8
        case "cp932", "shiftjis", "sjis", "windows31j", "ms932", "mskanji": self = .cp932
        case "eucjp", "eucjpms", "ujis": self = .eucJP
        case "utf16": self = .utf16
        case "utf16le": self = .utf16LE
        case "utf16be": self = .utf16BE
        case "latin1", "iso88591", "l1", "cp1252", "windows1252": self = .latin1
        default: return nil
        }
    }

    /// The name glibc's iconv knows; nil for UTF-8, which needs only validation.
    var iconvName: String? {
        switch self {
        case .utf8: return nil
        case .cp932: return "CP932"
        case .eucJP: return "EUC-JP-MS"
        case .utf16: return "UTF-16"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        case .latin1: return "ISO-8859-1"
        }
    }

    /// The name to show and to write in `with encoding '...'`.
    var displayName: String {
        switch self {
        case .utf8: return "utf-8"
        case .cp932: return "cp932"
        case .eucJP: return "euc-jp"
        case .utf16: return "utf-16"
        case .utf16LE: return "utf-16le"
        case .utf16BE: return "utf-16be"
        case .latin1: return "latin-1"
        }
    }

    /// Guesses the encoding of a file from its first bytes; nil when the sample is not
    /// cleanly in one encoding (see `EncodingSniffer` for the reason and place).
    static func detect(sample: UnsafeBufferPointer<UInt8>, isWholeFile: Bool) -> TextEncoding? {
        if case .encoding(let e) = EncodingSniffer.sniff(sample, isWholeFile: isWholeFile) { return e }
        return nil
    }

    /// True when iconv converts all of `bytes` (a cut-off last character is fine unless at end of file).
    static func iconvAccepts(_ name: String, _ bytes: UnsafeBufferPointer<UInt8>, isWholeFile: Bool) -> Bool {
        let cd = iconv_open("UTF-8", name)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return false }
        defer { iconv_close(cd) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(to: CChar.self)
        var inLeft = bytes.count
        let outCap = 64 * 1024
        let out = UnsafeMutablePointer<CChar>.allocate(capacity: outCap)
        defer { out.deallocate() }
        while inLeft > 0 {
            var outPtr: UnsafeMutablePointer<CChar>? = out
            var outLeft = outCap
            let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            if r == -1 {
                switch errno {
                case E2BIG: continue
                case EINVAL: return !isWholeFile
                default: return false
                }
            }
        }
        return true
    }
}

/// Checks UTF-8 well-formedness without decoding (ASCII runs go 8 bytes at a time).
enum UTF8Validator {
    /// `invalidAt`: offset of the first bad byte; `incompleteTail`: bytes at the end that
    /// start a character the buffer cuts off.
    static func check(_ buf: UnsafeBufferPointer<UInt8>) -> (invalidAt: Int?, incompleteTail: Int) {
        guard let p = buf.baseAddress else { return (nil, 0) }
        let n = buf.count
        var i = 0
        while i < n {
            // Fast path: eight ASCII bytes at once.
            if i + 8 <= n {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return (i, 0)
            }
            if i + need >= n {
                // The buffer cuts this character off: report it as a tail if what is there fits.
                var k = 1
                while i + k < n {
                    let c = p[i + k]
                    if k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF) { return (i, 0) }
                    k += 1
                }
                return (nil, n - i)
            }
            let c1 = p[i + 1]
            if c1 < lo || c1 > hi { return (i, 0) }
            var k = 2
            while k <= need {
                let c = p[i + k]
                if c < 0x80 || c > 0xBF { return (i, 0) }
                k += 1
            }
            i += need + 1
        }
        return (nil, 0)
    }
}
