import ECStore
import ECLanguage
import ECAnalytics

/// Named customer segments: `segment`, `segments`, `drop segment`, and compiling `for`/`where`.
extension Session {
    func ensureBookkeeping() throws {
        try database.execute("""
            CREATE TABLE IF NOT EXISTS ecsh_segments (name TEXT PRIMARY KEY, definition TEXT NOT NULL);
            """)
        try TargetStore.ensureTable(database)
    }

    /// Stored segment definitions, by lower-cased name.
    func segmentDefinitions() throws -> [String: (name: String, text: String)] {
        guard try database.tableExists("ecsh_segments") else { return [:] }
        var result: [String: (name: String, text: String)] = [:]
        for r in try database.query("SELECT name, definition FROM ecsh_segments").rows {
            if let n = r[0].textValue, let d = r[1].textValue { result[n.lowercased()] = (n, d) }
        }
        return result
    }

    /// Customer facts must exist before segments can be compiled or counted.
    func requireCustomerFacts(for what: String, at range: SourceRange?) throws {
        guard try database.tableExists("orders") else {
            throw ShellError("\(what) needs orders", at: range, help: "load orders from 'orders.csv' (or start with ecsh --demo)")
        }
        try CustomerFacts.ensureCurrent(database, settings: try metricSettings())
    }

    /// Compiles a predicate over customer attributes; segment names expand to their definitions.
    func compileCustomerPredicate(_ expr: Expr, expanding chain: [String] = []) throws -> SQLFragment {
        let attributes = try CustomerFacts.attributes(database).map(\.name)
        let segments = try segmentDefinitions()
        let resolver = ClosureNameResolver { id throws(Diagnostic) in
            if let a = attributes.first(where: { $0.lowercased() == id.folded }) {
                return .column(SQLFragment(quoteIdentifier(a)))
            }
            if chain.contains(id.folded) {
                throw Diagnostic("segment '\(id.name)' refers to itself (\((chain + [id.folded]).joined(separator: " → ")))", at: id.range)
            }
            if let seg = segments[id.folded] {
                do {
                    let inner = try Parser.parseExpression(seg.text)
                    return .segment(try self.compileCustomerPredicate(inner, expanding: chain + [id.folded]))
                } catch let d as Diagnostic {
                    throw d
                } catch {
                    throw Diagnostic("segment '\(id.name)' cannot be used: \(error)", at: id.range)
                }
            }
            throw Diagnostic.unknownName("customer attribute or segment", id.name, at: id.range,
                                         among: attributes + segments.values.map(\.name))
        }
        return try PredicateCompiler(dialect: .sqlite, resolver: resolver).compile(expr)
    }

    /// `segment NAME = PREDICATE`
    func defineSegment(_ name: Identifier, _ predicate: Expr) throws {
        try requireCustomerFacts(for: "a segment", at: name.range)
        let reserved = try CustomerFacts.attributes(database).map { $0.name.lowercased() }
        if reserved.contains(name.folded) {
            throw ShellError("'\(name.name)' is a customer attribute; choose another segment name", at: name.range)
        }
        // Compile with the new name in the chain so a definition that uses itself is caught.
        let compiled = try compileCustomerPredicate(predicate, expanding: [name.folded])
        let count = try database.scalar("SELECT count(*) FROM ecsh_customer_facts WHERE \(compiled.sql)", compiled.bindings)
        let total = try database.scalar("SELECT count(*) FROM ecsh_customer_facts")
        try ensureBookkeeping()
        try database.execute("INSERT OR REPLACE INTO ecsh_segments (name, definition) VALUES (?, ?)",
                             [.text(name.name), .text(predicate.description)])
        let n = Int(count.intValue ?? 0), t = Int(total.intValue ?? 0)
        say("segment \(name.name): \(grouped(n)) of \(grouped(t)) customers (\(percentText(n, t)))")
    }

