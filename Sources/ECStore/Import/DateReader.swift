/// A calendar date with an optional time of day, as written (local time).
struct LocalDateTime: Equatable {
    var year = 0, month = 0, day = 0
    var hour = 0, minute = 0, second = 0
    var hasTime = false
    /// Minutes east of UTC when the text had an offset (`+09:00` → 540, `Z` → 0).
    var offsetMinutes: Int?
    /// For `A/B/YYYY` read without a known order: what the value says about the order.
    var slashEvidence: SlashEvidence = .none
    /// Written `D.M.YYYY`, as in Europe (where `.` also groups thousands).
    var dayDotMonth = false

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    var dayNumber: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    var isValid: Bool {
        guard year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 else { return false }
        guard hour < 24 && minute < 60 && second <= 60 else { return false }
        return day <= LocalDateTime.daysIn(month: month, year: year)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Writes `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` into `out` (19 bytes); returns the length.
    func write(to out: UnsafeMutablePointer<UInt8>) -> Int {
        @inline(__always) func two(_ v: Int, _ at: Int) {
            out[at] = UInt8(48 + v / 10)
            out[at + 1] = UInt8(48 + v % 10)
        }
        two(year / 100, 0); two(year % 100, 2)
        out[4] = 45; two(month, 5); out[7] = 45; two(day, 8)
        guard hasTime else { return 10 }
        out[10] = 32; two(hour, 11); out[13] = 58; two(minute, 14); out[16] = 58; two(min(second, 59), 17)
        return 19
    }

    var text: String {
        var bytes = [UInt8](repeating: 0, count: 19)
        let n = bytes.withUnsafeMutableBufferPointer { write(to: $0.baseAddress!) }
        return String(decoding: bytes[0..<n], as: UTF8.self)
    }
}

/// Which number comes first in `1/5/2024`-style dates.
enum SlashOrder: Sendable, Equatable {
    case monthFirst
    case dayFirst
}

/// What one `A/B/YYYY` value says about its column's order.
enum SlashEvidence: Equatable {
    /// Not a slash date, or read with a known order.
    case none
    /// Both numbers are 12 or less: it could be either (read month first for now).
    case ambiguous
    /// A > 12: only day-first reads it.
    case dayFirst
    /// B > 12: only month-first reads it.
    case monthFirst
}

/// Reads dates and timestamps in the forms exports use.
///
/// Always: `2024-03-05`, `2024/03/05`, `2024/3/5`, `2024.03.05`, `2024年3月5日`,
/// `20240305`, `05.03.2024` (day first, as everywhere dots are used so),
/// `3/5/2024` (order from `slashOrder`, or from the column: see `SlashEvidence`),
/// each optionally followed by ` 14:22`, ` 14:22:00`, `T14:22:00.123`, ` 14時22分`, ` 02:22:00 PM`, ` 午後 2:22:00`,
/// and a UTC offset (`Z`, `+09:00`, `-0500`). With a `zone`, a time with an
/// offset is moved into that zone before the day is taken; without one the
/// offset is only checked. A `date_format` adds one more form.
struct DateReader {
    let format: DateFormat?
    let zone: ZoneConverter?

    init(format: String?, zone: ZoneConverter? = nil) {
        self.format = format.flatMap { try? DateFormat($0) }
        self.zone = zone
    }

    func parse(_ b: UnsafeBufferPointer<UInt8>, order: SlashOrder?) -> LocalDateTime? {
        guard var dt = parseRaw(b, order: order) else { return nil }
        if let offset = dt.offsetMinutes, let zone {
            dt = zone.convert(dt, offsetMinutes: offset)
        }
        return dt
    }

    func parse(_ b: UnsafeBufferPointer<UInt8>) -> LocalDateTime? { parse(b, order: nil) }

