import ECStore

/// Derived KPIs compiled to SQL over the measure columns, with their unit and total rule.
extension KPIEngine {
    /// A compiled formula. `display` is nil for a bare number, which has no unit of its own.
    struct Compiled {
        var sql: String
        var unit: DerivedUnit?
        var total: KPIDefinition.TotalRule
        /// How tightly the SQL binds: 4 an atom, 3 unary minus, 2 * and /, 1 + and −.
        var precedence: Int = 4

        /// The SQL as an operand that needs at least `minimum` binding strength.
        func operand(_ minimum: Int) -> String { precedence < minimum ? "(\(sql))" : sql }

        /// How the value reads; nil for a bare number.
        var display: KPIDefinition.Display? { unit?.display }
    }

    /// Compiles a derived formula, writing out derived references, and checks it
    /// against the limits `define kpi` checks: at most `DerivedKPIs.maxSize` nodes,
    /// and SQL nested at most `DerivedKPIs.maxDepth` parentheses deep (SQLite's
    /// parser stack overflows near 32 levels; the query around the formula uses some).
    ///
    /// The SQL has only the parentheses precedence needs, so a long chain
    /// (`gmv + gmv + …`) stays flat however many terms it has.
    ///
    /// Units follow the arithmetic (DerivedUnit): yen ÷ count is yen (margin / orders),
    /// yen ÷ yen is a ratio (ltv / cac reads 0.41 like ltv_cac) unless both come from the
    /// same rows (margin / revenue is a share, like margin_rate), a rate times yen is yen,
    /// and a bare number keeps the other side's unit (gmv * 2).
    /// Totals: sums and differences of summable KPIs and their multiples still add
    /// up; anything else is recomputed over the whole range; a formula over a KPI
    /// that has no total has none.
    static func compile(_ e: KPIExpression, derived: [String: KPIExpression], measures: inout Set<Measure>) throws -> Compiled {
        let expanded = try expand(e, derived: derived, path: [])
        if expanded.size > DerivedKPIs.maxSize {
            throw MetricsError("this formula has \(expanded.size) parts once the KPIs it uses are written out; at most \(DerivedKPIs.maxSize) are allowed")
        }
        let compiled = try compileExpanded(expanded, measures: &measures)
        let depth = parenthesisDepth(compiled.sql)
        if depth > DerivedKPIs.maxDepth {
            throw MetricsError("this formula nests \(depth) parentheses deep once the KPIs it uses are written out; at most \(DerivedKPIs.maxDepth) are allowed")
        }
        return compiled
    }

    /// The deepest parenthesis nesting in SQL text (formulas hold no string literals).
    static func parenthesisDepth(_ sql: String) -> Int {
        var depth = 0, deepest = 0
        for c in sql.utf8 {
            if c == UInt8(ascii: "(") { depth += 1; deepest = max(deepest, depth) }
            else if c == UInt8(ascii: ")") { depth -= 1 }
        }
        return deepest
    }

    /// The formula with every derived reference replaced by its own formula.
    private static func expand(_ e: KPIExpression, derived: [String: KPIExpression], path: [String]) throws -> KPIExpression {
        switch e {
        case .number: return e
        case .negate(let x): return .negate(try expand(x, derived: derived, path: path))
        case .binary(let op, let l, let r):
            return .binary(op, try expand(l, derived: derived, path: path), try expand(r, derived: derived, path: path))
        case .ref(let n):
            guard let d = derived[n] else { return e }
            if let i = path.firstIndex(of: n) {
                throw MetricsError("KPI formula is circular: \((path[i...] + [n]).joined(separator: " → "))")
            }
            return try expand(d, derived: derived, path: path + [n])
        }
    }

    private static func compileExpanded(_ e: KPIExpression, measures: inout Set<Measure>) throws -> Compiled {
        switch e {
        case .number(let v):
            return Compiled(sql: String(v), unit: nil, total: .sum)
        case .negate(let x):
            let c = try compileExpanded(x, measures: &measures)
            return Compiled(sql: "-" + (c.precedence < 4 ? "(\(c.sql))" : c.sql), unit: c.unit, total: c.total, precedence: 3)
        case .ref(let n):
            guard let def = KPICatalogue.named(n) else { throw MetricsError("unknown KPI '\(n)' in a derived formula", about: n) }
            guard def.outputs.count == 1 else {
                throw MetricsError("\(n) shows several columns and cannot be used in a formula; use its factors instead", about: n)
            }
            measures.formUnion(def.measures)
            let sql = def.outputs[0].expression
            let bare = sql.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            return Compiled(sql: bare ? sql : "(\(sql))", unit: DerivedUnit(of: def), total: def.total)
        case .binary(let op, let l, let r):
            let a = try compileExpanded(l, measures: &measures)
            let b = try compileExpanded(r, measures: &measures)
            let total = combinedTotal(op, a, b)
            switch op {
            case .divide:
                return Compiled(sql: "1.0 * \(a.operand(2)) / NULLIF(\(b.sql), 0)", unit: DerivedUnit.quotient(a.unit, b.unit),
                                total: total, precedence: 2)
            case .multiply:
                return Compiled(sql: "\(a.operand(2)) * \(b.operand(3))", unit: DerivedUnit.product(a.unit, b.unit), total: total, precedence: 2)
            case .add, .subtract:
                return Compiled(sql: "\(a.operand(1)) \(op.rawValue) \(b.operand(2))", unit: DerivedUnit.sum(a.unit, b.unit), total: total, precedence: 1)
            }
        }
    }

    /// Sums and differences of summable parts, and their multiples by a number, still sum.
    static func combinedTotal(_ op: KPIExpression.Operator, _ a: Compiled, _ b: Compiled) -> KPIDefinition.TotalRule {
        if a.total == .none || b.total == .none { return .none }
        switch op {
        case .add, .subtract:
            if a.display == nil || b.display == nil { return .recompute }  // gmv + 100 adds 100 per row
            return a.total == .sum && b.total == .sum ? .sum : .recompute
        case .multiply:
            if a.display == nil { return b.total == .sum ? .sum : .recompute }
            if b.display == nil { return a.total == .sum ? .sum : .recompute }
            return .recompute
        case .divide:
            return b.display == nil && a.total == .sum ? .sum : .recompute
        }
    }
}

extension KPIEngine {
    /// True for a built-in KPI or one defined in this workspace.
    public static func knows(_ name: String, db: Database) -> Bool {
        let n = name.lowercased()
        return KPICatalogue.named(n) != nil || ((try? DerivedKPIs.load(db))?[n] != nil)
    }

    /// Every name a user can type, built-ins first.
    public static func allNames(db: Database) throws -> [String] {
        allNames(derived: try DerivedKPIs.load(db))
    }

    /// How a KPI's (first) column reads and which way is good: the catalogue's entry,
    /// or for a defined KPI the unit its formula gives (its direction is neutral).
    public static func presentation(of name: String, db: Database) -> (display: KPIDefinition.Display, direction: KPIDefinition.Direction)? {
        let n = name.lowercased()
        if let derived = try? DerivedKPIs.load(db), derived[n] != nil {
            var ms: Set<Measure> = []
            guard let c = try? compile(.ref(n), derived: derived, measures: &ms) else { return nil }
            return (c.display ?? .decimal, .neutral)
        }
        return KPICatalogue.named(n).map { ($0.display, $0.direction) }
    }
}
