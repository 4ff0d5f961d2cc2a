/// Header names that map to canonical fields without a `map` clause, in English and Japanese.
///
/// Matching ignores case, spaces, `_`, `-`, `.` and full-width spaces, so "Order ID",
/// "order_id" and "ORDER-ID" all read as "orderid". Earlier aliases win, so
/// specific names ("customer id") beat fallbacks ("email").
enum HeaderAliases {
    static func normalize(_ header: String) -> String {
        var out = ""
        for ch in header.lowercased() where !" _-.\u{3000}\t#:()（）".contains(ch) {
            out.append(ch)
        }
        return out
    }

    /// The header without a trailing note in parentheses: `合計金額(-99999=無効値)` → `合計金額`.
    static func withoutNotes(_ header: String) -> String {
        var text = Substring(header.trimmingBlanks)
        while let last = text.last, last == ")" || last == "）",
              let open = text.lastIndex(where: { $0 == "(" || $0 == "（" }), open > text.startIndex {
            text = text[..<open]
            while let c = text.last, c == " " || c == "\u{3000}" { text.removeLast() }
        }
        return String(text)
    }

    /// Among headers that read alike without their notes, the one noted as the name when the others are noted as
    /// the code: EC-CUBE writes `対応状況(ID)` (`5`) and `対応状況(名称)` (`発送済み`). Nil otherwise.
    static func namedAmongCodes(_ headers: [String]) -> Int? {
        let notes = headers.map { normalize(String($0.trimmingBlanks.dropFirst(withoutNotes($0).count))) }
        let named = notes.indices.filter { ["名称", "name"].contains(notes[$0]) }
        guard named.count == 1, notes.indices.allSatisfy({ $0 == named[0] || ["id", "コード", "code"].contains(notes[$0]) }) else { return nil }
        return named[0]
    }

    /// Headers that start a shipment's block in an order export (EC-CUBE's `配送ID`, `配送先_お名前(姓)`, `出荷ID`).
    private static let shipmentBlockPrefixes = ["配送id", "出荷id", "配送先", "お届け先", "出荷"].map(normalize)

    /// Among alike headers (`送料` twice in EC-CUBE's order CSV), the one that is the order's: the first, when every
    /// later one stands in a shipment's block (after a `配送ID`, `配送先…` header) and the first before it, with the block's
    /// first column. nil otherwise.
    static func orderLevelAmongShipments(_ columns: [Int], normalized: [String]) -> (order: Int, block: Int)? {
        guard let first = columns.first, columns.count > 1,
              let block = normalized.indices.first(where: { i in shipmentBlockPrefixes.contains { normalized[i].hasPrefix($0) } }),
              first < block, columns.dropFirst().allSatisfy({ $0 > block }) else { return nil }
        return (first, block)
    }

    /// The header's note says its times are UTC: `Submit Date (UTC)` (Typeform), `Start Date (GMT)`.
    static func saysUTC(_ header: String) -> Bool {
        let note = header.trimmingBlanks.dropFirst(withoutNotes(header).count).uppercased()
        return ["(UTC)", "（UTC）", "(GMT)", "（GMT）", "(UTC+0)", "(UTC+00:00)"].contains { note.hasSuffix($0) }
    }

    /// `aliases(role:field:)`, normalized: worked out once for every role's fields, not for every load.
    static func normalizedAliases(role: DatasetRole, field: String) -> [String] {
        normalizedTable[role]?[field] ?? aliases(role: role, field: field).map(normalize)
    }

    private static let normalizedTable: [DatasetRole: [String: [String]]] = Dictionary(uniqueKeysWithValues: DatasetRole.allCases.map { role in
        (role, Dictionary(role.fields.map { ($0.name, aliases(role: role, field: $0.name).map(normalize)) }, uniquingKeysWith: { a, _ in a }))
    })

    /// Amount headers that name the price of one unit, not the order's amount (normalized).
    static let unitPrice: Set<String> = Set(["price", "unit price", "単価", "販売単価", "価格", "販売価格", "商品単価"].map(normalize))

    /// Amount headers that name an order's total, which may include tax and shipping (normalized): a unit price
    /// times a quantity is the goods' value and comes before them (`Loader.amountKeys`).
    static let totals: Set<String> = Set(["total", "order total", "total price", "grand total", "合計金額"].map(normalize))

    /// The one header (normalized) among those not `used` that asks the NPS question, how likely the respondent is
    /// to recommend (`How likely are you to recommend us to a friend?`, `おすすめしたいと思いますか`); nil when none or
    /// several do.
    static func recommendQuestion(_ normalized: [String], used: Set<Int>) -> Int? {
        let words = ["recommend", "すすめ", "勧め", "薦め", "推奨"]
        let found = normalized.indices.filter { i in !used.contains(i) && words.contains { normalized[i].contains($0) } }
        return found.count == 1 ? found[0] : nil
    }

