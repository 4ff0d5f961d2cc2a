/// Why one record cannot be loaded.
struct RowProblem: Error {
    var column: Int?
    var field: String?
    var raw: String?
    var reason: String
    var help: String?
}

/// One converted value, ready to bind; text lives in the converter's arena.
enum Cell {
    case null
    case integer(Int64)
    case real(Double)
    case text(start: Int, count: Int)
}

/// Turns a record's fields into typed cells following the column plans.
///
/// Role fields are strict (an unreadable value is a bad row); inferred columns
/// widen instead (integer → real → text, date → timestamp → text) so no value
/// is ever lost or altered.
final class RowConverter {
    var columns: [ColumnPlan]
    private(set) var cells: [Cell]
    private(set) var arena: [UInt8] = []
    let numbers: NumberReader
    let dates: DateReader
    let dateFormat: String?
    /// Presets check required fields after collapsing line items, not per row.
    var checkRequired = true
    private var days: [Int64?]

    init(columns: [ColumnPlan], options: LoadOptions) {
        self.columns = columns
        cells = Array(repeating: .null, count: columns.count)
        days = Array(repeating: nil, count: columns.count)
        numbers = NumberReader(decimal: options.decimal)
        dates = DateReader(format: options.dateFormat)
        dateFormat = options.dateFormat
        arena.reserveCapacity(4096)
    }

    @inline(__always)
    private func store(_ b: UnsafeBufferPointer<UInt8>) -> Cell {
        let start = arena.count
        arena.append(contentsOf: b)
        return .text(start: start, count: b.count)
    }

    private func storeLowercased(_ b: UnsafeBufferPointer<UInt8>) -> Cell {
        let start = arena.count
        for c in b { arena.append(c >= 65 && c <= 90 ? c + 32 : c) }
        return .text(start: start, count: b.count)
    }

    private func storeDate(_ dt: LocalDateTime) -> Cell {
        let start = arena.count
        arena.append(contentsOf: repeatElement(0, count: 19))
        let n = arena.withUnsafeMutableBufferPointer { dt.write(to: $0.baseAddress! + start) }
        arena.removeLast(19 - n)
        return .text(start: start, count: n)
    }

    /// Fills `cells` from the reader's current record; returns what is wrong with it, if anything.
    func convert(_ reader: CSVReader, line: Int) -> RowProblem? {
        arena.removeAll(keepingCapacity: true)
        for k in columns.indices {
            switch columns[k].source {
            case .none:
                cells[k] = .null
            case .constant(let text):
                var t = text
                cells[k] = t.withUTF8 { store($0) }
            case .lineNumber:
                var t = String(line)
                cells[k] = t.withUTF8 { store($0) }
            case .dayOf(let i):
                cells[k] = days[i].map { .integer($0) } ?? .null
            case .field(let i):
                let raw = reader.field(i)
                if let problem = convertField(k, raw, fieldIndex: i, line: line) { return problem }
            }
        }
        return nil
    }

    private func problem(_ k: Int, _ raw: UnsafeBufferPointer<UInt8>, _ fieldIndex: Int, _ reason: String, help: String? = nil) -> RowProblem {
        RowProblem(column: fieldIndex + 1, field: columns[k].header ?? columns[k].name,
                   raw: String(decoding: raw, as: UTF8.self), reason: reason, help: help)
    }

