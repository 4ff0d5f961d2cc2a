import ECStore
import ECLanguage
import ECAnalytics

/// `sql`, `tables`, `describe`, `head`.
extension Session {
    /// `sql <any SQLite SQL>`: rows are shown; other statements report changes.
    func runSQL(_ raw: RawSQL) throws {
        if database.engine == .postgresql { return try runServerSQL(raw) }
        do {
            let statement = try database.prepare(raw.text)
            lastSQL = raw.text
            let firstWord = raw.text.split(whereSeparator: { !$0.isLetter }).first?.lowercased() ?? ""
            // In a transaction the user began (`sql BEGIN`, deferred), a write upgrades the read transaction its
            // first query opened, and SQLite refuses that at once, without waiting, while another connection holds
            // the write lock: this session's own copy of the last load's log does, briefly, at its end (`LogCopy`,
            // TRUNCATE), which failed a DELETE after `sql BEGIN` as "busy" on a slow machine. It finishes first.
            if database.isInTransaction || firstWord == "begin" { database.finishLogCopy() }
            guard !statement.isReadOnly, !database.isReadOnly else { return try run(statement, raw, firstWord: firstWord) }
            // The statement may change orders, customers or nps: a new input version, and the derived tables
            // go (rebuilt when next needed), in the statement's own transaction where SQLite allows one.
            let cause = "sql " + String(raw.text.prefix { $0 != "\n" }.prefix(80))
            if database.isInTransaction || Self.outsideTransactions.contains(firstWord) {
                try inputsChanged(table: InputVersion.anyTable, cause: cause)
                try run(statement, raw, firstWord: firstWord)
            } else {
                try database.transaction {
                    try inputsChanged(table: InputVersion.anyTable, cause: cause)
                    try run(statement, raw, firstWord: firstWord)
                }
            }
        } catch let e as DatabaseError where !e.isInterrupt {
            throw SQLFailure(error: e, raw: raw)
        }
    }

    /// `sql` on a PostgreSQL workspace: the text goes to the server as written (its dialect, not
    /// SQLite's). There is no way to ask the server beforehand whether a statement writes, so it runs
    /// in a transaction of its own and, if it changed rows or is not a plain query (DDL, COPY, …), the
    /// input version is bumped inside that same transaction, as for SQLite.
    func runServerSQL(_ raw: RawSQL) throws {
        lastSQL = raw.text
        let firstWord = raw.text.split(whereSeparator: { !$0.isLetter }).first?.lowercased() ?? ""
        let reads: Set<String> = ["select", "with", "show", "explain", "table", "values"]
        let cause = "sql " + String(raw.text.prefix { $0 != "\n" }.prefix(80))
        let before = database.totalChanges
        var changed = 0
        func go() throws -> ResultTable {
            let table = try database.passthrough(raw.text)
            changed = database.totalChanges - before
            if changed != 0 || !reads.contains(firstWord) {
                try inputsChanged(table: InputVersion.anyTable, cause: cause)
            }
            return table
        }
        let table: ResultTable
        do {
            table = database.isInTransaction || Self.outsideTransactions.contains(firstWord) ? try go() : try database.transaction(go)
        } catch let e as PostgresError where !e.isCancelled && !e.isConnection {
            // Point at the server's position in the statement (characters, 1-based).
            let at = e.position.map { p in raw.range(ofUTF8Offset: raw.text.prefix(max(0, p - 1)).utf8.count) } ?? raw.range
            let help = [e.detail, e.hint].compactMap { $0 }.joined(separator: "; ")
            throw ShellError("PostgreSQL: \(e.message)", at: at,
                             help: (help.isEmpty ? "" : help + "; ") + "the SQL is passed to the server as written; 'tables' and 'describe NAME' show the names available")
        }
        if table.columns.isEmpty {
            say(changed > 0 || ["insert", "update", "delete", "merge"].contains(firstWord) ? "ok (\(grouped(changed)) row\(changed == 1 ? "" : "s") changed)" : "ok")
        } else {
            show(table, sql: raw.text)
        }
    }

    /// Statements SQLite runs only outside a transaction, or that end or start one.
    static let outsideTransactions: Set<String> = ["begin", "commit", "end", "rollback", "savepoint", "release",
                                                   "vacuum", "attach", "detach", "pragma"]

    /// Records a change to the inputs of derived data (a new input version) and drops the derived tables.
    func inputsChanged(table: String, cause: String) throws {
        try InputVersion.bump(database, table: table, cause: cause)
        try OrderSnapshot.invalidate(database)
    }

    private func run(_ statement: Statement, _ raw: RawSQL, firstWord: String) throws {
        if statement.columnCount == 0 {
            // sqlite3_changes keeps the count of the last INSERT/UPDATE/DELETE, so a VACUUM or PRAGMA
            // would repeat it: report changes only for those statements, or when the total moved.
            let before = database.totalChanges
            while try statement.step() {}
            let changesRows = ["insert", "update", "delete", "replace"].contains(firstWord)
            if changesRows || database.totalChanges != before {
                let changed = database.totalChanges == before ? 0 : database.changes
                say("ok (\(grouped(changed)) row\(changed == 1 ? "" : "s") changed)")
            } else {
                say("ok")
            }
            return
        }
        let columns = statement.columnNames
        let rows = try statement.allRows()
        show(ResultTable(columns: columns, rows: rows), sql: raw.text)
    }

