import Foundation

/// The one table that says what an order status word means.
///
/// Shops, malls and payment providers each spell statuses their own way
/// (`canceled`, `Cancelled`, `voided`, `キャンセル確定`, `ｷｬﾝｾﾙ`). The loader
/// stores the word as written in `status_raw` and its meaning here in
/// `status`, so the counted-order rule (`excluded_statuses`) only ever sees
/// the few canonical words and no spelling of a cancellation slips through as
/// a sale. Words are compared after NFKC (full-width and half-width forms
/// fold together), lower-casing, and with spaces, `_` and `-` removed.
public enum StatusVocabulary {
    /// The canonical statuses, in the order summaries list them.
    public static let canonical = ["completed", "pending", "partially_refunded", "refunded", "returned", "cancelled", "failed"]

    /// Words whose meaning depends on the shop system, read as their usual meaning with a note saying what else
    /// they may be. EC-CUBE's 決済処理中 is a checkout whose payment was never confirmed: its admin's order search
    /// leaves such orders out unless asked (and so its sales figures), where elsewhere it is a payment under way.
    public static let debatable: [String: String] = [
        "決済処理中": "a payment under way; in EC-CUBE a checkout whose payment was never confirmed, left out of its order list",
    ]

    /// What each canonical status stands for (docs/presets.md, `describe orders`).
    public static let meaning: [String: String] = [
        "completed": "paid, shipped, delivered or otherwise done",
        "pending": "placed but not yet paid or shipped (awaiting payment, on hold, processing)",
        "partially_refunded": "a sale with part of the money given back",
        "refunded": "all the money given back",
        "returned": "the goods came back",
        "cancelled": "cancelled or voided before it became a sale",
        "failed": "payment failed or was declined",
    ]

