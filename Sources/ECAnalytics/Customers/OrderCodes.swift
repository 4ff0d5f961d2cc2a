import CSQLite
import ECStore
#if canImport(Glibc)
import Glibc
#endif

/// The columns of `orders` with few values (channel, status, category, a product line, quantity)
/// as one byte per row, collected by an orders load while it parses (`Collector`) and kept in the
/// snapshot: a `where` filter on them (`OrderMask`) and a grouping by them (`OrderColumnCodes`)
/// then read a few bytes per order instead of scanning `orders` (about 0.1 s at 1M orders, 1–2 s at
/// 10M, for each new filter or grouping).
///
/// A code is 0 where `orders` has no row (a gap in the rowids), 1 for NULL, 2… for the values in the
/// order first seen. Every code keeps the first row that has it (`rows`): SQLite evaluates a filter on
/// those rows of `orders` itself, so a filter keeps exactly the codes whose row it keeps, with the
/// column's own type, affinity and collation, and a grouping reads its values from them. Codes are
/// given by the cell as the load binds it (text by its bytes, an integer by its value); a column
/// holding reals, both texts and integers, or more than `maxValues` values is not kept.
///
/// Entries in `ecsh_snapshot`: `coded` (the kept columns' names, joined by U+001F), and for the
/// column at index i of that list `code.i.rows` (Int32 by code; −1: none) and `code.i.c`, the codes of
/// rows c × `chunkRows` ..< (c + 1) × `chunkRows` (the last chunk may be shorter). A load that builds
/// the derived data from its own rows collects them as it parses; a build that reads `orders`
/// (`rebuild`, an appending load) in one more read of it (`collect`), stopped once no column is left.
enum OrderCodes {
    static let chunkRows = 1 << 20
    /// Values kept at most (codes 2…255).
    static let maxValues = 254
    /// Combinations of codes of a filter over several columns, at most (one row of `orders` each).
    static let maxCombinations = 4096

    static func rowsEntry(_ index: Int) -> String { "code.\(index).rows" }
    static func chunkEntry(_ index: Int, _ chunk: Int) -> String { "code.\(index).\(chunk)" }

    /// The names of the columns kept, nil when there are none.
    static func columns(_ db: Database) throws -> [String]? {
        guard let text = try OrderSnapshot.text(db, "coded"), !text.isEmpty else { return nil }
        return text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    }

    /// One kept column: its codes by row and the first row of each code.
    struct Stored {
        var codes: [UInt8]
        var rows: [Int32]
        /// 1: texts, 2: integers (0: NULLs only).
        var kind: UInt8
        /// By code (from 2): the value's bytes as collected (a text's, an integer's eight).
        var values: [[UInt8]]

        /// Whether the value at column `i` of the statement's row is still the one `code` stood for
        /// when built. A program other than ecsh (the sqlite3 shell) may change `orders` without a new
        /// input version; a code's row changed so would otherwise pass or fail the filter for every
        /// order of that code, where the rest of the snapshot is only as stale as the rows changed.
        func holds(_ s: Statement, at i: Int, code: Int) -> Bool {
            if code == 1 { return s.storageClass(at: i) == SQLITE_NULL }
            guard code >= 2, code < values.count else { return false }
            switch kind {
            case 1:
                return s.storageClass(at: i) == SQLITE_TEXT && s.bytes(at: i).elementsEqual(values[code])
            case 2:
                guard s.storageClass(at: i) == SQLITE_INTEGER else { return false }
                var v = s.int64(at: i)
                return withUnsafeBytes(of: &v) { $0.elementsEqual(values[code]) }
            default:
                return false
            }
        }
    }

    static func valuesEntry(_ index: Int) -> String { "code.\(index).values" }

    /// The kept column named `column` (as `orders` spells it), nil when it is not kept.
    static func read(_ db: Database, column: String, among names: [String]) throws -> Stored? {
        guard let i = names.firstIndex(of: column) else { return nil }
        let rows: [Int32] = try OrderSnapshot.array(db, rowsEntry(i))
        let packed: [UInt8] = try OrderSnapshot.array(db, valuesEntry(i))
        guard let kind = packed.first else { return nil }
        // After the kind, each value as a little-endian UInt32 length and its bytes.
        var values: [[UInt8]] = [[], []]
        var at = 1
        while at + 4 <= packed.count {
            let n = Int(packed[at]) | Int(packed[at + 1]) << 8 | Int(packed[at + 2]) << 16 | Int(packed[at + 3]) << 24
            guard at + 4 + n <= packed.count else { return nil }
            values.append(Array(packed[(at + 4)..<(at + 4 + n)]))
            at += 4 + n
        }
        var codes: [UInt8] = []
        let s = try db.prepare("SELECT data FROM \(OrderSnapshot.table) WHERE name = ?")
        var chunk = 0
        while true {
            s.reset()
            try s.bind([.text(chunkEntry(i, chunk))])
            guard try s.step() else { break }
            codes.append(contentsOf: s.bytes(at: 0))
            chunk += 1
        }
        return Stored(codes: codes, rows: rows, kind: kind, values: values)
    }

