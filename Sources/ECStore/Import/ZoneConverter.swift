import Foundation

/// Moves timestamps written with a UTC offset (`+09:00`, `-0500`, `Z`) into the workspace's time zone,
/// so that the day of an order is the day where the shop is.
///
/// Foundation's `TimeZone` knows the rules (summer time included); the last
/// hour's offset is cached, so a file of timestamps near each other costs one
/// look-up per hour of data, not per row. Used by one thread at a time.
///
/// Without a zone named (no `timezone` setting, no `with timezone`), the system's zone is used, and a machine in UTC
/// (a server, a container) put an order written `2024-04-01 00:30:00 +0900` on 31 March without a word. The
/// converter counts the values it moved and those whose calendar day changed, for the load's note (`implicitNote`).
final class ZoneConverter {
    let zone: TimeZone
    /// No zone was named: the system's is a guess.
    let implicit: Bool
    private var cachedHour = Int64.min
    private var cachedOffset = 0
    /// Values with an offset, those the move put on another calendar day, and the first few offsets met (minutes).
    private(set) var converted = 0
    private(set) var movedDays = 0
    private(set) var offsets: [Int] = []

    /// nil or empty: the system's time zone. Throws for an unknown name.
    init(identifier: String?) throws {
        guard let name = identifier, !name.isEmpty else {
            zone = TimeZone.current
            implicit = true
            return
        }
        implicit = false
        guard let z = TimeZone(identifier: name) ?? TimeZone(abbreviation: name) else {
            throw StoreError("unknown time zone '\(name)'; use a name such as 'Asia/Tokyo', 'Europe/Berlin' or 'UTC'")
        }
        zone = z
    }

    /// Seconds east of UTC in the zone at `epoch` (seconds since 1970 UTC).
    func offset(at epoch: Int64) -> Int {
        let hour = epoch >= 0 ? epoch / 3600 : (epoch - 3599) / 3600
        if hour != cachedHour {
            cachedHour = hour
            cachedOffset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(epoch)))
        }
        return cachedOffset
    }

    /// The UTC offset (minutes) of local time `dt` in the zone: the offset at the instant read as UTC, corrected once
    /// by itself (right but in the hour a clock change repeats or skips).
    func offsetMinutes(ofLocal dt: LocalDateTime) -> Int {
        let asUTC = dt.dayNumber * 86400 + Int64(dt.hour * 3600 + dt.minute * 60 + min(dt.second, 59))
        return offset(at: asUTC - Int64(offset(at: asUTC))) / 60
    }

    /// `dt` written at UTC offset `offsetMinutes`, as local time in the zone.
    func convert(_ dt: LocalDateTime, offsetMinutes: Int) -> LocalDateTime {
        let epoch = dt.dayNumber * 86400 + Int64(dt.hour * 3600 + dt.minute * 60 + min(dt.second, 59)) - Int64(offsetMinutes * 60)
        let local = epoch + Int64(offset(at: epoch))
        var out = LocalDateTime.civil(days: local >= 0 ? local / 86400 : (local - 86399) / 86400)
        let secs = Int(local - (local >= 0 ? local / 86400 : (local - 86399) / 86400) * 86400)
        out.hour = secs / 3600
        out.minute = secs / 60 % 60
        out.second = secs % 60
        out.hasTime = true
        converted += 1
        if out.day != dt.day || out.month != dt.month || out.year != dt.year { movedDays += 1 }
        if offsets.count < 4, !offsets.contains(offsetMinutes) { offsets.append(offsetMinutes) }
        return out
    }

    /// The load's note when no zone was named and timestamps had offsets: their days are this machine's zone's, a guess
    /// that is wrong for a shop elsewhere (an Amazon report in UTC read on a server in UTC keeps a Tokyo shop's
    /// 00:30 orders of 1 April on 31 March though nothing moved), so it is said, and how many days the move changed.
    var implicitNote: String? {
        guard implicit, converted > 0 else { return nil }
        let written = offsets.map(Self.describe).joined(separator: ", ") + (offsets.count == 4 ? ", …" : "")
        let here = zone.identifier, example = zone.identifier == "Asia/Tokyo" ? "Europe/London" : "Asia/Tokyo"
        let moved = movedDays == 0 ? "none of them on another day than the file wrote"
            : "\(LoadSummary.grouped(movedDays)) of them on another day than the file wrote"
        return "no time zone is set: \(LoadSummary.grouped(converted)) timestamp\(converted == 1 ? "" : "s") written with a UTC offset (\(written)) "
            + "took \(converted == 1 ? "its day" : "their days") in this machine's zone, \(here) (\(moved)); "
            + "if the shop keeps another zone's days: set timezone '\(example)' (the shop's zone) and load again"
    }

    /// An offset in minutes as written in ISO 8601: `+09:00`, `-05:00`, `+00:00`.
    static func describe(_ minutes: Int) -> String {
        let m = abs(minutes)
        return (minutes < 0 ? "-" : "+") + String(format: "%02d:%02d", m / 60, m % 60)
    }
}

extension LocalDateTime {
    /// The calendar date of a day number (days since 1970-01-01).
    static func civil(days: Int64) -> LocalDateTime {
        let c = CivilCalendar.civil(Int(days))
        return LocalDateTime(year: c.year, month: c.month, day: c.day)
    }
}

/// Day numbers back to calendar dates, shared by the loader and the analyses.
public enum CivilCalendar {
    /// The civil date of a day number (days since 1970-01-01; Howard Hinnant's civil_from_days).
    public static func civil(_ n: Int) -> (year: Int, month: Int, day: Int) {
        let z = n + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
