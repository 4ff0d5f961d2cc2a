/// The notes a load adds to its summary about what it made of the file's rows (placeholders, guests, comment lines,
/// unpriced orders); the orchestration that collects them is `Loader.load`.
extension Loader {
    /// What the load made of customer-id placeholders (`CustomerKeyPlaceholders`), nil when it met none.
    static func placeholderNote(_ seen: [CustomerKeyPlaceholders.Seen], role: DatasetRole) -> String? {
        let n = seen.reduce(0) { $0 + $1.count }
        guard n > 0 else { return nil }
        let listed = CustomerKeyPlaceholders.listed(seen)
        // The one placeholder a shop can also use as a real id: say how to keep it.
        let zero = seen.contains { $0.written == "0" } ? "; if customer 0 is a real customer: load again with zero_is_customer true" : ""
        switch role {
        case .orders:
            return "\(LoadSummary.grouped(n)) order\(n == 1 ? " has" : "s have") a placeholder for a customer id (\(listed)): read as guest orders, not as customers\(zero)"
        case .nps:
            return "\(LoadSummary.grouped(n)) response\(n == 1 ? " has" : "s have") a placeholder for a customer id (\(listed)): read as responses without a customer\(zero)"
        case .customers, .spend, .traffic:
            return "\(LoadSummary.grouped(n)) row\(n == 1 ? " has" : "s have") a placeholder for a customer id (\(listed)): left out (see ecsh_rejects)\(zero)"
        }
    }

    static func guestNote(_ guests: Int) -> String {
        "\(LoadSummary.grouped(guests)) guest order\(guests == 1 ? "" : "s") (no customer key): counted in order KPIs (gmv, orders, aov, revenue, margin), left out of customer KPIs"
    }

