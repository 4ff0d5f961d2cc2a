/// The calendar period that cohorts and offsets are counted in.
///
/// Periods are numbered by an integer index so that "offset k" is plain
/// subtraction: months as `year × 12 + (month − 1)`, quarters as
/// `year × 4 + (quarter − 1)`, weeks (Monday to Sunday) counted from the
/// week of 1970-01-05.
public enum PeriodUnit: String, Sendable, CaseIterable {
    case week, month, quarter

    /// The index of the period containing `day` (days since 1970-01-01).
    public func index(ofDay day: Int) -> Int {
        switch self {
        case .week: return floorDivide(day + 3, 7)  // 1970-01-01 was a Thursday
        case .month: return CivilDate(day: day).monthIndex
        case .quarter: return floorDivide(CivilDate(day: day).monthIndex, 3)
        }
    }

    /// The first day (days since 1970-01-01) of the period with `index`: `index(ofDay:)` turned back.
    public func firstDay(of index: Int) -> Int {
        switch self {
        case .week: return index * 7 - 3
        case .month: return DayNumber.firstOfMonth(index: index)
        case .quarter: return DayNumber.firstOfMonth(index: index * 3)
        }
    }

    /// `index(ofDay:)` as standard SQL over a day-number column, for engines that compute periods
    /// themselves (PostgreSQL): Monday weeks counted from 1970-01-05, months and quarters by the calendar date.
    func indexSQL(day: String) -> String {
        let date = "(DATE '1970-01-01' + CAST(\(day) AS integer))"
        let month = "(CAST(extract(year FROM \(date)) AS integer) * 12 + CAST(extract(month FROM \(date)) AS integer) - 1)"
        switch self {
        case .week: return "(\(day) + 3) / 7"
        case .month: return month
        case .quarter: return "\(month) / 3"
        }
    }

    /// A label for a period index: "2024-03", "2024-Q1", or the week's Monday "2024-03-04".
    public func label(of index: Int) -> String {
        switch self {
        case .week: return CivilDate(day: firstDay(of: index)).isoText
        case .month:
            let year = floorDivide(index, 12)
            return "\(pad(year, 4))-\(pad(index - year * 12 + 1, 2))"
        case .quarter:
            let year = floorDivide(index, 4)
            return "\(pad(year, 4))-Q\(index - year * 4 + 1)"
        }
    }

    /// The column prefix for offsets: "M3" is three months after acquisition.
    public var offsetPrefix: String {
        switch self {
        case .week: return "W"
        case .month: return "M"
        case .quarter: return "Q"
        }
    }
}

/// A proleptic Gregorian date of a day number (DayNumber's arithmetic, no Foundation).
struct CivilDate: Equatable {
    var year: Int
    var month: Int
    var dayOfMonth: Int

    init(day: Int) {
        (year, month, dayOfMonth) = DayNumber.civil(day)
    }

    /// `year × 12 + (month − 1)`.
    var monthIndex: Int { year * 12 + month - 1 }

    var isoText: String { DayNumber.isoDate(DayNumber.from(year: year, month: month, day: dayOfMonth)) }
}

/// Division rounding toward negative infinity (dates before 1970 stay in the right period).
@inline(__always) func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(abs(value))
    let padded = String(repeating: "0", count: max(0, width - text.count)) + text
    return value < 0 ? "-" + padded : padded
}
