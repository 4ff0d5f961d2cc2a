import Testing
@testable import ECStore

/// The status vocabulary, word by word: every spelling a shop, mall or payment provider uses.
@Suite struct StatusVocabularyTests {
    @Test(arguments: [
        // English, both spellings, any case, with spaces, underscores or hyphens.
        ("cancelled", "cancelled"), ("canceled", "cancelled"), ("CANCELED", "cancelled"), ("Cancelled", "cancelled"),
        ("voided", "cancelled"), ("void", "cancelled"), ("expired", "cancelled"),
        ("refunded", "refunded"), ("partially_refunded", "partially_refunded"), ("Partially Refunded", "partially_refunded"),
        ("returned", "returned"), ("paid", "completed"), ("fulfilled", "completed"), ("shipped", "completed"),
        ("Delivered", "completed"), ("completed", "completed"), ("pending", "pending"), ("authorized", "pending"),
        ("on-hold", "pending"), ("On Hold", "pending"), ("partially_paid", "pending"), ("failed", "failed"),
        // Amazon's order-status values.
        ("Shipped", "completed"), ("Unshipped", "pending"), ("PartiallyShipped", "pending"), ("Canceled", "cancelled"),
        ("Unfulfillable", "failed"), ("InvoiceUnconfirmed", "pending"), ("PendingAvailability", "pending"),
        // Japanese, full-width and half-width.
        ("キャンセル", "cancelled"), ("キャンセル確定", "cancelled"), ("ｷｬﾝｾﾙ", "cancelled"), ("返品", "returned"),
        ("返金", "refunded"), ("発送済", "completed"), ("発送済み", "completed"), ("発送完了", "completed"),
        ("完了", "completed"), ("新規受付", "pending"), ("注文確認待ち", "pending"), ("楽天処理中", "pending"),
        ("発送待ち", "pending"), ("発送後入金待ち", "pending"), ("入金待ち", "pending"), ("決済処理中", "pending"),
        ("保留", "pending"), ("予約中", "pending"), ("ＣＡＮＣＥＬＬＥＤ", "cancelled"), (" paid ", "completed"),
        // Rakuten RMS's order progress 100–900: 600 and 700 come after shipping, 800 is a cancellation.
        ("変更確定待ち", "pending"), ("支払手続き中", "completed"), ("支払手続き済", "completed"),
        ("キャンセル確定待ち", "cancelled"),
        // Amazon's shipped sub-statuses.
        ("Shipping", "pending"), ("Shipped - Delivered to Buyer", "completed"),
        ("Shipped - Returned to Seller", "returned"), ("Shipped - Rejected by Buyer", "returned"),
        ("Shipped - Lost in Transit", "refunded"),
        // Easy Ship's package statuses in the order report: damaged is refunded like lost, undeliverable goes back.
        ("Shipped - Damaged", "refunded"), ("Shipped - Lost", "refunded"), ("Shipped - Undeliverable", "returned"),
        ("Shipped - Returning to Seller", "returned"), ("Shipped - Out for Delivery", "completed"),
        ("Shipped - Picked Up", "completed"), ("Shipped - Dropped Off", "completed"), ("Shipped - At Origin FC", "completed"),
        ("Shipped - At Destination FC", "completed"),
    ])
    func knownWords(_ raw: String, _ status: String) {
        #expect(StatusVocabulary.status(of: raw) == status, "\(raw)")
    }

    @Test func unknownWordsAreNotGuessed() {
        for raw in ["weird thing", "cancelled-ish", "", "   ", "発送"] {
            #expect(StatusVocabulary.status(of: raw) == nil, "\(raw)")
        }
        #expect(StatusVocabulary.unknownForm(" Ｗeird Thing ") == "weird thing")
    }

    @Test func workspaceWordsWin() {
        let extra = [StatusVocabulary.key("On Hold"): "cancelled", StatusVocabulary.key("出荷保留"): "pending"]
        #expect(StatusVocabulary.status(of: "on-hold", extra: extra) == "cancelled")
        #expect(StatusVocabulary.status(of: "出荷保留", extra: extra) == "pending")
        #expect(StatusVocabulary.status(of: "paid", extra: extra) == "completed")
    }

    /// Every cancellation spelling ends up as `cancelled`, the word the counted-order rule excludes.
    @Test func noCancelSpellingIsASale() {
        let cancels = ["canceled", "cancelled", "Canceled", "CANCELLED", "voided", "キャンセル", "キャンセル確定", "ｷｬﾝｾﾙ", "取消"]
        #expect(cancels.allSatisfy { StatusVocabulary.status(of: $0) == "cancelled" })
    }

    /// A file of 12 orders with 6 cancellation words: 6 cancelled, whatever the spelling; the raw word kept.
    @Test func loadStoresMeaningAndRawWord() throws {
        let f = try LoadFixture()
        let words = ["paid", "canceled", "shipped", "voided", "キャンセル", "完了", "ｷｬﾝｾﾙ", "delivered", "Cancelled",
                     "発送済み", "キャンセル確定", "fulfilled"]
        var text = "order_id,customer_id,ordered_at,amount,status\n"
        for (i, w) in words.enumerated() { text += "O\(i),C\(i),2024-01-0\(i % 9 + 1),100,\(w)\n" }
        let s = try f.load(.role(.orders), try f.file("o.csv", text))
        #expect(s.statuses == [LoadSummary.Count(name: "completed", count: 6), LoadSummary.Count(name: "cancelled", count: 6)])
        #expect(s.statusLine == "statuses: 6 completed · 6 cancelled")
        #expect(try f.rows("SELECT status_raw FROM orders WHERE status = 'cancelled' ORDER BY CAST(substr(order_id, 2) AS INTEGER)").map { $0[0].description }
                == ["canceled", "voided", "キャンセル", "ｷｬﾝｾﾙ", "Cancelled", "キャンセル確定"])
    }

    @Test func unknownStatusIsInTheSummary() throws {
        let f = try LoadFixture()
        let path = try f.file("o.csv", "order_id,customer_id,ordered_at,amount,status\nA,c,2024-01-01,1,paid\nB,c,2024-01-02,2,Awaiting Pickup\nC,c,2024-01-03,3,Awaiting Pickup\n")
        let s = try f.load(.role(.orders), path)
        #expect(s.unknownStatuses == [LoadSummary.UnknownStatus(raw: "Awaiting Pickup", stored: "awaiting pickup", count: 2)])
        #expect(s.statusLine == "statuses: 1 completed · 2 unknown")
        // A workspace word applies to the next load.
        try f.db.execute("CREATE TABLE IF NOT EXISTS ecsh_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        try f.db.execute("INSERT INTO ecsh_settings VALUES ('status_word:' || ?, 'pending')", [.text(StatusVocabulary.key("awaiting pickup"))])
        let again = try f.load(.role(.orders), path)
        #expect(again.unknownStatuses.isEmpty)
        #expect(again.statusLine == "statuses: 1 completed · 2 pending")
    }
}
