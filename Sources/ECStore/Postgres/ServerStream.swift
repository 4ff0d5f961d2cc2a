import Foundation

/// The streamed way of `ServerLoader`: a clean file's rows, converted by the loader, go straight to
/// `COPY … (FORMAT binary)`. What the SQLite loader settles with SQL after inserting, this settles
/// on the way, row by row, and declines (`StreamDeclined`) whatever needs the whole loader:
/// - statuses: mapped through the vocabulary and the workspace's words, as `applyStatusVocabulary`;
/// - repeated ids: every id's 64-bit hash goes to a `RepeatCheck` (sorted runs, spilled to a
///   temporary file, merged at the end: bounded memory); a repeat, or a collision of two ids'
///   hashes, declines, and the staged way decides;
/// - a value whose kind is not its column's (a widened column) declines;
/// - the row count, the guests and the main date's range are counted for the bookkeeping.
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

        let mapped = { (name: String) in columns.firstIndex { $0.name == name && $0.source != .none } }
        var state = State(width: columns.count, types: types, repeats: RepeatCheck(runSize: runSize))
        if role == .orders {
            state.status = mapped("status")
            state.raw = columns.firstIndex { $0.name == "status_raw" }
            state.customer = columns.firstIndex { $0.name == "customer_id" }
        }
        if let key = role?.identity { state.key = mapped(key) }
        if let main = role?.mainDate { state.date = columns.firstIndex { $0.name == main } }

        let names = columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        var finished: [ColumnPlan] = []
        // FREEZE: the table was created in this savepoint, so its rows can be written frozen, sparing
        // the server a later pass over them (a table kept for its layout is only truncated).
        try pg.copyIn("COPY \(quoteIdentifier(table)) (\(names)) FROM STDIN (FORMAT binary\(created ? ", FREEZE" : ""))") { writer in
            try writer.beginBinary()
            finished = try loader.stream(planned, columns: columns, started: started, progress: progress) { batch, r in
                try state.write(batch, row: r, to: &writer, words: words)
            }
            try writer.endBinary()
        }
        LoadTrace.mark("server: copy")
        if let key = state.key, try !state.repeats.finish() { throw StreamDeclined(reason: "a repeated \(columns[key].name)") }
        LoadTrace.mark("server: repeated ids checked")
        try Bookkeeping.record(database, table: table, role: role, source: request.path, columns: finished, replace: true,
                               known: (state.rows, state.minDate.map { .text($0) } ?? .null, state.maxDate.map { .text($0) } ?? .null))

        var summary = LoadSummary(table: table, role: role, source: request.path, rows: state.rows, columns: columns.count,
                                  skipped: 0, seconds: 0, notes: [])
        var notes: [String] = []
        if role == .orders {
            if state.status != nil {
                let pairs = state.statusPairs.map { Loader.StatusPair(status: $0.status, raw: $0.raw, count: $0.count) }
                (summary.statuses, summary.unknownStatuses) = Loader.breakdown(pairs)
            }
            summary.guests = state.guests
            if summary.guests > 0 { notes.append(Loader.guestNote(summary.guests)) }
        }
        if let hint = planned.presetHint { notes.append(hint) }
        summary.notes = planned.notes + notes
        return summary
    }

    /// What the stream keeps track of while it writes rows.
    struct State {
        /// A column's type on the wire.
        enum Wire { case int8, float8, text }
        let width: Int
        let wires: [Wire]
        let types: [String]
        var status: Int?
        var raw: Int?
        var customer: Int?
        var key: Int?
        var date: Int?
        var rows = 0
        var guests = 0
        var minDate: String?
        var maxDate: String?
        let repeats: RepeatCheck
        /// Each (status, status_raw) seen: the bytes as loaded, the stored meaning, and the count.
        var statusPairs: [(loaded: [UInt8]?, rawBytes: [UInt8]?, storedBytes: [UInt8]?, status: String?, raw: String?, count: Int)] = []
        var minBytes: [UInt8] = []
        var maxBytes: [UInt8] = []

        init(width: Int, types: [String], repeats: RepeatCheck) {
            self.width = width
            self.types = types
            wires = types.map { $0 == "INTEGER" ? .int8 : $0 == "REAL" ? .float8 : .text }
            self.repeats = repeats
        }

        mutating func write(_ batch: RowBatch, row r: Int, to writer: inout PostgresCopyWriter, words: [String: String]) throws {
            let cells = batch.cells + r * width
            let text = batch.text.pointee.bytes
            func bytes(_ start: Int, _ count: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: text + start, count: count) }
            func textAt(_ k: Int?) -> UnsafeRawBufferPointer? {
                guard let k, case .text(let start, let count) = cells[k] else { return nil }
                return bytes(start, count)
            }
            var pair = -1
            if let s = status { pair = try statusPair(textAt(s), textAt(raw), words: words, line: batch.lines[r]) }
            try writer.beginRow(fields: width)
            for k in 0..<width {
                let wire = wires[k]
                switch cells[k] {
                case .null: try writer.appendNull()
                case .integer(let v) where wire == .int8: try writer.append(v)
                case .integer(let v) where wire == .float8: try writer.append(Double(v))
                case .real(let d) where wire == .float8: try writer.append(d)
                case .text(let start, let count) where wire == .text:
                    if k == status, pair >= 0, let stored = statusPairs[pair].storedBytes {
                        try stored.withUnsafeBytes { try writer.appendText($0) }
                    } else {
                        try writer.appendText(bytes(start, count))
                    }
                default:
                    throw StreamDeclined(reason: "line \(batch.lines[r]): a \(cells[k]) value in \(types[k]) column \(k + 1)")
                }
            }
            try writer.endRow()
            rows += 1
            if let c = customer, case .null = cells[c] { guests += 1 }
            if let key { try track(key: cells[key], text: text, line: batch.lines[r]) }
            if let d = textAt(date) { noteDate(UnsafeRawBufferPointer(rebasing: d.prefix(10))) }
        }

        /// The row's (status, status_raw) pair in `statusPairs`, counted, with the status to store.
        mutating func statusPair(_ loaded: UnsafeRawBufferPointer?, _ rawText: UnsafeRawBufferPointer?,
                                 words: [String: String], line: Int) throws -> Int {
            func same(_ a: [UInt8]?, _ b: UnsafeRawBufferPointer?) -> Bool {
                guard let a, let b else { return a == nil && b == nil }
                return a.count == b.count && a.withUnsafeBytes { $0.elementsEqual(b) }
            }
            if let i = statusPairs.firstIndex(where: { same($0.loaded, loaded) && same($0.rawBytes, rawText) }) {
                statusPairs[i].count += 1
                return i
            }
            // The staged way groups many words in SQL; a linear search is for the usual handful.
            if statusPairs.count >= 256 { throw StreamDeclined(reason: "line \(line): more than 256 status words") }
            let word = loaded.map { String(decoding: $0, as: UTF8.self) }
            let meaning = word.map { StatusVocabulary.status(of: $0, extra: words) ?? StatusVocabulary.unknownForm($0) }
            statusPairs.append((loaded.map(Array.init), rawText.map(Array.init), meaning.map { Array($0.utf8) }, meaning,
                                rawText.map { String(decoding: $0, as: UTF8.self) }, 1))
            return statusPairs.count - 1
        }

        /// Adds the row's id to the repeat check; a repeat found on the way (or a collision of two ids'
        /// hashes) declines.
        mutating func track(key cell: Cell, text: UnsafeMutablePointer<UInt8>, line: Int) throws {
            var hasher = Hasher()
            switch cell {
            case .null: return
            case .integer(let v): hasher.combine(0 as UInt8); hasher.combine(v)
            case .real(let d): hasher.combine(1 as UInt8); hasher.combine(d)
            case .text(let start, let count): hasher.combine(2 as UInt8); hasher.combine(bytes: UnsafeRawBufferPointer(start: text + start, count: count))
            }
            guard try repeats.add(UInt64(bitPattern: Int64(hasher.finalize()))) else {
                throw StreamDeclined(reason: "a repeated id by line \(line)")
            }
        }

        /// The main date's range, compared byte by byte as SQLite's min and max compare text.
        mutating func noteDate(_ d: UnsafeRawBufferPointer) {
            if minDate == nil || d.lexicographicallyPrecedes(minBytes) {
                minBytes = Array(d)
                minDate = String(decoding: d, as: UTF8.self)
            }
            if maxDate == nil || maxBytes.lexicographicallyPrecedes(d) {
                maxBytes = Array(d)
                maxDate = String(decoding: d, as: UTF8.self)
            }
        }
    }
}