    private func parseRaw(_ b: UnsafeBufferPointer<UInt8>, order: SlashOrder?) -> LocalDateTime? {
        guard let p = b.baseAddress else { return nil }
        var i = 0
        var n = b.count
        while i < n && (p[i] == 32 || p[i] == 9) { i += 1 }
        while n > i && (p[n - 1] == 32 || p[n - 1] == 9) { n -= 1 }
        guard n - i >= 6 else { return nil }
        var dt = LocalDateTime()
        if let format, let end = format.match(p, i, n, into: &dt) {
            i = end
        } else if let end = DateReader.isoDate(p, i, n, into: &dt) {
            i = end
        } else if let end = DateReader.compactDate(p, i, n, into: &dt) {
            i = end
        } else if let end = DateReader.dayMonthYear(p, i, n, order: order, into: &dt) {
            i = end
        } else {
            return nil
        }
        if i < n {
            guard let end = DateReader.time(p, i, n, into: &dt), end == n else { return nil }
        }
        return dt.isValid ? dt : nil
    }

    @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int, min: Int, max: Int) -> Int? {
        var v = 0
        var k = 0
        while k < max && i < n && p[i] >= 48 && p[i] <= 57 {
            v = v * 10 + Int(p[i] - 48)
            i += 1
            k += 1
        }
        return k >= min ? v : nil
    }

    /// `YYYY-M-D` with `-`, `/` or `.` (the same both times), or `YYYY年M月D日`.
    static func isoDate(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, into dt: inout LocalDateTime) -> Int? {
        var i = start
        guard let y = digits(p, &i, n, min: 4, max: 4), i < n else { return nil }
        let sep = p[i]
        if sep == 0xE5 {
            // 年 E5 B9 B4, 月 E6 9C 88, 日 E6 97 A5
            guard i + 3 <= n, p[i + 1] == 0xB9, p[i + 2] == 0xB4 else { return nil }
            i += 3
            guard let m = digits(p, &i, n, min: 1, max: 2), i + 3 <= n,
                  p[i] == 0xE6, p[i + 1] == 0x9C, p[i + 2] == 0x88 else { return nil }
            i += 3
            guard let d = digits(p, &i, n, min: 1, max: 2) else { return nil }
            if i + 3 <= n && p[i] == 0xE6 && p[i + 1] == 0x97 && p[i + 2] == 0xA5 { i += 3 }
            dt.year = y; dt.month = m; dt.day = d
            return i
        }
        guard sep == 45 || sep == 47 || sep == 46 else { return nil }
        i += 1
        guard let m = digits(p, &i, n, min: 1, max: 2), i < n, p[i] == sep else { return nil }
        i += 1
        guard let d = digits(p, &i, n, min: 1, max: 2) else { return nil }
        if i < n && p[i] >= 48 && p[i] <= 57 { return nil }
        dt.year = y; dt.month = m; dt.day = d
        return i
    }

    /// `YYYYMMDD`: exactly eight digits (an integer column stays integer: numbers are tried first).
    static func compactDate(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, into dt: inout LocalDateTime) -> Int? {
        var i = start
        guard let v = digits(p, &i, n, min: 8, max: 8) else { return nil }
        if i < n && !(p[i] == 32 || p[i] == 84 || p[i] == 116) { return nil }
        dt.year = v / 10000; dt.month = v / 100 % 100; dt.day = v % 100
        return i
    }

    /// `D.M.YYYY` (day first) or `A/B/YYYY` (order given, or inferred from the column).
    static func dayMonthYear(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, order: SlashOrder?,
                             into dt: inout LocalDateTime) -> Int? {
        var i = start
        guard let a = digits(p, &i, n, min: 1, max: 2), i < n else { return nil }
        let sep = p[i]
        guard sep == 46 || sep == 47 else { return nil }
        i += 1
        guard let b = digits(p, &i, n, min: 1, max: 2), i < n, p[i] == sep else { return nil }
        i += 1
        guard let y = digits(p, &i, n, min: 4, max: 4) else { return nil }
        if i < n && p[i] >= 48 && p[i] <= 57 { return nil }
        dt.year = y
        if sep == 46 {
            dt.day = a; dt.month = b; dt.dayDotMonth = true
            return i
        }
        switch order {
        case .dayFirst?: dt.day = a; dt.month = b
        case .monthFirst?: dt.month = a; dt.day = b
        case nil:
            if a > 12 && b > 12 { return nil }
            if a > 12 { dt.day = a; dt.month = b; dt.slashEvidence = .dayFirst }
            else if b > 12 { dt.month = a; dt.day = b; dt.slashEvidence = .monthFirst }
            else { dt.month = a; dt.day = b; dt.slashEvidence = .ambiguous }
        }
        return i
    }