    /// `tables`: every table with its dataset role, rows, date range and source.
    func listTables() throws {
        let names = try database.tableNames()
        var rows: [[Value]] = []
        let hasDatasets = try database.tableExists("ecsh_datasets")
        for name in names {
            var role: Value = .null, source: Value = .null, from: Value = .null, to: Value = .null
            var count: Value = .null
            if hasDatasets {
                let meta = try database.query(
                    "SELECT role, source, min_date, max_date, rows FROM ecsh_datasets WHERE name = ?", [.text(name)])
                if let m = meta.rows.first { role = m[0]; source = m[1]; from = m[2]; to = m[3]; count = m[4] }
            }
            if count.isNull { count = try database.scalar("SELECT count(*) FROM \(quoteIdentifier(name))") }
            rows.append([.text(name), role, count, from, to, source])
        }
        let table = ResultTable(columns: ["table", "role", "rows", "from", "to", "source"], rows: rows,
                                formats: [.text, .text, .auto, .text, .text, .text])
        if rows.isEmpty {
            say("no tables yet; load data with: load orders from 'orders.csv'  (or try: ecsh --demo)")
            return
        }
        show(table, sql: nil)
        if let status = try derivedDataStatus() { say(status) }
    }

    /// Resolves a table name written by the user, with "did you mean".
    func resolveTable(_ name: Identifier) throws -> String {
        let names = try database.tableNames()
        if names.contains(name.name) { return name.name }
        if let exact = names.first(where: { $0.lowercased() == name.folded }) { return exact }
        let suggestion = didYouMean(name.name, among: names)
        throw ShellError("no table named '\(name.name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                         at: name.range,
                         help: names.isEmpty ? "load data first, e.g. load orders from 'orders.csv'" : "tables lists the tables in this workspace")
    }

    /// `describe NAME`: columns, types, role mapping, nulls, min and max.
    /// `describe customers` shows the customer attributes segments use (derived from
    /// orders, plus the customers dataset's columns) when orders are loaded.
    func describeTable(_ name: Identifier) throws {
        if name.folded == "customers", try database.tableExists("orders") {
            try requireCustomerFacts(for: "customer attributes", at: name.range)
            let computed = CustomerAge.names(attributes: try CustomerFacts.attributes(database).map(\.name))
            try describe(table: "ecsh_customer_facts",
                         notes: ["customer attributes: derived from counted orders (and the customers dataset); use them in segments"]
                             + (computed.isEmpty ? [] : [computed.joined(separator: ", ") + ": computed at as_of from the birth date or age column "
                                 + "(whole years; ∅ without one); use them in segments and kpi … by"]))
            return
        }
        let table = try resolveTable(name)
        // The load's figures, read once for the table and for the orders' notes.
        let counted = try ColumnStatistics.current(database, dataset: table)
        try describe(table: table, notes: table == "orders" ? try orderStatusNotes(counted: counted) : [], counted: counted)
    }

    func describe(table: String, note: String?) throws {
        try describe(table: table, notes: note.map { [$0] } ?? [])
    }

