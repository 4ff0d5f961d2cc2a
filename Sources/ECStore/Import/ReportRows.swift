/// What ad, traffic and survey exports put among their rows besides data, found while the rows are converted
/// (on the parsing thread, row by row; read once the rows are in):
///
/// - **Totals rows** of a spend or traffic report: `Total: Account`, `Total: Campaigns` under a Google Ads report,
///   `合計` under a Yahoo! or Rakuten ad report, and a total without a label (GA4's `,,"4,200"`) whose figure is the
///   sum of the rows above it. Loaded as rows they would count the spend or sessions twice; each is skipped and named
///   in a note. A row counts as one only when its date is no date (a row with a date is data, whatever it says).
/// - **A summary row first** (Meta's export by day): the first row, without a date, is held and judged once every
///   row is in: when the rows below add up to its figure it is skipped with a note, else it is the bad row it looks.
/// - **A second header row** right under the header of an NPS export (SurveyMonkey's `Response`,
///   `Open-Ended Response`): text in every filled field, no date.
/// - **Qualtrics' ImportId row** (`{"ImportId":"QID1"}` in every filled field), the third of its three header rows
///   (names, question text, ImportIds): skipped with the question row above it, in one note.
/// - **Unanswered NPS responses** (the score left empty): no response to count, skipped and counted in a note.
/// - **`--` for none** in a spend or traffic number (Google Ads writes a day without cost so): read as 0.
/// - **NPS scores written with their label** (`10 - Extremely likely`, `10（非常にそう思う）`), in points (`10点`) or out
///   of 10 (`10/10`): the number is the score. A range (`9-10`) or a score out of another number (`4/5`) is refused.
///
/// docs/language.md (`load`, "Rows that are no data") states these rules.
final class ReportRows {
    enum Kind: CaseIterable { case totals, leadingSummary, subheader, importIds, unanswered, dashes, labelledScores, wideScores }

    /// How many of a kind were met, and the first few (line, text as written).
    struct Seen {
        var count = 0
        /// Lines with one or more (rows are read in order: a line's values come together).
        var lines = 0
        var lastLine = 0
        var first: [(line: Int, text: String)] = []

        mutating func add(_ line: Int, _ text: String) {
            count += 1
            guard line != lastLine else { return }
            lines += 1
            lastLine = line
            if first.count < 3 { first.append((line, text)) }
        }
    }

    private(set) var seen: [Kind: Seen] = [:]
    let role: DatasetRole
    /// File field indexes: the main date, and the figure a totals row adds up (spend, sessions); -1 when unmapped.
    let dateField: Int
    let measureField: Int
    /// The NPS score's file field (-1: not nps).
    let scoreField: Int
    /// Sum and count of the figure over the rows loaded since the last totals row (a section of the report).
    private var sum = 0.0
    private var summed = 0
    private var records = 0
    /// The first row when it has no date and a figure (`isNoData`), and the sum and count of the figure in the rows after it.
    private(set) var leading: (line: Int, value: Double)?
    private var belowSum = 0.0
    private var belowSummed = 0

    /// Nil for roles whose exports have no such rows (orders, customers).
    init?(role: DatasetRole?, columns: [ColumnPlan]) {
        guard let role, role == .spend || role == .traffic || role == .nps else { return nil }
        self.role = role
        func field(_ name: String?) -> Int {
            guard let name, let c = columns.first(where: { $0.name == name && $0.canonical != nil }),
                  case .field(let i) = c.source else { return -1 }
            return i
        }
        dateField = field(role.mainDate)
        measureField = field(role == .spend ? "spend" : role == .traffic ? "sessions" : nil)
        scoreField = field(role == .nps ? "score" : nil)
    }

    func note(_ kind: Kind, line: Int, text: String) { seen[kind, default: Seen()].add(line, text) }

    /// A row that loaded: its figure adds to the running sum a total without a label is checked against.
    func loaded(_ reader: CSVReader, numbers: NumberReader) {
        records += 1
        guard measureField >= 0, let value = number(reader, measureField, numbers) else { return }
        sum += value
        summed += 1
        if leading != nil {
            belowSum += value
            belowSummed += 1
        }
    }

