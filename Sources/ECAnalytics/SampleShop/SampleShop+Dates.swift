extension SampleShop {
    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// (year, month, day) of days since 1970-01-01 (Hinnant's `civil_from_days`).
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

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