    /// `SELECT o.rowid − low, <columns> FROM orders AS o` for the rows at `rows` (rowid − `low`), a few
    /// hundred rows to a statement; `body` sees each row returned.
    static func select(_ db: Database, _ columns: SQLFragment, rows: [Int64], low: Int64, _ body: (Statement) throws -> Void) throws {
        let rows = rows.sorted()
        var from = 0
        while from < rows.count {
            let part = rows[from..<min(from + 500, rows.count)]
            let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
            let s = try db.prepare("SELECT o.rowid - ?, \(columns.sql) FROM orders AS o WHERE o.rowid IN (\(marks))")
            try s.bind([.integer(low)] + columns.bindings + part.map { .integer($0 + low) })
            while try s.step() { try body(s) }
            from += part.count
        }
    }

    /// The columns of `orders` a predicate compiled with alias `o` names (`o."column"`, its quotes
    /// doubled inside): the compiled predicate holds nothing else quoted, its literals being bound.
    static func columnsNamed(in sql: String) -> [String] {
        var names: [String] = []
        let b = Array(sql.utf8)
        var i = 0
        while i + 2 < b.count {
            let starts = b[i] == UInt8(ascii: "o") && b[i + 1] == UInt8(ascii: ".") && b[i + 2] == UInt8(ascii: "\"")
            let alone = i == 0 || !(b[i - 1] == UInt8(ascii: "_") || b[i - 1] == UInt8(ascii: "\"") || b[i - 1] >= 0x80
                                    || (b[i - 1] | 0x20 >= UInt8(ascii: "a") && b[i - 1] | 0x20 <= UInt8(ascii: "z"))
                                    || (b[i - 1] >= UInt8(ascii: "0") && b[i - 1] <= UInt8(ascii: "9")))
            guard starts && alone else { i += 1; continue }
            var j = i + 3, name: [UInt8] = []
            while j < b.count {
                if b[j] == UInt8(ascii: "\"") {
                    if j + 1 < b.count && b[j + 1] == UInt8(ascii: "\"") { name.append(b[j]); j += 2; continue }
                    break
                }
                name.append(b[j])
                j += 1
            }
            let text = String(decoding: name, as: UTF8.self)
            if !names.contains(text) { names.append(text) }
            i = j + 1
        }
        return names
    }

    /// Columns never coded: ids and times (a filter on dates is `from … to …`), which a column of few
    /// values would rarely be and would take rows to give up on.
    static let skipped: Set<String> = ["order_id", "customer_id", "ordered_at", "day"]

    /// A row's cells as `Collector` reads them: a load's converted row, or a stored row of `orders`.
    protocol Cells {
        /// 0: NULL, 1: text, 2: integer, 3: anything else (one call, where a statement's type costs one each).
        func kind(_ column: Int) -> UInt8
        /// A text cell's bytes.
        func bytes(_ column: Int) -> UnsafeRawBufferPointer
        /// An integer cell's value.
        func integerValue(_ column: Int) -> Int64
    }

    /// A stepped statement's row as cells.
    struct StatementRow: Cells {
        let s: Statement
        init(_ s: Statement) { self.s = s }
        @inline(__always) func kind(_ c: Int) -> UInt8 {
            switch s.storageClass(at: c) {
            case SQLITE_NULL: return 0
            case SQLITE_TEXT: return 1
            case SQLITE_INTEGER: return 2
            default: return 3
            }
        }
        @inline(__always) func bytes(_ c: Int) -> UnsafeRawBufferPointer { s.bytes(at: c) }
        @inline(__always) func integerValue(_ c: Int) -> Int64 { s.int64(at: c) }
    }

