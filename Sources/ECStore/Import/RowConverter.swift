/// Turns a record's fields into typed cells following the column plans.
///
/// Role fields are strict (an unreadable value is a bad row); inferred columns
/// widen instead (integer → real → text, date → timestamp → text) so no value
/// is ever lost or altered. The per-column rules are flattened into raw memory
/// of plain values: the loop over a million rows touches no strings or
/// reference counts.
final class RowConverter {
    /// One column's rules, trivially copyable.
    struct Spec {
        enum Source { case field, lineNumber, none, constant, dayOf, lineRowid }
        var source: Source
        var index: Int           // field index, or table column for dayOf
        var kind: FieldKind
        var strict: Bool         // a role field: no widening
        var required: Bool
        var lowercased: Bool
        var hasRange: Bool
        var low: Int64
        var high: Int64
        var isDate: Bool
        var rowidBase: Int64
        /// 0: no slash order known, 1: month first, 2: day first.
        var slashOrder: UInt8 = 0
        var sawTime = false
        var widenedAt = 0
        var widenedFrom: FieldKind = .text
        /// A money field's values read with a decimal point: those with exactly three digits after a lone
        /// `.` (`1.234`: maybe 1234), the others (`12.5`, `1,234.50`: the dot is a decimal point), and the
        /// line of the first of the former.
        var threeDecimals = 0
        var otherDecimals = 0
        var firstThreeLine = 0
        /// A `customer_id`: placeholders (`CustomerKeyPlaceholders`) are no customer.
        var customerKey = false
        /// A role's date whose header says its times are UTC (`Submit Date (UTC)`): a time without an offset is at +00:00.
        var utc = false
        /// Index in `writtenZones` of the zone the column's times are written in (`ColumnPlan.writtenZone`); -1: none.
        var writtenZone = -1
        /// A deduction (`Loader.deductionFields`): the signs of its values are counted (`DeductionSigns`).
        var watchesSign = false
        /// A deduction's non-zero values with the sign opposite to the row's amount (of them negative) and with
        /// its sign, and the line of the first of each (0: none yet); their text is in `signExamples`.
        var opposites = 0, negativeOpposites = 0, usuals = 0
        var firstOppositeLine = 0, firstUsualLine = 0
    }

    /// Per column, the first opposite and first usual value as written of a deduction (`Spec.opposites`,
    /// `Spec.usuals`: counted while the rows are read, so that the load need not scan its rows again; two scans took
    /// 0.4 s of a 1M load, `Loader.settleCostSigns`).
    private var signExamples: [(opposite: String?, usual: String?)]
    /// The deduction columns (`Spec.watchesSign`) read from a field (in raw memory: the per-row loop pays no
    /// reference counting or exclusivity checks), and the amount column read from a field (-1: none; a deduction
    /// is then judged against a positive amount).
    private let deductionColumns: UnsafeMutablePointer<Int>
    private let deductionCount: Int
    private let amountColumn: Int

    /// The customer-id placeholders met, by `CustomerKeyPlaceholders.words` index (read once the rows are converted).
    private(set) var placeholders: [Int: CustomerKeyPlaceholders.Seen] = [:]
    /// Customer id `0` is a customer, no placeholder (`with zero_is_customer true`).
    private let zeroIsCustomer: Bool

    /// The placeholders met, for the load's note; empty when none.
    var placeholdersSeen: [CustomerKeyPlaceholders.Seen] { placeholders.values.sorted { $0.line < $1.line } }
    /// The note when the system's zone, no zone being named, moved timestamps to another day (`ZoneConverter`).
    var zoneNote: String? { dates.zone?.implicitNote }

