/// Sees each good row of an orders load as it is parsed, as it will be stored (statuses
/// mapped by `RowTally`), so that what is built from the rows (the customer facts and the order
/// snapshot) needs no second read of the table (issue 15, "built while loading").
///
/// A thread of the load's pipeline owns the observer from the first `add` until the pipeline ends
/// (`RowPipeline`: it sees each batch while the loader inserts it); the loader calls `settled`
/// afterwards, on its own thread. An observer that cannot use what it sees (a value
/// of an unexpected type, too many rows to hold) just stops collecting: the caller then reads the
/// table as before. What it collected may be used only when `settled(intact: true)` came: the table
/// then holds exactly the rows seen, with the values seen.
public protocol LoadRowObserver: AnyObject {
    /// Before the first row: the load's columns in cell order (the last one is `rowid`).
    func begin(columns: [String])
    /// One good row.
    func add(_ row: LoadedRow)
    /// Before each batch's rows: how many rows it holds (good or not), the file's bytes behind the rows
    /// parsed so far (this batch's included), and its size when known (0 for a pipe). From the first
    /// batch an observer can tell roughly how many rows the file holds before it sees any.
    func willAdd(rows: Int, bytes: Int, of total: Int)
    /// After each batch of rows: the file's bytes read so far, and its size when known (0 for a pipe).
    func read(bytes: Int, of total: Int)
    /// On the observing thread, after the last batch (not when the load was stopped first); the loader
    /// reads what it settles once the pipeline has ended.
    func finished()
    /// After the rows are reconciled, in the load's transaction: true when no row was removed,
    /// mapped or retyped by SQL afterwards and the table held no earlier rows.
    func settled(intact: Bool)
}

extension LoadRowObserver {
    public func willAdd(rows: Int, bytes: Int, of total: Int) {}
    public func finished() {}
}

/// One converted row, valid only during `LoadRowObserver.add`.
public struct LoadedRow {
    @usableFromInline let cells: UnsafeMutablePointer<Cell>
    @usableFromInline let text: UnsafeMutablePointer<UInt8>

    init(cells: UnsafeMutablePointer<Cell>, text: UnsafeMutablePointer<UInt8>) {
        self.cells = cells
        self.text = text
    }

    @inlinable public func isNull(_ column: Int) -> Bool { cells[column].isNull }

    /// The cell as an integer; nil when it is NULL or another type.
    @inlinable public func integer(_ column: Int) -> Int64? {
        if case .integer(let v) = cells[column] { return v }
        return nil
    }

    /// The cell as SQLite reads a stored number as REAL: an integer or a real; nil when NULL or text.
    @inlinable public func number(_ column: Int) -> Double? {
        switch cells[column] {
        case .integer(let v): return Double(v)
        case .real(let d): return d
        default: return nil
        }
    }

    /// Whether the cell is text (its bytes in `bytes`).
    @inlinable public func isText(_ column: Int) -> Bool {
        if case .text = cells[column] { return true }
        return false
    }

    /// The cell's bytes when it is text; empty otherwise.
    @inlinable public func bytes(_ column: Int) -> UnsafeRawBufferPointer {
        guard case .text(let start, let count) = cells[column] else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: text + start, count: count)
    }
}

/// Several observers on the pipeline's one observing thread, each told everything in turn.
final class LoadRowObservers: LoadRowObserver {
    private let all: [LoadRowObserver]

    /// nil for none, the observer itself for one.
    static func combine(_ observers: [LoadRowObserver?]) -> LoadRowObserver? {
        let present = observers.compactMap { $0 }
        return present.count > 1 ? LoadRowObservers(present) : present.first
    }

    private init(_ all: [LoadRowObserver]) { self.all = all }

    func begin(columns: [String]) { for o in all { o.begin(columns: columns) } }
    func willAdd(rows: Int, bytes: Int, of total: Int) { for o in all { o.willAdd(rows: rows, bytes: bytes, of: total) } }
    func add(_ row: LoadedRow) { for o in all { o.add(row) } }
    func read(bytes: Int, of total: Int) { for o in all { o.read(bytes: bytes, of: total) } }
    func finished() { for o in all { o.finished() } }
    func settled(intact: Bool) { for o in all { o.settled(intact: intact) } }
}
