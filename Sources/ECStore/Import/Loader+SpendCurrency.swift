/// Ad spend in another currency than the shop's: Google Ads and Microsoft Ads write the account's currency in a
/// column of its own (`Currency code`: `USD`) beside costs without a sign (`12.50`), so a dollar account's $32.50
/// loaded as ¥32 and made CAC and ROAS wrong by the exchange rate, without a word.
extension Loader {
    /// Headers (normalized) of a spend file's currency column.
    static let currencyHeaders: Set<String> = Set(["currency code", "currency", "通貨", "通貨コード"].map(HeaderAliases.normalize))

    /// Stops a spend load whose currency column names two currencies, or one other than the workspace's `currency`
    /// setting (the currency of the orders' amounts), at the first row of the odd one (rowid − base is its line).
    func checkSpendCurrency(_ table: String, base: Int64, plan: FilePlan, request: LoadRequest) throws {
        guard let column = plan.columns.first(where: { $0.canonical == nil && $0.header.map { Loader.currencyHeaders.contains(HeaderAliases.normalize($0)) } == true }),
              case .field(let index) = column.source else { return }
        let c = "upper(trim(\(quoteIdentifier(column.name))))"
        let found = try database.query("""
            SELECT \(c), count(*), min(rowid) FROM \(quoteIdentifier(table)) WHERE rowid > ? AND \(c) GLOB '[A-Z][A-Z][A-Z]'
            GROUP BY 1 ORDER BY count(*) DESC, min(rowid)
            """, [.integer(base)]).rows.compactMap { row in row[0].textValue.map { ($0, Int(row[1].intValue ?? 0), Int((row[2].intValue ?? base) - base)) } }
        let shown = try Loader.shownCurrency(database).uppercased()
        let header = column.header ?? column.name
        let listed = found.map { "\($0.0) ×\(LoadSummary.grouped($0.1))" }.joined(separator: ", ")
        let odd: (String, Int, Int), reason: String, help: String
        if found.count > 1 {
            odd = found[1]
            reason = "is a second currency of the spend (\(listed)): costs in \(found[0].0) and \(odd.0) cannot be added into one spend, cac or roas"
            help = "load each currency's rows from a file of their own, converted to \(shown) (the workspace's currency) first, or rename the header '\(header)' once they are"
        } else if let only = found.first, only.0 != shown {
            odd = only
            reason = "is the spend's currency, but the workspace's amounts are \(shown) (its currency setting): loaded, \(only.0) costs would count against \(shown) orders as if they were \(shown)"
            help = "if the shop's amounts are in \(only.0) too: set currency \(only.0), then load again; otherwise convert the costs to \(shown) first and rename the header '\(header)'"
        } else {
            return
        }
        var error = LoadError(file: request.path, line: odd.2, column: index + 1, field: header, rawValue: odd.0, reason: reason, help: help)
        error.notAboutLayout = true
        throw error
    }
}