    private(set) var columns: [ColumnPlan]
    let width: Int
    private let specs: UnsafeMutablePointer<Spec>
    private let days: UnsafeMutablePointer<Int64>
    private let constants: [[UInt8]]
    let numbers: NumberReader
    let dates: DateReader
    let dateFormat: String?
    /// Presets check required fields after collapsing line items, not per row.
    let checkRequired: Bool
    /// No decimal mark was given: money fields' decimals are watched for `.` grouping thousands.
    let watchesDecimals: Bool
    /// Per column, the first value with three digits after a lone dot (`Spec.threeDecimals`).
    private var threeExamples: [String?]
    /// Totals rows, second headers, unanswered scores, `--` and labelled scores of ad, traffic and survey exports.
    let reportRows: ReportRows?
    /// The zones columns' times are written in (`Spec.writtenZone`), used only when a zone is set for the workspace.
    private let writtenZones: [ZoneConverter]

    init(columns: [ColumnPlan], options: LoadOptions, checkRequired: Bool = true, slashOrders: [Int: SlashOrder] = [:],
         role: DatasetRole? = nil, encoding: TextEncoding? = nil) {
        self.columns = columns
        reportRows = ReportRows(role: role, columns: columns)
        width = columns.count
        // A Shift_JIS file's yen sign is the byte that decodes to `\` (`\1,100`).
        numbers = NumberReader(decimal: options.decimal, backslashIsYen: encoding == .cp932)
        // The option was checked when the `with` clause was read; an unknown zone cannot reach here.
        dates = DateReader(format: options.dateFormat, zone: try? ZoneConverter(identifier: options.timezone))
        dateFormat = options.dateFormat
        self.checkRequired = checkRequired
        watchesDecimals = options.givenDecimal == nil
        zeroIsCustomer = options.zeroIsCustomer
        threeExamples = Array(repeating: nil, count: columns.count)
        signExamples = Array(repeating: (nil, nil), count: columns.count)
        specs = .allocate(capacity: max(1, width))
        days = .allocate(capacity: max(1, width))
        days.initialize(repeating: Int64.min, count: max(1, width))
        var constants: [[UInt8]] = []
        var writtenZones: [ZoneConverter] = []
        let zoneSet = options.timezone.map { !$0.isEmpty } ?? false
        for (k, c) in columns.enumerated() {
            var source = Spec.Source.none
            var index = 0
            var rowidBase: Int64 = 0
            switch c.source {
            case .field(let i): source = .field; index = i
            case .lineNumber: source = .lineNumber
            case .none: source = .none
            case .constant(let text): source = .constant; index = constants.count; constants.append(Array(text.utf8))
            case .dayOf(let i): source = .dayOf; index = i
            case .lineRowid(let base): source = .lineRowid; rowidBase = base
            }
            let canonical = c.canonical
            specs.advanced(by: k).initialize(to: Spec(
                source: source, index: index, kind: canonical?.kind ?? c.kind, strict: canonical != nil,
                required: checkRequired && canonical?.required == true, lowercased: canonical?.lowercased == true,
                hasRange: canonical?.range != nil, low: canonical?.range?.lowerBound ?? 0,
                high: canonical?.range?.upperBound ?? 0, isDate: canonical?.isDate == true, rowidBase: rowidBase,
                slashOrder: source == .field ? (slashOrders[index].map { $0 == .monthFirst ? 1 : 2 } ?? 0) : 0,
                customerKey: canonical?.name == "customer_id",
                utc: canonical?.isDate == true && c.header.map(HeaderAliases.saysUTC) == true,
                watchesSign: canonical.map { Loader.deductionFields.contains($0.name) } ?? false))
            if zoneSet, canonical?.isDate == true, let zone = c.writtenZone.flatMap({ try? ZoneConverter(identifier: $0) }) {
                specs[k].writtenZone = writtenZones.count
                writtenZones.append(zone)
            }
        }
        self.constants = constants
        self.writtenZones = writtenZones
        let specs = self.specs
        let deductions = (0..<columns.count).filter { specs[$0].watchesSign && specs[$0].source == .field }
        deductionCount = deductions.count
        deductionColumns = .allocate(capacity: max(1, deductions.count))
        deductionColumns.initialize(from: deductions, count: deductions.count)
        amountColumn = (0..<columns.count).first { columns[$0].canonical?.name == "amount" && specs[$0].source == .field } ?? -1
    }