    /// Every order a guest order because no column of the file was taken for `customer_id` (a header ecsh does not know
    /// as a customer's, such as `buyer_ref`): the way out names the file's other columns, which may hold it.
    static func noCustomerColumnNote(_ columns: [ColumnPlan]) -> String? {
        guard let customer = columns.first(where: { $0.name == "customer_id" }), customer.header == nil else { return nil }
        let others = columns.filter { $0.canonical == nil && $0.header != nil }.compactMap(\.header)
        // The example is a column that may hold a key (an id, a number, an e-mail), never a name: two customers
        // share a name, and one customer writes it two ways (`購入者 名前` was suggested for ColorMe's export).
        let names = others.filter(isNameHeader)
        let example = others.first { !isNameHeader($0) && isKeyHeader($0) } ?? others.first { !isNameHeader($0) } ?? "Header"
        return "no column of the file was read as customer_id, so every order is a guest order"
            + (others.isEmpty ? "" : " (columns not used for a role: " + others.prefix(6).map { "\"\($0)\"" }.joined(separator: ", ") + (others.count > 6 ? ", …" : "") + ")")
            + "; if one holds the customer, load again with map customer_id = \"\(example)\""
            + (names.isEmpty ? "" : " (not \(names.prefix(2).map { "\"\($0)\"" }.joined(separator: " or ")): a name is no key, two customers may share one)")
    }

    /// A header naming a person's name (`name`, `氏名`, `購入者 名前`, `お名前(姓)`), not a product's.
    static func isNameHeader(_ header: String) -> Bool {
        let h = HeaderAliases.normalize(header)
        let product = ["product", "item", "商品", "品名", "店舗", "shop", "campaign", "キャンペーン"].contains { h.contains($0) }
        return !product && ["name", "名前", "氏名", "姓", "カナ", "フリガナ"].contains { h.contains($0) }
    }

    /// A header that may hold a customer key: an id, a number, a code, a reference or an e-mail.
    static func isKeyHeader(_ header: String) -> Bool {
        let h = HeaderAliases.normalize(header)
        return ["id", "ref", "number", "code", "mail", "番号", "コード", "メール", "ＩＤ"].contains { h.contains($0) }
    }

    /// The headers stored under ecsh's field names (`signup_date` → `signed_up_at`), in one line: a segment or `where`
    /// then names the field, not the header, and before this only an error on the header's name said so. Columns
    /// with a note of their own (the amount's) are named there already.
    static func renamedNote(_ columns: [ColumnPlan]) -> String? {
        let renamed = columns.filter { c in
            // `status_raw` (derived) keeps the word of the header `status`, whose meaning `status` holds: no rename.
            c.canonical?.derived == false && c.note == nil
                && c.header.map { h in HeaderAliases.normalize(h) != HeaderAliases.normalize(c.name)
                    && !columns.contains { HeaderAliases.normalize($0.name) == HeaderAliases.normalize(h) } } == true
        }
        guard !renamed.isEmpty else { return nil }
        let pairs = renamed.prefix(8).map { "'\($0.header!)' → \($0.name)" }
        return "stored under ecsh's names: " + pairs.joined(separator: ", ") + (renamed.count > 8 ? ", …" : "")
            + " (segments, where and sql use these names)"
    }

    /// What the comment byte did: every skipped line is counted, and a row that starts with it is named.
    static func commentNotes(_ outcome: LoadOutcome, dialect: CSVDialect) -> [String] {
        guard let byte = dialect.comment else { return [] }
        let mark = CSVDialect.show(byte)
        func lines(_ list: [Int], of total: Int) -> String {
            (list.count == 1 ? "line " : "lines ") + list.map(String.init).joined(separator: ", ") + (total > list.count ? ", …" : "")
        }
        var notes: [String] = []
        if outcome.commentLines > 0 {
            let n = outcome.commentLines
            notes.append("skipped \(LoadSummary.grouped(n)) comment line\(n == 1 ? "" : "s") (starting with '\(mark)'): "
                         + lines(outcome.firstCommentLines, of: n))
        }
        if outcome.commentLikeRows > 0, let fields = dialect.commentRowFields {
            let n = outcome.commentLikeRows
            notes.append("\(n == 1 ? "1 line starts" : "\(LoadSummary.grouped(n)) lines start") with '\(mark)' but \(n == 1 ? "has" : "have") "
                         + "the header's \(fields) fields, so \(n == 1 ? "it was read as a row, not a comment" : "they were read as rows, not comments"): "
                         + lines(outcome.firstCommentLikeRows, of: n) + "; to skip \(n == 1 ? "it as a comment" : "them as comments"): with comment '\(mark)'")
        }
        return notes
    }

    /// Orders a preset loaded without a price (Amazon's pending and cancelled orders), nil when there were none.
    static func unpricedNote(_ outcome: LoadOutcome) -> String? {
        let n = outcome.unpriced
        guard n > 0 else { return nil }
        let named = outcome.firstUnpriced.map { "\($0.order) (line \($0.line))" }.joined(separator: ", ") + (n > outcome.firstUnpriced.count ? ", …" : "")
        return "\(n == 1 ? "1 pending or cancelled order has" : "\(LoadSummary.grouped(n)) pending or cancelled orders have") no price (the report leaves the prices of such orders empty): "
            + "\(named); loaded with amount empty: \(n == 1 ? "it adds" : "they add") nothing to gmv or revenue until a later report prices \(n == 1 ? "it" : "them") "
            + "(a pending one counts in orders while pending orders count as sales, the default, and so lowers aov)"
    }

    /// Cancelled items of orders that kept other items (Amazon's `item-status`), nil when there were none.
    static func cancelledItemsNote(_ outcome: LoadOutcome) -> String? {
        let n = outcome.cancelledItems
        guard n > 0 else { return nil }
        let named = outcome.firstCancelledItems.map { "\($0.order) (line \($0.line))" }.joined(separator: ", ") + (n > outcome.firstCancelledItems.count ? ", …" : "")
        return "\(n == 1 ? "1 item was" : "\(LoadSummary.grouped(n)) items were") cancelled in an order that kept other items (item-status): "
            + "\(named); \(n == 1 ? "it adds" : "they add") nothing to the order's amount, discount, shipping or quantity"
    }

    /// Amounts in two currencies cannot be added: a preset export with more than one stops the load, unless
    /// `with currency` picks one (then the note counts the orders left out). Nil when there is nothing to say.
    static func currencyCheck(_ collapse: OrderCollapser, _ request: LoadRequest, shown: String) throws -> [String] {
        let byCount = collapse.currencies.sorted { ($0.value.orders, $1.key) > ($1.value.orders, $0.key) }
        let loaded = request.options.currency ?? (byCount.count == 1 ? byCount[0].key : nil)
        var notes = try currencyCheck(collapse, request, byCount: byCount).map { [$0] } ?? []
        // The workspace's `currency` setting says how amounts are shown: USD orders under JPY would show $40.00 as ¥40.
        if let loaded, loaded.uppercased() != shown.uppercased() {
            notes.append("the orders are in \(loaded) but the workspace shows amounts as \(shown) (its currency setting): "
                         + "set currency \(loaded.uppercased()) (amounts stay as loaded; only how they are shown changes)")
        }
        return notes
    }

    /// The workspace's `currency` setting (`ecsh_settings`), JPY when none was set.
    static func shownCurrency(_ db: Database) throws -> String {
        guard try db.tableExists("ecsh_settings") else { return "JPY" }
        return try db.query("SELECT value FROM ecsh_settings WHERE name = 'currency'").rows.first?[0].textValue ?? "JPY"
    }

    private static func currencyCheck(_ collapse: OrderCollapser, _ request: LoadRequest,
                                      byCount: [(key: String, value: (orders: Int, line: Int))]) throws -> String? {
        let listed = byCount.map { "\($0.key) ×\(LoadSummary.grouped($0.value.orders))" }.joined(separator: ", ")
        if let wanted = request.options.currency {
            guard collapse.currencies[wanted] != nil else {
                throw LoadError(file: request.path, reason: "no order is in \(wanted) (the file's currencies: \(listed.isEmpty ? "none" : listed))",
                                help: byCount.first.map { "load orders from '\(request.path)' with currency '\($0.key)' preset \(collapse.preset.name)" })
            }
            let n = collapse.otherCurrencyOrders
            guard n > 0 else { return nil }
            return "left out \(LoadSummary.grouped(n)) order\(n == 1 ? "" : "s") in another currency than \(wanted) (the file's currencies: \(listed)): "
                + "load \(n == 1 ? "it" : "them") into another workspace with currency '…'"
        }
        guard byCount.count > 1, let main = byCount.first, let other = byCount.dropFirst().first else { return nil }
        throw LoadError(file: request.path, line: other.value.line,
                        reason: "the orders are in \(byCount.count) currencies (\(listed)): their amounts cannot be added into one gmv",
                        help: "load one currency's orders: load orders from '\(request.path)' with currency '\(main.key)' preset \(collapse.preset.name) (the others are left out, and a note counts them)")
    }
}
