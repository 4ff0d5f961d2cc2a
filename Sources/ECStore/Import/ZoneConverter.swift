import Foundation

/// Moves timestamps written with a UTC offset (`+09:00`, `-0500`, `Z`) into the workspace's time zone,
/// so that the day of an order is the day where the shop is.
///
/// Foundation's `TimeZone` knows the rules (summer time included); the last
/// hour's offset is cached, so a file of timestamps near each other costs one
/// look-up per hour of data, not per row. Used by one thread at a time.
final class ZoneConverter {
    let zone: TimeZone
    private var cachedHour = Int64.min
    private var cachedOffset = 0

    /// nil or empty: the system's time zone. Throws for an unknown name.
    init(identifier: String?) throws {
        guard let name = identifier, !name.isEmpty else {
            zone = TimeZone.current
            return
        }
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
        return out
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
