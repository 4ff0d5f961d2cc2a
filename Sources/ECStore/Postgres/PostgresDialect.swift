/// Turns the SQL ecsh writes for its own bookkeeping in SQLite's dialect into PostgreSQL's.
///
/// Only ecsh's own statements pass through here (a `sql` statement typed by the user goes to the
/// server as written): a closed set of forms, each covered by `PostgresDialectTests`.
/// - `?` placeholders become `$1`, `$2`, … (`NumberedPlaceholders`);
/// - `CREATE TABLE ecsh_x` (also `main.ecsh_x`, `temp.ecsh_x`) creates it in the schema `ecsh`;
///   `CREATE INDEX` names lose their schema (PostgreSQL puts an index beside its table);
/// - column types: `INTEGER` → `bigint` (SQLite's integers are 64-bit), `REAL` → `double precision`
///   (PostgreSQL's `real` is 32-bit), `BLOB` → `bytea`; `WITHOUT ROWID` goes;
/// - `INSERT OR REPLACE INTO t (a, b, …)` → `INSERT … ON CONFLICT (key) DO UPDATE SET b = EXCLUDED.b, …`
///   with the table's primary key (`conflictKeys`), `INSERT OR IGNORE` → `ON CONFLICT DO NOTHING`;
/// - `strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')` → `to_char(localtimestamp, …)`;
/// - `PRAGMA …` (SQLite's tuning: analysis limits, foreign keys) is dropped.
public enum PostgresDialect {
    /// The primary keys of ecsh's bookkeeping tables whose key is not their first column alone.
    static let conflictKeys: [String: [String]] = ["ecsh_fields": ["dataset", "field"]]

    /// The statements to send for one SQLite-dialect text (none for a PRAGMA).
    public static func translate(_ sql: String) -> [String] {
        var s = sql
        let head = s.drop { $0 == " " || $0 == "\n" }.prefix(12).uppercased()
        if head.hasPrefix("PRAGMA") { return [] }
        if head.hasPrefix("CREATE") { s = ddl(s) }
        if s.contains("OR REPLACE INTO") || s.contains("OR IGNORE INTO") { s = upsert(s) }
        s = s.replacing("strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')", with: "to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS')")
        s = s.replacing(" AS REAL)", with: " AS double precision)")
        s = s.replacing(" AS INTEGER)", with: " AS bigint)")
        return [NumberedPlaceholders.rewrite(s).sql]
    }

    /// `CREATE TABLE/INDEX` in PostgreSQL's terms (possibly several `;`-separated statements).
    static func ddl(_ sql: String) -> String {
        var s = sql
        for prefix in ["main.ecsh_", "temp.ecsh_", "ecsh.ecsh_"] { s = s.replacing(prefix, with: "ecsh_") }
        for form in ["CREATE TABLE IF NOT EXISTS ecsh_", "CREATE TABLE ecsh_"] {
            s = s.replacing(form, with: form.dropLast("ecsh_".count) + "ecsh.ecsh_")
        }
        s = s.replacing(" WITHOUT ROWID", with: "")
        for (from, to) in [(" INTEGER", " bigint"), (" REAL", " double precision"), (" BLOB", " bytea")] {
            for end in [",", ")", " ", "\n"] { s = s.replacing(from + end, with: to + end) }
        }
        return s
    }

    /// `INSERT OR REPLACE` / `INSERT OR IGNORE` as `INSERT … ON CONFLICT`.
    static func upsert(_ sql: String) -> String {
        if sql.contains("INSERT OR IGNORE INTO ") {
            return sql.replacing("INSERT OR IGNORE INTO ", with: "INSERT INTO ") + " ON CONFLICT DO NOTHING"
        }
        guard let r = sql.firstRange(of: "INSERT OR REPLACE INTO ") else { return sql }
        let rest = sql[r.upperBound...]
        guard let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") else { return sql }
        let table = rest[..<open].split(separator: ".").last.map { String($0).filter { $0 != " " && $0 != "\"" } } ?? ""
        let columns = rest[rest.index(after: open)..<close].split(separator: ",").map { String($0).filter { $0 != " " && $0 != "\"" } }
        let keys = conflictKeys[table] ?? [columns.first ?? ""]
        let others = columns.filter { !keys.contains($0) }
        let action = others.isEmpty ? "DO NOTHING" : "DO UPDATE SET " + others.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        var body = sql[..<r.lowerBound] + "INSERT INTO " + rest
        while body.last == ";" || body.last == " " || body.last == "\n" { body.removeLast() }
        return body + " ON CONFLICT (\(keys.joined(separator: ", "))) " + action
    }

    /// A PostgreSQL column type in the words SQLite workspaces use (`INTEGER`, `REAL`, `TEXT`, `BLOB`),
    /// so that what reads declared types (loads that append, `describe`) sees one vocabulary.
    public static func sqliteType(_ type: String) -> String {
        switch type.lowercased() {
        case "bigint", "integer", "smallint": return "INTEGER"
        case "double precision", "real": return "REAL"
        case "text", "character varying": return "TEXT"
        case "bytea": return "BLOB"
        default:
            if type.lowercased().hasPrefix("numeric") { return "REAL" }
            if type.lowercased().hasPrefix("character") { return "TEXT" }
            return type.uppercased()
        }
    }
}
