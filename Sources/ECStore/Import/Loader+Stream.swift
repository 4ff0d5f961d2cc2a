import CSQLite

/// A load whose file is planned (preset, encoding, dialect, header, column types) and not yet read.
struct PlannedLoad {
    /// The request with the options the preset implies.
    var request: LoadRequest
    var plan: FilePlan
    var preset: Preset?
    var maxColumns: Int
    /// What planning found worth saying (detected encoding, title lines skipped…).
    var notes: [String]
    /// "this looks like a Rakuten export: … with preset rakuten", for orders loaded without a preset.
    var presetHint: String?

    var role: DatasetRole? { if case .role(let r) = request.target { r } else { nil } }

    /// A load error with the way out planning found: the preset, or skipping the title lines.
    func withWayOut(_ error: LoadError) -> LoadError {
        // A row that starts with the comment character has its own way out (`with comment`), not `with skip`.
        guard presetHint != nil || (plan.preamble > 0 && !error.commentLikeRow && !error.notAboutLayout) else { return error }
        var e = error
        let skip = "the first \(plan.preamble == 1 ? "line looks" : "\(plan.preamble) lines look") like a title above the header: load \(request.target.tableName) from '\(request.path)' with skip \(plan.preamble)"
        e.help = (presetHint ?? skip) + (e.help.map { "; otherwise: \($0)" } ?? "")
        return e
    }
}

/// The streaming load declined a file that needs the whole loader (a bad row, a widened column,
/// a repeated id…): the caller loads it the full way, which gives the exact result or the located error.
struct StreamDeclined: Error, CustomStringConvertible {
    let reason: String
    var description: String { "the streaming load handed over to the full loader: \(reason)" }
}

extension Loader {
    /// The file's records, past the title lines and the header, parsed and converted on a second thread.
    func openPipeline(_ request: LoadRequest, plan: FilePlan, converter: RowConverter,
                      tally: RowTally? = nil, columnTally: ColumnTally? = nil,
                      observer: LoadRowObserver? = nil) throws -> (RowPipeline, TextSource) {
        let source = try TextSource(path: request.readPath, encoding: plan.encoding)
        let reader = CSVReader(source: source, dialect: plan.dialect, maxFields: plan.names.count + 64,
                               passControls: request.options.onError == .skip)
        var skip = plan.skip + (plan.hasHeader ? 1 : 0)
        while skip > 0, try readRecord(reader, request) { skip -= 1 }
        reader.commentRowFields = plan.dialect.commentRowFields
        let pipeline = RowPipeline(reader: reader, converter: converter, expectedFields: plan.names.count,
                                   nullPadding: request.options.nullPadding,
                                   batchRows: Loader.batchRows(width: converter.width, fileBytes: source.totalBytes), tally: tally,
                                   columnTally: columnTally, observer: observer)
        return (pipeline, source)
    }

