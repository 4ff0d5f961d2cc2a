import Testing
@testable import ECStore

@Suite struct PresetTests {
    /// Shopify's orders export: one row per line item, order fields on the first row only.
    static let shopify = """
        Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Cancelled at,Payment Method,Refunded Amount,Vendor,Id,Tags,Risk Level,Source
        #1001,alice@example.com,paid,2024-03-05 10:01:00 +0900,fulfilled,2024-03-06 09:00:00 +0900,yes,JPY,2700,500,270,3470,SPRING,300,Standard,2024-03-05 10:00:00 +0900,2,Green Tea,1000,,GT-1,true,true,fulfilled,Alice,,Shopify Payments,0,Tea Co,5001,,Low,web
        #1001,,,,,,,,,,,,,,,2024-03-05 10:00:00 +0900,1,Tea Cup,1000,,TC-1,true,true,fulfilled,,,,,Tea Co,,,,
        #1002,bob@example.com,refunded,2024-03-06 23:59:00 -0500,unfulfilled,,no,JPY,1500,0,150,1650,,0,,2024-03-06 23:55:10 -0500,3,Matcha,500,,MT-1,true,true,,Bob,2024-03-07 08:00:00 -0500,Shopify Payments,1650,Tea Co,5002,,Low,web

        """

    @Test func shopifyCollapsesLineItems() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("orders_export.csv", PresetTests.shopify), [("timezone", "Asia/Tokyo")],
                           preset: "shopify")
        #expect(s.rows == 2)
        #expect(s.notes.contains("collapsed 3 line items into 2 orders (preset shopify)"))
        // Hand-worked: #1001 gross = Subtotal 2700 + Discount 300 = 3000; quantity 2 + 1.
        // #1002 was cancelled (Cancelled at set); 2024-03-06 23:55:10 -05:00 is 2024-03-07 04:55:10 UTC,
        // 13:55:10 in Tokyo (+9 h): day 19,787 + 2.
        #expect(try f.rows("SELECT order_id, customer_id, ordered_at, day, amount, channel, status, discount, shipping, quantity, product FROM orders ORDER BY order_id") == [
            ["#1001", "alice@example.com", "2024-03-05 10:00:00", 19787, 3000.0, "own", "paid", 300.0, 500.0, 3, "Green Tea"],
            ["#1002", "bob@example.com", "2024-03-07 13:55:10", 19789, 1500.0, "own", "cancelled", 0.0, 0.0, 3, "Matcha"],
        ])
        #expect(try f.rows("SELECT \"Lineitem sku\", Source FROM orders ORDER BY order_id") == [["GT-1", "web"], ["MT-1", "web"]])
    }

    /// Rakuten RMS order download: CP932, one row per item, order totals repeated on each row.
    static let rakuten = """
        注文番号,ステータス,注文日時,合計金額,商品合計金額,送料合計,ポイント利用額,クーポン利用総額,請求金額,注文者メールアドレス,注文者姓,注文者名,商品名,商品番号,単価,個数
        123456-20240305-0000001,発送済み,2024-03-05 21:14:03,3630,3300,330,100,200,3330,a1b2@pc.fw.rakuten.ne.jp,山田,太郎,静岡煎茶 100g,tea-100,1100,2
        123456-20240305-0000001,発送済み,2024-03-05 21:14:03,3630,3300,330,100,200,3330,a1b2@pc.fw.rakuten.ne.jp,山田,太郎,湯呑み,cup-01,1100,1
        123456-20240306-0000002,キャンセル確定,2024-03-06 08:00:00,1100,1100,0,0,0,1100,c3d4@pc.fw.rakuten.ne.jp,佐藤,花子,ほうじ茶,hoji-1,1100,1

        """

    @Test func rakutenCollapsesItemsFromCP932() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("rms.csv", bytes: encode(PresetTests.rakuten, "CP932")), preset: "rakuten")
        #expect(s.rows == 2)
        // Hand-worked: order 1 gross goods 3,300 (2×1,100 + 1×1,100), 3 items, points 100, coupon 200, shipping 330.
        #expect(try f.rows("SELECT order_id, customer_id, ordered_at, amount, points, discount, shipping, quantity, product, channel, status FROM orders ORDER BY order_id") == [
            ["123456-20240305-0000001", "a1b2@pc.fw.rakuten.ne.jp", "2024-03-05 21:14:03", 3300.0, 100.0, 200.0, 330.0, 3, "静岡煎茶 100g", "rakuten", "shipped"],
            ["123456-20240306-0000002", "c3d4@pc.fw.rakuten.ne.jp", "2024-03-06 08:00:00", 1100.0, 0.0, 0.0, 0.0, 1, "ほうじ茶", "rakuten", "cancelled"],
        ])
    }

    @Test func shopifyWithoutPresetSuggestsIt() throws {
        let f = try LoadFixture()
        do {
            try f.load(.role(.orders), try f.file("orders_export.csv", PresetTests.shopify))
            Issue.record("expected an error: line items have no Email")
        } catch let e as LoadError {
            #expect(e.line == 3 && e.field == "Email")
            #expect(e.help?.contains("preset shopify") == true)
        }
    }

    @Test func unknownPresetListsKnownOnes() throws {
        let f = try LoadFixture()
        do {
            try f.load(.role(.orders), try f.file("x.csv", "a\n1\n"), preset: "amazon")
            Issue.record("expected an error")
        } catch let e as StoreError {
            #expect(e.message.contains("shopify") && e.message.contains("rakuten"))
        }
    }
}
