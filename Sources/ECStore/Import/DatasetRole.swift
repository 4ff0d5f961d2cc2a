import Foundation

/// What a dataset is to the analytics; each role has its own table of canonical columns.
public enum DatasetRole: String, CaseIterable, Sendable {
    case orders, customers, spend, traffic, nps

    /// The canonical columns in table order (see docs/workspace.md), `day` included.
    public var fields: [CanonicalField] {
        switch self {
        case .orders:
            return [
                .init("order_id", .text, required: true),
                // No customer key: a guest order (order-level KPIs only).
                .init("customer_id", .text),
                .init("ordered_at", .timestamp, required: true),
                .init("day", .integer, derived: true),
                .init("amount", .real, required: true),
                .init("channel", .text, lowercased: true),
                .init("status", .text, lowercased: true),
                // The status word as written; `status` holds its meaning (StatusVocabulary).
                .init("status_raw", .text, derived: true),
                .init("discount", .real), .init("points", .real), .init("cogs", .real),
                .init("shipping", .real), .init("commission", .real),
                .init("quantity", .integer),
                .init("product", .text), .init("category", .text),
            ]
        case .customers:
            return [
                .init("customer_id", .text, required: true),
                .init("signed_up_at", .timestamp),
                .init("acquisition_channel", .text, lowercased: true),
            ]
        case .spend:
            return [
                .init("date", .date, required: true),
                .init("day", .integer, derived: true),
                .init("spend", .real, required: true),
                .init("channel", .text, lowercased: true),
                .init("campaign", .text),
                .init("impressions", .integer), .init("clicks", .integer),
            ]
        case .traffic:
            return [
                .init("date", .date, required: true),
                .init("day", .integer, derived: true),
                .init("sessions", .integer, required: true),
                .init("channel", .text, lowercased: true),
            ]
        case .nps:
            return [
                .init("score", .integer, required: true, range: 0...10),
                .init("responded_at", .timestamp, required: true),
                .init("day", .integer, derived: true),
                .init("customer_id", .text),
                .init("comment", .text),
                .init("response_id", .text),
            ]
        }
    }

    /// The field that identifies a row, unique in a table (nil: none; `appendKey` matches appended rows by their natural key).
    public var identity: String? {
        switch self {
        case .orders: return "order_id"
        case .customers: return "customer_id"
        case .nps: return "response_id"
        case .spend, .traffic: return nil
        }
    }

    /// The fields by which `append` matches a new row to rows already loaded: the identity when the file
    /// gives it, else the row's natural key (docs/language.md, `append`). A new row replaces every earlier
    /// row with the same key values (NULL matching NULL), so a later export is the newer truth for that key.
    /// `hasIdentity`: the file maps `identity`.
    /// `columns`: the table's columns (name, declared type); for spend and traffic its other text columns (an
    /// account, an ad group, a device) are part of the key too, so two accounts' rows of one day and campaign stay
    /// two rows (an append of the second account's export replaced the first's spend). Columns that change from
    /// one export of a day to the next are no part of it (`changesBetweenExports`): a campaign's status, and
    /// `measures`, the text columns whose values are all figures (`10.00%`, `< 10%`, `--`: `Loader.measureColumns`).
    public func appendKey(hasIdentity: Bool, columns: [(name: String, type: String)] = [], measures: Set<String> = []) -> [String] {
        switch self {
        case .orders: return ["order_id"]
        case .customers: return ["customer_id"]
        // One respondent's answer at one moment is one response, whatever its score says now.
        case .nps: return hasIdentity ? ["response_id"] : ["customer_id", "responded_at"]
        // `day`, not `date`: the same day written two ways is one day.
        case .spend: return ["day", "channel", "campaign"] + keyColumns(columns, measures: measures)
        case .traffic: return ["day", "channel"] + keyColumns(columns, measures: measures)
        }
    }

    /// Key fields without which a row is matched by its whole row instead of its key: an NPS answer without a
    /// respondent is the same answer only as an exact repeat (matched by the date alone, one anonymous answer of a
    /// day replaced another).
    public func appendKeyRequired(hasIdentity: Bool) -> [String] {
        self == .nps && !hasIdentity ? ["customer_id"] : []
    }

    /// The text columns of a spend or traffic table that `append` leaves out of its key although no figures are in
    /// them: `appendKey`'s columns, less `measures` and `changesBetweenExports`, in the table's order.
    public func appendKeyLeftOut(columns: [(name: String, type: String)], measures: Set<String>) -> [String] {
        guard self == .spend || self == .traffic else { return [] }
        return otherTextColumns(columns).filter { !Self.namesAnID($0) && (measures.contains($0) || Self.changesBetweenExports($0)) }
    }

