extension Preset {
    /// Rakuten RMS order download (受注データダウンロード): CP932, CRLF, every field quoted.
    ///
    /// Order fields repeat on every item row. `合計` is the order's goods total
    /// (before tax, shipping, points and coupons), so it is the amount; without
    /// it the amount is Σ 単価 × 個数. Headers may carry notes such as
    /// `合計金額(-99999=無効値)`: in those columns -99999 means no value.
    /// The buyer key is the e-mail address (RMS gives no member id).
    static let rakuten = Preset(
        name: "rakuten", title: "Rakuten RMS order download (one row per item)",
        headers: [
            "order_id": ["受注番号", "注文番号"], "customer_id": ["メールアドレス", "注文者メールアドレス"],
            "ordered_at": ["注文日時", "注文日"], "amount": ["合計", "商品合計金額"],
            "discount": ["クーポン利用総額", "クーポン利用額"], "points": ["ポイント利用額", "ポイント利用数"],
            "shipping": ["送料", "送料合計"], "status": ["受注ステータス", "ステータス"],
            "quantity": ["個数", "数量"], "product": ["商品名"], "category": ["カテゴリ"],
            "commission": [], "cogs": [], "channel": [],
        ],
        constants: ["channel": "rakuten"],
        itemAmount: (price: "単価", quantity: "個数"),
        // 注文番号 with 商品名 and 個数 is every cart's item export (EC-CUBE, MakeShop): the second group holds
        // headers only RMS writes, so the hint does not send those files to this preset.
        signature: [["受注番号", "注文番号"], ["受注ステータス", "請求金額", "クーポン利用総額", "楽天会員フラグ"]],
        finish: { values, columns in
            for k in values.indices where columns.headers[k]?.contains("-99999") == true
                && values[k].doubleValue == -99999 {
                values[k] = .null
            }
            PresetColumns.emailKey(&values, at: columns.index("customer_id"))
            // 注文日 + 注文時間 in two columns: the time joins the date.
            if let o = columns.index("ordered_at"), case .text(let day) = values[o], day.count == 10,
               let t = columns.index("注文時間"), let time = Preset.clockTime(values[t]) {
                values[o] = .text(day + " " + time)
            }
        })

    /// `9:05` or `09:05:00` as `09:05:00`; nil when it is not a time of day.
    static func clockTime(_ value: Value) -> String? {
        guard case .text(let text) = value else { return nil }
        let parts = text.trimmingBlanks.split(separator: ":").map { Int($0) }
        guard parts.count >= 2, parts.count <= 3, !parts.contains(nil) else { return nil }
        let n = parts.compactMap { $0 } + [0]
        guard (0..<24).contains(n[0]), (0..<60).contains(n[1]), (0..<60).contains(n[2]) else { return nil }
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return "\(two(n[0])):\(two(n[1])):\(two(n[2]))"
    }
}
