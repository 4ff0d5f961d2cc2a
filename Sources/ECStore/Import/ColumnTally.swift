import Glibc

/// Each column's non-NULL count, minimum and maximum, taken from a load's rows on the parsing thread,
/// as SQLite's `count(col)`, `min(col)` and `max(col)` will read them from the table, so that
/// `describe` need not scan it (23 s for 10M orders, 48 aggregates over every row).
///
/// A column's figures hold only when every cell is stored as it is converted: text in a TEXT column
/// (compared byte by byte, SQLite's BINARY collation), integers in an INTEGER column, finite numbers in
/// a REAL column (integers among them become REAL there, as the column's affinity makes them). A cell of
/// another type would be converted by the column's affinity (a number in a TEXT column becomes text),
/// and the figures the tally could give would be guesses: such a column is left out and `describe`
/// computes it with SQL. Whether the rows stay as loaded (no repeats removed, no status mapped by SQL,
/// no column retyped) is the loader's to say (`Loader.load`); a load that changes them records nothing.
///
/// The parsing thread owns the tally until the pipeline ends; the loader reads it after.
final class ColumnTally: @unchecked Sendable {
    enum Affinity { case integer, real, text }

    /// Bytes of a text bound, in memory of its own (no array, no reference count on the hot path).
    struct Bound {
        var bytes: UnsafeMutablePointer<UInt8>? = nil
        var count = 0
        var capacity = 0

        mutating func set(_ t: UnsafeRawBufferPointer) {
            if t.count > capacity {
                bytes?.deallocate()
                capacity = max(t.count, 16)
                bytes = .allocate(capacity: capacity)
            }
            if t.count > 0 { UnsafeMutableRawPointer(bytes!).copyMemory(from: t.baseAddress!, byteCount: t.count) }
            count = t.count
        }

        /// The sign of `t` − the bound in memcmp's order, the shorter first on a common prefix (SQLite's
        /// BINARY collation). Eight bytes at a time in line: ids, dates and names are short, and a call
        /// to memcmp per cell cost more than the comparison.
        @inline(__always) func compare(_ t: UnsafeRawBufferPointer) -> Int {
            let n = min(t.count, count)
            guard n > 0, let a = t.baseAddress, let b = bytes else { return t.count - count }
            var i = 0
            while i + 8 <= n {
                let x = a.loadUnaligned(fromByteOffset: i, as: UInt64.self).bigEndian
                let y = UnsafeRawPointer(b).loadUnaligned(fromByteOffset: i, as: UInt64.self).bigEndian
                if x != y { return x < y ? -1 : 1 }
                i += 8
            }
            while i < n {
                let x = a.load(fromByteOffset: i, as: UInt8.self), y = b[i]
                if x != y { return x < y ? -1 : 1 }
                i += 1
            }
            return t.count - count
        }

        var text: String { String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) }

        mutating func free() {
            bytes?.deallocate()
            self = Bound()
        }
    }

    /// One column's figures so far; plain values only, kept in raw memory.
    struct Column {
        let cell: Int
        let affinity: Affinity
        var holds = true
        var nonNull = 0
        var minInteger = Int64.max
        var maxInteger = Int64.min
        var minReal = Double.infinity
        var maxReal = -Double.infinity
        var minText = Bound()
        var maxText = Bound()
    }

    private let names: [String]
    private let columns: UnsafeMutablePointer<Column>
    private let width: Int
    private(set) var rows = 0

    /// `columns` are the load's, in cell order; a row's own rowid (`lineRowid`) is not a column of the table's.
    init(columns plans: [ColumnPlan]) {
        let kept = plans.enumerated().filter { _, c in
            if case .lineRowid = c.source { return false }
            return true
        }
        names = kept.map { $0.element.name }
        width = kept.count
        columns = .allocate(capacity: max(1, kept.count))
        for (k, (i, c)) in kept.enumerated() {
            let affinity: Affinity = switch c.declaredKind.sqlType {
            case "INTEGER": .integer
            case "REAL": .real
            default: .text
            }
            (columns + k).initialize(to: Column(cell: i, affinity: affinity))
        }
    }

    deinit {
        for k in 0..<width {
            columns[k].minText.bytes?.deallocate()
            columns[k].maxText.bytes?.deallocate()
        }
        columns.deallocate()
    }

    /// One good row of `batch`, after the status tally gave its status cell the word's meaning.
    func add(_ batch: RowBatch, row r: Int) {
        rows += 1
        let cells = batch.cells + r * batch.width
        let arena = batch.text.pointee.bytes
        for k in 0..<width {
            let c = columns + k
            guard c.pointee.holds else { continue }
            switch (cells[c.pointee.cell], c.pointee.affinity) {
            case (.null, _):
                continue
            case (.text(let start, let count), .text):
                let t = UnsafeRawBufferPointer(start: arena + start, count: count)
                if c.pointee.nonNull == 0 {
                    c.pointee.minText.set(t)
                    c.pointee.maxText.set(t)
                } else if c.pointee.minText.compare(t) < 0 {
                    c.pointee.minText.set(t)
                } else if c.pointee.maxText.compare(t) > 0 {
                    c.pointee.maxText.set(t)
                }
            case (.integer(let v), .integer):
                if v < c.pointee.minInteger { c.pointee.minInteger = v }
                if v > c.pointee.maxInteger { c.pointee.maxInteger = v }
            case (.integer(let v), .real) where v.magnitude <= 1 << 53:
                note(Double(v), c)
            case (.real(let v), .real) where v.isFinite:
                note(v, c)
            default:
                c.pointee.holds = false
                continue
            }
            c.pointee.nonNull += 1
        }
    }

    /// A REAL value; -0.0 counts as 0.0, as SQLite stores a whole REAL value as an integer and reads it back positive.
    @inline(__always) private func note(_ v: Double, _ c: UnsafeMutablePointer<Column>) {
        let x = v + 0.0
        if x < c.pointee.minReal { c.pointee.minReal = x }
        if x > c.pointee.maxReal { c.pointee.maxReal = x }
    }

    /// The figures of every column that holds, but for `excluded` (columns the load retyped afterwards).
    func statistics(excluding excluded: Set<String> = []) -> [ColumnStatistics.Figures] {
        (0..<width).filter { columns[$0].holds && !excluded.contains(names[$0]) }.map { k in
            let c = columns[k]
            let (low, high): (Value, Value) = switch (c.nonNull, c.affinity) {
            case (0, _): (.null, .null)
            case (_, .integer): (.integer(c.minInteger), .integer(c.maxInteger))
            case (_, .real): (.real(c.minReal), .real(c.maxReal))
            case (_, .text): (.text(c.minText.text), .text(c.maxText.text))
            }
            return ColumnStatistics.Figures(field: names[k], nonNull: c.nonNull, min: low, max: high)
        }
    }
}
