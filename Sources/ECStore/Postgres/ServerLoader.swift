import Foundation

/// `load` into a PostgreSQL workspace, with the same `Loader` as for SQLite, so that every rule is
/// the same (dialects, encodings, presets, statuses, repeated ids, `on_error skip`, located errors,
/// widened columns), in one server transaction with the bookkeeping, the input version and
/// `beforeCommit`. A failure anywhere leaves the server as it was.
///
/// Two ways, one result:
/// - **Streamed** (a first load or a reload of a clean file): the loader's converted rows go
///   straight to `COPY … FROM STDIN (FORMAT binary)` as they are parsed, on the parsing thread's
///   heels, while the server stores them; statuses are mapped, and ids checked for repeats, on the
///   way. Client memory stays bounded (the row batches, and the hashes of up to 4M ids).
/// - **Staged** (`append`, presets, and any file the stream declines: a bad row, a repeated id, a
///   widened column): the file loads into a staging SQLite file on local disk exactly as into a
///   SQLite workspace, and its rows then stream to the server. A declined stream is rolled back
///   to its savepoint first, so the file's located error or its exact result comes from one place.
///
/// `append` merges on the server as the SQLite loader merges: rows of this load replace earlier
/// rows with the same id (`N new, M updated, K unchanged`).
public struct ServerLoader {
    public let database: Database

    public init(database: Database) {
        precondition(database.postgres != nil, "ServerLoader needs a PostgreSQL workspace")
        self.database = database
    }

    public func load(_ request: LoadRequest, progress: ((LoadProgress) -> Void)? = nil,
                     beforeCommit: ((Database) throws -> Void)? = nil) throws -> LoadSummary {
        let started = Loader.now()
        // A FIFO or standard input is read once, into a file both ways can read.
        let spool = try InputSpool(path: request.path)
        var request = request
        if spool.path != request.path { request.spooledPath = spool.path }
        var summary = try withExtendedLifetime(spool) {
            try database.transaction { () throws -> LoadSummary in
                try Bookkeeping.createTables(database)
                // Rows an earlier ecsh loaded are brought under today's customer-id rules first (once; as on SQLite).
                let keyNote = try CustomerKeyRules.upgrade(database)
                let words = try StatusVocabulary.workspaceWords(database)
                var summary = try streamed(request, words: words, started: started, progress: progress)
                    ?? staged(request, words: words, progress: progress)
                if let keyNote { summary.notes.append(keyNote) }
                LoadTrace.mark("server: load")
                let what = summary.role.map { "load \($0.rawValue)" } ?? "load table \(summary.table)"
                try InputVersion.bump(database, table: summary.table, cause: "\(what) from '\(request.path)'\(request.append ? " append" : "")")
                try beforeCommit?(database)
                return summary
            }
        }
        LoadTrace.mark("server: commit")
        summary.seconds = Loader.now() - started
        return summary
    }

    /// The streamed way, in a savepoint; nil when the stream declines the file (nothing of it is kept).
    func streamed(_ request: LoadRequest, words: [String: String], started: Double,
                  progress: ((LoadProgress) -> Void)?) throws -> LoadSummary? {
        guard !request.append, request.preset == nil else { return nil }
        do {
            return try database.transaction { try ServerStream(database: database, words: words).load(request, started: started, progress: progress) }
        } catch let e as StreamDeclined {
            LoadTrace.mark("server: stream declined (\(e.reason))")
        } catch let e where e is LoadError || e is StoreError {
            // The staged way meets the same error and reports it with every hint the loader has.
            LoadTrace.mark("server: stream stopped by a load error (\(e))")
        }
        return nil
    }

