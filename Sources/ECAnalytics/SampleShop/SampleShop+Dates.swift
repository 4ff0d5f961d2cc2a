extension SampleShop {
    /// Days since 1970-01-01 of a proleptic Gregorian date (pure integer arithmetic,
    /// so the same on every machine).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        DayNumber.from(year: year, month: month, day: day)
    }

    /// (year, month, day) of days since 1970-01-01.
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) { DayNumber.civil(days) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    static func weekday(_ days: Int) -> Int { ((days % 7) + 7 + 3) % 7 }

    /// Appends `YYYY-MM-DD`.
    static func appendDate(_ days: Int, to bytes: inout [UInt8]) {
        let (y, m, d) = civil(days)
        appendPadded(y, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(m, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(d, width: 2, to: &bytes)
    }

    /// Appends `YYYY-MM-DD HH:MM:SS` for seconds since 1970-01-01 00:00 local time.
    static func appendTimestamp(_ seconds: Int, to bytes: inout [UInt8]) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        appendDate(days, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        appendPadded(inDay / 3600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(inDay / 60 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(inDay % 60, width: 2, to: &bytes)
    }

    /// Appends a non-negative integer with leading zeros up to `width` digits.
    static func appendPadded(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 1 && value < divisor {
            bytes.append(UInt8(ascii: "0"))
            divisor /= 10
        }
        appendInteger(value, to: &bytes)
    }

    /// Appends an integer in plain decimal (no grouping, no locale).
    static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var n = value.magnitude
        var divisor: UInt = 1
        while divisor <= n / 10 { divisor *= 10 }
        repeat {  // most significant digit first: no reversing, no temporary storage
            bytes.append(UInt8(ascii: "0") + UInt8(n / divisor))
            n %= divisor
            divisor /= 10
        } while divisor > 0
    }
}
