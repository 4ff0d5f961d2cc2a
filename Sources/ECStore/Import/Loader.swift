import CSQLite
import Glibc

/// Loads a delimited text file into the workspace: typed, atomic, and honest about bad rows.
///
/// Two passes over the file: the first reads a sample to settle the dialect,
/// header and column types; the second streams every record through a
/// prepared INSERT inside one transaction. A bad row stops the load and rolls
/// everything back, or with `on_error skip` goes to `ecsh_rejects`.
public final class Loader {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Runs one `load`. `progress` is called every few thousand rows.
    /// `request.path` may be `-` or `stdin` (standard input), a FIFO or a pipe: such a source is read once.
    public func load(_ request: LoadRequest, progress: ((LoadProgress) -> Void)? = nil) throws -> LoadSummary {
        let spool = try InputSpool(path: request.path)
        var request = request
        if spool.path != request.path { request.spooledPath = spool.path }
        return try withExtendedLifetime(spool) { try loadOnce(request, progress: progress) }
    }

    private func loadOnce(_ request: LoadRequest, progress: ((LoadProgress) -> Void)?) throws -> LoadSummary {
        let started = Loader.now()
        var notes: [String] = []
        let table = request.target.tableName
        try Loader.checkTableName(request.target)
        var preset: Preset?
        if let name = request.preset {
            guard let p = Preset.named(name) else {
                throw StoreError("unknown preset '\(name)'; known presets: \(Preset.known.joined(separator: ", "))")
            }
            guard request.target == .role(.orders) else {
                throw StoreError("preset \(p.name) describes order exports: use it with `load orders`")
            }
            preset = p
        }
        var options = request.options
        if preset?.name == "rakuten" && options.encoding == nil {
            // RMS downloads are CP932: where bytes could be EUC-JP too, trust the preset.
            let sample = try TextSource.sample(path: request.readPath, capacity: EncodingSniffer.sampleBytes)
            let found = sample.bytes.withUnsafeBufferPointer { TextEncoding.detect(sample: $0, isWholeFile: sample.isWholeFile) }
            if found == .eucJP || found == nil { options.encoding = "cp932" }
        }
        var resolved = request
        resolved.options = options
        let encoding = try chooseEncoding(resolved, notes: &notes)
        let maxColumns = Int(sqlite3_limit(database.handle, SQLITE_LIMIT_COLUMN, -1))
        var plan = try planFile(resolved, encoding: encoding, maxColumns: maxColumns)
        notes += plan.notes
        switch request.target {
        case .role(let role): plan.columns = try roleColumns(role, plan, resolved, preset: preset)
        case .table: break
        }
        if plan.columns.count > maxColumns {
            throw LoadError(file: request.path, reason: "needs \(plan.columns.count) columns; a SQLite table holds at most \(maxColumns)")
        }
        let role: DatasetRole? = if case .role(let r) = request.target { r } else { nil }
        var outcome = LoadOutcome()
        // A bulk load in WAL mode writes every page twice (WAL, then checkpoint).
        // For the load alone, a rollback journal is as atomic and durable and
        // writes new pages once; WAL comes back afterwards, error or not.
        // If another connection holds the file, the switch fails and the load simply runs in WAL.
        let useRollbackJournal = try database.path != nil && !database.isInTransaction
            && database.scalar("PRAGMA journal_mode") == .text("wal")
            && (try? database.scalar("PRAGMA journal_mode = DELETE")) == .text("delete")
        defer { if useRollbackJournal { try? database.execute("PRAGMA journal_mode = WAL") } }
        try database.transaction {
            try Bookkeeping.createTables(database)
            try prepareTable(table, plan: &plan, append: request.append)
            let converter = RowConverter(columns: plan.columns, options: options, checkRequired: preset == nil,
                                         slashOrders: plan.slashOrders)
            outcome = try insertRows(resolved, plan: plan, converter: converter, table: table, preset: preset,
                                     started: started, progress: progress)
            plan.columns = converter.finishedColumns()
            try retypeWidenedColumns(table, plan.columns, notes: &notes)
            try Bookkeeping.record(database, table: table, role: role, source: request.path, columns: plan.columns,
                                   replace: !request.append)
        }
        if outcome.skipped > 0 {
            notes.append("\(outcome.skipped) bad rows skipped: see `sql select line, col, field, reason, raw from ecsh_rejects where dataset = '\(table)'`")
        }
        for c in plan.columns where c.widenedAt != nil {
            notes.append("column '\(c.name)' became \(c.kind.rawValue) at line \(c.widenedAt!) (was \(c.widenedFrom!.rawValue))")
        }
        if preset != nil { notes.append("collapsed \(outcome.records) line items into \(outcome.rows) orders (preset \(preset!.name))") }
        return LoadSummary(table: table, role: role, source: request.path, rows: outcome.rows, columns: plan.columns.count,
                           skipped: outcome.skipped, seconds: Loader.now() - started, notes: notes)
    }

