import ECStore

/// Calendar arithmetic on day numbers (days since 1970-01-01), the integer
/// `day` column of the workspace tables.
///
/// Pure proleptic-Gregorian arithmetic (Howard Hinnant's civil-date
/// algorithms), so no time zone can shift a date: `day` is already local.
public enum DayNumber {
    /// The day number of a civil date.
    public static func from(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The civil date of a day number.
    public static func civil(_ n: Int) -> (year: Int, month: Int, day: Int) {
        CivilCalendar.civil(n)
    }

    /// `YYYY-MM-DD` for a day number.
    public static func isoDate(_ n: Int) -> String {
        let c = civil(n)
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    /// The first day of the month `months` after 1970-01 (month index = year × 12 + month − 1).
    public static func firstOfMonth(index: Int) -> Int {
        let y = index >= 0 ? index / 12 : (index - 11) / 12
        return from(year: y, month: index - y * 12 + 1, day: 1)
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a time after the date is ignored)
    /// into the first and last day it covers.
    public static func parseRange(_ text: String) -> ClosedRange<Int>? {
        let datePart = text.split(separator: " ").first.map(String.init) ?? text
        let parts = datePart.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, !parts.contains(where: { $0 == nil }) else { return nil }
        let y = parts[0]!
        // Four-digit years only: a year like 99999999999999999 overflowed the day arithmetic (a trap).
        guard (0...9999).contains(y) else { return nil }
        switch parts.count {
        case 1:
            return from(year: y, month: 1, day: 1)...(from(year: y + 1, month: 1, day: 1) - 1)
        case 2:
            let m = parts[1]!
            guard (1...12).contains(m) else { return nil }
            let start = from(year: y, month: m, day: 1)
            return start...(firstOfMonth(index: y * 12 + m) - 1)
        case 3:
            let m = parts[1]!, d = parts[2]!
            guard (1...12).contains(m), (1...31).contains(d) else { return nil }
            let n = from(year: y, month: m, day: d)
            guard civil(n).day == d else { return nil }
            return n...n
        default:
            return nil
        }
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