    private func convertField(_ k: Int, _ raw: UnsafeBufferPointer<UInt8>, fieldIndex: Int, line: Int) -> RowProblem? {
        let b = Trim.blanks(raw)
        days[k] = nil
        if b.isEmpty {
            cells[k] = .null
            if checkRequired, let c = columns[k].canonical, c.required {
                return problem(k, raw, fieldIndex, "is empty, but \(c.name) is required")
            }
            return nil
        }
        if let canonical = columns[k].canonical {
            return convertCanonical(k, canonical, b, raw, fieldIndex)
        }
        // An inferred column: widen rather than reject.
        while true {
            switch columns[k].kind {
            case .integer:
                switch numbers.parse(b) {
                case .integer(let v)?: cells[k] = .integer(v); return nil
                case .real?: widen(k, to: .real, line: line)
                default: widen(k, to: .text, line: line)
                }
            case .real:
                switch numbers.parse(b) {
                case .integer(let v)?, .zeroPadded(let v)?: cells[k] = .real(Double(v)); return nil
                case .real(let d)?: cells[k] = .real(d); return nil
                case nil: widen(k, to: .text, line: line)
                }
            case .date, .timestamp:
                if var dt = dates.parse(b) {
                    if dt.hasTime && columns[k].kind == .date { widen(k, to: .timestamp, line: line) }
                    if columns[k].kind == .timestamp { dt.hasTime = true }
                    cells[k] = storeDate(dt)
                    return nil
                }
                widen(k, to: .text, line: line)
            case .text:
                cells[k] = store(raw)
                return nil
            }
        }
    }

    private func widen(_ k: Int, to kind: FieldKind, line: Int) {
        if columns[k].widenedAt == nil {
            columns[k].widenedAt = line
            columns[k].widenedFrom = columns[k].kind
        }
        columns[k].kind = kind
    }

    private func convertCanonical(_ k: Int, _ c: CanonicalField, _ b: UnsafeBufferPointer<UInt8>,
                                  _ raw: UnsafeBufferPointer<UInt8>, _ fieldIndex: Int) -> RowProblem? {
        switch c.kind {
        case .integer:
            let value: Int64
            switch numbers.parse(b) {
            case .integer(let v)?, .zeroPadded(let v)?: value = v
            case .real(let d)? where d.rounded() == d && abs(d) < 9e18: value = Int64(d)
            case .real?: return problem(k, raw, fieldIndex, "is not a whole number (\(c.name) counts things)")
            case nil: return problem(k, raw, fieldIndex, "is not a number")
            }
            if let range = c.range, !range.contains(value) {
                return problem(k, raw, fieldIndex, "is outside \(range.lowerBound)..\(range.upperBound) (\(c.name))")
            }
            cells[k] = .integer(value)
        case .real:
            switch numbers.parse(b) {
            case .integer(let v)?, .zeroPadded(let v)?: cells[k] = .real(Double(v))
            case .real(let d)?: cells[k] = .real(d)
            case nil:
                let hint = numbers.decimalMark == 46 ? " (if ',' is the decimal mark: with decimal ',')" : ""
                return problem(k, raw, fieldIndex, "is not a number\(hint)")
            }
        case .date, .timestamp:
            guard let dt = dates.parse(b) else {
                return problem(k, raw, fieldIndex, "is not a date",
                               help: dateFormat == nil
                                   ? "write dates like 2024-03-05 or 2024/03/05 14:22, or give the form: with date_format '%d/%m/%Y'"
                                   : "the date_format '\(dateFormat!)' does not match it")
            }
            if dt.hasTime { columns[k].sawTime = true }
            days[k] = dt.dayNumber
            cells[k] = storeDate(dt)
        case .text:
            cells[k] = c.lowercased ? storeLowercased(b) : store(b)
        }
        return nil
    }

    /// Binds the cells to parameters `offset+1 ... offset+n`.
    func bind(to statement: Statement, offset: Int32) {
        arena.withUnsafeBufferPointer { bytes in
            for k in cells.indices {
                let index = offset + Int32(k) + 1
                switch cells[k] {
                case .null: statement.bindNull(at: index)
                case .integer(let v): statement.bind(int64: v, at: index)
                case .real(let d): statement.bind(double: d, at: index)
                case .text(let start, let count):
                    statement.bind(utf8: UnsafeBufferPointer(rebasing: bytes[start..<start + count]), at: index)
                }
            }
        }
    }

    /// The cells as values (for presets, which merge rows before inserting).
    func values() -> [Value] {
        cells.map { cell in
            switch cell {
            case .null: return .null
            case .integer(let v): return .integer(v)
            case .real(let d): return .real(d)
            case .text(let start, let count): return .text(String(decoding: arena[start..<start + count], as: UTF8.self))
            }
        }
    }
}