    /// `segments`: name, definition, customers and share.
    func listSegments() throws {
        let defs = try segmentDefinitions().values.sorted { $0.name < $1.name }
        guard !defs.isEmpty else {
            say("no segments yet; define one with: segment repeaters = orders >= 2")
            return
        }
        try requireCustomerFacts(for: "segments", at: nil)
        let total = try database.scalar("SELECT count(*) FROM ecsh_customer_facts").intValue ?? 0
        var rows: [[Value]] = []
        for d in defs {
            let compiled = try compileCustomerPredicate(Parser.parseExpression(d.text), expanding: [d.name.lowercased()])
            let n = try database.scalar("SELECT count(*) FROM ecsh_customer_facts WHERE \(compiled.sql)", compiled.bindings).intValue ?? 0
            rows.append([.text(d.name), .text(d.text), .integer(n), total > 0 ? .real(Double(n) / Double(total)) : .null])
        }
        show(ResultTable(columns: ["segment", "definition", "customers", "share"], rows: rows,
                         formats: [.text, .text, .auto, .percent(places: 1)]), sql: nil)
    }

    /// `drop segment NAME`
    func dropSegment(_ name: Identifier) throws {
        let defs = try segmentDefinitions()
        guard let d = defs[name.folded] else {
            throw Diagnostic.unknownName("segment", name.name, at: name.range, among: defs.values.map(\.name))
        }
        let users = try defs.values.filter { other in
            try other.name.lowercased() != name.folded && Parser.parseExpression(other.text).mentions(name.folded)
        }
        if let u = users.first {
            throw ShellError("segment '\(u.name)' uses '\(d.name)'", at: name.range, help: "drop segment \(u.name) first, or redefine it")
        }
        try database.execute("DELETE FROM ecsh_segments WHERE name = ?", [.text(d.name)])
        say("dropped segment \(d.name)")
    }

    /// `for A, B`: named segments as predicates over customer facts.
    func namedSegments(_ names: [Identifier]) throws -> [NamedSegment] {
        guard !names.isEmpty else { return [] }
        try requireCustomerFacts(for: "a segment", at: names.first?.range)
        let defs = try segmentDefinitions()
        return try names.map { id in
            guard defs[id.folded] != nil else {
                throw Diagnostic.unknownName("segment", id.name, at: id.range, among: defs.values.map(\.name))
            }
            let compiled = try compileCustomerPredicate(Expr(.identifier(id), range: id.range))
            return NamedSegment(name: defs[id.folded]!.name, predicate: compiled)
        }
    }

    /// A condition on `customer_id` selecting the customers of the given segments (any of them).
    /// `everyone`: over every customer (`CustomerFacts.everyone`), for NPS, whose respondents
    /// may have no counted order; otherwise over the facts, which order analyses only need.
    func customerFilter(_ names: [Identifier], everyone: Bool = false) throws -> SQLFragment? {
        let segs = try namedSegments(names)
        guard !segs.isEmpty else { return nil }
        let any = SQLFragment.joined(segs.map { SQLFragment("(") + $0.predicate + SQLFragment(")") }, separator: " OR ")
        let relation = everyone ? try CustomerFacts.everyone(database) + " AS f" : CustomerFacts.table
        return SQLFragment("customer_id IN (SELECT customer_id FROM \(relation) WHERE ") + any + SQLFragment(")")
    }

    /// Compiles a `where` predicate over order columns.
    func compileOrderPredicate(_ expr: Expr) throws -> SQLFragment {
        let columns = try database.columns(of: "orders").map(\.name)
        let resolver = ClosureNameResolver { id throws(Diagnostic) in
            if let c = columns.first(where: { $0.lowercased() == id.folded }) {
                return .column(SQLFragment(quoteIdentifier(c)))
            }
            throw Diagnostic.unknownName("orders column", id.name, at: id.range, among: columns)
        }
        return try PredicateCompiler(dialect: .sqlite, resolver: resolver).compile(expr)
    }
}

extension Expr {
    /// Whether an identifier with this folded name appears anywhere in the expression.
    func mentions(_ folded: String) -> Bool {
        switch kind {
        case .literal: return false
        case .identifier(let id): return id.folded == folded
        case .negate(let e), .not(let e): return e.mentions(folded)
        case .binary(_, let a, let b): return a.mentions(folded) || b.mentions(folded)
        case .inList(let e, let list, _): return e.mentions(folded) || list.contains { $0.mentions(folded) }
        case .between(let e, let lo, let hi, _): return e.mentions(folded) || lo.mentions(folded) || hi.mentions(folded)
        case .like(let e, let p, _): return e.mentions(folded) || p.mentions(folded)
        case .isNull(let e, _): return e.mentions(folded)
        }
    }
}

func percentText(_ n: Int, _ total: Int) -> String {
    guard total > 0 else { return "–" }
    let p = Double(n) * 100 / Double(total)
    return String(format: "%.1f%%", p)
}
