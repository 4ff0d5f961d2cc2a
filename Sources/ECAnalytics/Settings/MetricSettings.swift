import ECStore

/// The choices every KPI depends on: which orders count, the windows, the
/// reference date, the week start, the currency.
///
/// Persisted one setting per row in `ecsh_settings` (name, value text), so a
/// workspace file reopens with the same definitions in force.
public struct MetricSettings: Sendable, Equatable {
    /// Which order statuses count as sales.
    public enum CountedStatuses: Sendable, Equatable {
        /// Every status except these (and orders without a status).
        case excluding([String])
        /// Only these statuses (and orders without a status: no status column means nothing was cancelled).
        case only([String])
    }

    /// The day weeks start on.
    public enum WeekStart: String, Sendable, Equatable, CaseIterable {
        case monday, tuesday, wednesday, thursday, friday, saturday, sunday
        /// 0 for Monday … 6 for Sunday.
        public var offset: Int { WeekStart.allCases.firstIndex(of: self)! }
    }

    /// Canonical statuses (StatusVocabulary) that are not sales by default.
    public static let defaultExcluded = ["cancelled", "returned", "refunded", "failed"]

    public var counted: CountedStatuses = .excluding(MetricSettings.defaultExcluded)
    /// Trailing window for `active_members`, in days.
    public var activeWindowDays = 365
    /// The reference date (`YYYY-MM-DD`); nil means the last counted order date.
    /// Orders after it are ignored everywhere, as if not yet placed.
    public var asOf: String?
    public var weekStart: WeekStart = .monday
    public var currency = "JPY"
    /// Window for `f2_rate`, in days.
    public var f2WindowDays = 90
    /// Horizon h of `ltv`, `ltv_cac`: month offsets 0...h after the first order (as `unit economics horizon 12`).
    public var ltvHorizonMonths = 12
    /// Channels counted as marketplaces by `mall_dependence`.
    public var marketplaceChannels = ["rakuten", "amazon", "yahoo"]
    /// The shop's time zone (`Asia/Tokyo`): `load` moves timestamps with a UTC offset into it
    /// before taking the day. nil: the system's.
    public var timezone: String?

    public init() {}

    /// The SQL condition that an order (columns of `orders`, optionally
    /// qualified by `alias`) is counted.
    ///
    /// Orders with a NULL status count: a file without a status column has
    /// no cancelled orders to leave out.
    public func countedCondition(alias: String? = nil) -> SQLFragment {
        let column = (alias.map { quoteIdentifier($0) + "." } ?? "") + quoteIdentifier("status")
        switch counted {
        case .excluding(let list):
            guard !list.isEmpty else { return SQLFragment("1") }
            let marks = Array(repeating: "?", count: list.count).joined(separator: ", ")
            return SQLFragment("(\(column) IS NULL OR \(column) NOT IN (\(marks)))", list.map { .text($0) })
        case .only(let list):
            guard !list.isEmpty else { return SQLFragment("\(column) IS NULL") }
            let marks = Array(repeating: "?", count: list.count).joined(separator: ", ")
            return SQLFragment("(\(column) IS NULL OR \(column) IN (\(marks)))", list.map { .text($0) })
        }
    }

    /// Whether an order with this stored (canonical) status counts, the Swift twin of `countedCondition`.
    /// Words are compared byte for byte, as SQLite's `IN` compares text: Swift's `==` on strings would
    /// also match another Unicode spelling of the same word (ガ written as カ and a combining mark).
    public func counts(status: String?) -> Bool {
        guard let status else { return true }
        let listed = { (word: String) in word.utf8.elementsEqual(status.utf8) }
        switch counted {
        case .excluding(let list): return !list.contains(where: listed)
        case .only(let list): return list.contains(where: listed)
        }
    }

    /// A one-line description of the counted-order rule, for notes and `explain`.
    public var countedDescription: String {
        switch counted {
        case .excluding(let list) where list.isEmpty: return "all orders count"
        case .excluding(let list): return "orders count unless status is \(list.joined(separator: "/"))"
        case .only(let list): return "only orders with status \(list.joined(separator: "/")) count"
        }
    }
}