    /// Whether the held first row (`leading`) is the sum of the rows below it; nil without one. Called once every row
    /// is in; when it holds, the row is noted as skipped.
    func leadingSummaryHolds() -> Bool? {
        guard let leading else { return nil }
        let holds = belowSummed >= 1 && abs(leading.value - belowSum) < 0.005
        if holds { note(.leadingSummary, line: leading.line, text: ReportRows.figure(leading.value)) }
        return holds
    }

    /// The help for a held first row that is not the sum of the rows below.
    func leadingSummaryHelp() -> String {
        let figure = role == .spend ? "spend" : "sessions"
        return "the first row has no date and its \(figure), \(ReportRows.figure(leading?.value ?? 0)), is not the sum of the rows below "
            + "(\(ReportRows.figure(belowSum))), so it is no summary row ecsh can leave out by itself; "
            + "if it is one, leave it out: with on_error skip (it goes to ecsh_rejects)"
    }

    /// A figure as a note shows it: `9,600`, `12.5`.
    static func figure(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? LoadSummary.grouped(Int(value)) : String(value)
    }

    /// Whether the row, which failed to convert, is no data (a totals row, a second header, an unanswered response);
    /// if so it is noted and the row is to be left out.
    func isNoData(_ reader: CSVReader, line: Int, numbers: NumberReader, dates: DateReader) -> Bool {
        defer { records += 1 }
        let fields = (0..<reader.count).map { String(decoding: Trim.blanks(reader.field($0)), as: UTF8.self) }
        if role == .nps {
            if scoreField >= 0 && scoreField < fields.count && fields[scoreField].isEmpty {
                note(.unanswered, line: line, text: "")
                return true
            }
            let filled = fields.filter { !$0.isEmpty }
            // Qualtrics' third header row, under its question row: `{"ImportId":"QID1"}` in every filled field.
            if records <= 1 && !filled.isEmpty && filled.allSatisfy({ $0.hasPrefix("{\"ImportId\"") }) {
                note(.importIds, line: line, text: scoreField >= 0 && scoreField < fields.count && !fields[scoreField].isEmpty ? fields[scoreField] : filled[0])
                return true
            }
            // Only right under the header: text in every filled field, no number or date.
            if records == 0 && !filled.isEmpty && filled.allSatisfy({ !isNumberOrDate($0, numbers, dates) }) {
                note(.subheader, line: line, text: filled.map { "'\($0)'" }.joined(separator: ", "))
                return true
            }
            return false
        }
        guard dateField >= 0, dateField < fields.count, !isDate(fields[dateField], dates) else { return false }
        if let label = fields.first(where: { !$0.isEmpty && $0 != "--" }), ReportRows.isTotalsLabel(label) {
            note(.totals, line: line, text: label)
            sum = 0
            summed = 0
            return true
        }
        // The first row without a date, with a figure: Meta's summary row, when the rows below add up to it (judged at the end).
        if records == 0, fields[dateField].isEmpty, measureField >= 0, let value = number(reader, measureField, numbers) {
            leading = (line, value)
            return true
        }
        // No label: an empty date, numbers only, and the figure is the sum of the rows above.
        guard fields[dateField].isEmpty, measureField >= 0, summed >= 2,
              fields.allSatisfy({ $0.isEmpty || $0 == "--" || numbers.parse(utf8: $0) != nil }),
              let value = number(reader, measureField, numbers), abs(value - sum) < 0.005 else { return false }
        note(.totals, line: line, text: "")
        sum = 0
        summed = 0
        return true
    }

    /// The help for a spend or traffic row without a date that is no totals row this can tell (Meta puts its summary
    /// row first, before the rows it adds up): how to leave it out. Nil for other problems.
    func helpForMissingDate(_ problem: RowProblem) -> String? {
        guard role != .nps, problem.help == nil, problem.column == dateField + 1, problem.raw?.isEmpty == true else { return nil }
        return "if it is a totals or summary row (Meta puts its summary first), leave it out: with on_error skip (it goes to ecsh_rejects); "
            + "a totals row is left out by itself when it says Total or 合計, or comes after the rows it adds up"
    }

