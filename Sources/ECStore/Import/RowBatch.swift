import CSQLite

/// One converted value, ready to bind; text lives in the batch's arena.
// Usable from inlinable code: `LoadedRow`'s accessors are inlined into the facts collector (another
// module), once per cell of a million rows.
@usableFromInline enum Cell {
    case null
    case integer(Int64)
    case real(Double)
    case text(start: Int, count: Int)

    @usableFromInline var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// Why one record cannot be loaded.
struct RowProblem: Error {
    var column: Int?
    var field: String?
    var raw: String?
    var reason: String
    var help: String?
    /// A row that is no data (`ReportRows`): left out, without an error or a reject, and counted in a note.
    var isNoData = false
    /// The first row without a date, left out for now: a summary when the rows below add up to it
    /// (`ReportRows.leadingSummaryHolds`), else the bad row it looks like, reported once every row is in.
    var isHeldSummary = false
}

/// A block of converted rows handed from the parsing thread to the inserting one.
///
/// Storage is raw memory reused from batch to batch, so the hot path neither
/// allocates nor pays Swift's dynamic exclusivity checks.
final class RowBatch {
    let width: Int
    let capacity: Int
    let cells: UnsafeMutablePointer<Cell>
    let lines: UnsafeMutablePointer<Int>
    /// Index into `problems` for a bad row, -1 for a good one.
    let status: UnsafeMutablePointer<Int>
    /// Text bytes of the batch's cells. Kept behind a pointer: mutating it in the hot
    /// loop then costs no dynamic exclusivity check, as a class property would.
    let text: UnsafeMutablePointer<TextArena>
    var count = 0
    /// File bytes read when the batch was filled (for progress).
    var bytesRead = 0
    /// File bytes behind the rows parsed when the batch was filled (less than `bytesRead`, which
    /// includes what was read ahead): for estimating the file's rows.
    var bytesParsed = 0
    var problems: [(problem: RowProblem, raw: String)] = []
    /// A structural error (bad quote, bad bytes) found after the last row of this batch.
    var failure: Error?
    /// Threads still reading the batch (the inserting one, the observing one); `RowPipeline` changes it under its lock.
    var holders = 0

    init(width: Int, capacity: Int) {
        self.width = width
        self.capacity = capacity
        cells = .allocate(capacity: max(1, width * capacity))
        cells.initialize(repeating: .null, count: max(1, width * capacity))
        lines = .allocate(capacity: capacity)
        status = .allocate(capacity: capacity)
        text = .allocate(capacity: 1)
        text.initialize(to: TextArena())
    }

    deinit {
        cells.deallocate()
        lines.deallocate()
        status.deallocate()
        text.pointee.bytes.deallocate()
        text.deallocate()
    }

    func reset() {
        count = 0
        text.pointee.count = 0
        problems.removeAll(keepingCapacity: true)
        failure = nil
    }

    /// Binds row `r` to the statement's parameters. Text is bound without a copy
    /// (SQLITE_STATIC): the arena outlives the `step` that reads it.
    func bind(row r: Int, to statement: Statement, firstParameter: Int = 1) {
        let handle = statement.handle
        let base = cells + r * width
        let bytes = text.pointee.bytes
        for k in 0..<width {
            let index = Int32(firstParameter + k)
            switch base[k] {
            case .null: sqlite3_bind_null(handle, index)
            case .integer(let v): sqlite3_bind_int64(handle, index, v)
            case .real(let d): sqlite3_bind_double(handle, index, d)
            case .text(let start, let count):
                let p = UnsafeRawPointer(bytes + start).assumingMemoryBound(to: CChar.self)
                sqlite3_bind_text(handle, index, p, Int32(count), nil)
            }
        }
    }

    /// Row `r` as values (presets merge rows before inserting).
    func values(row r: Int) -> [Value] {
        (0..<width).map { k in
            switch cells[r * width + k] {
            case .null: return .null
            case .integer(let v): return .integer(v)
            case .real(let d): return .real(d)
            case .text(let start, let count):
                return .text(String(decoding: UnsafeBufferPointer(start: text.pointee.bytes + start, count: count), as: UTF8.self))
            }
        }
    }
}

/// A growable byte buffer for cell text; offsets stay valid when it moves.
struct TextArena {
    var bytes: UnsafeMutablePointer<UInt8> = .allocate(capacity: 64 * 1024)
    var capacity = 64 * 1024
    var count = 0

    /// Makes room for `n` more bytes.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n <= capacity { return }
        var size = capacity * 2
        while size < count + n { size *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        bigger.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = bigger
        capacity = size
    }
}
