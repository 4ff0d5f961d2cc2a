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
    /// Sees the rows of an orders load as they are parsed (the customer facts built in the same pass);
    /// told after reconciliation whether the table holds exactly those rows (`LoadRowObserver`).
    public var rowObserver: LoadRowObserver?
    /// Whether a new table's ids may be proven distinct while parsing (`RepeatWatch`); off, the loader
    /// always takes the exact way (tests compare the two).
    var provesIdsWhileParsing = true
    /// Whether a whole table loaded anew commits its rows in parts first (`StagedRows`); off, every load
    /// is one transaction from its first row (tests compare the two). `stagePartBytes`: bytes of the file per part;
    /// `stageReplacingFrom`: the least file size at which a load replacing a table stages.
    var stagesRows = true
    var stagePartBytes: Int?
    var stageReplacingFrom = StagedRows.minReplacingFileBytes
    /// Whether a staged load writes its rows as SQLite pages for SQLite to copy (`PagedRows`); off, it binds them
    /// (tests compare the two). `pagedRows`: the rows the last load copied so.
    var writesPages = true
    private(set) var pagedRows = 0
    /// Parts the last load committed before its transaction (0: it was not staged).
    private(set) var stagedParts = 0
    /// Tables (with their indexes) that the load's `beforeCommit` drops and builds again (the customer facts and
    /// the order snapshot): a staged load reads their pages ahead, with the old rows' (`PagePrefetch`).
    public let alsoReplaced: [String]
    /// The byte ranges of the workspace file the last staged load read ahead (tests).
    private(set) var prefetchedRanges: [Range<Int>] = []

    public init(database: Database, rowObserver: LoadRowObserver? = nil, alsoReplaced: [String] = []) {
        self.database = database
        self.rowObserver = rowObserver
        self.alsoReplaced = alsoReplaced
    }

    /// Runs one `load`. `progress` is called every few thousand rows. `beforeCommit` runs inside
    /// the load's transaction (the shell drops derived tables there), so a crash at any moment
    /// leaves either the old data with its derived tables or the new data without them.
    /// `request.path` may be `-` or `stdin` (standard input), a FIFO or a pipe: such a source is read once.
    public func load(_ request: LoadRequest, progress: ((LoadProgress) -> Void)? = nil,
                     beforeCommit: ((Database) throws -> Void)? = nil) throws -> LoadSummary {
        // A caller that spooled the source already (the PostgreSQL loader may read it twice) passes the copy.
        if request.spooledPath != nil { return try loadOnce(request, progress: progress, beforeCommit: beforeCommit) }
        let spool = try InputSpool(path: request.path)
        var request = request
        if spool.path != request.path { request.spooledPath = spool.path }
        return try withExtendedLifetime(spool) { try loadOnce(request, progress: progress, beforeCommit: beforeCommit) }
    }

    private func loadOnce(_ request: LoadRequest, progress: ((LoadProgress) -> Void)?,
                          beforeCommit: ((Database) throws -> Void)?) throws -> LoadSummary {
        let started = Loader.now()
        let planned = try planLoad(request)
        do {
            var summary = try load(planned, started: started, progress: progress, beforeCommit: beforeCommit)
            if let hint = planned.presetHint { summary.notes.append(hint) }
            summary.notes = planned.notes + summary.notes
            return summary
        } catch let e as LoadError {
            throw planned.withWayOut(e)
        }
    }

    /// What `load` settles before reading rows: preset, encoding, dialect, header and column types.
    func planLoad(_ request: LoadRequest) throws -> PlannedLoad {
        var notes: [String] = []
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
        if options.currency != nil, preset?.currency.isEmpty != false {
            let with = Preset.all.filter { !$0.currency.isEmpty }.map { "preset \($0.name)" }.joined(separator: " or ")
            throw StoreError("currency picks the orders of one currency from an export with a currency column: use it with `load orders` and \(with)")
        }
        if options.idPrefix != nil, request.target != .role(.orders) {
            throw StoreError("id_prefix keeps apart the order ids of two shops: use it with `load orders`")
        }
        if ["rakuten", "yahoo"].contains(preset?.name) && options.encoding == nil {
            // RMS and Yahoo! downloads are CP932: where bytes could be EUC-JP too, trust the preset.
            let sample = try TextSource.sample(path: request.readPath, capacity: EncodingSniffer.sampleBytes)
            let verdict = sample.bytes.withUnsafeBufferPointer { EncodingSniffer.sniff($0, isWholeFile: sample.isWholeFile) }
            // A stray byte or mixed encodings stay located errors; only an EUC-JP or unknown guess yields to the preset.
            switch verdict {
            case .encoding(.eucJP), .unknown: options.encoding = "cp932"
            default: break
            }
        }
        var resolved = request
        resolved.options = options
        let encoding = try chooseEncoding(resolved, notes: &notes)
        let maxColumns = Int(sqlite3_limit(database.handle, SQLITE_LIMIT_COLUMN, -1))
        let plan = try planFile(resolved, encoding: encoding, maxColumns: maxColumns)
        notes += plan.notes
        let presetHint = preset == nil && request.target == .role(.orders) ? Preset.suggestion(for: plan.names, path: request.path) : nil
        return PlannedLoad(request: resolved, plan: plan, preset: preset, maxColumns: maxColumns, notes: notes, presetHint: presetHint)
    }

    /// The columns the target gets: a role's canonical columns, or the file's own.
    func targetColumns(_ planned: PlannedLoad) throws -> [ColumnPlan] {
        var columns = planned.plan.columns
        if case .role(let role) = planned.request.target {
            columns = try roleColumns(role, planned.plan, planned.request, preset: planned.preset)
        }
        if columns.count > planned.maxColumns {
            throw LoadError(file: planned.request.path, reason: "needs \(columns.count) columns; a SQLite table holds at most \(planned.maxColumns)")
        }
        return columns
    }

    /// The load once the file is planned: columns for the role, then one transaction.
    private func load(_ planned: PlannedLoad, started: Double, progress: ((LoadProgress) -> Void)?,
                      beforeCommit: ((Database) throws -> Void)?) throws -> LoadSummary {
        let request = planned.request
        let preset = planned.preset
        var plan = planned.plan
        var notes: [String] = []
        let table = request.target.tableName
        let options = request.options
        let resolved = request
        plan.columns = try targetColumns(planned)
        let role: DatasetRole? = if case .role(let r) = request.target { r } else { nil }
        var outcome = LoadOutcome()
        var summary = LoadSummary(table: table, role: role, source: request.path, rows: 0, columns: 0, skipped: 0,
                                  seconds: 0, notes: [])
        summary.idColumn = role?.identity.flatMap { Loader.fileColumn($0, plan.columns) }
        // The load runs in WAL mode like every statement, though a rollback journal would write new
        // pages once instead of twice (WAL, then checkpoint): with a rollback journal other ecsh
        // processes could not read the workspace while it loads (docs/decisions.md).
        // Set up just before the rows go in: in the load's transaction, or before it when they are staged.
        func insertAll(into target: String, staged: StagedRows?, paged: PagedRows? = nil) throws -> InsertedRows {
            // Rows of this load get rowid base + line: reconciliation finds them, and their lines, by it.
            let base = role == nil ? 0 : (try database.scalar("SELECT coalesce(max(rowid), 0) FROM \(quoteIdentifier(target))").intValue ?? 0)
            var insertPlan = plan
            if role != nil {
                insertPlan.columns.append(ColumnPlan(name: "rowid", source: .lineRowid(base: base), header: nil, kind: .integer))
            }
            let converter = RowConverter(columns: insertPlan.columns, options: options, checkRequired: preset == nil,
                                         slashOrders: plan.slashOrders, role: role, encoding: plan.encoding)
            // Orders have their statuses mapped and their rows counted while they are parsed (`RowTally`);
            // a preset's line items are merged first, so theirs are settled with SQL afterwards.
            let tally = role == .orders && preset == nil
                ? RowTally(columns: insertPlan.columns, role: role, words: try StatusVocabulary.workspaceWords(database))
                : nil
            // Rows are observed as stored only where the tally maps them: an orders load without a preset, into a new table.
            let pass = tally != nil && base == 0 ? rowObserver : nil
            // The ids of a new table without a preset (whose line items merge later) are checked for repeats on the way.
            let watch = base == 0 && preset == nil && provesIdsWhileParsing ? role.flatMap { RepeatWatch(role: $0, columns: insertPlan.columns) } : nil
            let observer = LoadRowObservers.combine([watch, pass])
            observer?.begin(columns: insertPlan.columns.map(\.name))
            // Each column's count, minimum and maximum for `describe`, where the table will hold this load's rows alone.
            let columnTally = base == 0 && !request.append && preset == nil && database.engine == .sqlite
                ? ColumnTally(columns: insertPlan.columns) : nil
            LoadTrace.mark("before insert")
            outcome = try insertRows(resolved, plan: insertPlan, converter: converter, table: target, preset: preset,
                                     started: started, progress: progress, tally: tally, columnTally: columnTally,
                                     observer: observer, staged: staged, paged: paged)
            // Known only once every row is read; thrown before anything is committed.
            if let ambiguous = converter.ambiguousDecimals(file: request.path, options: options, plan: plan) { throw ambiguous }
            LoadTrace.mark("insert rows")
            return InsertedRows(base: base, converter: converter, tally: tally, columnTally: columnTally, pass: pass, watch: watch)
        }
        // A whole table loaded anew commits its rows in parts into a table of its own first (`StagedRows`).
        stagedParts = 0
        pagedRows = 0
        prefetchedRanges = []
        var info = stat()
        let fileBytes = stat(request.readPath, &info) == 0 ? Int(info.st_size) : 0
        let staged = stagesRows && StagedRows.applies(to: database, request, preset: preset, fileBytes: fileBytes,
                                                      replacingFrom: stageReplacingFrom)
            ? try StagedRows(database, columns: plan.columns, partBytes: stagePartBytes ?? StagedRows.partBytes(fileBytes: fileBytes),
                             replacing: [table] + alsoReplaced, fileBytes: fileBytes, writesPages: writesPages) : nil
        // A load in one transaction that makes its table anew (replacing one from a file under
        // `StagedRows.minReplacingFileBytes`, or in a workspace that does not stage) writes its rows as pages too,
        // copied in at its end, the files detached when the transaction ends.
        var placeholders: [CustomerKeyPlaceholders.Seen] = []
        var zoneNote: String?
        var reportNotes: [String] = []
        let pagesInOneTransaction = staged == nil && writesPages
            && StagedRows.loadsWholeTable(into: database, request, preset: preset, fileBytes: fileBytes)
        do {
            let stagedRows = try staged.map { staged in
                let rows = try insertAll(into: staged.name, staged: staged)
                try staged.finish()
                LoadTrace.mark("last part committed")
                stagedParts = staged.parts
                prefetchedRanges = staged.prefetched
                pagedRows = staged.pages?.copiedRows ?? 0
                return rows
            }
            try database.transaction(committing: "saving the load to the workspace file") {
                try Bookkeeping.createRejectsTable(database)
                // Before this load's rows meet earlier ones, those are brought under today's customer-id rules (once).
                if let note = try CustomerKeyRules.upgrade(database) { notes.append(note) }
                // The load gives the table its next version itself (`InputVersion.bump` below).
                try InputVersion.unwatch(database, table: table)
                let inserted: InsertedRows
                if let staged, let stagedRows {
                    try database.execute("DELETE FROM ecsh_rejects WHERE dataset = ?", [.text(table)])
                    try staged.adopt(as: table)
                    LoadTrace.mark("staged rows adopted")
                    inserted = stagedRows
                } else {
                    try prepareTable(table, plan: &plan, append: request.append)
                    let paged = pagesInOneTransaction ? PagedRows(database, table: table, columns: plan.columns) : nil
                    inserted = try insertAll(into: table, staged: nil, paged: paged)
                    pagedRows = paged?.copiedRows ?? 0
                }
                let (base, converter, tally, pass, watch) = (inserted.base, inserted.converter, inserted.tally, inserted.pass, inserted.watch)
                placeholders = converter.placeholdersSeen
                zoneNote = converter.zoneNote
                reportNotes = converter.reportRows?.notes(table: table) ?? []
                try database.during("checking the new rows (statuses, repeated ids)") {
                    plan.columns = Array(converter.finishedColumns().prefix(plan.columns.count))
                    if role == .spend {
                        // Before the merge with earlier loads: a summary row is no day's spend to replace one with.
                        let ranges = try settleSpendRanges(table, base: base, plan: plan)
                        reportNotes += ranges.notes
                        outcome.rows -= ranges.removed
                    }
                    if let role, role == .spend || role == .traffic {
                        let subtotals = try settleDatedSubtotals(table, base: base, role: role)
                        reportNotes += subtotals.notes
                        outcome.rows -= subtotals.removed
                    }
                    if role == .nps && !plan.columns.contains(where: { $0.name == "response_id" && $0.source != .none }) {
                        let (n, sameDay) = try collapseRepeatedAnswers(table, base: base)
                        if n > 0 {
                            reportNotes.append("collapsed \(n) exact repeat answer\(n == 1 ? "" : "s") (same respondent, time to the second, score and other values: one submission exported twice)")
                            outcome.rows -= n
                        }
                        if sameDay > 0 {
                            reportNotes.append("\(sameDay) answer\(sameDay == 1 ? " repeats" : "s repeat") another of the same day exactly (respondent, score, every value): counted as separate answers, as the file gives no time of day to tell them from one submission exported twice")
                        }
                        if let (note, removed) = try collapseSameMomentAnswers(table, base: base) {
                            reportNotes.append(note)
                            outcome.rows -= removed
                        }
                    }
                    if let role {
                        try reconcile(role, table: table, base: base, plan: plan, request: resolved, summary: &summary, tally: tally,
                                      converter: converter, preset: preset,
                                      distinct: watch?.distinct() == true)
                    }
                    // Over the whole dataset as it now stands (an appended file's answers with the earlier ones).
                    if role == .nps, let note = try checkScoreScale(table, plan: plan, request: resolved) { reportNotes.append(note) }
                    let removed = summary.exactRepeats + summary.replacedRepeats > 0
                    // Rows inserted one for one and none removed: the count is the loader's own.
                    if role != nil && (preset != nil || removed) {
                        outcome.rows = Int(try database.scalar("SELECT count(*) FROM \(quoteIdentifier(table)) WHERE rowid > ?",
                                                               [.integer(base)]).intValue ?? 0)
                    }
                    LoadTrace.mark("reconcile")
                    let widened = plan.columns.contains { $0.kind.sqlType != $0.declaredKind.sqlType }
                    // The table holds exactly the rows the observer saw, as it saw them: nothing removed, retyped
                    // or mapped by SQL (the tally mapped every status).
                    // Deductions stored with their sign turned were observed as read.
                    let rewritten = !summary.negatedDeductions.isEmpty || summary.amountTimesQuantity || summary.idsPrefixed
                    rowObserver?.settled(intact: pass != nil && !removed && !widened && !rewritten && tally?.countsHold == true)
                    try retypeWidenedColumns(table, plan.columns, notes: &notes)
                    // The id index serves the repeat query and joins; ids proven distinct on the way need neither.
                    if let key = role?.identity, plan.columns.contains(where: { $0.name == key && $0.source != .none }), !summary.idsProven {
                        try database.execute("CREATE INDEX IF NOT EXISTS \(quoteIdentifier("ecsh_\(table)_\(key)")) ON \(quoteIdentifier(table))(\(quoteIdentifier(key)))")
                    }
                    // The columns' figures as counted while parsing, where the table holds the rows as they were
                    // counted: none removed, every status mapped by the tally; a retyped column is left to SQL.
                    let counted = inserted.columnTally.flatMap { c in
                        !removed && !rewritten && (role != .orders || tally?.countsHold == true) && c.rows == outcome.rows ? c : nil
                    }
                    let retyped = Set(plan.columns.filter { $0.kind.sqlType != $0.declaredKind.sqlType }.map(\.name))
                    let figures = counted?.statistics(excluding: retyped) ?? []
                    // A new table whose rows all stayed: its date range as counted while parsing (by the orders' tally,
                    // else from the main date column's figures), not by a scan of the table.
                    let range = base == 0 && !removed ? tally?.dateRange : nil
                    let known = range.map { (outcome.rows, $0.min, $0.max) }
                        ?? role?.mainDate.flatMap { main in figures.first { $0.field == main } }.flatMap { f in
                            Bookkeeping.dateRange(f).map { (outcome.rows, $0.min, $0.max) }
                        }
                    try Bookkeeping.record(database, table: table, role: role, source: request.path, columns: plan.columns,
                                           replace: !request.append, known: known)
                    // In the same transaction as the rows: derived data built from the old rows is never taken for current.
                    let what = role.map { "load \($0.rawValue)" } ?? "load table \(table)"
                    try InputVersion.bump(database, table: table, cause: "\(what) from '\(request.path)'\(request.append ? " append" : "")")
                    try ColumnStatistics.record(database, dataset: table, rows: outcome.rows,
                                                figures: figures,
                                                statuses: role == .orders && plan.columns.contains { $0.name == "status" && $0.source != .none }
                                                    ? (summary.statuses, summary.unknownStatuses) : nil)
                    LoadTrace.mark("index, bookkeeping")
                }
                try database.during("updating the derived data") { try beforeCommit?(database) }
                LoadTrace.mark("before commit (derived data)")
            }
        } catch {
            // The staged rows were not adopted (or the adopting transaction rolled back): drop them.
            staged?.discard()
            throw error
        }
        // The log is copied into the workspace file on a thread of its own from here (`LogCopy`).
        LoadTrace.mark("commit")
        outcome.skipped += summary.replacedRepeats
        if let key = role?.identity, summary.exactRepeats > 0 {
            notes.append("collapsed \(summary.exactRepeats) exact repeat row\(summary.exactRepeats == 1 ? "" : "s") (same \(key), same values)")
        }
        if summary.replacedRepeats > 0, let key = role?.identity {
            notes.append("\(summary.replacedRepeats) row\(summary.replacedRepeats == 1 ? "" : "s") replaced by a later row with the same \(key) (on_error skip: the later row wins)")
        }
        notes += plan.columns.compactMap(\.note)
        if let note = Loader.renamedNote(plan.columns) { notes.append(note) }
        if let note = summary.mergeNote { notes.append(note) }
        notes += summary.birthDateNotes
        notes += Loader.negatedNote(summary.negatedDeductions, negatives: summary.negatedNegatives)
        if let role, let note = Loader.placeholderNote(placeholders, role: role) { notes.append(note) }
        if let zoneNote { notes.append(zoneNote) }
        notes += reportNotes
        if let preset, preset.noBuyerKey {
            notes.append("the \(preset.title) has no buyer identity: its orders load as guest orders, and customer KPIs (customers, repeat, F2, retention, cohorts, CLV) cannot include them")
        } else if summary.guests > 0 {
            notes.append(Loader.guestNote(summary.guests))
            if summary.guests == outcome.rows, let note = Loader.noCustomerColumnNote(plan.columns) { notes.append(note) }
        }
        if outcome.skipped > 0 {
            notes.append("\(outcome.skipped) bad rows skipped: see `sql select line, col, field, reason, raw from ecsh_rejects where dataset = '\(table)'`")
        }
        for c in plan.columns where c.widenedAt != nil {
            notes.append("column '\(c.name)' became \(c.kind.rawValue) at line \(c.widenedAt!) (was \(c.widenedFrom!.rawValue))")
        }
        if preset != nil { notes.append("collapsed \(outcome.records) line items into \(outcome.rows) orders (preset \(preset!.name))") }
        if let note = Loader.unpricedNote(outcome) { notes.append(note) }
        if let note = Loader.cancelledItemsNote(outcome) { notes.append(note) }
        notes += outcome.currencyNotes
        notes += Loader.commentNotes(outcome, dialect: plan.dialect)
        summary.rows = outcome.rows
        summary.columns = plan.columns.count
        summary.skipped = outcome.skipped
        summary.seconds = Loader.now() - started
        summary.notes = notes
        return summary
    }

    /// Statuses, unique ids, the merge with earlier rows and the guest count, for this load's rows.
    private func reconcile(_ role: DatasetRole, table: String, base: Int64, plan: FilePlan, request: LoadRequest,
                           summary: inout LoadSummary, tally: RowTally?, converter: RowConverter, preset: Preset?, distinct: Bool) throws {
        let mapped = { (name: String) in plan.columns.contains { $0.name == name && $0.source != .none } }
        var pairs: [StatusPair] = []
        // Mapped while parsing when the tally holds; else (a preset, a status that was not text) with SQL.
        if role == .orders && mapped("status") { pairs = try tally?.statusPairs ?? applyStatusVocabulary(table, base: base) }
        if role == .spend { try checkSpendCurrency(table, base: base, plan: plan, request: request) }
        if role == .customers {
            summary.birthDateNotes = try [impossibleBirthDates(table, base: base, plan: plan, request: request),
                                          impossibleAges(table, base: base, plan: plan, request: request)].compactMap { $0 }
        }
        // Before the merge, so that appended rows compare with earlier rows as stored.
        if role == .orders {
            let negated = try settleCostSigns(table, base: base, plan: plan, request: request, converter: converter, preset: preset)
            summary.negatedDeductions = negated.map(\.column)
            summary.negatedNegatives = negated.map(\.negatives)
        }
        if role == .orders, plan.columns.contains(where: { $0.name == "amount" && $0.timesQuantity }) {
            // The amount column read a unit price (`Loader.amountChoice`).
            try database.execute("UPDATE \(quoteIdentifier(table)) SET amount = amount * coalesce(quantity, 1) WHERE rowid > ?", [.integer(base)])
            summary.amountTimesQuantity = true
        }
        if let key = role.identity, mapped(key), let prefix = request.options.idPrefix {
            try database.execute("UPDATE \(quoteIdentifier(table)) SET \(quoteIdentifier(key)) = ? || \(quoteIdentifier(key)) WHERE rowid > ? AND \(quoteIdentifier(key)) IS NOT NULL",
                                 [.text(prefix), .integer(base)])
            summary.idsPrefixed = true
        }
        if let key = role.identity, mapped(key) {
            if distinct { summary.idsProven = true } else {
                try collapseRepeats(table, key: key, base: base, request: request, summary: &summary)
            }
        }
        if request.append && base > 0 {
            let hasIdentity = role.identity.map(mapped) ?? false
            let columns = try database.columns(of: table).map { ($0.name, $0.type) }
            let measures = role == .spend || role == .traffic ? try Loader.measureColumns(database, table: table, base: base, columns: columns) : []
            let keys = role.appendKey(hasIdentity: hasIdentity, columns: columns, measures: measures)
            summary.mergeKeyLeftOut = role.appendKeyLeftOut(columns: columns, measures: measures)
            // Orders of other channels with this load's ids are checked in the merge's own join (`checkIdCollisions`).
            let clashes = role == .orders && keys == ["order_id"] && mapped("channel")
            try mergeWithEarlier(table, keys: keys, required: role.appendKeyRequired(hasIdentity: hasIdentity),
                                 loose: role.appendKeyLoose(columns: columns, measures: measures), base: base, summary: &summary,
                                 collisions: clashes ? { try self.checkIdCollisions(table, base: base, request: request, plan: plan) } : nil)
            summary.mergeKey = keys
            summary.mappedChannel = mapped("channel")
        }
        if role == .orders {
            // Repeats removed rows of this load: count again.
            let removed = summary.exactRepeats + summary.replacedRepeats > 0
            if mapped("status") {
                if removed { pairs = try statusPairs(table, base: base) }
                (summary.statuses, summary.unknownStatuses) = Loader.breakdown(pairs)
                summary.debatableStatuses = Loader.debatable(pairs)
            }
            if let tally, !removed {
                summary.guests = tally.guests
            } else {
                summary.guests = Int(try database.scalar("SELECT count(*) FROM \(quoteIdentifier(table)) WHERE rowid > ? AND customer_id IS NULL",
                                                         [.integer(base)]).intValue ?? 0)
            }
        }
    }

    /// What the insert of a load's rows set up, for the checks after it.
    struct InsertedRows {
        let base: Int64
        let converter: RowConverter
        let tally: RowTally?
        let columnTally: ColumnTally?
        let pass: LoadRowObserver?
        let watch: RepeatWatch?
    }

    struct LoadOutcome {
        var rows = 0
        var skipped = 0
        var records = 0
        /// Lines skipped as comments, and lines starting with the comment byte read as rows (the first few of each).
        var commentLines = 0
        var firstCommentLines: [Int] = []
        var commentLikeRows = 0
        var firstCommentLikeRows: [Int] = []
        /// Pending orders a preset loaded without an amount (`Preset.pendingMayLackAmount`), the first few named.
        var unpriced = 0
        var firstUnpriced: [(order: String, line: Int)] = []
        /// Cancelled items left out of orders that kept other items (`Preset.itemStatus`), the first few named.
        var cancelledItems = 0
        var firstCancelledItems: [(order: String, line: Int)] = []
        /// Orders left out for `with currency` (`Loader.currencyCheck`).
        var currencyNotes: [String] = []
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Cells a row batch holds at most: 4,096 rows of 64 columns (6 MB of cells).
    static let batchCells = 4096 * 64

    /// Rows in each of the pipeline's batches. A batch never needs more rows than the file has
    /// bytes (a small file: small batches), and holds at most `batchCells` cells: three batches of
    /// 4,096 rows of a 2,000-column file took 590 MB, even for a file of a few KB. The number of rows
    /// is a capacity, not a limit: a file with more rows fills more batches, with the same result.
    static func batchRows(width: Int, fileBytes: Int) -> Int {
        max(1, min(4096, fileBytes + 1, batchCells / max(1, width)))
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
                            started: Double, progress: ((LoadProgress) -> Void)?, tally: RowTally?, columnTally: ColumnTally?,
                            observer: LoadRowObserver?, staged: StagedRows?, paged inOneTransaction: PagedRows? = nil) throws -> LoadOutcome {
        let (pipeline, source) = try openPipeline(request, plan: plan, converter: converter, tally: tally, columnTally: columnTally,
                                                  observer: observer)
        let quoted = plan.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: plan.columns.count).joined(separator: ", ")
        // OR FAIL: a failing row ends the load, whose transaction rolls back whole, so SQLite need not keep
        // a statement journal to undo part of one statement. Without it every page a 32-row INSERT touched
        // was copied to that journal first: on a load replacing earlier rows (their freed pages are read
        // again when reused in the same transaction) 2.5× the writes of a first load.
        let insertSQL = "INSERT OR FAIL INTO \(quoteIdentifier(table)) (\(quoted)) VALUES "
        let insert = try database.prepare(insertSQL + "(\(marks))")
        // Many rows per statement: SQLite's per-step overhead is paid once per group.
        let group = max(1, min(32, 32_000 / max(1, plan.columns.count)))
        let insertGroup = try database.prepare(insertSQL + Array(repeating: "(\(marks))", count: group).joined(separator: ", "))
        let rejects = try database.prepare("INSERT INTO ecsh_rejects (dataset, source, line, col, field, reason, raw) VALUES (?, ?, ?, ?, ?, ?, ?)")
        var outcome = LoadOutcome()
        let words = preset?.pendingMayLackAmount == true ? try StatusVocabulary.workspaceWords(database) : [:]
        var collapse = preset.map {
            OrderCollapser(preset: $0, columns: plan.columns, statement: insert, words: words, currency: request.options.currency)
        }
        let interrupt = database.interruptFlag
        let onError = request.options.onError
        var heldSummary: (problem: RowProblem, line: Int, raw: String)?
        func reject(_ p: RowProblem, line: Int, raw: String) throws {
            // A totals row, a second header, an unanswered response: said in a note (`ReportRows`), not a bad row.
            if p.isHeldSummary { heldSummary = (p, line, raw) }
            if p.isNoData { return }
            if onError == .stop {
                // A number written in a Japanese form that is not read (`1.2万`, `1,000-`) says why and what to write.
                let numberHelp = p.help == nil && p.reason.hasPrefix("is not a number")
                    ? p.raw.flatMap { NumberReader.refusalHelp($0, encoding: plan.encoding) } : nil
                var e = LoadError(file: request.path, line: line, column: p.column, field: p.field, rawValue: p.raw,
                                  reason: p.reason, help: p.help ?? numberHelp)
                // A line starting with the comment character read as a row: it has the header's fields
                // (`CSVDialect.commentRowFields`), or no comment character was detected (a `#` title line was
                // skipped as a title): a footer such as `# generated,by,shopsystem,v2` is a comment, not a title.
                let mark = plan.dialect.comment ?? (request.options.comment == nil ? 35 : nil)
                if let byte = mark, raw.utf8.first == byte {
                    let shown = CSVDialect.show(byte)
                    let fields = plan.dialect.comment != nil ? plan.dialect.commentRowFields : nil
                    e.help = "the line starts with '\(shown)' and was read as a row\(fields.map { " (it has the header's \($0) fields)" } ?? ""); "
                        + "if it is a comment: load \(request.target.tableName) from '\(request.path)' with comment '\(shown)' (every line starting with '\(shown)' is then a comment)"
                        + (p.help.map { "; otherwise: \($0)" } ?? "")
                    e.commentLikeRow = true
                }
                throw e
            }
            try rejects.bind([.text(table), .text(request.path), .integer(Int64(line)), p.column.map { .integer(Int64($0)) } ?? .null,
                              p.field.map { .text($0) } ?? .null, .text(p.reason), .text(raw)])
            try rejects.step()
            rejects.reset()
            outcome.skipped += 1
        }
        pipeline.start()
        // However this ends, the parsing thread lets go of the reader before we return.
        defer {
            pipeline.stop()
            insert.clearBindings()
            insertGroup.clearBindings()
        }
        var batches = 0
        // A staged load's rows written as SQLite pages, copied in at each part's commit (`PagedRows`), while they can be;
        // a load in one transaction's, at its end.
        let paged = staged?.pages ?? inOneTransaction
        let rowidCell = plan.columns.lastIndex { if case .lineRowid = $0.source { true } else { false } }
        while let batch = pipeline.next() {
            var r = 0
            while r < batch.count {
                if let paged, !paged.stopped, collapse == nil, batch.status[r] < 0 {
                    let rowid: Int64? = rowidCell.flatMap { if case .integer(let v) = batch.cells[r * batch.width + $0] { v } else { nil } }
                    if try !paged.add(batch, row: r, rowid: rowid) {
                        batch.bind(row: r, to: insert)
                        try insert.step()
                        insert.reset()
                    }
                    outcome.rows += 1
                    outcome.records += 1
                    r += 1
                    continue
                }
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
                throw (failure as? CSVFailure).map { Loader.loadError($0, request, encoding: pipeline.reader.encoding) } ?? failure
            }
            if interrupt.isRaised { throw DatabaseError.interrupted }
            try staged?.rowsInserted(throughByte: batch.bytesParsed)
            batches += 1
            if batches % 4 == 0 || batch.count < batch.capacity {
                progress?(LoadProgress(bytesDone: batch.bytesRead, bytesTotal: source.totalBytes,
                                       rows: outcome.rows, elapsed: Loader.now() - started))
            }
            pipeline.recycle(batch)
        }
        // A first row without a date that the rows below do not add up to is the bad row it looked.
        if var held = heldSummary, let report = converter.reportRows, report.leadingSummaryHolds() == false {
            held.problem.isNoData = false
            held.problem.help = report.leadingSummaryHelp()
            try reject(held.problem, line: held.line, raw: held.raw)
        }
        if collapse != nil {
            if let problem = try collapse!.flush() { try reject(problem.problem, line: problem.line, raw: problem.raw) }
            outcome.rows = collapse!.inserted
            outcome.unpriced = collapse!.unpriced
            outcome.firstUnpriced = collapse!.firstUnpriced
            outcome.cancelledItems = collapse!.cancelledItems
            outcome.firstCancelledItems = collapse!.firstCancelledItems
            outcome.currencyNotes = try Loader.currencyCheck(collapse!, request, shown: try Loader.shownCurrency(database))
        }
        try inOneTransaction?.copy()
        // The parsing thread is done with the reader (the last batch was handed over).
        let reader = pipeline.reader
        outcome.commentLines = reader.commentLines
        outcome.firstCommentLines = reader.firstCommentLines
        outcome.commentLikeRows = reader.commentLikeRows
        outcome.firstCommentLikeRows = reader.firstCommentLikeRows
        return outcome
    }
}