    deinit {
        specs.deallocate()
        days.deallocate()
        deductionColumns.deallocate()
    }

    /// The column plans with what the load learned (widened types, seen times).
    func finishedColumns() -> [ColumnPlan] {
        var out = columns
        for k in 0..<width {
            let s = specs[k]
            if s.strict {
                out[k].sawTime = s.sawTime
            } else if s.widenedAt > 0 {
                out[k].kind = s.kind
                out[k].widenedAt = s.widenedAt
                out[k].widenedFrom = s.widenedFrom
            }
        }
        return out
    }

    /// Converts the reader's current record into row `r` of `batch`; returns what is wrong with it, if anything.
    func convert(_ reader: CSVReader, line: Int, into batch: RowBatch, row r: Int) -> RowProblem? {
        let cells = batch.cells + r * width
        for k in 0..<width {
            let spec = specs + k
            switch spec.pointee.source {
            case .none:
                cells[k] = .null
            case .constant:
                // The buffer is valid only inside the closure, so the copy happens there.
                cells[k] = constants[spec.pointee.index].withUnsafeBufferPointer { store($0, batch) }
            case .lineNumber:
                var text = String(line)
                cells[k] = text.withUTF8 { store($0, batch) }
            case .lineRowid:
                cells[k] = .integer(spec.pointee.rowidBase + Int64(line))
            case .dayOf:
                let d = days[spec.pointee.index]
                cells[k] = d == Int64.min ? .null : .integer(d)
            case .field:
                let raw = reader.field(spec.pointee.index)
                if var problem = convertField(spec, k, raw, cells + k, batch, line) {
                    problem.isNoData = reportRows?.isNoData(reader, line: line, numbers: numbers, dates: dates) == true
                    problem.isHeldSummary = problem.isNoData && reportRows?.leading?.line == line
                    if !problem.isNoData, let help = reportRows?.helpForMissingDate(problem) { problem.help = help }
                    return problem
                }
            }
        }
        reportRows?.loaded(reader, numbers: numbers)
        if deductionCount > 0 { countDeductionSigns(reader, cells, line) }
        return nil
    }

    private func writtenField(_ reader: CSVReader, _ k: Int) -> String {
        String(decoding: Trim.blanks(reader.field(specs[k].index)), as: UTF8.self)
    }

    /// A converted row's deductions judged against its amount: the same sign as the amount (or a positive value
    /// where the amount is zero or empty) is a deduction as usual, the opposite sign one written negative (a
    /// refund row's `-1000, -100` is usual; `1000, -100` and `-1000, 100` are not).
    @inline(__always)
    private func countDeductionSigns(_ reader: CSVReader, _ cells: UnsafeMutablePointer<Cell>, _ line: Int) {
        var amount = 0.0
        if amountColumn >= 0 {
            switch cells[amountColumn] {
            case .real(let d): amount = d
            case .integer(let v): amount = Double(v)
            default: break
            }
        }
        for j in 0..<deductionCount {
            let k = deductionColumns[j]
            let value: Double
            switch cells[k] {
            case .real(let d): value = d
            case .integer(let v): value = Double(v)
            default: continue
            }
            guard value != 0 else { continue }
            let spec = specs + k
            // The value as written only for the first of each kind.
            if amount < 0 ? value > 0 : value < 0 {
                spec.pointee.opposites += 1
                if value < 0 { spec.pointee.negativeOpposites += 1 }
                if spec.pointee.firstOppositeLine == 0 {
                    spec.pointee.firstOppositeLine = line
                    signExamples[k].opposite = writtenField(reader, k)
                }
            } else {
                spec.pointee.usuals += 1
                if spec.pointee.firstUsualLine == 0 {
                    spec.pointee.firstUsualLine = line
                    signExamples[k].usual = writtenField(reader, k)
                }
            }
        }
    }

