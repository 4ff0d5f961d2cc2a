import ECStore
import ECLanguage
import ECAnalytics

/// Named customer segments in the shell: `segment`, `segments`, `drop segment`, and the
/// `for`/`where` clauses of other statements. What a segment is and how it compiles
/// lives in ECAnalytics' `SegmentCatalog`; this file checks the workspace is ready and prints.
extension Session {
    var segmentCatalog: SegmentCatalog { SegmentCatalog(database) }

    func ensureBookkeeping() throws {
        try SegmentCatalog.ensureTable(database)
        try TargetStore.ensureTable(database)
    }

    /// Customer facts must exist before segments can be compiled or counted.
    func requireCustomerFacts(for what: String, at range: SourceRange?) throws {
        guard try database.tableExists("orders") else {
            throw ShellError("\(what) needs orders", at: range, help: "load orders from 'orders.csv' (or start with ecsh --demo)")
        }
        try CustomerFacts.ensureCurrent(database, settings: try metricSettings())
    }

    /// `segment NAME = PREDICATE`
    func defineSegment(_ name: Identifier, _ predicate: Expr) throws {
        try requireCustomerFacts(for: "a segment", at: name.range)
        let before = try segmentCatalog.definitions()
        let size = try segmentCatalog.define(name, as: predicate)
        // Segments are counted among customers with a counted order (the customer facts); say so,
        // since the customers dataset may hold more (respondents, sign-ups without an order).
        say("segment \(name.name): \(grouped(size.customers)) of \(grouped(size.total)) customers with counted orders (\(percentText(size.customers, size.total)))")
        noteLoweredKeys(predicate)
        noteUnknowns(name, predicate)
        // Names are case-insensitive: `segment Big = …` replaces `big`, and the segments using it follow.
        if let old = before[name.folded], old.text != predicate.description || old.name != name.name {
            let users = before.values.filter { $0.name.lowercased() != name.folded && ((try? Parser.parseExpression($0.text).mentions(name.folded)) ?? false) }
                .map(\.name).sorted()
            say("note: replaces segment \(old.name) = \(old.text)" + (users.isEmpty ? "" :
                "; \(users.joined(separator: ", ")) \(users.count == 1 ? "uses" : "use") it and now \(users.count == 1 ? "follows" : "follow") the new definition"))
        }
    }

    /// Says which customers a negation leaves out because an attribute is empty (SQL's unknown), and
    /// that `''` matches nothing since an empty field is loaded as null.
    func noteUnknowns(_ name: Identifier, _ predicate: Expr) {
        for note in unknownNotes(name, predicate) { say(note) }
    }

    /// The notes `segment` gives about empty values, for `segments` to repeat under its table.
    func unknownNotes(_ name: Identifier, _ predicate: Expr, respondents: Bool = false) -> [String] {
        unknownNotes(predicate, rows: respondents ? ("respondent", "respondents") : ("customer", "customers"),
                     left: try? segmentCatalog.leftOutAsUnknown(name, respondents: respondents), in: name.name)
    }

    /// A `where` filter's notes: e-mail literals lower-cased, and the counted orders a negation leaves out
    /// because an order column is empty, as `segment` says for customers.
    func noteFilter(_ filter: Expr?) {
        noteLoweredKeys(filter)
        guard let filter else { return }
        let counted = (try? metricSettings())?.countedCondition() ?? SQLFragment("TRUE")
        noteUnknowns(filter, rows: ("order", "orders"), left: try? SegmentCatalog.ordersLeftOutAsUnknown(filter, counted: counted, db: database),
                     in: "the filter")
    }

    private func noteUnknowns(_ predicate: Expr, rows: (one: String, many: String), left: SegmentCatalog.Unknowns??, in what: String) {
        for note in unknownNotes(predicate, rows: rows, left: left, in: what) { say(note) }
    }

    private func unknownNotes(_ predicate: Expr, rows: (one: String, many: String), left: SegmentCatalog.Unknowns??, in what: String) -> [String] {
        var notes: [String] = []
        if !predicate.emptyTextComparisons.isEmpty {
            notes.append("note: '' matches no \(rows.one): an empty field is loaded as ∅ (null); write `COLUMN is null` for the \(rows.many) without a value")
        }
        guard let left = left ?? nil else { return notes }
        let why = left.columns.isEmpty ? "a value the condition reads is empty for them"
            : "no \(left.columns.joined(separator: " or ")) (∅)"
        let way = left.columns.first.map { "`\($0) is null or (…)`" } ?? "`COLUMN is null or (…)`"
        let answers = left.answers.map { $0 == left.rows ? "" : " (\(grouped($0)) answers)" } ?? ""
        notes.append("note: \(grouped(left.rows)) \(left.rows == 1 ? "\(rows.one)\(answers) is" : "\(rows.many)\(answers) are") in neither \(what) nor its opposite: \(why), and a comparison with an empty value is unknown, not true; to count them in, write \(way)")
        return notes
    }

