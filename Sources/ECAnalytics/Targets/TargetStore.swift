import ECStore

/// Targets and their objectives in the workspace bookkeeping (`ecsh_targets`).
public enum TargetStore {
    static let table = "ecsh_targets"

    /// Creates the table, and adds the objective column to one made before objectives existed.
    public static func ensureTable(_ db: Database) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS ecsh_targets (kpi TEXT PRIMARY KEY, op TEXT NOT NULL, value REAL NOT NULL, definition TEXT NOT NULL, objective TEXT)")
        if try !db.columns(of: table).contains(where: { $0.name == "objective" }) {
            try db.execute("ALTER TABLE ecsh_targets ADD COLUMN objective TEXT")
        }
    }

    /// Stores (or replaces) the target of a KPI; `text` is how it reads (`cac <= ¥3,000`).
    public static func save(_ t: Target, text: String, db: Database) throws {
        guard KPIEngine.knows(t.kpi, db: db) else {
            throw MetricsError("unknown KPI '\(t.kpi)'\(KPIEngine.kpiSuggestion(for: t.kpi, among: try KPIEngine.allNames(db: db)))", about: t.kpi)
        }
        try ensureTable(db)
        try db.execute("INSERT OR REPLACE INTO ecsh_targets (kpi, op, value, definition, objective) VALUES (?, ?, ?, ?, ?)",
                       [.text(t.kpi), .text(t.comparison.rawValue), .real(t.value), .text(text), t.objective.map { .text($0) } ?? .null])
    }

    /// Removes the target of a KPI (with `drop kpi`); returns how it read (`big >= 100`), nil when it had none.
    public static func remove(kpi: String, db: Database) throws -> String? {
        guard try db.tableExists(table) else { return nil }
        let rows = try db.query("SELECT definition FROM ecsh_targets WHERE kpi = ?", [.text(kpi)]).rows
        guard let first = rows.first else { return nil }
        try db.execute("DELETE FROM ecsh_targets WHERE kpi = ?", [.text(kpi)])
        return first[0].textValue ?? kpi
    }

    /// The stored targets, in the order they were set. A row a user edited into
    /// something unreadable (`sql UPDATE ecsh_targets SET value = 'x'`) is not
    /// a target; it is reported in `problems`, never a crash.
    public static func load(_ db: Database) throws -> (targets: [Target], problems: [String]) {
        guard try db.tableExists(table) else { return ([], []) }
        let hasObjective = try db.columns(of: table).contains { $0.name == "objective" }
        let rows = try db.query("SELECT kpi, op, value, \(hasObjective ? "objective" : "NULL") FROM ecsh_targets ORDER BY \(db.insertionOrder)").rows
        var targets: [Target] = [], problems: [String] = []
        for r in rows {
            let name = r[0].textValue ?? r[0].description
            guard let kpi = r[0].textValue, let op = r[1].textValue.flatMap(Target.Comparison.init(rawValue:)),
                  let value = numeric(r[2]) else {
                problems.append("target for \(name) skipped: its stored comparison or value (\(r[1]), \(r[2])) is not a number target")
                continue
            }
            targets.append(Target(kpi: kpi, comparison: op, value: value, objective: r[3].textValue))
        }
        return (targets, problems)
    }

    /// Numbers only: SQLite lets a REAL column hold text.
    private static func numeric(_ v: Value) -> Double? {
        switch v {
        case .integer(let i): return Double(i)
        case .real(let d): return d.isFinite ? d : nil
        default: return nil
        }
    }
}
