import Testing
@testable import ECStore

/// Japanese own-shop carts' order exports loaded without a preset (docs/presets.md, "Own-shop exports"): the
/// status column each names its own way, its words, the item price, and files with one row per item.
@Suite struct OwnShopExportTests {
    /// GMV, orders and customers as the KPIs count them: every status but cancelled, returned, refunded, failed.
    static func sales(_ f: LoadFixture) throws -> [Value] {
        try f.rows("""
            SELECT sum(amount), count(*), count(DISTINCT customer_id) FROM orders
            WHERE coalesce(status, '') NOT IN ('cancelled', 'returned', 'refunded', 'failed')
            """)[0]
    }

    /// EC-CUBE 4's order CSV (Shift_JIS), orders of one item: `対応状況(ID)` beside `対応状況(名称)`, the name is the
    /// status; 注文取消し, 返品 and 購入処理中 (a checkout never finished) are no sales.
    @Test func eccubeStatusNamesAreStatus() throws {
        let text = """
            注文ID,注文番号,会員ID,お名前(姓),メールアドレス,小計,値引き,送料,税金,合計,支払合計,対応状況(ID),対応状況(名称),受注日,注文詳細ID,商品名,価格,個数
            1,1001,12,山田,taro@example.jp,3300,0,800,300,4100,4100,5,発送済み,2024-04-01 10:00:00,1,石鹸,1100,3
            2,1002,,佐藤,hanako@example.jp,2200,200,800,200,2800,2800,3,注文取消し,2024-04-02 11:00:00,3,タオル,1100,2
            3,1003,12,山田,taro@example.jp,5500,0,0,500,5500,5500,4,対応中,2024-04-03 12:00:00,4,バスマット,5500,1
            4,1004,13,鈴木,ichiro@example.jp,1100,0,800,100,1900,1900,9,返品,2024-04-04 13:00:00,5,石鹸,1100,1
            5,1005,14,田中,jiro@example.jp,2200,100,800,200,3000,3000,1,新規受付,2024-04-05 13:00:00,6,タオル,1100,2
            6,1006,,高橋,sab@example.jp,1100,0,800,100,1900,1900,8,購入処理中,2024-04-06 13:00:00,7,石鹸,1100,1

            """
        let f = try LoadFixture()
        try f.load(.role(.orders), try f.file("eccube.csv", bytes: encode(text, "CP932")))
        #expect(try f.rows("SELECT order_id, status, status_raw, \"対応状況(ID)\" FROM orders ORDER BY order_id") == [
            ["1001", "completed", "発送済み", 5], ["1002", "cancelled", "注文取消し", 3], ["1003", "pending", "対応中", 4],
            ["1004", "returned", "返品", 9], ["1005", "pending", "新規受付", 1], ["1006", "cancelled", "購入処理中", 8],
        ])
        // Hand-worked: sales are 1001 (小計 3,300), 1003 (5,500), 1005 (2,200) = 11,000 in 3 orders, members 12 and 14.
        #expect(try OwnShopExportTests.sales(f) == [11000.0, 3, 2])
    }

    /// BASE (UTF-8): `対応状況` 未対応 / 対応中 / 対応済 / キャンセル; `価格` × `数量` is the goods before the
    /// shipping that `合計金額` holds.
    @Test func baseStatusAndItemPrice() throws {
        let text = """
            注文ID,注文日時,氏名(姓),氏名(名),メールアドレス,商品名,価格,数量,送料,合計金額,対応状況
            A1B2C3,2024-04-01 10:00:00,山田,太郎,taro@example.jp,石鹸,1100,3,800,4100,対応済
            D4E5F6,2024-04-02 11:00:00,佐藤,花子,hanako@example.jp,タオル,1100,2,800,3000,キャンセル
            G7H8I9,2024-04-03 12:00:00,山田,太郎,taro@example.jp,バスマット,5500,1,0,5500,未対応
            J1K2L3,2024-04-04 12:00:00,鈴木,一郎,ichiro@example.jp,石鹸,1100,1,800,1900,対応中

            """
        let f = try LoadFixture()
        try f.load(.role(.orders), try f.file("base.csv", text))
        // Hand-worked: 3 × 1,100 + 5,500 + 1,100 = 9,900 (D4E5F6 cancelled), 3 orders, taro and ichiro.
        #expect(try OwnShopExportTests.sales(f) == [9900.0, 3, 2])
        #expect(try f.rows("SELECT shipping FROM orders WHERE order_id = 'A1B2C3'") == [[800.0]])
    }

    /// MakeShop (Shift_JIS): `処理状況` 配送 / 未処理 / 注文キャンセル / 返送; `販売価格` is one unit's price.
    @Test func makeshopStatusAndItemPrice() throws {
        let text = """
            日付,注文時間,注文番号,処理状況,注文者,メールアドレス,会員ID,商品名,数量,販売価格,送料,合計金額
            2024/4/1,100000,P1001,配送,山田太郎,taro@example.jp,yamada,石鹸,3,1100,800,4100
            2024/4/2,110000,P1002,注文キャンセル,佐藤花子,hanako@example.jp,,タオル,2,1100,800,3000
            2024/4/3,120000,P1003,未処理,山田太郎,taro@example.jp,yamada,バスマット,1,5500,0,5500
            2024/4/4,130000,P1004,返送,鈴木一郎,ichiro@example.jp,suzuki,石鹸,1,1100,800,1900

            """
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("makeshop.csv", bytes: encode(text, "CP932")))
        #expect(!s.notes.contains { $0.contains("preset rakuten") }, "\(s.notes)")
        // Hand-worked: P1001 3 × 1,100 + P1003 5,500 = 8,800 in 2 orders, one member (yamada).
        #expect(try OwnShopExportTests.sales(f) == [8800.0, 2, 1])
        #expect(try f.rows("SELECT status FROM orders ORDER BY order_id") == [["completed"], ["cancelled"], ["pending"], ["returned"]])
    }

    /// カラーミーショップ-like headers: `売上ID` is the order id, `購入者 メールアドレス` the buyer; no status column,
    /// so the load names the cancel flag first and how to read it. Mapped, the cancelled order is no sale.
    @Test func colormeCancelFlagIsNamed() throws {
        let text = """
            売上ID,受注日,購入者 名前,購入者 メールアドレス,商品合計金額,送料,合計金額,入金状況,発送状況,キャンセル
            101,2024-04-01,山田,taro@example.jp,3300,800,4100,入金済み,発送済み,
            102,2024-04-02,佐藤,hanako@example.jp,2200,800,3000,未入金,未発送,キャンセル

            """
        let f = try LoadFixture()
        let path = try f.file("colorme.csv", text)
        let s = try f.load(.role(.orders), path)
        #expect(s.notes.contains("no column became status, so every order counts as a sale (cancelled ones too); 'キャンセル', '入金状況', '発送状況' may say an order's state: load orders from '\(path)' map status = \"キャンセル\" reads it (words it does not know are listed)"), "\(s.notes)")
        #expect(try f.rows("SELECT order_id, customer_id FROM orders ORDER BY order_id") == [["101", "taro@example.jp"], ["102", "hanako@example.jp"]])
        let g = try LoadFixture()
        try g.load(.role(.orders), try g.file("colorme.csv", text), map: ["status": "キャンセル"])
        // Hand-worked: 101 alone is a sale: 3,300, 1 order, 1 customer.
        #expect(try OwnShopExportTests.sales(g) == [3300.0, 1, 1])
    }

    /// One row per item without a preset: the repeat error says the rows are an order's items, names no
    /// preset the file is not, and what on_error skip would keep.
    @Test func itemRowsWithoutPresetSayWhatTheyAre() throws {
        let text = """
            注文番号,会員ID,受注日,小計,対応状況,商品名,価格,個数
            1001,12,2024-04-01 10:00:00,3300,発送済み,石鹸,1100,2
            1001,12,2024-04-01 10:00:00,3300,発送済み,タオル,1100,1

            """
        let f = try LoadFixture()
        let path = try f.file("items.csv", text)
        do {
            try f.load(.role(.orders), path)
            Issue.record("expected an error: two rows of order 1001")
        } catch let e as LoadError {
            #expect(e.line == 2)
            #expect(e.help?.hasPrefix("the rows differ only in an item's columns (quantity, product): the file has one row per item") == true, "\(e)")
            #expect(e.help?.contains("load table order_items from '\(path)'") == true)
            #expect(e.help?.contains("keeps only each order's last item") == true)
            #expect(e.help?.contains("preset rakuten") == false)
        }
    }

    /// The carts' status words.
    @Test(arguments: [
        ("注文取消し", "cancelled"), ("注文キャンセル", "cancelled"), ("購入処理中", "cancelled"), ("返送", "returned"),
        ("対応中", "pending"), ("未対応", "pending"), ("未処理", "pending"), ("対応済", "completed"), ("配送", "completed"),
        ("配送中", "completed"), ("着荷", "completed"),
    ])
    func cartStatusWords(_ word: String, _ status: String) {
        #expect(StatusVocabulary.status(of: word) == status)
    }
}

