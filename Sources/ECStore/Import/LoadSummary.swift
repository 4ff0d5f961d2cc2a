/// What a finished load did, for the shell to print.
public struct LoadSummary: Sendable {
    public var table: String
    public var role: DatasetRole?
    public var source: String
    /// Rows in the table that came from this load.
    public var rows: Int
    public var columns: Int
    /// Bad rows written to `ecsh_rejects` (only with `on_error skip`).
    public var skipped: Int
    public var seconds: Double
    /// Things worth knowing: detected encoding, widened columns, where rejects went.
    public var notes: [String]
    /// Birth dates and ages of a customers file that cannot be real, located (`Loader.impossibleBirthDates`, `impossibleAges`).
    var birthDateNotes: [String] = []
    /// `with id_prefix`: the order ids were rewritten after they were read.
    var idsPrefixed = false
    /// Orders of this load per canonical status (StatusVocabulary order), empty without a status column.
    public var statuses: [Count] = []
    /// Status words the vocabulary does not know, most frequent first.
    public var unknownStatuses: [UnknownStatus] = []
    /// Known status words that mean different things in different shop systems (`StatusVocabulary.debatable`).
    public var debatableStatuses: [UnknownStatus] = []
    /// Rows identical to another row with the same id, collapsed into it.
    public var exactRepeats = 0
    /// Rows with the id of a later, different row (`on_error skip`: the later row won).
    public var replacedRepeats = 0
    /// `append` onto rows that were already there: what happened to them.
    public var merge: Merge?
    /// The fields `append` matched rows by (`DatasetRole.appendKey`); more than one: a natural key, said in a note.
    public var mergeKey: [String] = []
    /// Earlier rows an append by natural key removed (several may share a key: two ad groups of one day).
    public var replacedEarlier = 0
    /// Text columns `append` did not match rows by: statuses and figures written as text (`DatasetRole.appendKeyLeftOut`).
    public var mergeKeyLeftOut: [String] = []
    /// Earlier rows an append replaced by rows equal in every figure and other only in text columns of the key (a
    /// label added since), and those columns (`Loader.relabelledRows`).
    public var relabelled: (rows: Int, columns: [String]) = (0, [])
    /// Rows of this load kept beside earlier rows of their date, channel, campaign and ids, with other figures and
    /// other values of these columns.
    public var keptBeside: (rows: Int, columns: [String]) = (0, [])
    /// Deduction columns (discount, points) whose non-zero values all had the sign opposite to their row's amount
    /// (written negative) and were stored with their sign turned: header and count.
    public var negatedDeductions: [Count] = []
    /// Of each of `negatedDeductions`, how many were negative (all of them unless refund rows were among them).
    var negatedNegatives: [Int] = []
    /// The amount was a unit price, multiplied by each row's quantity (`Loader.amountChoice`).
    public var amountTimesQuantity = false
    /// Orders without a customer key (guests), for orders loads.
    public var guests = 0
    /// The ids of a new table were proven distinct while parsing (`RepeatWatch`): no id index was built.
    public var idsProven = false
    /// The 1-based file column the role's id (`order_id`, …) is read from; nil when not from one field. A server
    /// load staged in SQLite locates an append's id collision with it (`ServerLoader.checkIdCollisions`).
    public var idColumn: Int?

    /// A name and how many rows have it.
    public struct Count: Sendable, Equatable {
        public var name: String
        public var count: Int
    }

    /// A status word outside the vocabulary: as written, as stored in `status`, and how often.
    public struct UnknownStatus: Sendable, Equatable {
        public var raw: String
        public var stored: String
        public var count: Int
    }

    /// `N new, M updated, K unchanged`.
    public struct Merge: Sendable, Equatable {
        public var new: Int
        public var updated: Int
        public var unchanged: Int
    }