    static func aliases(role: DatasetRole, field: String) -> [String] {
        let shared: [String: [String]] = [
            "customer_id": ["customer_id", "customer id", "customer number", "customer no", "customer", "client id",
                            "user id", "member id", "buyer id", "顧客ID", "顧客番号", "顧客コード", "会員ID", "会員番号",
                            "ユーザーID", "購入者ID", "お客様番号", "email", "e-mail", "email address", "customer email", "メールアドレス",
                            "注文者メールアドレス", "購入者メールアドレス"],
            "channel": ["channel", "sales channel", "source", "販売チャネル", "チャネル", "チャネル名", "販路", "モール", "店舗"],
        ]
        let specific: [String]
        switch (role, field) {
        case (_, "customer_id"): specific = shared["customer_id"]!
        case (.orders, "order_id"):
            specific = ["order_id", "order id", "order number", "order no", "order", "注文番号", "受注番号", "注文ID", "オーダーID", "name",
                        // カラーミーショップ numbers its orders 売上ID.
                        "売上ID"]
        case (.orders, "ordered_at"):
            specific = ["ordered_at", "order date", "order datetime", "order time", "ordered", "created at", "created",
                        "purchase date", "purchased at", "date", "注文日時", "注文日", "受注日時", "受注日", "購入日時", "購入日", "日付"]
        case (.orders, "amount"):
            // GMV is the goods before tax and shipping (docs/metrics.md): a subtotal before a total, a unit
            // price last (`unitPrice`: times the quantity when there is one, and then before a total:
            // `Loader.amountKeys`).
            specific = ["amount", "order amount", "gross", "gross sales", "sales", "subtotal", "sub total", "商品金額", "商品合計金額",
                        "小計", "金額", "注文金額", "売上", "売上金額", "total", "order total", "total price", "grand total", "合計金額",
                        "price", "unit price", "単価", "販売単価",
                        // An item's price in carts' exports: BASE and EC-CUBE 価格, MakeShop 販売価格.
                        "価格", "販売価格", "商品単価"]
        case (.orders, "channel"), (.spend, "channel"): specific = shared["channel"]!
        // GA4 names its channel column after the scope (`Session default channel group`); a first user's channel
        // is a customer's, not a session's, so it is not among these.
        case (.traffic, "channel"): specific = shared["channel"]! + ["session default channel group", "default channel group"]
        case (.orders, "status"): specific = ["status", "order status", "financial status", "ステータス", "注文ステータス", "状態", "受注ステータス",
                                               // EC-CUBE and BASE: 対応状況; MakeShop: 処理状況.
                                               "対応状況", "処理状況"]
        case (.orders, "discount"):
            specific = ["discount", "discount amount", "discounts", "coupon", "割引", "割引額", "割引金額", "値引き", "値引額", "クーポン利用額", "クーポン利用総額"]
        case (.orders, "points"): specific = ["points", "points used", "point", "ポイント", "ポイント利用額", "利用ポイント", "ポイント利用"]
        case (.orders, "cogs"): specific = ["cogs", "cost", "cost of goods", "cost of goods sold", "原価", "仕入原価", "商品原価"]
        case (.orders, "shipping"): specific = ["shipping", "shipping fee", "shipping cost", "delivery fee", "送料", "送料合計", "配送料"]
        case (.orders, "commission"): specific = ["commission", "fee", "fees", "transaction fee", "手数料", "決済手数料", "販売手数料", "モール手数料"]
        case (.orders, "quantity"): specific = ["quantity", "qty", "units", "items", "数量", "個数", "購入数"]
        case (.orders, "product"): specific = ["product", "product name", "item", "item name", "title", "商品名", "商品"]
        case (.orders, "category"): specific = ["category", "product category", "product type", "カテゴリ", "カテゴリー", "商品カテゴリ", "分類"]
        case (.customers, "signed_up_at"):
            specific = ["signed_up_at", "signup date", "signed up", "sign up date", "registered at", "registration date",
                        "created at", "created", "joined", "登録日", "登録日時", "会員登録日", "入会日", "作成日"]
        case (.customers, "acquisition_channel"):
            specific = ["acquisition_channel", "acquisition channel", "acquisition source", "source", "channel", "流入経路", "獲得チャネル", "流入元"]
        case (.traffic, "date"): specific = ["date", "day", "日付", "日", "年月日"]
        // Meta's export gives each row a range (`Reporting starts`, `Reporting ends`): `Loader.settleSpendRanges`.
        case (.spend, "date"): specific = ["date", "day", "日付", "日", "年月日", "reporting starts", "レポート開始日"]
        case (.spend, "spend"): specific = ["spend", "ad spend", "cost", "amount", "spent", "amount spent", "広告費", "費用", "消化金額", "コスト", "広告費用", "ご利用金額", "利用金額", "実績額"]
        case (.spend, "campaign"): specific = ["campaign", "campaign name", "キャンペーン", "キャンペーン名"]
        case (.spend, "impressions"): specific = ["impressions", "imps", "impr", "表示回数", "インプレッション", "インプレッション数"]
        case (.spend, "clicks"): specific = ["clicks", "click", "クリック", "クリック数"]
        case (.traffic, "sessions"): specific = ["sessions", "visits", "session", "sessions - total", "セッション", "セッション数", "訪問数", "アクセス数"]
        case (.nps, "score"): specific = ["score", "nps", "nps score", "rating", "recommend", "likelihood to recommend", "スコア", "推奨度", "評価"]
        case (.nps, "responded_at"):
            specific = ["responded_at", "response date", "responded", "submitted at", "submitted", "submit date", "date", "created at", "timestamp", "タイムスタンプ",
                        "end date", "回答日", "回答日時", "日付"]
        case (.nps, "response_id"):
            specific = ["response_id", "response id", "responseid", "submission id", "survey response id", "respondent id", "回答ID", "回答番号"]
        case (.nps, "comment"): specific = ["comment", "comments", "feedback", "reason", "コメント", "自由回答", "理由", "ご意見"]
        default: specific = [field]
        }
        return specific
    }
}