    struct LoadOutcome {
        var rows = 0
        var skipped = 0
        var records = 0
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func checkTableName(_ target: LoadTarget) throws {
        guard case .table(let name) = target else { return }
        let lower = name.lowercased()
        if lower.hasPrefix("ecsh_") || lower.hasPrefix("sqlite_") {
            throw StoreError("table names starting with ecsh_ or sqlite_ are reserved; choose another name")
        }
        if DatasetRole(rawValue: lower) != nil {
            throw StoreError("'\(name)' is a dataset role: use `load \(lower) from ...` so it gets its canonical columns")
        }
        if name.isEmpty { throw StoreError("the table needs a name") }
    }

    /// Second pass: records parsed and converted on a second thread, inserted on this one.
    private func insertRows(_ request: LoadRequest, plan: FilePlan, converter: RowConverter, table: String, preset: Preset?,
                            started: Double, progress: ((LoadProgress) -> Void)?) throws -> LoadOutcome {
        let source = try TextSource(path: request.readPath, encoding: plan.encoding)
        let reader = CSVReader(source: source, dialect: plan.dialect, maxFields: plan.names.count + 64)
        var skip = plan.skip + (plan.hasHeader ? 1 : 0)
        while skip > 0, try readRecord(reader, request) { skip -= 1 }
        let quoted = plan.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: plan.columns.count).joined(separator: ", ")
        let insertSQL = "INSERT INTO \(quoteIdentifier(table)) (\(quoted)) VALUES "
        let insert = try database.prepare(insertSQL + "(\(marks))")
        // Many rows per statement: SQLite's per-step overhead is paid once per group.
        let group = max(1, min(32, 32_000 / max(1, plan.columns.count)))
        let insertGroup = try database.prepare(insertSQL + Array(repeating: "(\(marks))", count: group).joined(separator: ", "))
        let rejects = try database.prepare("INSERT INTO ecsh_rejects (dataset, source, line, col, field, reason, raw) VALUES (?, ?, ?, ?, ?, ?, ?)")
        var outcome = LoadOutcome()
        var collapse = preset.map { OrderCollapser(preset: $0, columns: plan.columns, statement: insert) }
        let interrupt = database.interruptFlag
        let onError = request.options.onError
        let presetHint = preset == nil && request.target == .role(.orders) ? Preset.suggestion(for: plan.names, path: request.path) : nil
        func reject(_ p: RowProblem, line: Int, raw: String) throws {
            if onError == .stop {
                throw LoadError(file: request.path, line: line, column: p.column, field: p.field, rawValue: p.raw,
                                reason: p.reason, help: presetHint ?? p.help)
            }
            try rejects.bind([.text(table), .text(request.path), .integer(Int64(line)), p.column.map { .integer(Int64($0)) } ?? .null,
                              p.field.map { .text($0) } ?? .null, .text(p.reason), .text(raw)])
            try rejects.step()
            rejects.reset()
            outcome.skipped += 1
        }
        let pipeline = RowPipeline(reader: reader, converter: converter, expectedFields: plan.names.count,
                                   nullPadding: request.options.nullPadding)
        pipeline.start()
        // However this ends, the parsing thread lets go of the reader before we return.
        defer {
            pipeline.stop()
            insert.clearBindings()
            insertGroup.clearBindings()
        }
        var batches = 0
        while let batch = pipeline.next() {
            var r = 0
            while r < batch.count {
                // A run of `group` good rows goes in with one statement.
                if collapse == nil && r + group <= batch.count && (r..<r + group).allSatisfy({ batch.status[$0] < 0 }) {
                    for k in 0..<group { batch.bind(row: r + k, to: insertGroup, firstParameter: 1 + k * plan.columns.count) }
                    try insertGroup.step()
                    insertGroup.reset()
                    outcome.rows += group
                    outcome.records += group
                    r += group
                    continue
                }
                defer { r += 1 }
                outcome.records += 1
                let status = batch.status[r]
                if status >= 0 {
                    let bad = batch.problems[status]
                    try reject(bad.problem, line: batch.lines[r], raw: bad.raw)
                } else if collapse != nil {
                    if let problem = try collapse!.add(batch.values(row: r), line: batch.lines[r]) {
                        try reject(problem.problem, line: problem.line, raw: problem.raw)
                    }
                } else {
                    batch.bind(row: r, to: insert)
                    try insert.step()
                    insert.reset()
                    outcome.rows += 1
                }
            }
            if let failure = batch.failure {
                throw (failure as? CSVFailure).map { Loader.loadError($0, request) } ?? failure
            }
            if interrupt.isRaised { throw DatabaseError(code: SQLITE_INTERRUPT, message: "interrupted") }
            batches += 1
            if batches % 4 == 0 || batch.count < batch.capacity {
                progress?(LoadProgress(bytesDone: batch.bytesRead, bytesTotal: source.totalBytes,
                                       rows: outcome.rows, elapsed: Loader.now() - started))
            }
            pipeline.recycle(batch)
        }
        if collapse != nil {
            if let problem = try collapse!.flush() { try reject(problem.problem, line: problem.line, raw: problem.raw) }
            outcome.rows = collapse!.inserted
        }
        return outcome
    }
}
