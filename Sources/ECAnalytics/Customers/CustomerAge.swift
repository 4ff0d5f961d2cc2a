import ECStore

/// `age` and `age_band`, customer attributes computed from the customers dataset where it has no column of
/// that name: `age` from a birth date (`birthday`, `birth_date`, `生年月日`, …: `Loader.birthDateHeaders`) at
/// as_of, or from an age column named `年齢`; `age_band` from the age, by ten years.
///
/// The age is in whole years at as_of (the facts' as_of day is `recency + last_day` of every row), its birthday
/// reached on the day itself; one born on 29 February is a year older from 1 March in a year without that day
/// (its month and day, 02-29, come after 02-28). A birth date that is no ISO date, before 1900, after as_of, or
/// more than 120 years before it gives no age (∅); the load names such dates (`Loader.impossibleBirthDates`).
public enum CustomerAge {
    /// The band of age `a` (SQL), texts in the order they sort: 0-19, then by ten years, then 70+; ∅ without an age.
    static func band(_ a: String) -> String {
        "(CASE WHEN \(a) IS NULL THEN NULL WHEN \(a) < 20 THEN '0-19' WHEN \(a) >= 70 THEN '70+' "
            + "ELSE CAST(\(a) / 10 * 10 AS TEXT) || '-' || CAST(\(a) / 10 * 10 + 9 AS TEXT) END)"
    }

    /// The names this adds to `attributes` (the facts' columns), in order.
    public static func names(attributes: [String]) -> [String] {
        ["age", "age_band"].filter { expression(for: $0, attributes: attributes, prefix: "") != nil }
    }

    /// The SQL of attribute `name` (folded) over the facts, their columns written `prefix` + quoted name
    /// (`f.`), parenthesized; nil when `name` is not one of these or a column already has it or nothing gives it.
    public static func expression(for name: String, attributes: [String], prefix: String) -> String? {
        let folded = Set(attributes.map { $0.lowercased() })
        guard !folded.contains(name) else { return nil }
        switch name {
        case "age": return age(attributes: attributes, prefix: prefix)
        case "age_band":
            let a = folded.contains("age") ? prefix + quoteIdentifier(attributes.first { $0.lowercased() == "age" }!)
                : age(attributes: attributes, prefix: prefix)
            return a.map(band)
        default: return nil
        }
    }

    /// The age: an age column named `年齢` as it is, else the whole years from the birth date to as_of.
    static func age(attributes: [String], prefix: String) -> String? {
        if let column = attributes.first(where: { $0 == "年齢" }) { return prefix + quoteIdentifier(column) }
        guard let birth = attributes.first(where: { Loader.birthDateHeaders.contains(normalized($0)) }) else { return nil }
        let asOf = "date((\(prefix)\"recency\" + \(prefix)\"last_day\") * 86400, 'unixepoch')"
        let b = "substr(\(prefix)\(quoteIdentifier(birth)), 1, 10)"
        let years = "((CAST(substr(\(asOf), 1, 4) AS INTEGER) - CAST(substr(\(b), 1, 4) AS INTEGER)) - (substr(\(asOf), 6, 5) < substr(\(b), 6, 5)))"
        return "(CASE WHEN \(b) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND \(b) >= '1900-01-01' AND \(b) <= \(asOf)"
            + " AND \(years) <= 120 THEN \(years) END)"
    }

    /// A column name as the loader compares headers: lower case, without blanks, `_`, `-`, `.`.
    static func normalized(_ name: String) -> String {
        String(name.lowercased().filter { !" _-.\u{3000}\t#:()（）".contains($0) })
    }
}
