/// How one table column gets its value from each record.
struct ColumnPlan {
    enum Source: Equatable {
        /// Field `i` of the record.
        case field(Int)
        /// The record's line number (`map order_id = "#line"`, for files without ids).
        case lineNumber
        /// Not in the file: NULL.
        case none
        /// The same text on every row (a preset's channel).
        case constant(String)
        /// Days since 1970-01-01 of the date in column `i` of the table.
        case dayOf(Int)
        /// `base` + the record's line, as an integer (the row's rowid: the load finds file lines by it).
        case lineRowid(base: Int64)
    }

    var name: String
    var source: Source
    /// The header the values come from; nil when not in the file.
    var header: String?
    /// The type now: for inferred columns it widens as later rows need (integer → real → text).
    var kind: FieldKind
    /// The type the table was created with.
    var declaredKind: FieldKind
    /// The role field this column is, if any: its type is fixed and bad values are bad rows.
    var canonical: CanonicalField?
    /// A canonical date field saw a time of day (so it is a timestamp, not a date).
    var sawTime = false
    /// Line where an inferred column first needed a wider type.
    var widenedAt: Int?
    var widenedFrom: FieldKind?
    /// The amount read from a unit price: multiplied by the row's quantity once the rows are in (`Loader.roleColumns`).
    var timesQuantity = false
    /// What the loader decided about this column that the user should hear (which header became `amount`).
    var note: String?
    /// The zone the column's times are written in, from the file itself (Qualtrics' ImportId row:
    /// `{"ImportId":"recordedDate","timeZone":"America/Denver"}`); moved into the workspace's zone when one is set.
    var writtenZone: String?
    /// The first sampled value written as a number in parentheses (`(2)`) and its line (`KindGuess.bracketed`).
    var firstBracketed: (text: String, line: Int)?

    init(name: String, source: Source, header: String?, kind: FieldKind, canonical: CanonicalField? = nil) {
        self.name = name
        self.source = source
        self.header = header
        self.kind = kind
        self.declaredKind = kind
        self.canonical = canonical
    }

    /// The type `ecsh_fields` records.
    var recordedKind: FieldKind {
        if let canonical, canonical.isDate { return sawTime ? .timestamp : .date }
        return kind
    }
}

/// Guesses a column's type from sample values: the narrowest that reads them all.
struct KindGuess {
    private var nonEmpty = 0
    private var allInteger = true
    private var allNumber = true
    private var allDate = true
    private var allDateOrTime = true
    private var sawTime = false
    /// `A/B/YYYY` values seen: how many only day-first reads, only month-first reads, either reads.
    private(set) var slashDayFirst = 0
    private(set) var slashMonthFirst = 0
    private(set) var slashAmbiguous = 0
    /// The first ambiguous slash date in the file and its line (for the error asking for date_format).
    private(set) var firstAmbiguous: String?
    private(set) var firstAmbiguousLine: Int?
    /// Dates written `D.M.YYYY` seen (a European file: `.` may group thousands in its numbers).
    private(set) var dayDotMonth = false

    /// Values that read as a number only in parentheses, `(12)`: accounting's negative, or a code or a note in
    /// brackets. How many, and the first with its line.
    private(set) var bracketed = 0
    private(set) var firstBracketed: (text: String, line: Int)?
    /// Every value is a number in parentheses: no accounting column writes only negatives that way beside no
    /// positive, so the column is read as text (`(03)`, `(12)` kept as written), not as negatives.
    var allBracketed: Bool { nonEmpty > 0 && bracketed == nonEmpty && (allInteger || allNumber) }

    /// The order the column's slash dates are in: nil when no value decides (or none is a slash date).
    var slashOrder: SlashOrder? {
        if slashDayFirst > 0 && slashMonthFirst == 0 { return .dayFirst }
        if slashMonthFirst > 0 && slashDayFirst == 0 { return .monthFirst }
        return nil
    }

    /// Slash dates seen, and none decides the order.
    var slashUndecided: Bool { slashAmbiguous > 0 && slashDayFirst == 0 && slashMonthFirst == 0 }

    /// Takes the slash-date evidence of another pass over the same column.
    mutating func addSlashEvidence(dayFirst: Int, monthFirst: Int) {
        slashDayFirst += dayFirst
        slashMonthFirst += monthFirst
    }

    /// `line`: where the value is (the first record, when not a header, is observed after the others).
    mutating func observe(_ b: UnsafeBufferPointer<UInt8>, line: Int, numbers: NumberReader, dates: DateReader) {
        if Trim.blanks(b).isEmpty { return }
        nonEmpty += 1
        if allInteger || allNumber || bracketed > 0 {
            let parsed = numbers.parse(b)
            switch parsed {
            case .integer: break
            case .real: allInteger = false
            case .zeroPadded, nil: allInteger = false; allNumber = false
            }
            if parsed != nil, KindGuess.inParentheses(Trim.blanks(b)) {
                bracketed += 1
                if firstBracketed.map({ line < $0.line }) ?? true { firstBracketed = (String(decoding: Trim.blanks(b), as: UTF8.self), line) }
            }
        }
        if allDateOrTime {
            if let dt = dates.parse(b) {
                if dt.hasTime { sawTime = true; allDate = false }
                if dt.dayDotMonth { dayDotMonth = true }
                switch dt.slashEvidence {
                case .none: break
                case .dayFirst: slashDayFirst += 1
                case .monthFirst: slashMonthFirst += 1
                case .ambiguous:
                    slashAmbiguous += 1
                    if firstAmbiguousLine.map({ line < $0 }) ?? true {
                        firstAmbiguous = String(decoding: b, as: UTF8.self)
                        firstAmbiguousLine = line
                    }
                }
                if slashDayFirst > 0 && slashMonthFirst > 0 { allDate = false; allDateOrTime = false }
            } else {
                allDate = false
                allDateOrTime = false
            }
        }
    }

    /// `(…)` or `（…）` around the whole value.
    static func inParentheses(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 3 else { return false }
        let opens = b[0] == 40 || (b.count >= 6 && b[0] == 0xEF && b[1] == 0xBC && b[2] == 0x88)
        let closes = b[b.count - 1] == 41 || (b.count >= 6 && b[b.count - 3] == 0xEF && b[b.count - 2] == 0xBC && b[b.count - 1] == 0x89)
        return opens && closes
    }

    func kind(preferDates: Bool) -> FieldKind {
        if nonEmpty == 0 || allBracketed { return .text }
        if preferDates && allDateOrTime { return sawTime ? .timestamp : .date }
        if allInteger { return .integer }
        if allNumber { return .real }
        if allDate { return .date }
        if allDateOrTime { return .timestamp }
        return .text
    }
}

/// Blank trimming on byte views.
enum Trim {
    @inline(__always)
    static func blanks(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let p = b.baseAddress else { return b }
        var i = 0
        var n = b.count
        while i < n && (p[i] == 32 || p[i] == 9) { i += 1 }
        while n > i && (p[n - 1] == 32 || p[n - 1] == 9) { n -= 1 }
        return UnsafeBufferPointer(start: p + i, count: n - i)
    }
}