    /// Says which e-mail literals compared with a customer key were lower-cased (`EmailKeyLiterals`), if any.
    func noteLoweredKeys(_ expr: Expr?) {
        if let expr, let note = EmailKeyLiterals.note(EmailKeyLiterals.changes(in: expr)) { say("note: " + note) }
    }

    /// `segments`: name, definition, customers and share.
    func listSegments() throws {
        guard !(try segmentCatalog.definitions().isEmpty) else {
            say("no segments yet; define one with: segment repeaters = orders >= 2")
            return
        }
        try requireCustomerFacts(for: "segments", at: nil)
        let sizes = try segmentCatalog.sizes()
        let rows: [[Value]] = sizes.map { s in
            [.text(s.name), .text(s.definition), s.problem == nil ? .integer(Int64(s.customers)) : .null, s.share.map(Value.real) ?? .null]
        }
        // A segment the data loaded now cannot count (an attribute it names is gone) is listed, empty, with why.
        let problemNotes = sizes.compactMap { s in
            s.problem.map { "note on segment \(s.name): cannot be counted now: \($0.message); define it again, or drop segment \(s.name)" }
        }
        // The notes each definition gave about empty values still hold: a count here must not read as complete.
        let valueNotes = sizes.filter { $0.problem == nil }.flatMap { emptyValueNotes(segment: $0.name, definition: $0.definition) }
        show(ResultTable(columns: ["segment", "definition", "customers", "share"], rows: rows,
                         formats: [.text, .text, .auto, .percent(places: 1)],
                         notes: ["share: of the \(grouped(sizes.first?.total ?? 0)) customers with a counted order"] + problemNotes + valueNotes), sql: nil)
    }

    /// The notes defining a segment gave about empty values (customers in neither it nor its opposite, `''`),
    /// named by segment, for the statements that count it again.
    private func emptyValueNotes(segment name: String, definition: String, respondents: Bool = false) -> [String] {
        ((try? Parser.parseExpression(definition)).map {
            unknownNotes(Identifier(name, range: SourceRange(at: SourceLocation(line: 1, column: 1))), $0, respondents: respondents)
        } ?? [])
            .map { "note on segment \(name): " + $0.dropFirst("note: ".count) }
    }

    /// `for A, B` (and `nps compare A, B`): a statement counting a segment that leaves customers out as unknown
    /// repeats the note its definition gave, so `for tokyo, not_tokyo` is not read as every customer.
    /// `respondents` (`nps`, `nps compare`): counted among the NPS respondents, whom the segment is applied to
    /// whether they ordered or not, rather than among the customers with orders.
    func noteSegments(_ names: [Identifier], respondents: Bool = false) {
        guard !names.isEmpty, let defs = try? segmentCatalog.definitions() else { return }
        var seen: Set<String> = []
        for id in names where seen.insert(id.folded).inserted {
            guard let d = defs[id.folded] else { continue }
            for note in emptyValueNotes(segment: d.name, definition: d.text, respondents: respondents) { say(note) }
        }
    }

    /// `drop segment NAME`
    func dropSegment(_ name: Identifier) throws {
        let dropped = try segmentCatalog.drop(name)
        say("dropped segment \(dropped.name)")
    }

    /// `for A, B`: named segments as predicates over customer facts.
    func namedSegments(_ names: [Identifier]) throws -> [NamedSegment] {
        guard !names.isEmpty else { return [] }
        try requireCustomerFacts(for: "a segment", at: names.first?.range)
        return try segmentCatalog.resolve(names)
    }

    /// A condition on `customer_id` selecting the customers of the given segments (any of them);
    /// `everyone` for NPS, whose respondents may have no counted order (see `SegmentCatalog`).
    func customerFilter(_ names: [Identifier], everyone: Bool = false) throws -> SQLFragment? {
        try factsCondition(names).map { try segmentCatalog.customerFilter(facts: $0, everyone: everyone) }
    }

    /// The given segments (any of them) as a condition on a row of the customer facts; nil for none.
    func factsCondition(_ names: [Identifier]) throws -> SQLFragment? {
        guard !names.isEmpty else { return nil }
        try requireCustomerFacts(for: "a segment", at: names.first?.range)
        return try segmentCatalog.factsCondition(names)
    }

    /// Compiles a `where` predicate over order columns (named `alias.column` when given).
    func compileOrderPredicate(_ expr: Expr, alias: String? = nil) throws -> SQLFragment {
        try SegmentCatalog.orderPredicate(expr, db: database, alias: alias)
    }
}

func percentText(_ n: Int, _ total: Int) -> String {
    guard total > 0 else { return "–" }
    let p = Double(n) * 100 / Double(total)
    return String(format: "%.1f%%", p)
}
