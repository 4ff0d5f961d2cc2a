/// A piece of SQL with its bound values, in placeholder order (`?`).
///
/// Values are never spliced into SQL text; fragments compose by
/// concatenating text and bindings together.
public struct SQLFragment: Sendable, Equatable {
    public var sql: String
    public var bindings: [Value]

    public init(_ sql: String, _ bindings: [Value] = []) {
        self.sql = sql
        self.bindings = bindings
    }

    public static func + (a: SQLFragment, b: SQLFragment) -> SQLFragment {
        SQLFragment(a.sql + b.sql, a.bindings + b.bindings)
    }

    /// Joins fragments with a separator such as " AND ".
    public static func joined(_ parts: [SQLFragment], separator: String) -> SQLFragment {
        SQLFragment(parts.map(\.sql).joined(separator: separator), parts.flatMap(\.bindings))
    }
}

extension SQLFragment {
    /// SQL to print for a person to run (`show sql`, `explain NAME sql`): the bound values written in as
    /// literals, and a last comment saying so. When they cannot be written in, they are listed under the SQL.
    /// In a PostgreSQL workspace (`db`'s engine) the text is for psql: a first `SET search_path` finds ecsh's
    /// own tables (`ecsh_calendar`, …) in the schema `ecsh` as ecsh's connection does, and a real is written
    /// as the float8 ecsh binds (a bare `0.5` is numeric there).
    public static func runnable(_ sql: String, _ bindings: [Value], in db: Database) -> String {
        guard db.engine == .postgresql else { return runnable(sql, bindings) }
        let path = (try? db.scalar("SELECT current_setting('search_path')").textValue) ?? nil
        let set = sql.contains("ecsh_") ? "SET search_path = \(path ?? "\"$user\", public, ecsh");\n" : ""
        return set + runnable(sql, bindings, shell: "psql", literal: { postgresLiteral($0) })
    }

    public static func runnable(_ sql: String, _ bindings: [Value]) -> String {
        runnable(sql, bindings, shell: "a SQLite shell", literal: { literal($0) })
    }

    static func runnable(_ sql: String, _ bindings: [Value], shell: String, literal: (Value) -> String) -> String {
        guard !bindings.isEmpty else { return sql }
        let n = bindings.count
        if let text = inlined(sql, bindings, literal: literal) {
            return text + "\n-- the \(n) value\(n == 1 ? "" : "s") ecsh binds as parameters \(n == 1 ? "is" : "are") "
                + "written in as literals: this runs as it is in \(shell)"
        }
        let list = bindings.enumerated().map { "--  ?\($0.offset + 1) = \(literal($0.element))" }
        return sql + "\n-- bound values:\n" + list.joined(separator: "\n")
    }

    /// A value as a PostgreSQL literal of the type ecsh binds it with (`PostgresConnection`: int8, float8, text).
    static func postgresLiteral(_ v: Value) -> String {
        switch v {
        case .real(let d) where d.isInfinite: return d < 0 ? "'-Infinity'::float8" : "'Infinity'::float8"
        case .real(let d) where d.isNaN: return "'NaN'::float8"
        case .real: return literal(v) + "::float8"
        case .blob(let b): return "'\\x" + b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "'::bytea"
        default: return literal(v)
        }
    }

    /// The SQL with each `?` replaced by its bound value written as a literal, so the text runs as it
    /// is in a SQL shell (`show sql`, `explain NAME sql`). A `?` inside a quoted string, a quoted name
    /// or a comment is left alone. nil when the placeholders and the values do not pair up (a numbered
    /// `?NNN`, or a count that differs), when the caller should print the values beside the SQL instead.
    public static func inlined(_ sql: String, _ bindings: [Value], literal: (Value) -> String = { literal($0) }) -> String? {
        var out = ""
        var next = 0
        var i = sql.startIndex
        // Copies up to and including the next `end` (or to the end of the text).
        func copy(through end: String) {
            if let r = sql[i...].range(of: end) {
                out += sql[i..<r.upperBound]
                i = r.upperBound
            } else {
                out += sql[i...]
                i = sql.endIndex
            }
        }
        while i < sql.endIndex {
            let c = sql[i]
            let rest = sql[i...]
            if c == "'" || c == "\"" || c == "`" || c == "[" {
                let close = c == "[" ? "]" : String(c)
                out.append(c)
                i = sql.index(after: i)
                copy(through: close)  // a doubled quote ('') closes and reopens: the same text either way
            } else if rest.hasPrefix("--") {
                copy(through: "\n")
            } else if rest.hasPrefix("/*") {
                copy(through: "*/")
            } else if c == "?" {
                let after = sql.index(after: i)
                if after < sql.endIndex, sql[after].isNumber { return nil }
                guard next < bindings.count else { return nil }
                out += literal(bindings[next])
                next += 1
                i = after
            } else {
                out.append(c)
                i = sql.index(after: i)
            }
        }
        return next == bindings.count ? out : nil
    }

    /// A value as an SQL literal of the same type: text quoted, a real always with a point or an
    /// exponent (so `1.0 * ?` stays real), a negative number in parentheses (`x - ?` must not read `x --1`).
    public static func literal(_ v: Value) -> String {
        switch v {
        case .null: return "NULL"
        case .integer(let i): return i < 0 ? "(\(i))" : String(i)
        case .real(let d):
            if d.isNaN { return "NULL" }
            if d.isInfinite { return d < 0 ? "(-9e999)" : "9e999" }
            var s = String(d)
            if !s.contains(".") && !s.contains("e") { s += ".0" }
            return d < 0 ? "(\(s))" : s
        case .text(let s): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let b): return "X'" + b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined() + "'"
        }
    }
}