    /// "loaded 12,345 orders (14 columns) from 'x.csv' in 0.41 s (30,110 rows/s)"
    public var description: String {
        let what = role?.rawValue ?? "rows into \(table)"
        let rate = seconds > 0 ? Int((Double(rows) / seconds).rounded()) : rows
        var text = "loaded \(LoadSummary.grouped(rows)) \(what) (\(columns) columns) from '\(source)'"
        text += " in \(String(format2: seconds)) s (\(LoadSummary.grouped(rate)) rows/s)"
        if let merge {
            text += "; \(LoadSummary.grouped(merge.new)) new, \(LoadSummary.grouped(merge.updated)) updated, \(LoadSummary.grouped(merge.unchanged)) unchanged"
        }
        if skipped > 0 {
            text += "; skipped \(LoadSummary.grouped(skipped)) bad rows (see ecsh_rejects)"
        }
        return text
    }

    /// For an append matched by a natural key (no id in the file): how rows were matched, so the counts can be read.
    public var mergeNote: String? {
        guard merge != nil, mergeKey.count > 1, let role else { return nil }
        let fields = mergeKey.map { $0 == "day" ? "date" : $0 }
        let key = fields.dropLast().joined(separator: ", ") + " and " + fields.last!
        let why = role == .nps ? "the file has no response_id" : "\(role.rawValue) rows have no id"
        var text = "append matched rows already loaded by \(key) (\(why)): a row with the same \(key) replaces them"
        if let merge, replacedEarlier > merge.updated + merge.unchanged {
            text += "; \(LoadSummary.grouped(replacedEarlier)) earlier rows were replaced by \(LoadSummary.grouped(merge.updated + merge.unchanged)) of this file's"
        }
        if !mergeKeyLeftOut.isEmpty {
            let names = mergeKeyLeftOut.map { "'\($0)'" }.joined(separator: ", ")
            text += "; not by \(names) (a status, a label or setting, or figures such as rates, which a later export of the same day may give otherwise): rows that differ only there are the same row"
        }
        let core = mergeKey.filter { !relabelled.columns.contains($0) && !keptBeside.columns.contains($0) }.map { $0 == "day" ? "date" : $0 }
        if relabelled.rows > 0 {
            text += "; \(LoadSummary.grouped(relabelled.rows)) earlier \(relabelled.rows == 1 ? "row" : "rows") had a row of this file's \(core.joined(separator: ", ")) and figures, "
                + "other only in \(relabelled.columns.map { "'\($0)'" }.joined(separator: ", ")): the same rows exported again, replaced"
        }
        if keptBeside.rows > 0 {
            text += "; \(LoadSummary.grouped(keptBeside.rows)) \(keptBeside.rows == 1 ? "row" : "rows") of this file \(keptBeside.rows == 1 ? "has" : "have") the \(core.joined(separator: ", ")) of rows already loaded "
                + "but other \(keptBeside.columns.map { "'\($0)'" }.joined(separator: ", ")) and figures: kept beside them (another ad group or device); "
                + "if \(keptBeside.columns.count == 1 ? "that column only changed" : "those columns only changed") between exports, "
                + "those days count twice: load the exports again with \(keptBeside.columns.count == 1 ? "it" : "them") removed"
        }
        if role == .nps && mergeKey.contains("customer_id") {
            text += "; an answer without a customer_id is the same answer only when every column is the same"
        }
        if mergeKey.contains("channel") && !mappedChannel {
            text += "; the file has no channel column, so rows of one date are one row: load each channel's file with a channel column, or it replaces another channel's rows"
        }
        return text
    }

    /// Whether the file gave `channel` (for `mergeNote`).
    public var mappedChannel = true

    /// `statuses: 9,395 completed · 300 cancelled · 203 returned`, nil without statuses.
    public var statusLine: String? { LoadSummary.statusLine(statuses, unknownStatuses) }

    /// The one-line breakdown, nil when there is nothing to break down.
    public static func statusLine(_ statuses: [Count], _ unknownStatuses: [UnknownStatus]) -> String? {
        if statuses.isEmpty && unknownStatuses.isEmpty { return nil }
        var parts = statuses.map { "\(LoadSummary.grouped($0.count)) \($0.name)" }
        let unknown = unknownStatuses.reduce(0) { $0 + $1.count }
        if unknown > 0 { parts.append("\(LoadSummary.grouped(unknown)) unknown") }
        return "statuses: " + parts.joined(separator: " · ")
    }

    /// 1234567 → "1,234,567" (no locale involved).
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }
}

extension String {
    /// Two decimals without Foundation's locale-dependent formatting.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let frac = hundredths % 100
        self = "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