    /// `counted`: the load's figures for `table` (`ColumnStatistics.current`), when the caller has read them.
    func describe(table: String, notes: [String], counted: ColumnStatistics.Counted? = nil) throws {
        // The facts' customer_key is the snapshot's customer number, not an attribute.
        let columns = try database.columns(of: table).filter { table != CustomerFacts.table || $0.name != "customer_key" }
        // The customer facts carry the customers dataset's columns: their headers are that load's (`signup_date`
        // for signed_up_at); the facts' own columns come from no header.
        let own = Set(CustomerFacts.ownColumnNames + ["nps"])
        let mapping = table == CustomerFacts.table
            ? try fieldMapping(of: "customers").filter { !own.contains($0.key) } : try fieldMapping(of: table)
        // The facts know their attributes' types (dates are stored as text).
        let derivedTypes = table == "ecsh_customer_facts"
            ? Dictionary(try CustomerFacts.attributes(database).map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a }) : [:]
        // The load's own count of each column (`ColumnStatistics`) while the table is as it left it; for any
        // column it could not count, one scan of the table compared in Swift (`ColumnStatistics.scan`), or
        // SQL's three aggregates per column where only SQL may (a view, another collation, PostgreSQL).
        let counted = try counted ?? ColumnStatistics.current(database, dataset: table)
        let scanned = columns.filter { counted?.figures[$0.name] == nil }
        var figures = counted?.figures ?? [:]
        var total = Int64(counted?.rows ?? 0)
        if counted == nil || !scanned.isEmpty {
            if let scan = try scanFigures(table, columns: scanned.map(\.name)) {
                total = Int64(scan.rows)
                for f in scan.figures { figures[f.field] = f }
            } else {
                var select: [String] = ["count(*)"]
                for c in scanned {
                    let q = quoteIdentifier(c.name)
                    select.append("count(\(q))")
                    select.append("min(\(q))")
                    select.append("max(\(q))")
                }
                let stats = try database.query("SELECT \(select.joined(separator: ", ")) FROM \(quoteIdentifier(table))").rows[0]
                total = stats[0].intValue ?? 0
                for (i, c) in scanned.enumerated() {
                    figures[c.name] = ColumnStatistics.Figures(field: c.name, nonNull: Int(stats[1 + 3 * i].intValue ?? 0),
                                                               min: stats[2 + 3 * i], max: stats[3 + 3 * i])
                }
            }
        }
        var rows: [[Value]] = []
        for c in columns {
            let f = figures[c.name]
            let meta = mapping[c.name]
            let type = meta?.type ?? derivedTypes[c.name] ?? c.type.lowercased()
            let source: Value = meta.map { $0.header.map(Value.text) ?? .text("(not in file)") } ?? .null
            rows.append([.text(c.name), .text(type), source, .integer(total - Int64(f?.nonNull ?? 0)),
                         f?.min ?? .null, f?.max ?? .null])
        }
        show(ResultTable(columns: ["column", "type", "from header", "nulls", "min", "max"], rows: rows,
                         formats: [.text, .text, .text, .auto, .auto, .auto],
                         notes: notes + ["\(grouped(Int(total))) rows"]), sql: nil)
    }

    /// The row count and figures of `columns` by one scan in Swift (`ColumnStatistics.scan`), nil where only
    /// SQL may. The customer facts' view is scanned as its three tables, without its joins per customer: its rows
    /// are the base's, and a customer without a score or a row of attributes has NULLs there, which no figure counts.
    func scanFigures(_ table: String, columns: [String]) throws -> (rows: Int, figures: [ColumnStatistics.Figures])? {
        guard table == CustomerFacts.table, let attributes = try CustomerFacts.viewAttributes(database) else {
            return try ColumnStatistics.scan(database, dataset: table, columns: columns)
        }
        let outside = attributes + ["nps"]
        let own = columns.filter { !outside.contains($0) }
        guard let base = try ColumnStatistics.scan(database, dataset: CustomerFacts.baseTable, columns: own.isEmpty ? ["customer_key"] : own)
        else { return nil }
        var figures = own.isEmpty ? [] : base.figures
        for (names, source) in [(columns.filter { $0 == "nps" }, CustomerFacts.scoresTable), (columns.filter(attributes.contains), CustomerFacts.attributesTable)]
        where !names.isEmpty {
            guard let extra = try ColumnStatistics.scan(database, dataset: source, columns: names) else { return nil }
            figures += extra.figures
        }
        return (base.rows, figures)
    }

    /// The loader's record of which header each column came from, if any.
    func fieldMapping(of table: String) throws -> [String: (header: String?, type: String)] {
        guard try database.tableExists("ecsh_fields") else { return [:] }
        var result: [String: (header: String?, type: String)] = [:]
        for row in try database.query("SELECT field, source_header, type FROM ecsh_fields WHERE dataset = ?", [.text(table)]).rows {
            if let f = row[0].textValue { result[f] = (row[1].textValue, row[2].textValue ?? "") }
        }
        return result
    }

    /// `head NAME [n]`: the first rows of a table.
    func head(_ name: Identifier, rows: Located<Int>?) throws {
        let table = try resolveTable(name)
        let n = rows?.value ?? 10
        guard n >= 0 else { throw ShellError("the row count must be zero or more", at: rows?.range) }
        let sql = "SELECT * FROM \(quoteIdentifier(table)) LIMIT ?"
        let result = try database.query(sql, [.integer(Int64(n))])
        show(result, sql: sql)
    }
}

/// A SQLite error in a `sql` statement, kept with the SQL so the caret lands on the failing token.
struct SQLFailure: Error {
    let error: DatabaseError
    let raw: RawSQL

    /// The source location of SQLite's error offset (a UTF-8 byte offset into the SQL).
    var range: SourceRange {
        guard let offset = error.offset else { return raw.range }
        var location = raw.range.start
        var bytes = 0
        var tokenEnd: SourceLocation?
        var started = false
        for ch in raw.text {
            if !started {
                if bytes >= offset { started = true } else {
                    bytes += ch.utf8.count
                    location = ch.isNewline ? SourceLocation(line: location.line + 1, column: 1)
                                            : SourceLocation(line: location.line, column: location.column + 1)
                    continue
                }
            }
            // Underline the token (identifier characters) at the offset.
            if ch.isLetter || ch.isNumber || ch == "_" {
                let base = tokenEnd ?? location
                tokenEnd = SourceLocation(line: base.line, column: base.column + 1)
            } else {
                break
            }
        }
        let end = tokenEnd ?? SourceLocation(line: location.line, column: location.column + 1)
        return SourceRange(start: location, end: end)
    }
}

/// 1234567 → "1,234,567".
func grouped(_ n: Int) -> String { LoadSummary.grouped(n) }
