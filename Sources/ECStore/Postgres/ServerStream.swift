import Foundation

/// The streamed way of `ServerLoader`: a clean file's rows, converted by the loader, go straight to
/// `COPY … (FORMAT binary)`. What the SQLite loader settles with SQL after inserting, this settles
/// on the way, row by row, and declines (`StreamDeclined`) whatever needs the whole loader:
/// - statuses: mapped through the vocabulary and the workspace's words on the parsing thread, and
///   counted there with the rows, the guests and the main date's range (`RowTally`, as the SQLite
///   loader does); a status that is not text, or a date whose range is not plain ASCII, declines;
/// - repeated ids: every id's 64-bit hash goes to a `RepeatCheck` (sorted runs, spilled to a
///   temporary file, merged at the end: bounded memory); a repeat, or a collision of two ids'
///   hashes, declines, and the staged way decides;
/// - a value whose kind is not its column's (a widened column) declines.
struct ServerStream {
    let database: Database
    /// The workspace's own status words (`set status`), from the server.
    let words: [String: String]

    /// Hashes per sorted run of the repeat check (8 MB at the default).
    var runSize = 1 << 20

    func load(_ request: LoadRequest, started: Double, progress: ((LoadProgress) -> Void)?) throws -> LoadSummary {
        guard let pg = database.postgres else { throw StoreError("the streamed load needs a PostgreSQL workspace") }
        // The loader plans with an in-memory SQLite database: its limits are the SQLite loader's.
        let loader = Loader(database: try Database(interruptFlag: database.interruptFlag))
        let planned = try loader.planLoad(request)
        let columns = try loader.targetColumns(planned)
        let table = request.target.tableName
        let role = planned.role
        let types = columns.map { $0.kind.sqlType }
        let created = try ServerLoader(database: database).replaceTable(table, columns: zip(columns, types).map { ($0.name, $1) })
        LoadTrace.mark("server: plan, table")

        var state = State(width: columns.count, types: types, repeats: RepeatCheck(runSize: runSize))
        if let key = role?.identity { state.key = columns.firstIndex { $0.name == key && $0.source != .none } }
        let tally = RowTally(columns: columns, role: role, words: words)

        let names = columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        var finished = StreamedFile()
        // FREEZE: the table was created in this savepoint, so its rows can be written frozen, sparing
        // the server a later pass over them (a table kept for its layout is only truncated).
        try pg.copyIn("COPY \(quoteIdentifier(table)) (\(names)) FROM STDIN (FORMAT binary\(created ? ", FREEZE" : ""))") { writer in
            try writer.beginBinary()
            finished = try loader.stream(planned, columns: columns, started: started, progress: progress, tally: tally) { batch, r in
                try state.write(batch, row: r, to: &writer)
            }
            try writer.endBinary()
        }
        LoadTrace.mark("server: copy")
        if let key = state.key, try !state.repeats.finish() { throw StreamDeclined(reason: "a repeated \(columns[key].name)") }
        LoadTrace.mark("server: repeated ids checked")
        let pairs = tally.statusPairs
        if tally.status != nil && pairs == nil { throw StreamDeclined(reason: "a status that is not text") }
        let range: (min: Value, max: Value)
        if tally.date == nil { range = (.null, .null) } else {
            guard let counted = tally.dateRange else { throw StreamDeclined(reason: "a \(columns[tally.date!].name) that is not plain ASCII text") }
            range = counted
        }
        try Bookkeeping.record(database, table: table, role: role, source: request.path, columns: finished.columns, replace: true,
                               known: (tally.rows, range.min, range.max))

        var summary = LoadSummary(table: table, role: role, source: request.path, rows: tally.rows, columns: columns.count,
                                  skipped: 0, seconds: 0, notes: [])
        var notes = finished.notes
        if let note = Loader.renamedNote(columns) { notes.append(note) }
        if role == .orders {
            if let pairs {
                (summary.statuses, summary.unknownStatuses) = Loader.breakdown(pairs)
                summary.debatableStatuses = Loader.debatable(pairs)
            }
            summary.guests = tally.guests
            if summary.guests > 0 { notes.append(Loader.guestNote(summary.guests)) }
            if summary.guests > 0, summary.guests == tally.rows, let note = Loader.noCustomerColumnNote(columns) { notes.append(note) }
        }
        notes += finished.commentNotes
        if let hint = planned.presetHint { notes.append(hint) }
        summary.notes = planned.notes + notes
        return summary
    }

    /// What the stream keeps track of while it writes rows (the counts are the tally's).
    struct State {
        /// A column's type on the wire.
        enum Wire { case int8, float8, text }
        let width: Int
        let wires: [Wire]
        let types: [String]
        var key: Int?
        let repeats: RepeatCheck

        init(width: Int, types: [String], repeats: RepeatCheck) {
            self.width = width
            self.types = types
            wires = types.map { $0 == "INTEGER" ? .int8 : $0 == "REAL" ? .float8 : .text }
            self.repeats = repeats
        }

        /// One row to COPY; its status is already the word's meaning (`RowTally`).
        mutating func write(_ batch: RowBatch, row r: Int, to writer: inout PostgresCopyWriter) throws {
            let cells = batch.cells + r * width
            let text = batch.text.pointee.bytes
            try writer.beginRow(fields: width)
            for k in 0..<width {
                let wire = wires[k]
                switch cells[k] {
                case .null: try writer.appendNull()
                case .integer(let v) where wire == .int8: try writer.append(v)
                case .integer(let v) where wire == .float8: try writer.append(Double(v))
                case .real(let d) where wire == .float8: try writer.append(d)
                case .text(let start, let count) where wire == .text:
                    try writer.appendText(UnsafeRawBufferPointer(start: text + start, count: count))
                default:
                    throw StreamDeclined(reason: "line \(batch.lines[r]): a \(cells[k]) value in \(types[k]) column \(k + 1)")
                }
            }
            try writer.endRow()
            if let key { try track(key: cells[key], text: text, line: batch.lines[r]) }
        }

        /// Adds the row's id to the repeat check; a repeat found on the way (or a collision of two ids'
        /// hashes) declines.
        mutating func track(key cell: Cell, text: UnsafeMutablePointer<UInt8>, line: Int) throws {
            guard let (_, hash) = RepeatCheck.hash(cell, text: text) else { return }
            guard try repeats.add(hash) else {
                throw StreamDeclined(reason: "a repeated id by line \(line)")
            }
        }
    }
}