    /// The staged way: the whole loader into a local SQLite file, then its rows to the server.
    func staged(_ request: LoadRequest, words: [String: String], progress: ((LoadProgress) -> Void)?) throws -> LoadSummary {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecsh-stage-\(getpid())-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let staging = try Database(path: folder + "/staging.db", interruptFlag: database.interruptFlag)
        // A rollback journal in memory, not none: the loader rolls back to savepoints (a repeated id
        // found by a failing UNIQUE index), which without a journal left the repeat in the table.
        try staging.execute("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF")
        // The workspace's own status words (`set status`) live on the server: the staging load needs them.
        try staging.execute("CREATE TABLE ecsh_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        for (key, status) in words {
            try staging.execute("INSERT INTO ecsh_settings (name, value) VALUES (?, ?)", [.text("status_word:" + key), .text(status)])
        }
        // And its currency: the staged load checks a spend file's currency column against it (`checkSpendCurrency`).
        try staging.execute("INSERT INTO ecsh_settings (name, value) VALUES ('currency', ?)", [.text(try Loader.shownCurrency(database))])
        var staged = request
        staged.append = false
        var summary = try Loader(database: staging).load(staged, progress: progress)
        let table = request.target.tableName
        let role = summary.role
        let columns = try staging.columns(of: table)
        let t = quoteIdentifier(table)
        if request.append, try database.tableExists(table) {
            try widen(table, to: columns)
            try database.execute("DROP TABLE IF EXISTS pg_temp.ecsh_load_new")
            try database.execute("CREATE TEMP TABLE ecsh_load_new (\(Self.definitions(columns))) ON COMMIT DROP")
            try copy(from: staging, table: table, into: "ecsh_load_new", columns: columns)
            let names = columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            if let role {
                // The file gave the identity when any staged row has one: the staged table has every canonical
                // column, a `response_id` the file lacks included (all NULL, which `=` never matches).
                let hasIdentity = try role.identity.map { key in
                    try columns.contains { $0.name == key }
                        && !staging.scalar("SELECT 1 FROM \(quoteIdentifier(table)) WHERE \(quoteIdentifier(key)) IS NOT NULL LIMIT 1").isNull
                } ?? false
                let measures = role == .spend || role == .traffic ? try Loader.measureColumns(staging, table: table, base: 0, columns: columns) : []
                let keys = role.appendKey(hasIdentity: hasIdentity, columns: columns, measures: measures)
                summary.mergeKeyLeftOut = role.appendKeyLeftOut(columns: columns, measures: measures)
                if role == .orders, keys == ["order_id"], columns.contains(where: { $0.name == "channel" }) {
                    try checkIdCollisions(table, staging: staging, request: request, column: summary.idColumn)
                }
                var replaced = 0
                summary.merge = try merge(table, keys: keys, required: role.appendKeyRequired(hasIdentity: hasIdentity), columns: columns,
                                          replaced: &replaced)
                summary.replacedEarlier = replaced
                summary.mergeKey = keys
                if let note = summary.mergeNote { summary.notes.append(note) }
            }
            try database.execute("INSERT INTO \(t) (\(names)) SELECT \(names) FROM ecsh_load_new")
        } else {
            try replaceTable(table, columns: columns)
            try copy(from: staging, table: table, into: table, columns: columns)
        }
        try copyBookkeeping(from: staging, table: table)
        return summary
    }

    /// Empties the table for a new load: dropped and created with the load's columns, or, laid out
    /// on the server (partitioned, foreign), truncated and kept. The table's rejects go too.
    /// Returns whether the table was created.
    @discardableResult
    func replaceTable(_ table: String, columns: [(name: String, type: String)]) throws -> Bool {
        let t = quoteIdentifier(table)
        let kept = try keepsLayout(table, columns: columns)
        if kept {
            try database.execute("TRUNCATE \(t)")
        } else {
            try database.execute("DROP TABLE IF EXISTS \(t)")
            try database.execute("CREATE TABLE \(t) (\(Self.definitions(columns)))")
        }
        try database.execute("DELETE FROM ecsh_rejects WHERE dataset = ?", [.text(table)])
        return !kept
    }