    /// The columns of `appendKey` beside the role's own that are no id (an ad group, a device, an unknown text column),
    /// for `Loader.relabelledRows`.
    public func appendKeyLoose(columns: [(name: String, type: String)], measures: Set<String>) -> [String] {
        guard self == .spend || self == .traffic else { return [] }
        return keyColumns(columns, measures: measures).filter { !Self.namesAnID($0) }
    }

    /// A spend or traffic table's columns besides the role's own that are part of `append`'s key, in the table's
    /// order: every id column whatever its values (`namesAnID`: `Campaign ID` 120001 is read as a number, and keyless
    /// two campaigns of one name and day were one row), and the text columns that are neither `measures` nor
    /// `changesBetweenExports`.
    private func keyColumns(_ columns: [(name: String, type: String)], measures: Set<String>) -> [String] {
        let own = Set(fields.map(\.name)).union(["day", "date"])
        return columns.filter { column in
            guard !own.contains(column.name) else { return false }
            if Self.namesAnID(column.name) { return true }
            return column.type.uppercased() == "TEXT" && !measures.contains(column.name) && !Self.changesBetweenExports(column.name)
        }.map(\.name)
    }

    /// A header naming an id: `ID`, `Campaign ID`, `ad_group_id`, `AdSetId`, `キャンペーンID`, `キャンペーンＩＤ` (a note in
    /// parentheses aside); not `Paid` or `Valid`.
    static func namesAnID(_ header: String) -> Bool {
        // Full-width letters as ASCII (`ＩＤ` → `ID`), by compatibility mapping.
        let scalars = Array(HeaderAliases.withoutNotes(header).precomposedStringWithCompatibilityMapping)
        guard scalars.count >= 2, scalars.suffix(2).map({ $0.lowercased() }).joined() == "id" else { return false }
        guard scalars.count > 2 else { return true }
        let before = scalars[scalars.count - 3]
        // After a separator or a Japanese word; in camel case, `Id` or `ID` after a lower-case letter.
        return " _-.\u{3000}".contains(before) || !before.isASCII || (before.isLowercase && scalars[scalars.count - 2] == "I")
    }

    /// A header naming what an ad platform reports as it is at the time of the export, not of the day: a
    /// status or delivery (`Campaign status` Enabled → Paused, Meta's `Campaign delivery`, Yahoo!'s `配信状況`),
    /// an end date (`Ends`: `Ongoing`, then a date), a budget or bid strategy, the labels put on a campaign (Google Ads'
    /// `Labels`), Meta's `Attribution setting`. A later export of the same day says otherwise, and as part of the key it would keep both rows: the day's spend counted twice.
    static func changesBetweenExports(_ header: String) -> Bool {
        let name = HeaderAliases.normalize(HeaderAliases.withoutNotes(header))
        let parts = ["status", "delivery", "ステータス", "配信状況", "配信状態", "budget", "予算", "bidstrategy", "入札戦略",
                     "attributionsetting", "アトリビューション設定", "labels", "ラベル"]
        let whole = ["ends", "enddate", "終了日", "配信", "キャンペーンの配信", "広告セットの配信", "広告の配信", "状態", "label"]
        return parts.contains { name.contains($0) } || whole.contains(name)
    }

    /// The text columns of `columns` that are none of this role's fields (nor the raw `date` text).
    private func otherTextColumns(_ columns: [(name: String, type: String)]) -> [String] {
        let own = Set(fields.map(\.name)).union(["day", "date"])
        return columns.filter { !own.contains($0.name) && $0.type.uppercased() == "TEXT" }.map(\.name)
    }

    /// The field whose date gives `day` and the dataset's date range.
    public var mainDate: String? {
        switch self {
        case .orders: return "ordered_at"
        case .customers: return "signed_up_at"
        case .spend, .traffic: return "date"
        case .nps: return "responded_at"
        }
    }
}

/// One canonical column of a role table.
public struct CanonicalField: Sendable, Equatable {
    public let name: String
    /// integer, real, text, or date/timestamp (either form is accepted; stored as ISO text).
    public let kind: FieldKind
    public let required: Bool
    /// Computed by the loader (`day`), never read from the file.
    public let derived: Bool
    /// Stored lower-cased and trimmed (channel, status) so filters match.
    public let lowercased: Bool
    /// Allowed integer values; outside is a bad row (NPS 0...10).
    public let range: ClosedRange<Int64>?

    init(_ name: String, _ kind: FieldKind, required: Bool = false, derived: Bool = false,
         lowercased: Bool = false, range: ClosedRange<Int64>? = nil) {
        self.name = name
        self.kind = kind
        self.required = required
        self.derived = derived
        self.lowercased = lowercased
        self.range = range
    }

    var isDate: Bool { kind == .date || kind == .timestamp }
}
