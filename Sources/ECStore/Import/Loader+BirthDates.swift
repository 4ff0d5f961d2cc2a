import Foundation

/// Birth dates of a customers file that give no age: after the day of the load, or before 1900. The customer's
/// `age` is then ∅ (`CustomerAge`), and the load's summary names each such value by file:line:column, so a
/// typo (`2999-01-01`, `1800-01-01`) is not counted silently as missing.
extension Loader {
    /// Headers of a customers file that hold the customer's birth date, normalized (`HeaderAliases.normalize`):
    /// `birthday`, `birth_date`, `Date of birth`, `DOB`, `生年月日`, `誕生日`.
    static let birthDateHeaders: Set<String> = ["birthday", "birthdate", "dateofbirth", "dob", "生年月日", "誕生日"]

    /// Whether a column (header or stored name) holds the customer's birth date: the loader's and `CustomerAge`'s one test.
    public static func isBirthDateHeader(_ name: String) -> Bool { birthDateHeaders.contains(HeaderAliases.normalize(name)) }

    /// The located note on this load's impossible birth dates (rows `rowid > base`, rowid = base + line), nil when none.
    func impossibleBirthDates(_ table: String, base: Int64, plan: FilePlan, request: LoadRequest) throws -> String? {
        guard let c = plan.columns.first(where: { $0.canonical == nil && Self.isBirthDateHeader($0.name) }),
              case .field(let field) = c.source else { return nil }
        let q = quoteIdentifier(c.name)
        let day = "substr(\(q), 1, 10)"
        let today = Self.isoToday()
        let rows = try database.query("""
            SELECT rowid - ?, \(day) FROM \(quoteIdentifier(table))
            WHERE rowid > ? AND typeof(\(q)) = 'text' AND \(q) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
              AND (\(day) < '1900-01-01' OR \(day) > ?) ORDER BY rowid
            """, [.integer(base), .integer(base), .text(today)]).rows
        guard !rows.isEmpty else { return nil }
        let file = request.path
        let shown = rows.prefix(5).map { r -> String in
            let value = r[1].textValue ?? ""
            return "\(file):\(r[0].intValue ?? 0):\(field + 1) \(value) (\(value < "1900-01-01" ? "before 1900" : "after today, \(today)"))"
        }
        return "\(rows.count) birth date\(rows.count == 1 ? "" : "s") in '\(c.header ?? c.name)' cannot be real, so "
            + "\(rows.count == 1 ? "that customer has" : "those customers have") no age (∅): "
            + shown.joined(separator: "; ") + (rows.count > 5 ? "; …" : "")
    }

    /// The located note on this load's ages that cannot be real (below 0 or over 120) in an age column (`age`, `年齢`).
    func impossibleAges(_ table: String, base: Int64, plan: FilePlan, request: LoadRequest) throws -> String? {
        guard let c = plan.columns.first(where: { $0.canonical == nil && ["age", "年齢"].contains(HeaderAliases.normalize($0.name)) }),
              case .field(let field) = c.source else { return nil }
        let q = quoteIdentifier(c.name)
        let rows = try database.query("""
            SELECT rowid - ?, \(q) FROM \(quoteIdentifier(table))
            WHERE rowid > ? AND typeof(\(q)) IN ('integer', 'real') AND (\(q) < 0 OR \(q) > 120) ORDER BY rowid
            """, [.integer(base), .integer(base)]).rows
        guard !rows.isEmpty else { return nil }
        let shown = rows.prefix(5).map { "\(request.path):\($0[0].intValue ?? 0):\(field + 1) \($0[1].description)" }
        return "\(rows.count) age\(rows.count == 1 ? "" : "s") in '\(c.header ?? c.name)' below 0 or over 120 cannot be real: "
            + shown.joined(separator: "; ") + (rows.count > 5 ? "; …" : "")
            + " (segments and kpi … by age read them as written: correct them, or sql UPDATE customers SET \(q) = NULL WHERE …)"
    }

    /// Today's date in this machine's zone, as `YYYY-MM-DD`.
    static func isoToday() -> String {
        let c = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}