    /// ` HH:MM[:SS[.fff]]` or `THH:MM...` or ` HH時MM分[SS秒]`, then an optional offset. Sets `hasTime`.
    static func time(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, into dt: inout LocalDateTime) -> Int? {
        var i = start
        guard i < n, p[i] == 32 || p[i] == 84 || p[i] == 116 else { return nil }
        while i < n && (p[i] == 32 || p[i] == 84 || p[i] == 116) { i += 1 }
        // `午前 9:05:00` / `午後 3:04:05` (Google Forms and Sheets in Japanese): a 12-hour clock, hours 0 to 12;
        // 午前12時 is midnight and 午後12時 noon (as 12 AM and 12 PM), 午前0時 and 午後0時 the same.
        // 午 E5 8D 88, 前 E5 89 8D, 後 E5 BE 8C
        var afternoon: Bool?
        if i + 6 <= n, p[i] == 0xE5, p[i + 1] == 0x8D, p[i + 2] == 0x88, p[i + 3] == 0xE5,
           (p[i + 4] == 0x89 && p[i + 5] == 0x8D) || (p[i + 4] == 0xBE && p[i + 5] == 0x8C) {
            afternoon = p[i + 4] == 0xBE
            i += 6
            while i < n && p[i] == 32 { i += 1 }
        }
        guard var h = digits(p, &i, n, min: 1, max: 2), i < n else { return nil }
        if let afternoon {
            guard h <= 12 else { return nil }
            h = h % 12 + (afternoon ? 12 : 0)
        }
        // 時 E6 99 82, 分 E5 88 86, 秒 E7 A7 92
        if p[i] == 0xE6 && i + 3 <= n && p[i + 1] == 0x99 && p[i + 2] == 0x82 {
            i += 3
            guard let m = digits(p, &i, n, min: 1, max: 2), i + 3 <= n, p[i] == 0xE5, p[i + 1] == 0x88, p[i + 2] == 0x86 else { return nil }
            i += 3
            var s = 0
            if let sec = digits(p, &i, n, min: 1, max: 2) {
                guard i + 3 <= n, p[i] == 0xE7, p[i + 1] == 0xA7, p[i + 2] == 0x92 else { return nil }
                i += 3
                s = sec
            }
            dt.hour = h; dt.minute = m; dt.second = s; dt.hasTime = true
            return i
        }
        guard p[i] == 58 else { return nil }
        i += 1
        guard let m = digits(p, &i, n, min: 2, max: 2) else { return nil }
        var s = 0
        if i < n && p[i] == 58 {
            i += 1
            guard let sec = digits(p, &i, n, min: 2, max: 2) else { return nil }
            s = sec
            if i < n && (p[i] == 46 || p[i] == 44) {
                i += 1
                guard digits(p, &i, n, min: 1, max: 9) != nil else { return nil }
            }
        }
        dt.hour = h; dt.minute = m; dt.second = s; dt.hasTime = true
        while i < n && p[i] == 32 { i += 1 }
        // `02:12:40 PM` (SurveyMonkey, US exports): hours 1 to 12, 12 AM is midnight.
        if i + 2 <= n, p[i] | 0x20 == 97 || p[i] | 0x20 == 112, p[i + 1] | 0x20 == 109 {
            guard afternoon == nil, h >= 1 && h <= 12 else { return nil }
            dt.hour = h % 12 + (p[i] | 0x20 == 112 ? 12 : 0)
            i += 2
            while i < n && p[i] == 32 { i += 1 }
        }
        if i == n { return i }
        // UTC offset: kept for the time-zone conversion.
        if p[i] == 90 || p[i] == 122 { dt.offsetMinutes = 0; return i + 1 }
        // `GMT+9`, `UTC+09:00` (Google Forms' `2024/03/05 14:03:22 GMT+9`): the offset after the name may have
        // hours of one digit; the name alone is +00:00.
        let named = i + 3 <= n && [[103, 109, 116], [117, 116, 99]].contains([p[i] | 0x20, p[i + 1] | 0x20, p[i + 2] | 0x20])
        if named {
            i += 3
            if i == n { dt.offsetMinutes = 0; return i }
        }
        guard p[i] == 43 || p[i] == 45 else { return nil }
        let sign = p[i] == 45 ? -1 : 1
        i += 1
        guard let oh = digits(p, &i, n, min: named ? 1 : 2, max: 2), oh <= 14 else { return nil }
        if i < n && p[i] == 58 { i += 1 }
        var om = 0
        if i < n {
            guard let m = digits(p, &i, n, min: 2, max: 2), m < 60 else { return nil }
            om = m
        }
        dt.offsetMinutes = sign * (oh * 60 + om)
        return i
    }
}