    /// `Total`, `Totals`, `Total: Account`, `Grand total`, `Subtotal`, `合計`, `小計`, `総計`, `合計：`, `Total (JPY)` (case-insensitive);
    /// not `Total Beauty` (a campaign's name).
    static func isTotalsLabel(_ text: String) -> Bool {
        let lower = text.lowercased()
        for word in ["grand total", "sub total", "subtotal", "totals", "total", "総合計", "合計", "小計", "総計"] where lower.hasPrefix(word) {
            let rest = lower.dropFirst(word.count).drop { $0 == " " || $0 == "\u{3000}" }
            guard let next = rest.first else { return true }
            return ":：-(（".contains(next)
        }
        return false
    }

    /// An NPS score written with its label after the number: `10 - Extremely likely`, `0 = Not at all likely`,
    /// `10（非常にそう思う）`, `9 (likely)`. Nil unless the text is one to two digits, then blanks and a dash, `=`,
    /// `:` or an opening parenthesis, then anything.
    static func labelledScore(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var value: Int64 = 0
        while i < b.count, i < 3, b[i] >= 48, b[i] <= 57 { value = value * 10 + Int64(b[i] - 48); i += 1 }
        guard i > 0, i <= 2 else { return nil }
        while i < b.count, b[i] == 32 { i += 1 }
        guard i < b.count else { return nil }
        let rest = String(decoding: UnsafeBufferPointer(rebasing: b[i...]), as: UTF8.self)
        return isLabel(rest) || isUnit(rest) ? value : nil
    }

    /// Whether what follows a score's number is its label: a mark (`labelMarks`), then text that does not start with a
    /// digit (`9-10` is a range of scores, a bucket, not one answer).
    static func isLabel(_ rest: Substring) -> Bool {
        guard let mark = labelMarks.first(where: { rest.hasPrefix($0) }) else { return false }
        let label = rest.dropFirst(mark.count).drop { $0 == " " || $0 == "\u{3000}" }
        return label.first.map { !$0.isNumber } ?? true
    }

    static func isLabel(_ rest: String) -> Bool { isLabel(rest[...]) }

    /// Whether what follows a score's number says it is a score of the 0–10 question: `点` (points), `/10` (out of 10).
    static func isUnit(_ rest: some StringProtocol) -> Bool {
        let unit = String(rest.filter { $0 != " " && $0 != "\u{3000}" })
        return ["点", "/10", "／10", "／１０"].contains(unit)
    }

    /// The way out of a score that reads as a number but not as one answer of the 0–10 question: a range (`9-10`,
    /// `7〜8`) or a score out of another number (`4/5`, `8/11`). Nil for other text.
    static func scoreFormHelp(_ text: String) -> String? {
        let t = text.filter { $0 != " " && $0 != "\u{3000}" }
        let parts = t.split(whereSeparator: { "-–—~〜～/／".contains($0) }).map(String.init)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        if t.contains("/") || t.contains("／") {
            return "'\(text)' is a score out of \(parts[1]), not of the 0–10 NPS question (a score out of 10, `9/10`, is read); "
                + "answers on another scale are no NPS: load them as a table (load table csat from '…')"
        }
        return "'\(text)' is a range of scores (a group such as 9–10), not one answer: the NPS needs each respondent's own 0–10 answer; "
            + "export the answers themselves, or load this file as a table (load table … from '…')"
    }

    /// What may separate a score from its label.
    static let labelMarks = ["-", "–", "—", "=", ":", "(", "（", "：", "ー", "－"]

    /// An NPS score in full-width digits, as Japanese forms and spreadsheets write them: `１０`, `９`, `１０（非常にそう思う）`.
    /// Nil unless the text is one to two full-width digits (U+FF10–FF19), alone or followed by blanks and a label as in
    /// `labelledScore`.
    static func wideScore(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0, digits = 0
        var value: Int64 = 0
        while i + 2 < b.count, b[i] == 0xEF, b[i + 1] == 0xBC, b[i + 2] >= 0x90, b[i + 2] <= 0x99, digits < 3 {
            value = value * 10 + Int64(b[i + 2] - 0x90)
            i += 3
            digits += 1
        }
        guard digits > 0, digits <= 2 else { return nil }
        let rest = String(decoding: UnsafeBufferPointer(rebasing: b[i...]), as: UTF8.self).drop { $0 == " " || $0 == "\u{3000}" }
        return rest.isEmpty || isLabel(rest) || isUnit(rest) ? value : nil
    }

