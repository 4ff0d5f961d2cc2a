import ECStore

/// How `nps by X` and `nps compare by X` split the responses into groups.
public enum NPSGrouping: Sendable {
    /// The week, month or quarter of the response; every period in range appears, oldest first.
    case period(PeriodUnit)
    /// A property of the responding customer, joined on `customer_id`
    /// (responses without one, or customers without a value, form the group `∅`, a NULL key).
    case attribute(CustomerAttribute)
    /// A column of the responses themselves, e.g. a survey's `channel` or `touchpoint`.
    case responseColumn(String)

    /// Whether the groups are periods of the responses' days.
    var isPeriod: Bool {
        if case .period = self { return true }
        return false
    }

    /// The header of the group column.
    public var header: String {
        switch self {
        case .period(let unit): return unit.rawValue
        case .attribute(let attribute): return attribute.name
        case .responseColumn(let column): return column
        }
    }
}
