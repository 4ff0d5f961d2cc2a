import ECStore
import ECLanguage

/// Named customer segments: predicates over customer attributes (the columns of
/// `ecsh_customer_facts`), stored as text in the workspace's `ecsh_segments` and
/// compiled to SQL when used, so that a segment always means its definition over
/// the data loaded now, not over the data it was defined on.
///
/// A segment may use other segments by name; they are expanded in place, and a
/// definition that reaches itself is an error naming the chain. The shell reads
/// statements and prints; everything a segment *is* lives here.
///
/// Reading a segment's members needs current customer facts: callers bring them
/// up to date first (`CustomerFacts.ensureCurrent`), as the shell does before any
/// segment statement.
public struct SegmentCatalog {
    /// The table the definitions live in.
    public static let table = "ecsh_segments"

    /// A stored definition: the name as first written and the predicate's text.
    public struct Definition: Sendable, Equatable {
        public let name: String
        public let text: String
    }

    /// How many customers with counted orders a segment holds, out of how many.
    public struct Size: Sendable, Equatable {
        public let name: String
        public let definition: String
        public let customers: Int
        public let total: Int
        /// Why the segment cannot be counted now (its definition names an attribute the data loaded now
        /// lacks, or a name that is now both a segment and an attribute); `customers` is then 0 and means nothing.
        public var problem: Diagnostic? = nil
        /// customers ÷ total; nil when there are no customers at all, or the segment cannot be counted.
        public var share: Double? { total > 0 && problem == nil ? Double(customers) / Double(total) : nil }
    }

    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Creates the definitions table if this workspace has none yet.
    public static func ensureTable(_ db: Database) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS \(table) (name TEXT PRIMARY KEY, definition TEXT NOT NULL);")
    }

    /// Stored definitions by lower-cased name (names are case-insensitive, as everywhere in ecsh).
    public func definitions() throws -> [String: Definition] {
        guard try db.tableExists(Self.table) else { return [:] }
        var result: [String: Definition] = [:]
        for r in try db.query("SELECT name, definition FROM \(Self.table)").rows {
            if let n = r[0].textValue, let d = r[1].textValue { result[n.lowercased()] = Definition(name: n, text: d) }
        }
        return result
    }

    /// Compiles a predicate over customer attributes to SQL over `ecsh_customer_facts`;
    /// segment names expand to their own definitions. `chain` holds the segments being
    /// expanded (folded names), so that a definition that uses itself is caught.
    public func compile(_ expr: Expr, expanding chain: [String] = []) throws -> SQLFragment {
        let attributes = try CustomerFacts.attributes(db).map(\.name)
        return try compile(expr, expanding: chain, attributes: attributes, segments: try definitions())
    }

    private func compile(_ expr: Expr, expanding chain: [String], attributes: [String],
                         segments: [String: Definition]) throws -> SQLFragment {
        let resolver = ClosureNameResolver { id throws(Diagnostic) in
            if let a = attributes.first(where: { $0.lowercased() == id.folded }) {
                // A column loaded after a segment of that name was defined (`define` refuses the other order):
                // taking either silently would change what the statement counts, so neither is taken.
                if let seg = segments[id.folded] { throw Self.bothSegmentAndAttribute(seg, attribute: a, at: id.range) }
                return .column(SQLFragment(quoteIdentifier(a)))
            }
            // `age` and `age_band` from a birth date or `年齢` (`CustomerAge`), where no column has the name.
            if let computed = CustomerAge.expression(for: id.folded, attributes: attributes, prefix: "", engine: self.db.engine) {
                if let seg = segments[id.folded] { throw Self.bothSegmentAndAttribute(seg, attribute: id.folded, at: id.range) }
                return .column(SQLFragment(computed))
            }
            if chain.contains(id.folded) {
                throw Diagnostic("segment '\(id.name)' refers to itself (\((chain + [id.folded]).joined(separator: " → ")))", at: id.range)
            }
            if let seg = segments[id.folded] {
                do {
                    let inner = try Parser.parseExpression(seg.text)
                    return .segment(try self.compile(inner, expanding: chain + [id.folded], attributes: attributes, segments: segments))
                } catch {
                    throw Self.unusable(seg, error, path: chain + [id.folded], at: id.range)
                }
            }
            if let field = (try? Self.renamedHeaders("customers", self.db))?[id.folded] {
                throw Self.renamed(id, "customer attribute or segment", field: field, file: "customers")
            }
            throw Diagnostic.unknownName("customer attribute or segment", id.name, at: id.range,
                                         among: attributes + CustomerAge.names(attributes: attributes) + segments.values.map(\.name))
        }
        return try PredicateCompiler(dialect: .sqlite, resolver: resolver).compile(expr)
    }

    /// A failure inside a used segment's stored definition, pointed at where the statement uses it (the failure's
    /// own place is in the definition's text, not in the statement): the segment, the chain that reached it, the
    /// definition and what is wrong, with the way out. One already said so by a segment deeper in the chain (or a
    /// cycle, which names its chain) is only moved to this use.
    static func unusable(_ seg: Definition, _ error: any Error, path: [String], at range: SourceRange) -> Diagnostic {
        guard let d = error as? Diagnostic else {
            return Diagnostic("segment '\(seg.name)' cannot be used: \(error)", at: range)
        }
        if d.message.hasPrefix("segment '") || d.message.hasPrefix("'") { return Diagnostic(d.message, at: range, help: d.help, note: d.note) }
        let via = path.count > 1 ? " (\(path.joined(separator: " → ")))" : ""
        return Diagnostic("segment '\(seg.name)'\(via) cannot be used: \(d.message) in its definition \(seg.name) = \(seg.text)",
                          at: range, help: d.help,
                          note: "the customer attributes are those of the orders and customers loaded now (describe customers); "
                              + "define segment \(seg.name) again, or drop segment \(seg.name)")
    }

    /// A name that is both a segment and a customer attribute: a column loaded after the segment was defined.
    static func bothSegmentAndAttribute(_ seg: Definition, attribute: String, at range: SourceRange) -> Diagnostic {
        Diagnostic("'\(seg.name)' is both segment \(seg.name) (\(seg.text)) and the customer attribute '\(attribute)' (a column loaded after the segment was defined)",
                   at: range,
                   note: "define the segment again under a name no attribute has (segment \(seg.name)_segment = \(seg.text)), use that name, "
                       + "and drop segment \(seg.name) once no segment uses it")
    }

    /// `segment NAME = PREDICATE`: checks and stores the definition (replacing one of the
    /// same name) and returns its size now.
    @discardableResult
    public func define(_ name: Identifier, as predicate: Expr) throws -> Size {
        let attributes = try CustomerFacts.attributes(db).map(\.name)
        let reserved = (attributes + CustomerAge.names(attributes: attributes)).map { $0.lowercased() }
        if reserved.contains(name.folded) {
            throw Diagnostic("'\(name.name)' is a customer attribute; choose another segment name", at: name.range)
        }
        // Compiled with the new name in the chain, so that a definition using itself is caught.
        let compiled = try compile(predicate, expanding: [name.folded])
        let size = try self.size(name: name.name, definition: predicate.description, compiled: compiled)
        try Self.ensureTable(db)
        try db.execute("INSERT OR REPLACE INTO \(Self.table) (name, definition) VALUES (?, ?)",
                       [.text(name.name), .text(predicate.description)])
        return size
    }

    /// Every stored segment with its size now, by name.
    public func sizes() throws -> [Size] {
        let total = try customersWithOrders()
        return try definitions().values.sorted { $0.name < $1.name }.map { d in
            let compiled: SQLFragment
            do {
                compiled = try compile(Parser.parseExpression(d.text), expanding: [d.name.lowercased()])
            } catch let problem as Diagnostic {
                // One segment the data loaded now cannot count does not hide the others: listed with what is wrong.
                return Size(name: d.name, definition: d.text, customers: 0, total: total, problem: problem)
            }
            return try size(name: d.name, definition: d.text, compiled: compiled)
        }
    }

    private func size(name: String, definition: String, compiled: SQLFragment) throws -> Size {
        let total = try customersWithOrders()
        // With current derived data, by the members the statements on the segment read (kept for them: `CustomerFacts.members`).
        if db.engine == .sqlite, try OrderSnapshot.isCurrent(db) {
            let members = try CustomerFacts.members(of: compiled, customers: try CustomerFacts.customerCount(db), db)
            return Size(name: name, definition: definition, customers: members.lazy.filter { $0 }.count, total: total)
        }
        let count = try db.scalar("SELECT count(*) FROM \(try CustomerFacts.relation(for: compiled.sql, db)) WHERE \(compiled.sql)",
                                  compiled.bindings)
        return Size(name: name, definition: definition, customers: Int(count.intValue ?? 0), total: total)
    }

    /// The customers with a counted order: every segment's size is out of these.
    private func customersWithOrders() throws -> Int {
        Int(try db.scalar("SELECT count(*) FROM \(try CustomerFacts.relation(for: "", db))").intValue ?? 0)
    }

    /// The customers with a counted order that segment `name` leaves out only because its definition is
    /// unknown for them: a negation (`region != 'Tokyo'`, `not vip`) over an attribute they have no value for
    /// is neither true nor false in SQL, so they are in neither the segment nor its opposite. Nil when the
    /// definition (or a segment it uses) negates nothing, or no customer is left out so.
    /// `respondents`: instead the NPS respondents (customers with an answer in `nps`, ordered or not, as `nps for S`
    /// applies S to them: `CustomerFacts.respondentCondition`) it leaves out so, and their answers in `answers`.
    public func leftOutAsUnknown(_ name: Identifier, respondents: Bool = false) throws -> Unknowns? {
        let defs = try definitions()
        // The definition and those of the segments it uses, however deep: `not tokyo` reads tokyo's `prefecture`.
        var reached: [Expr] = []
        var seen: Set<String> = []
        var next = [name.folded]
        while let key = next.popLast() {
            guard seen.insert(key).inserted, let d = defs[key], let e = try? Parser.parseExpression(d.text) else { continue }
            reached.append(e)
            next += e.identifiers.filter { defs[$0] != nil }
        }
        guard reached.contains(where: \.negates), let compiled = try resolve([name]).first?.predicate else { return nil }
        let columns = try CustomerFacts.attributes(db).map(\.name).filter { a in reached.contains { $0.mentions(a.lowercased()) } }
        if respondents { return try unknownRespondents(of: compiled, columns: columns) }
        return try Self.unknownRows(of: compiled, in: try CustomerFacts.relation(for: compiled.sql, db),
                                    columns: columns, db)
    }

    /// The respondents (and their answers) of `nps` that `predicate` is unknown for, and which of `columns` they lack.
    private func unknownRespondents(of predicate: SQLFragment, columns: [String]) throws -> Unknowns? {
        func condition(_ extra: String) throws -> SQLFragment {
            try CustomerFacts.respondentCondition(db, id: Self.responses + ".customer_id",
                                                  predicate: SQLFragment("(") + predicate + SQLFragment(") IS NULL" + extra))
        }
        let unknown = try condition("")
        let counts = try db.query("SELECT count(DISTINCT customer_id), count(*) FROM \(Self.responses) WHERE \(unknown.sql)", unknown.bindings).rows[0]
        let count = Int(counts[0].intValue ?? 0)
        guard count > 0 else { return nil }
        let empty = try columns.filter { c in
            let q = try condition(" AND \(quoteIdentifier(c)) IS NULL")
            return try db.scalar("SELECT EXISTS (SELECT 1 FROM \(Self.responses) WHERE \(q.sql))", q.bindings).intValue == 1
        }
        return Unknowns(rows: count, columns: empty, answers: Int(counts[1].intValue ?? 0))
    }

    /// The counted orders a `where` filter that negates something leaves out only because it is unknown for
    /// them (an order column they have no value for, as `leftOutAsUnknown` for segments); nil when none.
    /// One more scan of `orders`, made only for a filter that negates, and not when the load's own figures
    /// (`ColumnStatistics`) show that every column the filter reads has a value in every row.
    public static func ordersLeftOutAsUnknown(_ filter: Expr, counted: SQLFragment, db: Database) throws -> Unknowns? {
        guard filter.negates else { return nil }
        let columns = try db.columns(of: "orders").map(\.name).filter { filter.mentions($0.lowercased()) }
        if !filter.mayBeNullWithValues, let stats = try ColumnStatistics.current(db, dataset: "orders"),
           filter.identifiers.allSatisfy({ stats.figures(of: $0)?.nonNull == stats.rows }) {
            return nil
        }
        return try unknownRows(of: try orderPredicate(filter, db: db), counted: counted, in: quoteIdentifier("orders"), columns: columns, db)
    }

    /// How many rows of `relation` (meeting `counted`) `predicate` is null for, and which of `columns` are null in some of them.
    private static func unknownRows(of predicate: SQLFragment, counted: SQLFragment = SQLFragment("TRUE"), in relation: String,
                                    columns: [String], _ db: Database) throws -> Unknowns? {
        let unknown = counted + SQLFragment(" AND (") + predicate + SQLFragment(") IS NULL")
        let count = Int(try db.scalar("SELECT count(*) FROM \(relation) WHERE \(unknown.sql)", unknown.bindings).intValue ?? 0)
        guard count > 0 else { return nil }
        let empty = try columns.filter { c in
            let q = unknown + SQLFragment(" AND \(quoteIdentifier(c)) IS NULL")
            return try db.scalar("SELECT EXISTS (SELECT 1 FROM \(relation) WHERE \(q.sql))", q.bindings).intValue == 1
        }
        return Unknowns(rows: count, columns: empty)
    }

    /// Rows a condition is unknown for (null: neither true nor false) and the columns it names that are empty in some of them.
    public struct Unknowns: Sendable, Equatable {
        public let rows: Int
        public let columns: [String]
        /// For respondents: their answers (a respondent may have answered more than once).
        public var answers: Int?
    }

    /// `drop segment NAME`: refuses while another segment uses it. Returns what was dropped.
    @discardableResult
    public func drop(_ name: Identifier) throws -> Definition {
        let defs = try definitions()
        guard let d = defs[name.folded] else {
            throw Diagnostic.unknownName("segment", name.name, at: name.range, among: defs.values.map(\.name))
        }
        let users = try defs.values.filter { other in
            try other.name.lowercased() != name.folded && Parser.parseExpression(other.text).mentions(name.folded)
        }.sorted { $0.name < $1.name }
        if let u = users.first {
            throw Diagnostic("segment '\(u.name)' uses '\(d.name)'", at: name.range, note: "drop segment \(u.name) first, or redefine it")
        }
        try db.execute("DELETE FROM \(Self.table) WHERE name = ?", [.text(d.name)])
        return d
    }

    /// An unknown segment after `for`: a did-you-mean among the defined ones, or else the way to define it,
    /// with `help segment`'s own example when it defines that name (the examples of `help kpi`,
    /// `help nps compare` and others use `repeaters`, `one_timers`, … as if defined).
    static func unknown(_ id: Identifier, among defined: [String]) -> Diagnostic {
        let diagnostic = Diagnostic.unknownName("segment", id.name, at: id.range, among: defined)
        guard diagnostic.help == nil else { return diagnostic }
        let example = CommandCatalog.info(.segment).examples.first { $0.lowercased().hasPrefix("segment \(id.folded) =") }
        let define = example ?? "segment \(id.name) = PREDICATE"
        return Diagnostic(diagnostic.message, at: id.range,
                          help: "define it first: \(define) (segments lists the defined ones; help segment shows more)")
    }

    /// `for A, B`: the named segments as predicates over customer facts, in the order written.
    public func resolve(_ names: [Identifier]) throws -> [NamedSegment] {
        guard !names.isEmpty else { return [] }
        let defs = try definitions()
        return try names.map { id in
            guard let d = defs[id.folded] else { throw Self.unknown(id, among: defs.values.map(\.name)) }
            return NamedSegment(name: d.name, predicate: try compile(Expr(.identifier(id), range: id.range)))
        }
    }

    /// A condition on `customer_id` selecting the customers of any of the given segments.
    /// `everyone`: over every customer (`CustomerFacts.everyone`), for NPS, whose respondents
    /// may have no counted order; otherwise over the facts, which is all order analyses need.
    public func customerFilter(_ names: [Identifier], everyone: Bool = false) throws -> SQLFragment? {
        try factsCondition(names).map { try customerFilter(facts: $0, everyone: everyone) }
    }

    /// The condition on `customer_id` selecting the customers whose facts row meets `facts`
    /// (a `factsCondition`). `everyone`: a condition on a row of the responses table `nps`, named so
    /// (not aliased) in the FROM it is put under (`CustomerFacts.respondentCondition`).
    public func customerFilter(facts any: SQLFragment, everyone: Bool = false) throws -> SQLFragment {
        if everyone { return try CustomerFacts.respondentCondition(db, id: Self.responses + ".customer_id", predicate: any) }
        return SQLFragment("customer_id IN (SELECT customer_id FROM \(try CustomerFacts.relation(for: any.sql, db)) WHERE ") + any + SQLFragment(")")
    }

    /// The responses table as an `everyone` filter names it.
    public static let responses = quoteIdentifier("nps")

    /// The condition on a row of the customer facts that `customerFilter` (not `everyone`) selects
    /// the customer ids of: any of the segments' predicates, or nil for none.
    public func factsCondition(_ names: [Identifier]) throws -> SQLFragment? {
        let segments = try resolve(names)
        guard !segments.isEmpty else { return nil }
        // One segment's predicate is one ( … ) group already, the text a KPI's segment has: one entry of kept members.
        if segments.count == 1 { return segments[0].predicate }
        return SQLFragment.joined(segments.map { SQLFragment("(") + $0.predicate + SQLFragment(")") }, separator: " OR ")
    }

    /// Headers a load stored under another name (`signup_date` → `signed_up_at`, `order_date` → `ordered_at`), by
    /// folded header: the name the analyst knows from the file is not a column, and the error says which one it became.
    static func renamedHeaders(_ dataset: String, _ db: Database) throws -> [String: String] {
        guard try db.tableExists("ecsh_fields") else { return [:] }
        var result: [String: String] = [:]
        for r in try db.query("SELECT field, source_header FROM ecsh_fields WHERE dataset = ?", [.text(dataset)]).rows {
            if let field = r[0].textValue, let header = r[1].textValue, header.lowercased() != field.lowercased() {
                result[header.lowercased()] = field
            }
        }
        return result
    }

    /// An unknown name that is the header of a loaded file's column stored as `field`.
    static func renamed(_ id: Identifier, _ what: String, field: String, file: String) -> Diagnostic {
        Diagnostic("unknown \(what) '\(id.name)'", at: id.range, help: "did you mean '\(field)'?",
                   note: "the \(file) file's column '\(id.name)' was loaded as \(field); write \(field)")
    }

    /// Compiles a `where` predicate over the columns of `orders`.
    /// `alias`: the name `orders` goes by in the SQL the predicate is put into (the KPI SQL's `o`,
    /// where a bare `customer_id` would be ambiguous beside the customer facts), else none.
    public static func orderPredicate(_ expr: Expr, db: Database, alias: String? = nil) throws -> SQLFragment {
        let columns = try db.columns(of: "orders").map(\.name)
        let prefix = alias.map { $0 + "." } ?? ""
        let resolver = ClosureNameResolver { id throws(Diagnostic) in
            if let c = columns.first(where: { $0.lowercased() == id.folded }) {
                return .column(SQLFragment(prefix + quoteIdentifier(c)))
            }
            if let field = (try? renamedHeaders("orders", db))?[id.folded] { throw Self.renamed(id, "orders column", field: field, file: "orders") }
            if (try? db.tableExists(CustomerFacts.table)) == true, let attributes = (try? CustomerFacts.attributes(db))?.map(\.name),
               let a = (attributes + CustomerAge.names(attributes: attributes)).first(where: { $0.lowercased() == id.folded }) {
                // `where` filters order rows; a customer's attribute narrows by customers, which is what a segment does.
                throw Diagnostic("unknown orders column '\(id.name)'", at: id.range,
                                 note: "'\(a)' is a customer attribute; `where` reads the columns of orders: define a segment "
                                     + "(segment s = \(a) = …) and write `for s`")
            }
            throw Diagnostic.unknownName("orders column", id.name, at: id.range, among: columns)
        }
        return try PredicateCompiler(dialect: .sqlite, resolver: resolver).compile(expr)
    }
}