    /// 0 for `--`, Google Ads' mark for no cost or no clicks on a day; nil for anything else.
    static func dash(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        b.count == 2 && b[0] == 45 && b[1] == 45 ? 0 : nil
    }

    /// The notes for the load's summary (none when nothing was met).
    func notes(table: String) -> [String] {
        func lines(_ s: Seen, quoted: Bool) -> String {
            let listed = s.first.map { quoted && !$0.text.isEmpty ? "\($0.line) '\($0.text)'" : "\($0.line)" }
            return (s.lines == 1 ? "line " : "lines ") + listed.joined(separator: ", ") + (s.lines > s.first.count ? ", …" : "")
        }
        var out: [String] = []
        if let s = seen[.totals] {
            let figure = role == .spend ? "spend" : "sessions"
            out.append("skipped \(s.count) totals row\(s.count == 1 ? "" : "s") (\(lines(s, quoted: true))): the report's sums of the rows above, "
                       + "not days; loaded they would count the \(figure) twice")
        }
        if let s = seen[.leadingSummary], let first = s.first.first {
            let figure = role == .spend ? "spend" : "sessions"
            out.append("skipped line \(first.line), a summary row first without a date: its \(figure), \(first.text), is the sum of the "
                       + "\(LoadSummary.grouped(belowSummed)) rows below; loaded it would count the \(figure) twice")
        }
        if let ids = seen[.importIds], let question = seen[.subheader], question.lastLine == ids.lastLine - 1 {
            out.append("skipped lines \(question.lastLine) and \(ids.lastLine), the question text and ImportId rows a Qualtrics export puts under "
                       + "its header (line \(ids.lastLine) '\(ids.first[0].text)'): not responses; the column names are line 1's")
        } else if let s = seen[.subheader] {
            out.append("skipped \(lines(s, quoted: false)), a second header row under the header (\(s.first[0].text))")
        }
        if let ids = seen[.importIds], seen[.subheader]?.lastLine != ids.lastLine - 1 {
            out.append("skipped \(lines(ids, quoted: true)), a Qualtrics ImportId row under the header: not a response")
        }
        if let s = seen[.unanswered] {
            out.append("\(LoadSummary.grouped(s.count)) response\(s.count == 1 ? " has" : "s have") no score (unanswered): left out of the responses (\(lines(s, quoted: false)))")
        }
        if let s = seen[.dashes] {
            out.append("\(LoadSummary.grouped(s.count)) value\(s.count == 1 ? "" : "s") written '--' (none) read as 0 (\(lines(s, quoted: false)))")
        }
        if let s = seen[.wideScores] {
            out.append("\(LoadSummary.grouped(s.count)) score\(s.count == 1 ? " is" : "s are") written in full-width digits: read as the same number\(s.count == 1 ? "" : "s") (\(lines(s, quoted: true)))")
        }
        if let s = seen[.labelledScores] {
            out.append("\(LoadSummary.grouped(s.count)) score\(s.count == 1 ? " is" : "s are") written with a label or unit (`10 - Extremely likely`, `10点`, `10/10`): the number before it is the score (\(lines(s, quoted: true)))")
        }
        return out
    }

    private func number(_ reader: CSVReader, _ index: Int, _ numbers: NumberReader) -> Double? {
        guard index < reader.count else { return nil }
        switch numbers.parse(Trim.blanks(reader.field(index))) {
        case .integer(let v)?, .zeroPadded(let v)?: return Double(v)
        case .real(let d)?: return d
        case nil: return nil
        }
    }

    private func isDate(_ text: String, _ dates: DateReader) -> Bool {
        var t = text
        return t.withUTF8 { dates.parse($0) != nil }
    }

    private func isNumberOrDate(_ text: String, _ numbers: NumberReader, _ dates: DateReader) -> Bool {
        numbers.parse(utf8: text) != nil || isDate(text, dates)
    }
}

extension NumberReader {
    func parse(utf8 text: String) -> ParsedNumber? {
        var t = text
        return t.withUTF8 { parse($0) }
    }
}