    @inline(__always)
    /// `lowercase`: ASCII letters lower-cased and full-width ASCII (U+FF01–FF5E: `ＡＭＡＺＯＮ`, `ｒａｋｕｔｅｎ`, typed in
    /// Japanese exports) folded to ASCII first, so a channel matches across files whatever width it was typed in
    /// (a spend file's `ｒａｋｕｔｅｎ` put rakuten's spend in a channel of its own: its CAC ¥5,000 for ¥9,000).
    private func store(_ b: UnsafeBufferPointer<UInt8>, _ batch: RowBatch, lowercase: Bool = false) -> Cell {
        let arena = batch.text
        arena.pointee.reserve(b.count)
        let start = arena.pointee.count
        var count = b.count
        if let p = b.baseAddress, b.count > 0 {
            let dest = arena.pointee.bytes + start
            if lowercase {
                var i = 0, j = 0
                while i < b.count {
                    var c = p[i]
                    if c == 0xEF, i + 2 < b.count, let ascii = Self.fullWidthASCII(p[i + 1], p[i + 2]) {
                        c = ascii
                        i += 2
                    }
                    dest[j] = c >= 65 && c <= 90 ? c + 32 : c
                    i += 1
                    j += 1
                }
                count = j
            } else {
                dest.update(from: p, count: b.count)
            }
        }
        arena.pointee.count = start + count
        return .text(start: start, count: count)
    }

    /// The ASCII character of a full-width form U+FF01–FF5E from its last two UTF-8 bytes (after 0xEF), or nil.
    @inline(__always)
    static func fullWidthASCII(_ b1: UInt8, _ b2: UInt8) -> UInt8? {
        if b1 == 0xBC, b2 >= 0x81, b2 <= 0xBF { return b2 - 0x60 }  // U+FF01 ！ … U+FF3F ＿
        if b1 == 0xBD, b2 >= 0x80, b2 <= 0x9E { return b2 - 0x20 }  // U+FF40 ｀ … U+FF5E ～
        return nil
    }

    @inline(__always)
    private func storeDate(_ dt: LocalDateTime, _ batch: RowBatch) -> Cell {
        let arena = batch.text
        arena.pointee.reserve(19)
        let start = arena.pointee.count
        let n = dt.write(to: arena.pointee.bytes + start)
        arena.pointee.count = start + n
        return .text(start: start, count: n)
    }

    /// The way out of an NPS score that is no score (`7.5`, `N/A`).
    static let scoreHelp = "an NPS score is a whole number from 0 to 10 (`10 - Extremely likely`, `10点`, `10/10` and `１０` are read); "
        + "an empty score is an unanswered question, left out; with on_error skip leaves such rows out (to ecsh_rejects)"

    /// The way out of a score of 11: the survey numbered its 11 choices 1–11, so every score is one too high.
    static let elevenHelp = "a survey that numbers the 11 choices of the 0–10 question 1 to 11 writes 11 for 10, and every other "
        + "score one too high: export the answers as the choices' text (0–10) and load that; on_error skip would leave out the 10s"

    private func problem(_ k: Int, _ raw: UnsafeBufferPointer<UInt8>, _ reason: String, help: String? = nil) -> RowProblem {
        let fieldIndex = specs[k].index
        return RowProblem(column: fieldIndex + 1, field: columns[k].header ?? columns[k].name,
                          raw: String(decoding: raw, as: UTF8.self), reason: reason, help: help)
    }