/// A strftime-style date pattern from `with date_format`: %Y %y %m %d %H %M %S and literal text.
struct DateFormat: Sendable {
    enum Token: Equatable {
        case year4, year2, month, day, hour, minute, second
        case literal(UInt8)
    }
    let tokens: [Token]

    init(_ pattern: String) throws {
        var tokens: [Token] = []
        var bytes = Array(pattern.utf8)[...]
        while let b = bytes.popFirst() {
            guard b == 37 else { tokens.append(.literal(b)); continue }
            guard let code = bytes.popFirst() else { throw StoreError("date_format '\(pattern)' ends with a lone %") }
            switch code {
            case UInt8(ascii: "Y"): tokens.append(.year4)
            case UInt8(ascii: "y"): tokens.append(.year2)
            case UInt8(ascii: "m"): tokens.append(.month)
            case UInt8(ascii: "d"): tokens.append(.day)
            case UInt8(ascii: "H"): tokens.append(.hour)
            case UInt8(ascii: "M"): tokens.append(.minute)
            case UInt8(ascii: "S"): tokens.append(.second)
            case 37: tokens.append(.literal(37))
            default:
                throw StoreError("date_format '\(pattern)': %\(Character(Unicode.Scalar(code))) is not supported; use %Y %y %m %d %H %M %S")
            }
        }
        guard tokens.contains(.year4) || tokens.contains(.year2), tokens.contains(.month), tokens.contains(.day) else {
            throw StoreError("date_format '\(pattern)' needs a year (%Y or %y), a month (%m) and a day (%d)")
        }
        self.tokens = tokens
    }

    static func validate(_ pattern: String) throws { _ = try DateFormat(pattern) }

    /// Matches the pattern at `start`; returns where it stopped (a time part may follow).
    func match(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, into dt: inout LocalDateTime) -> Int? {
        var i = start
        for (k, token) in tokens.enumerated() {
            // Without a separator after it, a field takes exactly its full width (%Y%m%d).
            let packed = k + 1 < tokens.count && { if case .literal = tokens[k + 1] { return false }; return true }()
            switch token {
            case .literal(let b):
                guard i < n && p[i] == b else { return nil }
                i += 1
            case .year4:
                guard let v = DateReader.digits(p, &i, n, min: 4, max: 4) else { return nil }
                dt.year = v
            case .year2:
                guard let v = DateReader.digits(p, &i, n, min: 2, max: 2) else { return nil }
                dt.year = v < 70 ? 2000 + v : 1900 + v
            case .month, .day, .hour, .minute, .second:
                guard let v = DateReader.digits(p, &i, n, min: packed ? 2 : 1, max: 2) else { return nil }
                switch token {
                case .month: dt.month = v
                case .day: dt.day = v
                case .hour: dt.hour = v; dt.hasTime = true
                case .minute: dt.minute = v
                default: dt.second = v
                }
            }
        }
        if i < n && p[i] >= 48 && p[i] <= 57 { return nil }
        return i
    }
}
