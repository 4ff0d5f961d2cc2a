import ECStore

/// Turns one value into the text a person sees in a table cell.
public struct CellFormatter: Sendable {
    /// The session currency, used when a column says `.currency(code: "")`.
    public var currency: String
    /// What NULL looks like (kept apart from the text "NULL").
    public var nullText: String

    public init(currency: String = "JPY", nullText: String = "∅") {
        self.currency = currency
        self.nullText = nullText
    }

    /// The display text for a value under a column format.
    public func text(_ value: Value, format: ColumnFormat) -> String {
        switch value {
        case .null: return nullText
        case .text(let s): return s
        case .blob(let b): return "<\(b.count) bytes>"
        case .integer(let i):
            switch format {
            case .auto: return NumberText.grouped(i)
            case .text: return String(i)
            default: return number(Double(i), format: format)
            }
        case .real(let d):
            return number(d, format: format)
        }
    }

    private func number(_ d: Double, format: ColumnFormat) -> String {
        switch format {
        case .auto: return NumberText.upTo(d, places: 2)
        case .text:
            // Ids and months stored as reals read as integers ("2024", not "2024.0"),
            // below 2^53 where that is exact; no grouping.
            if d == d.rounded(), abs(d) < 9.007e15 { return String(Int64(d)) }
            return RawValueText.text(.real(d))
        case .decimal(let places): return NumberText.fixed(d, places: places)
        case .percent(let places):
            if let special = NumberText.nonFinite(d) { return special }
            return NumberText.fixed(d * 100, places: places) + "%"
        case .currency(let code):
            return Currency(code: code.isEmpty ? currency : code).format(d)
        }
    }

    /// Whether a column reads as numbers (right-aligned): not forced to text, and
    /// every non-NULL value is a number, with at least one number present.
    public static func isNumericColumn(_ values: some Sequence<Value>, format: ColumnFormat) -> Bool {
        if format == .text { return false }
        var sawNumber = false
        for v in values {
            switch v {
            case .integer, .real: sawNumber = true
            case .null: continue
            default: return false
            }
        }
        return sawNumber
    }
}