/// `(12)` and `▲12`: accounting's negatives in an amount; a column of nothing but bracketed numbers is codes.
@Suite struct BracketedNumberTests {
    @Test func amountsReadNegativeCodesStayTextCountsAreNoted() throws {
        let f = try LoadFixture()
        let path = try f.file("neg.csv", """
            order_id,ordered_at,amount,quantity,customer_id,branch
            1,2024-04-01,(1000),(2),(123),(12)
            2,2024-04-02,▲500,1,C2,(7)
            3,2024-04-03,700,1,C3,(45)

            """)
        let s = try f.load(.role(.orders), path)
        // Hand-worked: amounts -1,000, -500, 700; the branch codes kept as written; quantity -2 with a note.
        #expect(try f.rows("SELECT order_id, amount, quantity, customer_id, branch FROM orders ORDER BY order_id") == [
            ["1", -1000.0, -2, "(123)", "(12)"], ["2", -500.0, 1, "C2", "(7)"], ["3", 700.0, 1, "C3", "(45)"],
        ])
        #expect(s.notes.contains { $0.hasPrefix("column 6 'branch' is kept as text: every value is a number in parentheses ((12) at line 2)") }, "\(s.notes)")
        #expect(s.notes.contains { $0.hasPrefix("quantity 'quantity' has numbers in parentheses ((2) at line 2), read as negatives") }, "\(s.notes)")
    }

    /// A plain table: a column with a negative in parentheses among positives is accounting's, read as numbers.
    @Test func bracketsAmongPositivesAreNegatives() throws {
        let f = try LoadFixture()
        let s = try f.load(.table("t"), try f.file("t.csv", "id,refund,code\n1,(1000),(3)\n2,500,(4)\n"))
        #expect(try f.rows("SELECT refund, code FROM t ORDER BY id") == [[-1000, "(3)"], [500, "(4)"]])
        #expect(!s.notes.contains { $0.contains("'refund'") })
    }
}