    /// Whether the table is laid out by its owner (partitioned, e.g. hash-partitioned by customer_id
    /// into foreign tables on shards, or itself a foreign table): then a load replaces its rows and
    /// keeps the table, which must have every column the file gives, with the same kind of type.
    func keepsLayout(_ table: String, columns: [(name: String, type: String)]) throws -> Bool {
        let kind = try database.scalar("SELECT relkind::text FROM pg_class WHERE oid = to_regclass(?)", [.text(quoteIdentifier(table))]).textValue
        guard kind == "p" || kind == "f" else { return false }
        let existing = try database.columns(of: table)
        for c in columns {
            guard let e = existing.first(where: { $0.name == c.name }) else {
                throw StoreError("\(table) is a partitioned or foreign table, laid out on the server, without the column \(c.name) the file gives; add it (\(quoteIdentifier(c.name)) \(Self.serverType(c.type))) or drop the table so that load creates it")
            }
            guard e.type.uppercased() == c.type.uppercased() else {
                throw StoreError("\(table) is a partitioned or foreign table, laid out on the server, whose column \(c.name) is \(e.type.lowercased()), but the file's values are \(c.type.lowercased()); change the column to \(Self.serverType(c.type)) or drop the table so that load creates it")
            }
        }
        return true
    }

    /// Column definitions in PostgreSQL types for the staging table's SQLite types.
    static func definitions(_ columns: [(name: String, type: String)]) -> String {
        columns.map { "\(quoteIdentifier($0.name)) \(serverType($0.type))" }.joined(separator: ", ")
    }

    static func serverType(_ sqliteType: String) -> String {
        switch sqliteType.uppercased() {
        case "INTEGER": return "bigint"
        case "REAL": return "double precision"
        case "BLOB": return "bytea"
        default: return "text"
        }
    }

    /// `append` with a column the table lacks adds it; a column whose type must widen (an integer
    /// column meeting decimals, a number meeting text) is altered, as the SQLite loader retypes.
    func widen(_ table: String, to columns: [(name: String, type: String)]) throws {
        let t = quoteIdentifier(table)
        let existing = try database.columns(of: table)
        for c in columns {
            guard let e = existing.first(where: { $0.name.lowercased() == c.name.lowercased() }) else {
                try database.execute("ALTER TABLE \(t) ADD COLUMN \(quoteIdentifier(c.name)) \(Self.serverType(c.type))")
                continue
            }
            let have = e.type.uppercased(), new = c.type.uppercased()
            guard have != new else { continue }
            let wider = (have == "INTEGER" && new == "REAL") || (have == "REAL" && new == "INTEGER") ? "REAL" : "TEXT"
            if wider != have {
                let type = Self.serverType(wider)
                try database.execute("ALTER TABLE \(t) ALTER COLUMN \(quoteIdentifier(e.name)) TYPE \(type) USING \(quoteIdentifier(e.name))::\(type)")
            }
        }
    }

    /// An appended order whose id an earlier order of another channel has: the error the SQLite loader gives
    /// (`Loader.checkIdCollisions`), its line found in the staging file (whose rowids are the file's lines), its column the
    /// staged load's (`LoadSummary.idColumn`).
    func checkIdCollisions(_ table: String, staging: Database, request: LoadRequest, column: Int?) throws {
        let clash = "FROM ecsh_load_new n JOIN \(quoteIdentifier(table)) o ON o.order_id = n.order_id WHERE o.channel <> n.channel"
        guard let first = try database.query("""
            SELECT n.order_id, o.channel, o.customer_id, o.ordered_at, n.channel, n.customer_id, n.ordered_at \(clash) ORDER BY n.ctid LIMIT 1
            """).rows.first else { return }
        let count = Int(try database.scalar("SELECT count(DISTINCT n.order_id) \(clash)").intValue ?? 1)
        let line = try staging.scalar("SELECT min(rowid) FROM \(quoteIdentifier(table)) WHERE order_id = ?", [first[0]]).intValue
        throw Loader.idCollision(file: request.path, line: line.map(Int.init), column: column, row: first, count: count, prefix: request.options.idPrefix)
    }