    /// Raw word → canonical status. Keys are written as users see them; `key(_:)` folds them.
    static let words: [String: String] = {
        var table: [String: String] = [:]
        func add(_ status: String, _ list: [String]) { for w in list { table[key(w)] = status } }
        add("completed", [
            "completed", "complete", "paid", "fulfilled", "shipped", "delivered", "closed", "done", "success",
            "succeeded", "captured", "settled", "archived", "partially_paid_shipped", "invoiced", "shipping completed",
            "完了", "処理済", "処理済み", "発送済", "発送済み", "発送完了", "出荷済", "出荷済み", "出荷完了", "配送済み",
            "配達完了", "支払済み", "入金済", "入金済み", "決済完了", "取引完了", "受注完了",
            // Rakuten RMS 600 and 700 come after 500 発送済: the goods went out, Rakuten settles the payment.
            "支払手続き中", "支払手続中", "支払手続き済", "支払手続済", "支払手続き済み",
            // Amazon's shipped sub-statuses (order report, Seller Central; Easy Ship's package statuses): on the way or delivered.
            "Shipped - Delivered to Buyer", "Shipped - Out for Delivery", "Shipped - Picked Up", "Shipped - Dropped Off",
            "Shipped - At Origin FC", "Shipped - At Destination FC",
            // Own-shop carts (docs/presets.md, "Own-shop exports"): BASE's 対応済, MakeShop's 配送 (the order went out).
            "対応済", "対応済み", "配送",
            // BASE's deferred payment (後払い): 配送中 (on its way) and 着荷 (delivered) come after 発送完了.
            "配送中", "着荷",
        ])
        add("pending", [
            "pending", "authorized", "authorised", "on-hold", "on hold", "hold", "processing", "unpaid", "unshipped",
            "partially paid", "partially shipped", "partially fulfilled", "unfulfilled", "awaiting payment",
            "awaiting shipment", "payment pending", "pending payment", "new", "open", "accepted", "confirmed",
            "shipping", "in progress", "backordered", "reserved",
            "新規受付", "新規", "注文確認待ち", "楽天処理中", "発送待ち", "発送後入金待ち", "入金待ち", "決済処理中",
            "保留", "処理中", "受付中", "受注", "予約", "予約受付", "出荷待ち", "出荷準備中", "発送準備中", "未発送",
            "未入金", "与信待ち", "確認待ち", "注文確認中", "予約中", "発送前入金待ち", "変更確定待ち",
            "invoice unconfirmed", "pending availability", "partially_paid",
            // BASE's 未対応 and 対応中, EC-CUBE's 対応中, MakeShop's 未処理: placed, not yet shipped.
            "未対応", "対応中", "未処理",
        ])
        add("partially_refunded", ["partially_refunded", "partially refunded", "partial refund", "一部返金", "一部返金済み"])
        add("refunded", ["refunded", "refund", "fully refunded", "返金", "返金済", "返金済み", "返金完了", "全額返金",
                         // Amazon refunds the buyer when the carrier reports the parcel lost or damaged.
                         "Shipped - Lost in Transit", "Shipped - Lost", "Shipped - Damaged"])
        add("returned", ["returned", "return", "returns", "返品", "返品済", "返品済み", "返品完了", "返品受付",
                         // MakeShop's 返送: the parcel came back to the shop.
                         "返送", "返送済み",
                         // Amazon: the parcel went back, undelivered or refused at the door.
                         "Shipped - Returned to Seller", "Shipped - Rejected by Buyer", "Shipped - Returning to Seller",
                         "Shipped - Undeliverable"])
        add("cancelled", [
            "cancelled", "canceled", "cancel", "cancellation", "voided", "void", "cancelled by customer",
            "canceled by customer", "expired", "abandoned", "rejected",
            "キャンセル", "キャンセル確定", "キャンセル済", "キャンセル済み", "キャンセル処理中", "キャンセル申請中",
            "キャンセル確定待ち",  // Rakuten RMS 800: the cancellation awaits confirmation; it is no sale
            "取消", "取消し", "取り消し", "取消済み", "注文取消", "無効",
            // EC-CUBE's 注文取消し, MakeShop's 注文キャンセル; EC-CUBE's 購入処理中 is a checkout the buyer never
            // finished (its admin lists no such order), an abandoned cart, no sale.
            "注文取消し", "注文取り消し", "注文キャンセル", "購入処理中",
        ])
        add("failed", ["failed", "fail", "payment failed", "declined", "payment declined", "error", "unfulfillable",
                       "決済失敗", "与信失敗", "与信NG", "決済エラー"])
        for status in canonical { table[key(status)] = status }
        return table
    }()

    /// The folded form words are compared in: NFKC, lower case, without spaces, `_`, `-` or `・`.
    public static func key(_ word: String) -> String {
        let folded = word.precomposedStringWithCompatibilityMapping.lowercased()
        return String(folded.unicodeScalars.filter { !" \t_-・\u{3000}".unicodeScalars.contains($0) }.map(Character.init))
    }

    /// The canonical status of a raw word, nil when the vocabulary does not know it.
    ///
    /// `extra` holds the workspace's own words (`set status 'WORD', STATUS`),
    /// keyed by `key(_:)`; they win over the built-in table.
    public static func status(of raw: String, extra: [String: String] = [:]) -> String? {
        let k = key(raw)
        if k.isEmpty { return nil }
        return extra[k] ?? words[k]
    }

    /// How an unknown word is stored: folded as `status` compares it (trimmed, NFKC, lower case).
    public static func unknownForm(_ raw: String) -> String {
        raw.precomposedStringWithCompatibilityMapping.lowercased().trimmingCharacters(in: .whitespaces)
    }

    /// The workspace's own words from `ecsh_settings` (`status_word:KEY` → canonical status).
    public static func workspaceWords(_ db: Database) throws -> [String: String] {
        guard try db.tableExists("ecsh_settings") else { return [:] }
        var out: [String: String] = [:]
        for row in try db.query("SELECT name, value FROM ecsh_settings WHERE name LIKE 'status_word:%'").rows {
            guard let name = row[0].textValue, let value = row[1].textValue else { continue }
            out[String(name.dropFirst("status_word:".count))] = value
        }
        return out
    }
}
