/// How amounts in one currency are written: symbol and number of decimals.
public struct Currency: Sendable, Equatable {
    /// The ISO 4217 code, upper case ("JPY").
    public var code: String
    /// Written before the amount: "¥", "$", or the code and a space when unknown.
    public var symbol: String
    /// Minor-unit digits: 0 for yen and won, 2 for most others.
    public var decimals: Int

    /// The currency for an ISO code; unknown codes keep the code as their symbol.
    public init(code: String) {
        let upper = code.uppercased()
        self.code = upper
        switch upper {
        case "JPY": symbol = "¥"; decimals = 0
        case "CNY": symbol = "CN¥"; decimals = 2
        case "KRW": symbol = "₩"; decimals = 0
        case "USD": symbol = "$"; decimals = 2
        case "EUR": symbol = "€"; decimals = 2
        case "GBP": symbol = "£"; decimals = 2
        case "TWD": symbol = "NT$"; decimals = 0
        case "AUD": symbol = "A$"; decimals = 2
        case "CAD": symbol = "CA$"; decimals = 2
        default: symbol = upper + " "; decimals = 2
        }
    }

    /// An amount with symbol and grouping: -1234.5 → "-$1,234.50".
    public func format(_ amount: Double) -> String {
        if let special = NumberText.nonFinite(amount) { return special }
        let digits = NumberText.fixed(amount, places: decimals)
        if digits.hasPrefix("-") { return "-" + symbol + digits.dropFirst() }
        return symbol + digits
    }
}
