/// A known export layout: which headers feed which fields, and how line items collapse into orders.
///
/// Both Shopify's order export and Rakuten RMS's order download write one row
/// per line item; order-level values sit on the first row (Shopify) or repeat
/// on each (Rakuten). The loader collapses consecutive rows with the same order
/// id: quantities add up, every other field keeps its first non-empty value.
struct Preset: Sendable {
    let name: String
    /// Canonical field → header names to look for, first match wins.
    let headers: [String: [String]]
    /// Fields with one value for the whole file.
    let constants: [String: String]
    /// Adjusts a collapsed order row: `(values, column names)`.
    let finish: @Sendable (inout [Value], [String]) -> Void

    static let known = ["shopify", "rakuten"]

    static func named(_ name: String) -> Preset? {
        switch name.lowercased() {
        case "shopify": return shopify
        case "rakuten", "rms", "rakuten_rms": return rakuten
        default: return nil
        }
    }

    /// When headers look like a known export loaded without its preset, the clause to add.
    static func suggestion(for headers: [String], path: String) -> String? {
        let set = Set(headers)
        if set.contains("Lineitem quantity") && set.contains("Name") {
            return "this looks like a Shopify orders export (one row per line item): load orders from '\(path)' preset shopify"
        }
        if set.contains("注文番号") && (set.contains("個数") || set.contains("商品名")) {
            return "this looks like a Rakuten RMS order download (one row per item): load orders from '\(path)' preset rakuten"
        }
        return nil
    }

    /// Shopify admin → Orders → Export (CSV for Excel or plain CSV).
    static let shopify = Preset(
        name: "shopify",
        headers: [
            "order_id": ["Name"], "customer_id": ["Email", "Customer ID"], "ordered_at": ["Created at"],
            "amount": ["Subtotal"], "discount": ["Discount Amount"], "shipping": ["Shipping"],
            "status": ["Financial Status"], "quantity": ["Lineitem quantity"], "product": ["Lineitem name"],
            "category": ["Product Type"], "commission": [], "points": [], "cogs": [],
        ],
        constants: ["channel": "own"],
        finish: { values, names in
            // Shopify's Subtotal is after discounts; the canonical amount is gross.
            if let a = names.firstIndex(of: "amount"), let d = names.firstIndex(of: "discount"),
               let amount = values[a].doubleValue, let discount = values[d].doubleValue {
                values[a] = .real(amount + discount)
            }
            if let c = names.firstIndex(of: "Cancelled at"), !values[c].isNull, let s = names.firstIndex(of: "status") {
                values[s] = .text("cancelled")
            }
        })

    /// Rakuten RMS order download (受注データダウンロード), CP932.
    static let rakuten = Preset(
        name: "rakuten",
        headers: [
            "order_id": ["注文番号", "受注番号"], "customer_id": ["注文者メールアドレス", "会員ID", "購入者ID"],
            "ordered_at": ["注文日時", "注文日"], "amount": ["商品合計金額", "合計金額"],
            "discount": ["クーポン利用総額", "クーポン利用額"], "points": ["ポイント利用額", "ポイント利用数"],
            "shipping": ["送料合計", "送料"], "commission": ["決済手数料"], "status": ["ステータス"],
            "quantity": ["個数", "数量"], "product": ["商品名"], "category": ["カテゴリ"], "cogs": [],
        ],
        constants: ["channel": "rakuten"],
        finish: { values, names in
            // RMS statuses are Japanese; the metrics look for cancelled/returned.
            guard let s = names.firstIndex(of: "status"), case .text(let status) = values[s] else { return }
            if status.contains("キャンセル") { values[s] = .text("cancelled") }
            else if status.contains("発送済") || status.contains("完了") { values[s] = .text("shipped") }
            else if status.contains("返品") { values[s] = .text("returned") }
        })
}