    /// Streams a planned file's converted rows, in file order, to `row(batch, index)`, for a load that
    /// writes somewhere other than this database (COPY to a PostgreSQL server). Only clean files go
    /// this way: a row problem, a structural error, a preset or a widened column throws
    /// `StreamDeclined` (nothing is half-decided here; the caller loads the file the full way).
    /// Returns the columns as the load finished them, and the notes the full load would give on the file's
    /// columns, report rows and comment lines (in `Loader.load`'s order: the guests' note goes between them).
    func stream(_ planned: PlannedLoad, columns: [ColumnPlan], started: Double, progress: ((LoadProgress) -> Void)?,
                tally: RowTally? = nil, row: (RowBatch, Int) throws -> Void) throws -> StreamedFile {
        if let preset = planned.preset { throw StreamDeclined(reason: "preset \(preset.name) collapses line items") }
        if columns.contains(where: \.timesQuantity) { throw StreamDeclined(reason: "the amount is a unit price times the quantity") }
        if planned.request.options.idPrefix != nil { throw StreamDeclined(reason: "order ids get a prefix") }
        // Settled with SQL over the inserted rows: Meta's summary rows and dated day totals (`settleSpendRanges`,
        // `settleDatedSubtotals`; such reports are small), NPS answers exported twice.
        if planned.role == .spend || planned.role == .traffic { throw StreamDeclined(reason: "spend and traffic rows are checked for summary rows and day totals") }
        if planned.role == .nps && !columns.contains(where: { $0.name == "response_id" && $0.source != .none }) {
            throw StreamDeclined(reason: "NPS answers without a response_id")
        }
        let request = planned.request
        var plan = planned.plan
        plan.columns = columns
        let converter = RowConverter(columns: columns, options: request.options, checkRequired: true,
                                     slashOrders: plan.slashOrders, encoding: plan.encoding)
        let (pipeline, source) = try openPipeline(request, plan: plan, converter: converter, tally: tally)
        pipeline.start()
        defer { pipeline.stop() }
        let interrupt = database.interruptFlag
        var rows = 0, batches = 0
        // A discount or points value of the sign opposite to its row's amount (written negative) is settled by the
        // full load (`settleCostSigns`); a refund row's negative amount and negative discount is as usual.
        let deductions = columns.indices.filter { columns[$0].canonical != nil && Loader.deductionFields.contains(columns[$0].name) }
        let amountIndex = columns.indices.first { columns[$0].canonical?.name == "amount" }
        while let batch = pipeline.next() {
            for r in 0..<batch.count {
                let status = batch.status[r]
                if status >= 0 { throw StreamDeclined(reason: "line \(batch.lines[r]): \(batch.problems[status].problem.reason)") }
                if !deductions.isEmpty {
                    var amount = 0.0
                    if let a = amountIndex {
                        switch batch.cells[r * batch.width + a] {
                        case .real(let d): amount = d
                        case .integer(let v): amount = Double(v)
                        default: break
                        }
                    }
                    for k in deductions {
                        var value = 0.0
                        switch batch.cells[r * batch.width + k] {
                        case .real(let d): value = d
                        case .integer(let v): value = Double(v)
                        default: break
                        }
                        if amount < 0 ? value > 0 : value < 0 {
                            throw StreamDeclined(reason: "a \(columns[k].name) of the sign opposite to its amount")
                        }
                    }
                }
                try row(batch, r)
            }
            rows += batch.count
            if let failure = batch.failure { throw StreamDeclined(reason: "\(failure)") }
            if interrupt.isRaised { throw DatabaseError.interrupted }
            batches += 1
            if batches % 4 == 0 || batch.count < batch.capacity {
                progress?(LoadProgress(bytesDone: batch.bytesRead, bytesTotal: source.totalBytes, rows: rows,
                                       elapsed: Loader.now() - started))
            }
            pipeline.recycle(batch)
        }
        if let ambiguous = converter.ambiguousDecimals(file: request.path, options: request.options, plan: plan) { throw ambiguous }
        // The note on placeholder customer ids is the full load's (`Loader.placeholderNote`).
        if !converter.placeholdersSeen.isEmpty { throw StreamDeclined(reason: "placeholder customer ids") }
        if converter.zoneNote != nil { throw StreamDeclined(reason: "days taken in the system's time zone") }
        let finished = Array(converter.finishedColumns().prefix(columns.count))
        if let widened = finished.first(where: { $0.kind.sqlType != $0.declaredKind.sqlType }) {
            throw StreamDeclined(reason: "column \(widened.name) widened")
        }
        var outcome = LoadOutcome()
        let reader = pipeline.reader
        (outcome.commentLines, outcome.firstCommentLines) = (reader.commentLines, reader.firstCommentLines)
        (outcome.commentLikeRows, outcome.firstCommentLikeRows) = (reader.commentLikeRows, reader.firstCommentLikeRows)
        return StreamedFile(columns: finished,
                            notes: finished.compactMap(\.note) + (converter.reportRows?.notes(table: request.target.tableName) ?? []),
                            commentNotes: Loader.commentNotes(outcome, dialect: plan.dialect))
    }
}

/// What `Loader.stream` leaves: the finished columns and the notes of the file (`Loader.load` gives the same).
struct StreamedFile {
    var columns: [ColumnPlan] = []
    /// The columns' notes (which column is the score, a header in UTC, a renamed repeat), then the report rows'.
    var notes: [String] = []
    /// Comment lines skipped, lines that look like comments read as rows.
    var commentNotes: [String] = []
}