    /// Collects the codes of an orders load's rows (on the pipeline's observing thread, in row order),
    /// full chunks going to a scratch file so that a 10M-row load holds one chunk per column.
    final class Collector {
        /// One column: its values' codes in a small open-addressed table (a code is looked up for every
        /// row and column: a general hash map took about a tenth of a 1M-row load), its chunk of codes.
        /// Fixed buffers (`let` pointers), so that the per-row path has no exclusivity checks to pay.
        private final class Column {
            static let byteCapacity = 16_384
            let name: String
            let cell: Int
            /// [0] kind (0: no value yet, 1: texts, 2: integers), [1] codes given + 2 (the next code).
            let state = UnsafeMutablePointer<Int>.allocate(capacity: 2)
            /// Code by slot (0: empty), 512 slots for at most 254 values.
            let slots = UnsafeMutablePointer<UInt8>.allocate(capacity: 512)
            /// By code: the value's hash, its bytes' end in `bytes` (from the previous code's end), first row.
            let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)
            let ends = UnsafeMutablePointer<Int>.allocate(capacity: 256)
            let rows = UnsafeMutablePointer<Int32>.allocate(capacity: 256)
            /// The values' bytes end to end (a column whose values need more is not kept).
            let bytes = UnsafeMutableRawPointer.allocate(byteCount: byteCapacity, alignment: 8)
            let chunk: UnsafeMutablePointer<UInt8>
            var alive = true

            init(name: String, cell: Int, chunkRows: Int) {
                self.name = name
                self.cell = cell
                state[0] = 0
                state[1] = 2
                slots.initialize(repeating: 0, count: 512)
                ends.initialize(repeating: 0, count: 256)
                rows.initialize(repeating: -1, count: 256)
                chunk = .allocate(capacity: chunkRows)
            }

            deinit {
                state.deallocate(); slots.deallocate(); hashes.deallocate(); ends.deallocate(); rows.deallocate()
                bytes.deallocate(); chunk.deallocate()
            }