    private func convertField(_ spec: UnsafeMutablePointer<Spec>, _ k: Int, _ raw: UnsafeBufferPointer<UInt8>,
                              _ cell: UnsafeMutablePointer<Cell>, _ batch: RowBatch, _ line: Int) -> RowProblem? {
        let b = Trim.blanks(raw)
        days[k] = Int64.min
        if b.isEmpty {
            cell.pointee = .null
            if spec.pointee.required {
                return problem(k, raw, "is empty, but \(columns[k].name) is required")
            }
            return nil
        }
        if spec.pointee.customerKey, let p = CustomerKeyPlaceholders.index(of: b), !(zeroIsCustomer && p == CustomerKeyPlaceholders.zero) {
            cell.pointee = .null
            if placeholders[p] == nil {
                placeholders[p] = .init(written: String(decoding: b, as: UTF8.self), line: line, count: 0)
            }
            placeholders[p]!.count += 1
            if spec.pointee.required {
                return problem(k, raw, "is '\(String(decoding: b, as: UTF8.self))', a placeholder for no customer, but \(columns[k].name) is required",
                               help: "with on_error skip leaves such rows out (to ecsh_rejects); the placeholders are listed under `load` in docs/language.md")
            }
            return nil
        }
        if spec.pointee.strict { return convertCanonical(spec, k, b, raw, cell, batch, line) }
        // An inferred column: widen rather than reject.
        while true {
            switch spec.pointee.kind {
            case .integer:
                switch numbers.parse(b) {
                case .integer(let v)?: cell.pointee = .integer(v); return nil
                case .real?: widen(spec, to: .real, line: line)
                default: widen(spec, to: .text, line: line)
                }
            case .real:
                switch numbers.parse(b) {
                case .integer(let v)?, .zeroPadded(let v)?: cell.pointee = .real(Double(v)); return nil
                case .real(let d)?: cell.pointee = .real(d); return nil
                case nil: widen(spec, to: .text, line: line)
                }
            case .date, .timestamp:
                if var dt = dates.parse(b, order: Self.order(spec.pointee.slashOrder)) {
                    if dt.hasTime && spec.pointee.kind == .date { widen(spec, to: .timestamp, line: line) }
                    if spec.pointee.kind == .timestamp { dt.hasTime = true }
                    cell.pointee = storeDate(dt, batch)
                    return nil
                }
                widen(spec, to: .text, line: line)
            case .text:
                cell.pointee = store(raw, batch)
                return nil
            }
        }
    }

    /// Counts a money value read with a decimal point: three digits after a lone `.` and no `,`, or not.
    private func watchDecimals(_ spec: UnsafeMutablePointer<Spec>, _ k: Int, _ b: UnsafeBufferPointer<UInt8>, _ line: Int) {
        if RowConverter.hasThreeDigitsAfterLoneDot(b) {
            spec.pointee.threeDecimals += 1
            if spec.pointee.firstThreeLine == 0 {
                spec.pointee.firstThreeLine = line
                threeExamples[k] = String(decoding: b, as: UTF8.self)
            }
        } else {
            spec.pointee.otherDecimals += 1
        }
    }

    /// `1.234`, `¥12.500`, `-1.000円`: one `.`, exactly three digits after it, no `,` and no exponent, and before
    /// it one to three digits not starting with 0 (a thousands group could lead so). `1200.000`, `1234.567` and
    /// `0.500` cannot be dot-grouped thousands (1.200.000 would group 1,200,000; 0.500 is no number of thousands):
    /// the dot in them is plainly a decimal point.
    static func hasThreeDigitsAfterLoneDot(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var dot = -1
        for (i, c) in b.enumerated() {
            if c == 44 || c == 101 || c == 69 { return false }
            if c == 46 {
                if dot >= 0 { return false }
                dot = i
            }
        }
        guard dot >= 0 else { return false }
        var lead = dot
        while lead > 0 && b[lead - 1] >= 48 && b[lead - 1] <= 57 { lead -= 1 }
        let group = dot - lead
        guard group >= 1 && group <= 3 && b[lead] != 48 else { return false }
        var digits = 0
        var i = dot + 1
        while i < b.count && b[i] >= 48 && b[i] <= 57 { digits += 1; i += 1 }
        return digits == 3
    }