    /// Counts what the new rows do to earlier ones with the same key, then removes those earlier rows.
    func merge(_ table: String, keys: [String], required: [String] = [], columns: [(name: String, type: String)],
               replaced replacedEarlier: inout Int) throws -> LoadSummary.Merge {
        let t = quoteIdentifier(table)
        // An id matches with `=` (NULL ids match nothing); a natural key's NULLs match (`DatasetRole.appendKey`).
        let equal = keys.count > 1 ? "IS NOT DISTINCT FROM" : "="
        let match = { (a: String, b: String) in
            Loader.appendMatch(a, b, keys: keys, natural: keys.count > 1, required: required, columns: columns.map(\.name),
                               equal: equal, same: "IS NOT DISTINCT FROM")
        }
        let same = columns.map { "n.\(quoteIdentifier($0.name)) IS NOT DISTINCT FROM o.\(quoteIdentifier($0.name))" }.joined(separator: " AND ")
        let counts = try database.query("""
            SELECT (SELECT count(*) FROM ecsh_load_new),
                   count(DISTINCT n.ctid), count(DISTINCT CASE WHEN \(same) THEN n.ctid END)
            FROM ecsh_load_new n JOIN \(t) o ON \(match("o", "n"))
            """).rows[0].map { Int($0.intValue ?? 0) }
        if counts[1] > 0 {
            try database.execute("DELETE FROM \(t) o WHERE EXISTS (SELECT 1 FROM ecsh_load_new n WHERE \(match("n", "o")))")
            replacedEarlier = database.changes
        }
        return LoadSummary.Merge(new: counts[0] - counts[1], updated: counts[1] - counts[2], unchanged: counts[2])
    }

    /// Streams the staging table's rows to the server in COPY's text format.
    func copy(from staging: Database, table: String, into target: String, columns: [(name: String, type: String)]) throws {
        let names = columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        let read = try staging.prepare("SELECT \(names) FROM \(quoteIdentifier(table)) ORDER BY rowid")
        let n = columns.count
        guard let pg = database.postgres else { return }
        _ = try pg.copyIn("COPY \(quoteIdentifier(target)) (\(names)) FROM STDIN") { writer in
            var line: [UInt8] = []
            line.reserveCapacity(512)
            while try read.step() {
                line.removeAll(keepingCapacity: true)
                for i in 0..<n {
                    if i > 0 { line.append(9) }
                    Self.appendCopyField(read, i, to: &line)
                }
                line.append(10)
                try writer.write(line)
            }
        }
    }

    /// One field in COPY's text format: `\N` for NULL; backslash, tab, newline and CR escaped.
    static func appendCopyField(_ s: Statement, _ i: Int, to line: inout [UInt8]) {
        switch s.value(kindAt: i) {
        case .null: line += [92, 78]
        case .integer: line += String(s.int64(at: i)).utf8
        case .real: line += "\(s.double(at: i))".utf8
        case .text, .blob:
            for b in s.bytes(at: i) {
                switch b {
                case 92: line += [92, 92]
                case 9: line += [92, 116]
                case 10: line += [92, 110]
                case 13: line += [92, 114]
                default: line.append(b)
                }
            }
        }
    }

    /// The load's rejects and field mapping, from the staging file to the server's bookkeeping.
    func copyBookkeeping(from staging: Database, table: String) throws {
        // The staging file holds this load's rejects only: all of them go, in one COPY.
        try copy(from: staging, table: "ecsh_rejects", into: "ecsh_rejects",
                 columns: ["dataset", "source", "line", "col", "field", "reason", "raw"].map { ($0, "") })
        let fields = try staging.query("SELECT dataset, field, source_header, type FROM ecsh_fields WHERE dataset = ?", [.text(table)])
        for row in fields.rows {
            try database.execute("INSERT OR REPLACE INTO ecsh_fields (dataset, field, source_header, type) VALUES (?, ?, ?, ?)", row)
        }
        let d = try staging.query("SELECT name, role, source FROM ecsh_datasets WHERE name = ?", [.text(table)])
        guard let row = d.rows.first else { return }
        let t = quoteIdentifier(table)
        var range: [Value] = [.null, .null]
        if let role = row[1].textValue.flatMap(DatasetRole.init(rawValue:)), let main = role.mainDate,
           try database.columns(of: table).contains(where: { $0.name == main }) {
            range = try database.query("SELECT substr(min(\(quoteIdentifier(main))), 1, 10), substr(max(\(quoteIdentifier(main))), 1, 10) FROM \(t)").rows[0]
        }
        try database.execute("""
            INSERT OR REPLACE INTO ecsh_datasets (name, role, source, rows, loaded_at, min_date, max_date)
            VALUES (?, ?, ?, (SELECT count(*) FROM \(t)), strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ?, ?)
            """, [row[0], row[1], row[2], range[0], range[1]])
    }
}
