import ECStore
import ECLanguage

/// User-defined KPIs (`define kpi NAME = EXPRESSION`), stored as expression
/// text in `ecsh_kpis` and read back with ecsh's parser when used.
///
/// A definition is checked when it is made, with the limits the engine compiles
/// under, so a stored formula can never make another statement fail: every name
/// must be a KPI of one column, there may be no cycle, and the formula with its
/// derived references written out may not exceed `maxSize` nodes or `maxDepth` levels of parentheses.
public enum DerivedKPIs {
    /// The most nodes a formula may have once derived references are written out.
    public static let maxSize = 500
    /// The deepest its SQL may nest parentheses once derived references are written out:
    /// SQLite's parser stack (100 entries) overflows near 32 levels of `a - (…)`, and the query around a formula needs
    /// some (checked by MeasureLayerTests.definitionsAreValidatedWhenMade at the limit).
    public static let maxDepth = 24

    static let createTable = "CREATE TABLE IF NOT EXISTS ecsh_kpis (name TEXT PRIMARY KEY, definition TEXT NOT NULL)"

    /// Stores (or replaces) a derived KPI after checking its references and cycles.
    /// - Returns: a note when the name shadows a built-in KPI.
    @discardableResult
    public static func define(_ name: String, _ expression: KPIExpression, db: Database) throws -> String? {
        let n = name.lowercased()
        guard n.first.map({ $0.isLetter || $0 == "_" }) == true,
              n.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw MetricsError("'\(name)' is not a valid KPI name: use letters, digits and _")
        }
        var all = try load(db)
        all[n] = expression
        for ref in expression.references where all[ref] == nil && KPICatalogue.named(ref) == nil {
            throw MetricsError("unknown KPI '\(ref)' in the formula of \(n)\(KPIEngine.kpiSuggestion(for: ref, among: KPIEngine.allNames(derived: all)))")
        }
        try checkCycles(from: n, in: all)
        // Compile this formula and every one that uses it, as the engine will.
        for (name, _) in all {
            var measures: Set<Measure> = []
            _ = try KPIEngine.compile(.ref(name), derived: all, measures: &measures)
        }
        try db.execute(createTable)
        try db.execute("INSERT OR REPLACE INTO ecsh_kpis (name, definition) VALUES (?, ?)",
                       [.text(n), .text(expression.description)])
        return KPICatalogue.named(n) != nil ? "\(n) now replaces the built-in KPI of that name" : nil
    }

    /// Removes a derived KPI; false when there was none. Refuses while another defined KPI uses it
    /// (as `drop segment` does), unless a built-in KPI of that name takes its place: a definition
    /// checked when it was made must not start failing because a KPI it reads was dropped.
    @discardableResult
    public static func drop(_ name: String, db: Database) throws -> Bool {
        guard try db.tableExists("ecsh_kpis") else { return false }
        let n = name.lowercased()
        if let user = try users(of: n, db: db).first {
            throw MetricsError("kpi '\(user.name)' uses '\(n)' (\(user.name) = \(user.formula))", about: n)
        }
        try db.execute("DELETE FROM ecsh_kpis WHERE name = ?", [.text(n)])
        return db.changes > 0
    }

    /// The defined KPIs whose formulas read the defined KPI `name`, by name; none when `name` is
    /// not defined or a built-in KPI of that name would take its place once it is dropped.
    public static func users(of name: String, db: Database) throws -> [(name: String, formula: String)] {
        let n = name.lowercased(), all = try load(db)
        guard all[n] != nil, KPICatalogue.named(n) == nil else { return [] }
        return all.filter { $0.key != n && $0.value.references.contains(n) }
            .map { ($0.key, $0.value.description) }.sorted { $0.name < $1.name }
    }

    /// All derived KPIs by name. A stored formula that no longer reads (edited with
    /// `sql UPDATE ecsh_kpis …`) is left out here and reported by `problem(with:)`
    /// only when that KPI is asked for, so it cannot break other statements.
    public static func load(_ db: Database) throws -> [String: KPIExpression] {
        guard try db.tableExists("ecsh_kpis") else { return [:] }
        var out: [String: KPIExpression] = [:]
        for row in try db.query("SELECT name, definition FROM ecsh_kpis").rows {
            guard let n = row[0].textValue, let text = row[1].textValue,
                  let e = try? KPIExpression.parse(text) else { continue }
            out[n] = e
        }
        return out
    }

    /// Why a stored definition cannot be used, or nil when it is fine or absent.
    static func problem(with name: String, db: Database) -> String? {
        guard let text = try? db.scalar("SELECT definition FROM ecsh_kpis WHERE name = ?", [.text(name)]).textValue else { return nil }
        do { _ = try KPIExpression.parse(text); return nil } catch { return "\(error)" }
    }

    /// Throws when following references from `name` comes back to a KPI already on the path.
    static func checkCycles(from name: String, in all: [String: KPIExpression]) throws {
        func visit(_ n: String, _ path: [String]) throws {
            if let i = path.firstIndex(of: n) {
                throw MetricsError("KPI formula is circular: \((path[i...] + [n]).joined(separator: " → "))")
            }
            guard let e = all[n] else { return }
            for r in e.references { try visit(r, path + [n]) }
        }
        try visit(name, [])
    }
}