    /// A money field all of whose decimals have three digits after a lone dot (`1.234`, `12.500`), where that
    /// likely means thousands: the currency has no minor unit, or the file is European (`;`-separated,
    /// `D.M.YYYY` dates). Read as decimals, ¥1,234 would be ¥1.234: the load asks which instead.
    func ambiguousDecimals(file: String, options: LoadOptions, plan: FilePlan) -> LoadError? {
        guard watchesDecimals else { return nil }
        var why: [String] = []
        if options.currencyDecimals == 0 { why.append("the workspace's currency has no minor unit") }
        if case .byte(59) = plan.delimiter { why.append("the file is ';'-separated") }
        if plan.dayDotMonthDates { why.append("its dates are written day.month.year") }
        guard !why.isEmpty else { return nil }
        for k in 0..<width where specs[k].strict && specs[k].kind == .real {
            let s = specs[k]
            guard s.threeDecimals > 0 && s.otherDecimals == 0, let example = threeExamples[k] else { continue }
            let n = s.threeDecimals
            return LoadError(file: file, line: s.firstThreeLine, column: s.index + 1, field: columns[k].header ?? columns[k].name,
                             rawValue: example,
                             reason: "could be a number with '.' grouping thousands or with a decimal point: \(n == 1 ? "the one value" : "all \(LoadSummary.grouped(n)) values") "
                                 + "of \(columns[k].name) with a '.' \(n == 1 ? "has" : "have") three digits after it, and \(why.count > 1 ? why.dropLast().joined(separator: ", ") + " and " + why.last! : why[0])",
                             help: "say which: with decimal ',' ('.' groups thousands: 1.234 is 1234) or with decimal '.' (1.234 is one and 234 thousandths)")
        }
        return nil
    }

    /// The signs counted for the column named `name` (nil: not a deduction this load reads).
    func deductionSigns(of name: String) -> DeductionSigns? {
        guard let k = columns.firstIndex(where: { $0.name == name }), specs[k].watchesSign else { return nil }
        let spec = specs[k]
        var signs = DeductionSigns()
        signs.opposites = spec.opposites
        signs.negativeOpposites = spec.negativeOpposites
        signs.usuals = spec.usuals
        if spec.firstOppositeLine > 0 { signs.firstOpposite = (spec.firstOppositeLine, signExamples[k].opposite ?? "") }
        if spec.firstUsualLine > 0 { signs.firstUsual = (spec.firstUsualLine, signExamples[k].usual ?? "") }
        return signs
    }

    @inline(__always)
    private static func order(_ code: UInt8) -> SlashOrder? {
        code == 1 ? .monthFirst : code == 2 ? .dayFirst : nil
    }

    private func widen(_ spec: UnsafeMutablePointer<Spec>, to kind: FieldKind, line: Int) {
        if spec.pointee.widenedAt == 0 {
            spec.pointee.widenedAt = line
            spec.pointee.widenedFrom = spec.pointee.kind
        }
        spec.pointee.kind = kind
    }

