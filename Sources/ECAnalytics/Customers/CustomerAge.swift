import ECStore

/// `age` and `age_band`, customer attributes computed from the customers dataset where it has no column of
/// that name: `age` from a birth date (`birthday`, `birth_date`, `生年月日`, …: `Loader.isBirthDateHeader`) at
/// as_of, or from an age column named `年齢`; `age_band` from the age, by ten years.
///
/// The age is in whole years at as_of (the facts' as_of day is `recency + last_day` of every row), its birthday
/// reached on the day itself; one born on 29 February is a year older from 1 March in a year without that day
/// (its month and day, 02-29, come after 02-28). A birth date that is no ISO date, before 1900, after as_of, or
/// more than 120 years before it gives no age (∅); the load names such dates (`Loader.impossibleBirthDates`).
/// The SQL is the engine's own (`Database.Engine`): SQLite's date(… 'unixepoch') and GLOB, PostgreSQL's date
/// arithmetic and SIMILAR TO, byte order (`COLLATE "C"`) for the texts compared; the same ages.
public enum CustomerAge {
    /// The band of age `a` (SQL), texts in the order they sort: 0-19, then by ten years, then 70+; ∅ without an age.
    static func band(_ a: String) -> String {
        "(CASE WHEN \(a) IS NULL THEN NULL WHEN \(a) < 20 THEN '0-19' WHEN \(a) >= 70 THEN '70+' "
            + "ELSE CAST(\(a) / 10 * 10 AS TEXT) || '-' || CAST(\(a) / 10 * 10 + 9 AS TEXT) END)"
    }

    /// The names this adds to `attributes` (the facts' columns), in order.
    public static func names(attributes: [String]) -> [String] {
        ["age", "age_band"].filter { expression(for: $0, attributes: attributes, prefix: "", engine: .sqlite) != nil }
    }

    /// The SQL of attribute `name` (folded) over the facts, their columns written `prefix` + quoted name
    /// (`f.`), parenthesized, in `engine`'s SQL; nil when `name` is not one of these or a column already has it or nothing gives it.
    public static func expression(for name: String, attributes: [String], prefix: String, engine: Database.Engine) -> String? {
        let folded = Set(attributes.map { $0.lowercased() })
        guard !folded.contains(name) else { return nil }
        switch name {
        case "age": return age(attributes: attributes, prefix: prefix, engine: engine)
        case "age_band":
            let a = folded.contains("age") ? prefix + quoteIdentifier(attributes.first { $0.lowercased() == "age" }!)
                : age(attributes: attributes, prefix: prefix, engine: engine)
            return a.map(band)
        default: return nil
        }
    }

    /// The age: an age column named `年齢` as it is, else the whole years from the birth date to as_of: the years
    /// between them, less one while as_of's month and day (MM-DD, compared as bytes) come before the birthday's.
    /// The years are computed only for a birth date in ISO form (nested CASE: PostgreSQL does not promise to test
    /// the conditions of an AND in order, and its casts of text that is no number fail).
    static func age(attributes: [String], prefix: String, engine: Database.Engine) -> String? {
        if let column = attributes.first(where: { $0 == "年齢" }) { return prefix + quoteIdentifier(column) }
        guard let birth = attributes.first(where: { Loader.isBirthDateHeader($0) }) else { return nil }
        let day = "(\(prefix)\"recency\" + \(prefix)\"last_day\")"
        let pg = engine == .postgresql
        let bytes = pg ? " COLLATE \"C\"" : ""
        let asOf = pg ? "to_char(DATE '1970-01-01' + CAST(\(day) AS int), 'YYYY-MM-DD')" : "date(\(day) * 86400, 'unixepoch')"
        let b = "substr(\(prefix)\(quoteIdentifier(birth)), 1, 10)"
        let iso = pg ? "\(b)\(bytes) SIMILAR TO '[0-9]{4}-[0-9]{2}-[0-9]{2}'" : "\(b) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
        let years = "((CAST(substr(\(asOf), 1, 4) AS INTEGER) - CAST(substr(\(b), 1, 4) AS INTEGER))"
            + " - (CASE WHEN substr(\(asOf), 6, 5)\(bytes) < substr(\(b), 6, 5)\(bytes) THEN 1 ELSE 0 END))"
        return "(CASE WHEN \(iso) AND \(b)\(bytes) >= '1900-01-01' AND \(b)\(bytes) <= \(asOf)\(bytes)"
            + " THEN (CASE WHEN \(years) <= 120 THEN \(years) END) END)"
    }

}
