import ECLanguage
import ECAnalytics

/// The ranges `predict` accepts, checked before any number reaches an `Int`.
///
/// User numbers arrive as Doubles (`horizon 1e30 months` lexes fine); converting
/// one that is out of range or not whole to `Int` traps, so every conversion
/// here happens only after the value is known to be a small whole number.
extension Session {
    /// `horizon N months|years` as whole months in 1...1200 (12 when not given).
    func horizonMonths(_ horizon: Located<TimeSpan>?) throws -> Int {
        guard let h = horizon else { return 12 }
        let limit = CLVCalculator.maximumHorizonMonths
        guard h.value.unit == .month || h.value.unit == .year else {
            throw ShellError("the horizon is counted in months", at: h.range, help: "e.g. horizon 12 months")
        }
        let months = h.value.unit == .year ? h.value.amount * 12 : h.value.amount
        guard months.isFinite, months >= 1, months <= Double(limit) else {
            throw ShellError("the horizon must be between 1 and \(limit) months (100 years)", at: h.range,
                             help: "e.g. horizon 12 months or horizon 5 years")
        }
        guard months == months.rounded() else {
            throw ShellError("the horizon must be a whole number of months", at: h.range, help: "e.g. horizon 18 months")
        }
        return Int(months)
    }

    /// `discount R% per year` as a fraction in 0...1 (10% when not given).
    func annualDiscount(_ rate: Located<Double>?) throws -> Double {
        guard let rate else { return 0.10 }
        guard rate.value.isFinite, rate.value >= 0, rate.value <= 1 else {
            throw ShellError("the discount rate must be between 0% and 100% per year", at: rate.range, help: "e.g. discount 10% per year")
        }
        return rate.value
    }

    /// `holdout N weeks|days|months` as whole days in 7...3650; nil when not given.
    func holdoutDays(_ holdout: Located<TimeSpan>?) throws -> Int? {
        guard let h = holdout else { return nil }
        let days = h.value.days
        guard days.isFinite, days >= 7, days <= 3650 else {
            throw ShellError("the holdout must be between 1 week and 10 years", at: h.range, help: "e.g. holdout 26 weeks")
        }
        // The holdout is whole days (whole calendar months for months and years): 1.5 weeks is 10.5 days,
        // which was rounded to 11 and printed as 1.6 weeks without a word.
        let months = h.value.unit == .year ? h.value.amount * 12 : h.value.amount
        if h.value.unit == .month || h.value.unit == .year, months != months.rounded() {
            let below = Int(months.rounded(.down)), above = Int(months.rounded(.up))
            throw ShellError("\(h.value) is not a whole number of months: a holdout of months counts calendar months back", at: h.range,
                             help: "holdout \(below) month\(below == 1 ? "" : "s") or holdout \(above) months, or a number of days (holdout \(Int(days.rounded())) days)")
        }
        if h.value.unit == .day || h.value.unit == .week, days != days.rounded() {
            let below = Int(days.rounded(.down)), above = Int(days.rounded(.up))
            let said = h.value.unit == .week ? "\(h.value) is \(String(format: "%g", days)) days" : "\(h.value) is not a whole number of days"
            throw ShellError(said + ": a holdout is a whole number of days", at: h.range,
                             help: "holdout \(below) days or holdout \(above) days")
        }
        return Int(days.rounded())
    }

    /// The calibration end for `holdout …` with data to `last`; nil when not given. Whole months or years count
    /// calendar months back (3 months from 2024-12-31 holds out 2024-10-01 to 2024-12-31, the quarter; a month
    /// is not 30 days here), the day of the month kept or, past the month's end, its last day; weeks and days count days.
    func holdoutCalibrationEnd(_ holdout: Located<TimeSpan>?, last: Int) throws -> Int? {
        guard let days = try holdoutDays(holdout), let h = holdout?.value else { return nil }
        let months = h.unit == .year ? h.amount * 12 : h.amount
        guard h.unit == .month || h.unit == .year, months == months.rounded() else { return last - days }
        let (year, month, day) = DayNumber.civil(last)
        let index = year * 12 + month - 1 - Int(months)
        let start = DayNumber.firstOfMonth(index: index)
        return min(start + day - 1, DayNumber.firstOfMonth(index: index + 1) - 1)
    }
}