    private func convertCanonical(_ spec: UnsafeMutablePointer<Spec>, _ k: Int, _ b: UnsafeBufferPointer<UInt8>,
                                  _ raw: UnsafeBufferPointer<UInt8>, _ cell: UnsafeMutablePointer<Cell>,
                                  _ batch: RowBatch, _ line: Int) -> RowProblem? {
        switch spec.pointee.kind {
        case .integer:
            let value: Int64
            switch numbers.parse(b) {
            case .integer(let v)?, .zeroPadded(let v)?: value = v
            case .real(let d)? where d.rounded() == d && abs(d) < 9e18: value = Int64(d)
            case .real? where spec.pointee.hasRange:
                return problem(k, raw, "is not a whole number (an NPS score is one of 0, 1, …, 10)", help: Self.scoreHelp)
            case .real?: return problem(k, raw, "is not a whole number (\(columns[k].name) counts things)")
            case nil:
                // An NPS score with its label (`10 - Extremely likely`) or in full-width digits (`１０`);
                // `--` for none in an ad or traffic report.
                let score = spec.pointee.hasRange
                if let reportRows, score, let v = ReportRows.wideScore(b) {
                    reportRows.note(.wideScores, line: line, text: String(decoding: b, as: UTF8.self))
                    value = v
                } else if let reportRows, let v = score ? ReportRows.labelledScore(b) : ReportRows.dash(b) {
                    reportRows.note(score ? .labelledScores : .dashes, line: line, text: String(decoding: b, as: UTF8.self))
                    value = v
                } else {
                    return problem(k, raw, "is not a number",
                                   help: score ? ReportRows.scoreFormHelp(String(decoding: b, as: UTF8.self)) ?? Self.scoreHelp : nil)
                }
            }
            if spec.pointee.hasRange && (value < spec.pointee.low || value > spec.pointee.high) {
                // An 11 where scores end at 10 is a 10 numbered 1–11: skipping those rows would drop the promoters.
                let shifted = spec.pointee.high == 10 && value == 11
                return problem(k, raw, "is outside \(spec.pointee.low)..\(spec.pointee.high) (\(columns[k].name))",
                               help: shifted ? Self.elevenHelp : "with on_error skip leaves such rows out (to ecsh_rejects)")
            }
            cell.pointee = .integer(value)
        case .real:
            switch numbers.parse(b) {
            case .integer(let v)?, .zeroPadded(let v)?:
                cell.pointee = .real(Double(v))
            case .real(let d)?:
                cell.pointee = .real(d)
                if watchesDecimals { watchDecimals(spec, k, b, line) }
            case nil:
                if let reportRows, ReportRows.dash(b) != nil {
                    reportRows.note(.dashes, line: line, text: "--")
                    cell.pointee = .real(0)
                    return nil
                }
                // The decimal-comma hint only where a comma could be the decimal mark: not beside a form the
                // reader refuses for its own reason (`1,000-`, `▲-1,000`, `1.2万`), whose help the load adds.
                let text = String(decoding: b, as: UTF8.self)
                let hint = numbers.decimalMark == 46 && b.contains(44) && NumberReader.refusalHelp(text, encoding: .utf8) == nil
                    ? " (if ',' is the decimal mark: with decimal ',')" : ""
                return problem(k, raw, "is not a number\(hint)")
            }
        case .date, .timestamp:
            guard var dt = dates.parse(b, order: Self.order(spec.pointee.slashOrder)) else {
                return problem(k, raw, "is not a date",
                               help: dateFormat == nil
                                   ? "write dates like 2024-03-05 or 2024/03/05 14:22, or give the form: with date_format '%d/%m/%Y'"
                                   : "the date_format '\(dateFormat!)' does not match it")
            }
            if dt.hasTime { spec.pointee.sawTime = true }
            if spec.pointee.utc && dt.hasTime && dt.offsetMinutes == nil, let zone = dates.zone {
                dt = zone.convert(dt, offsetMinutes: 0)
            } else if spec.pointee.writtenZone >= 0 && dt.hasTime && dt.offsetMinutes == nil, let zone = dates.zone {
                dt = zone.convert(dt, offsetMinutes: writtenZones[spec.pointee.writtenZone].offsetMinutes(ofLocal: dt))
            }
            days[k] = dt.dayNumber
            cell.pointee = storeDate(dt, batch)
        case .text:
            // An e-mail address as a customer id is kept in lower case, in every dataset: the presets make their
            // e-mail keys so (`PresetColumns.emailKey`), and `Taro@Example.jp` in a customers or NPS file must
            // find the orders of `taro@example.jp` (it matched no order, silently: the QA probe's Tokyo segment).
            let email = spec.pointee.customerKey && b.contains(64)
            cell.pointee = store(b, batch, lowercase: spec.pointee.lowercased || email)
        }
        return nil
    }
}

/// The non-zero values of a deduction column read by a load, judged against their row's amount: how many have the
/// amount's sign (`usual`: a positive amount and a positive discount, a refund's negative amount and negative
/// discount; a positive value where the amount is zero or empty) and how many the opposite sign (`opposite`: written
/// with a minus sign, or a refund's positive discount), how many of the latter are negative, and the first of each
/// kind (its line and the value as written), for `Loader.settleCostSigns`.
struct DeductionSigns {
    var opposites = 0, usuals = 0
    var negativeOpposites = 0
    var firstOpposite: (line: Int, written: String)?
    var firstUsual: (line: Int, written: String)?
}
