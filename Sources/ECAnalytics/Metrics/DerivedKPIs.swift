import ECStore

/// User-defined KPIs (`define kpi NAME = EXPRESSION`), stored as expression
/// text in `ecsh_kpis` and parsed again when used.
public enum DerivedKPIs {
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
            throw MetricsError("unknown KPI '\(ref)' in the formula of \(n)\(KPIEngine.suggestion(for: ref, among: KPIEngine.allNames(derived: all)))")
        }
        if let def = KPICatalogue.named(ref: expression), def.outputs.count > 1 {
            throw MetricsError("\(def.name) shows several columns and cannot be used in a formula; use its factors instead")
        }
        try checkCycles(from: n, in: all)
        try db.execute(createTable)
        try db.execute("INSERT OR REPLACE INTO ecsh_kpis (name, definition) VALUES (?, ?)",
                       [.text(n), .text(expression.description)])
        return KPICatalogue.named(n) != nil ? "\(n) now replaces the built-in KPI of that name" : nil
    }

    /// Removes a derived KPI; false when there was none.
    @discardableResult
    public static func drop(_ name: String, db: Database) throws -> Bool {
        guard try db.tableExists("ecsh_kpis") else { return false }
        try db.execute("DELETE FROM ecsh_kpis WHERE name = ?", [.text(name.lowercased())])
        return db.changes > 0
    }

    /// All derived KPIs by name.
    public static func load(_ db: Database) throws -> [String: KPIExpression] {
        guard try db.tableExists("ecsh_kpis") else { return [:] }
        var out: [String: KPIExpression] = [:]
        for row in try db.query("SELECT name, definition FROM ecsh_kpis").rows {
            guard let n = row[0].textValue, let text = row[1].textValue else { continue }
            out[n] = try KPIExpression.parse(text)
        }
        return out
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

extension KPICatalogue {
    /// The built-in KPI a bare reference names, if the expression is one.
    static func named(ref e: KPIExpression) -> KPIDefinition? {
        if case .ref(let n) = e { return named(n) }
        return nil
    }
}
