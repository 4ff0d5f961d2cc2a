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