            /// The kind, then each value (from code 2) as a little-endian UInt32 length and its bytes.
            var packedValues: [UInt8] {
                var out: [UInt8] = [UInt8(truncatingIfNeeded: state[0])]
                for c in 2..<state[1] {
                    let n = ends[c] - ends[c - 1]
                    out += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24 & 0xFF)]
                    out += UnsafeRawBufferPointer(start: bytes + ends[c - 1], count: n)
                }
                return out
            }

            /// First row by code, −1 for none.
            var firstRows: [Int32] { Array(UnsafeBufferPointer(start: rows, count: state[1])) }

            /// Eight bytes at a time: the bytes hash of `TextNumbering`, one multiply per byte, was most of
            /// the cost on product names of 30–60 bytes.
            @inline(__always) static func hash(_ value: UnsafeRawBufferPointer) -> UInt64 {
                let n = value.count
                var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
                guard n > 0, let base = value.baseAddress else { return h }
                var i = 0, tail: UInt64 = 0, shift: UInt64 = 0
                while i + 8 <= n {
                    h = (h ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
                    h ^= h >> 32
                    i += 8
                }
                while i < n {
                    tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                    shift += 8
                    i += 1
                }
                h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
                return h ^ (h >> 29)
            }

            /// The code of a value's bytes (a text's, or an integer's eight), nil past `maxValues` values
            /// or `byteCapacity` bytes.
            @inline(__always) func code(of value: UnsafeRawBufferPointer, row r: Int) -> UInt8? {
                let h = Self.hash(value)
                var s = Int(truncatingIfNeeded: h) & 511
                while true {
                    let c = Int(slots[s])
                    if c == 0 { break }
                    if hashes[c] == h && ends[c] - ends[c - 1] == value.count
                        && (value.count == 0 || memcmp(bytes + ends[c - 1], value.baseAddress!, value.count) == 0) {
                        return UInt8(c)
                    }
                    s = (s + 1) & 511
                }
                let c = state[1]
                guard c - 2 < OrderCodes.maxValues, ends[c - 1] + value.count <= Self.byteCapacity else { return nil }
                if value.count > 0 { (bytes + ends[c - 1]).copyMemory(from: value.baseAddress!, byteCount: value.count) }
                ends[c] = ends[c - 1] + value.count
                hashes[c] = h
                rows[c] = Int32(r)
                slots[s] = UInt8(c)
                state[1] = c + 1
                return UInt8(c)
            }
        }

        private var columns: [Column]
        private var live: [Column]
        /// Rows to a chunk (`OrderCodes.chunkRows`; fewer in tests, to reach the scratch file).
        private let chunkRows: Int
        private var chunkStart = 0
        /// Rows of the current chunk filled (in every kept column).
        private var filled = 0
        private var scratch: BuildScratch?
        /// (chunk, column) of each chunk in the scratch file, in file order, `chunkRows` bytes each.
        private var spilled: [(chunk: Int, column: Int)] = []

        /// `names`: the columns in cell order; `skip`: cells not to code (the rowid). Ids and times
        /// (`skipped`) are not coded either.
        init(columns names: [String], skip: Set<Int>, chunkRows: Int = OrderCodes.chunkRows) {
            self.chunkRows = chunkRows
            columns = names.indices.filter { !skip.contains($0) && !names[$0].contains("\u{1F}") && !skipped.contains(names[$0].lowercased()) }
                .map { Column(name: names[$0], cell: $0, chunkRows: chunkRows) }
            live = columns
        }

        /// For a build that reads `orders` (`rebuild`, an appending load): a collector of the stored
        /// columns (ids and times left out), to be selected after the read's first `first` columns.
        static func reading(_ db: Database, after first: Int) throws -> (collector: Collector, select: String)? {
            let names = try db.columns(of: "orders").map(\.name).filter { !skipped.contains($0.lowercased()) }
            guard !names.isEmpty else { return nil }
            let collector = Collector(columns: Array(repeating: "", count: first) + names, skip: Set(0..<first))
            return (collector, names.map(quoteIdentifier).joined(separator: ", "))
        }

        /// The row at index `r` (rowid − the load's first rowid; increasing from call to call).
        func add<R: Cells>(_ row: R, at r: Int) {
            guard !live.isEmpty else { return }
            // Rows out of order (a read that took another path than the table's) keep no codes at all.
            guard r >= chunkStart + filled else { return dropAll() }
            while r >= chunkStart + chunkRows {
                guard flushChunk() else { return dropAll() }
            }
            let at = r - chunkStart
            if at > filled {
                for c in live { (c.chunk + filled).initialize(repeating: 0, count: at - filled) }
            }
            var dead = false
            for c in live {
                guard let code = code(row, c, r) else {
                    c.alive = false
                    dead = true
                    continue
                }
                c.chunk[at] = code
            }
            filled = at + 1
            if dead { live = live.filter(\.alive) }
        }

        @inline(__always) private func code<R: Cells>(_ row: R, _ c: Column, _ r: Int) -> UInt8? {
            switch row.kind(c.cell) {
            case 0:
                if c.rows[1] < 0 { c.rows[1] = Int32(r) }
                return 1
            case 1:
                guard c.state[0] != 2 else { return nil }
                c.state[0] = 1
                return c.code(of: row.bytes(c.cell), row: r)
            case 2:
                guard c.state[0] != 1 else { return nil }
                c.state[0] = 2
                var v = row.integerValue(c.cell)
                return withUnsafeBytes(of: &v) { c.code(of: $0, row: r) }
            default:
                return nil
            }
        }

        /// The current chunk of every kept column to the scratch file; false when it cannot be written.
        private func flushChunk() -> Bool {
            do {
                if scratch == nil { scratch = try BuildScratch(holding: "a byte per order and column with few values") }
                let chunk = chunkStart / chunkRows
                for (i, c) in columns.enumerated() where c.alive {
                    (c.chunk + filled).initialize(repeating: 0, count: chunkRows - filled)
                    try scratch!.write(UnsafeRawBufferPointer(start: c.chunk, count: chunkRows))
                    spilled.append((chunk, i))
                }
            } catch {
                return false
            }
            chunkStart += chunkRows
            filled = 0
            return true
        }

        private func dropAll() {
            for c in live { c.alive = false }
            live = []
        }

        /// Puts the kept columns' entries into the snapshot (inside the load's transaction).
        func write(to writer: SnapshotWriter) throws {
            let kept = columns.indices.filter { columns[$0].alive }
            guard !kept.isEmpty else { return }
            let index = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
            if let scratch, !spilled.isEmpty {
                try scratch.rewind()
                var buffer = [UInt8](repeating: 0, count: chunkRows)
                for (chunk, column) in spilled {
                    let got = try buffer.withUnsafeMutableBytes { try scratch.read(into: $0) }
                    guard got == chunkRows else { throw scratch.failure("read", EIO) }
                    if let i = index[column] { try writer.put(OrderCodes.chunkEntry(i, chunk), buffer) }
                }
            }
            let last = chunkStart / chunkRows
            for (i, c) in kept.enumerated() {
                try writer.put(OrderCodes.chunkEntry(i, last), Array(UnsafeBufferPointer(start: columns[c].chunk, count: filled)))
                try writer.put(OrderCodes.rowsEntry(i), columns[c].firstRows)
                try writer.put(OrderCodes.valuesEntry(i), columns[c].packedValues)
            }
            try writer.put("coded", text: kept.map { columns[$0].name }.joined(separator: "\u{1F}"))
        }
    }
}

extension LoadedRow: OrderCodes.Cells {
    @inline(__always) func kind(_ c: Int) -> UInt8 { isNull(c) ? 0 : isText(c) ? 1 : integer(c) != nil ? 2 : 3 }
    @inline(__always) func integerValue(_ c: Int) -> Int64 { integer(c) ?? 0 }
}
