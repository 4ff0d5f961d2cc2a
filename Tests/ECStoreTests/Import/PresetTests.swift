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
        #expect(try f.rows("SELECT order_id, customer_id, ordered_at, day, amount, channel, status, status_raw, discount, shipping, quantity, product FROM orders ORDER BY order_id") == [
            ["#1001", "alice@example.com", "2024-03-05 10:00:00", 19787, 3000.0, "own", "completed", "paid", 300.0, 500.0, 3, "Green Tea"],
            ["#1002", "bob@example.com", "2024-03-07 13:55:10", 19789, 1500.0, "own", "cancelled", "refunded", 0.0, 0.0, 3, "Matcha"],
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
            ["123456-20240305-0000001", "a1b2@pc.fw.rakuten.ne.jp", "2024-03-05 21:14:03", 3300.0, 100.0, 200.0, 330.0, 3, "静岡煎茶 100g", "rakuten", "completed"],
            ["123456-20240306-0000002", "c3d4@pc.fw.rakuten.ne.jp", "2024-03-06 08:00:00", 1100.0, 0.0, 0.0, 0.0, 1, "ほうじ茶", "rakuten", "cancelled"],
        ])
    }

    @Test func shopifyWithoutPresetSuggestsIt() throws {
        let f = try LoadFixture()
        do {
            try f.load(.role(.orders), try f.file("orders_export.csv", PresetTests.shopify))
            Issue.record("expected an error: line items have no order total")
        } catch let e as LoadError {
            // Subtotal, not Total: GMV is before tax and shipping (AmountChoiceTests).
            #expect(e.line == 3 && e.field == "Subtotal")
            #expect(e.help?.hasPrefix("this looks like the Shopify orders export (one row per line item): load orders from") == true)
            #expect(e.help?.contains("preset shopify") == true)
        }
    }

    /// Each real layout's headers, loaded without its preset, name the preset (in the error or a note).
    @Test(arguments: [
        ("amazon", "amazon-order-id\tpurchase-date\torder-status\titem-price\tquantity\n249-1-1\t2024-05-01T10:00:00+09:00\tShipped\t100\t1\n"),
        ("yahoo", "OrderId,OrderTime,OrderStatus,Total,UsePoint\nst-1,2024-06-01 10:00:00,5,100,0\n"),
        ("rakuten", "受注番号,受注ステータス,注文日時,合計金額(-99999=無効値)\n1,完了,2024-04-01 10:00:00,100\n"),
    ])
    func layoutWithoutPresetNamesIt(_ preset: String, _ text: String) throws {
        let f = try LoadFixture()
        let path = try f.file("x.csv", text)
        do {
            let s = try f.load(.role(.orders), path)
            #expect(s.notes.contains { $0.hasSuffix("preset \(preset)") }, "\(s.notes)")
        } catch let e as LoadError {
            #expect(e.help?.contains("load orders from '\(path)' preset \(preset)") == true, "\(e)")
        }
    }

    /// Shopify: an empty Email is a guest order (it loads); Email is trimmed and lower-cased; voided is not a sale.
    @Test func shopifyGuestsAndEmailKeys() throws {
        let f = try LoadFixture()
        let text = """
            Name,Email,Financial Status,Subtotal,Discount Amount,Created at,Lineitem quantity,Lineitem name,Cancelled at
            #1,  Taro@Example.JP ,paid,1000,0,2024-03-05 10:00:00 +0900,1,Tea,
            #2,,paid,500,0,2024-03-05 11:00:00 +0900,1,Tea,
            #3,taro@example.jp,voided,700,0,2024-03-06 11:00:00 +0900,1,Cup,

            """
        let s = try f.load(.role(.orders), try f.file("s.csv", text), preset: "shopify")
        #expect(s.guests == 1)
        #expect(try f.rows("SELECT order_id, customer_id, status FROM orders ORDER BY order_id") == [
            ["#1", "taro@example.jp", "completed"], ["#2", nil, "completed"], ["#3", "taro@example.jp", "cancelled"],
        ])
    }

    /// Rakuten: 注文日 + 注文時間 join; `(-99999=無効値)` columns read -99999 as no value; no 合計 → Σ 単価 × 個数.
    @Test func rakutenDateAndTimeColumnsAndInvalidMarkers() throws {
        let f = try LoadFixture()
        let text = """
            "受注番号","受注ステータス","注文日","注文時間","送料(-99999=無効値)","ポイント利用額","メールアドレス","商品名","単価","個数"
            "1-20240401-1","発送済","2024-04-01","9:05","-99999","0","X@Example.jp","煎茶","1100","2"
            "1-20240401-1","発送済","2024-04-01","9:05","-99999","0","X@Example.jp","湯呑み","800","1"

            """
        try f.load(.role(.orders), try f.file("r.csv", bytes: encode(text, "CP932")), preset: "rakuten")
        // Hand-worked: 2 × 1,100 + 1 × 800 = 3,000.
        #expect(try f.rows("SELECT order_id, customer_id, ordered_at, amount, shipping, quantity, status FROM orders") == [
            ["1-20240401-1", "x@example.jp", "2024-04-01 09:05:00", 3000.0, nil, 3, "completed"],
        ])
    }

    /// Yahoo! Shopping's order CSV (`TotalPrice`, no item rows) loads with the preset: cancelled (4) is no sale.
    /// Hand-worked: counted GMV = 3,400 (completed) + 1,800 (pending) = 5,200 over 2 orders. It stopped before
    /// ("has no column for amount"), and its help led to a load without the preset, where 4 was an unknown word
    /// counted as a sale (6,200 over 3 orders).
    static let yahooOrders = """
        OrderId,OrderTime,OrderStatus,PayStatus,ShipStatus,BillMailAddress,ShipCharge,PayCharge,Discount,UsePoint,TotalPrice
        store-10000001,2024-06-01 10:00:00,5,1,3,A@Example.jp,500,0,0,100,3400
        store-10000002,2024-06-02 11:00:00,4,0,0,b@example.jp,0,0,0,0,1000
        store-10000003,2024-06-03 12:00:00,2,1,1,a@example.jp,0,0,200,0,1800

        """

    @Test func yahooOrderFileLoadsItsTotal() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("order.csv", PresetTests.yahooOrders), preset: "yahoo")
        #expect(try f.rows("SELECT sum(amount), count(*), count(DISTINCT customer_id) FROM orders WHERE status IN ('completed', 'pending')")
                == [[5200.0, 2, 1]])
        #expect(try f.rows("SELECT points, discount FROM orders WHERE order_id = 'store-10000001'") == [[.null, .null]])
        #expect(s.notes.contains { $0.hasPrefix("amount is the order's billed total (the file has no item rows") }, "\(s.notes)")
    }

    /// Yahoo!'s item CSV alone has no OrderTime: with or without the preset the load stops and names the order CSV,
    /// where it asked to `map ordered_at = "..."` before.
    @Test func yahooItemFileSaysWhichFileToLoad() throws {
        let f = try LoadFixture()
        let path = try f.file("item.csv", """
            OrderId,LineId,ItemId,SubCode,Title,UnitPrice,Quantity,LineSubTotal,CouponDiscount
            store-10000001,1,tea-1,,煎茶,1000,2,2000,0
            store-10000001,2,cup-1,,湯呑み,1000,1,1000,0

            """)
        for preset in ["yahoo", nil] {
            #expect { try f.load(.role(.orders), path, preset: preset) } throws: { e in
                guard let e = e as? LoadError else { return false }
                return e.reason == "is the Yahoo! Shopping item CSV (one row per item line, no order fields): it has no order date, status or buyer, so it is no orders file"
                    && e.help?.hasPrefix("load the order CSV instead (OrderId, OrderTime, OrderStatus, TotalPrice): load orders from 'ORDERS.csv' preset yahoo") == true
            }
        }
    }

    @Test func unknownPresetListsKnownOnes() throws {
        let f = try LoadFixture()
        do {
            try f.load(.role(.orders), try f.file("x.csv", "a\n1\n"), preset: "ebay")
            Issue.record("expected an error")
        } catch let e as StoreError {
            #expect(e.message.contains("known presets: shopify, rakuten, amazon, yahoo"))
        }
    }
}

/// Amazon's All Orders report leaves a Pending order's prices empty (QA probe, amazon.txt).
@Suite struct AmazonPendingTests {
    static let header = "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsales-channel\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\titem-promotion-discount\tship-promotion-discount\n"
    static let priced = """
        503-1\t\t2024-05-01T10:15:00+09:00\t2024-05-02T00:00:00+09:00\tShipped\tAmazon\tAmazon.co.jp\tSencha\tS1\tB01\tShipped\t2\tJPY\t2000\t160\t0\t0\t-200\t0
        503-1\t\t2024-05-01T10:15:00+09:00\t2024-05-02T00:00:00+09:00\tShipped\tAmazon\tAmazon.co.jp\tMatcha\tS2\tB02\tShipped\t1\tJPY\t3000\t240\t500\t40\t\t0
        503-2\t\t2024-05-31T23:30:00+09:00\t2024-06-01T00:00:00+09:00\tCancelled\tAmazon\tAmazon.co.jp\tGyokuro\tS3\tB03\tCancelled\t1\tJPY\t0\t0\t0\t0\t0\t0

        """
    static func unpriced(_ status: String) -> String {
        "503-3\t\t2024-05-31T15:30:00Z\t2024-06-01T00:00:00+09:00\t\(status)\tAmazon\tAmazon.co.jp\tGyokuro\tS3\tB03\tUnshipped\t1\tJPY\t\t\t\t\t\t\n"
    }

    /// 503-3 (line 5) is Pending with no item-price: it loads with amount NULL and a note names it.
    /// Hand-worked: 503-1 = 2000 + 3000 = 5000, discount 200; 503-2 = 0 (cancelled); GMV of counted
    /// orders (completed, pending) = 5000. The whole file was refused before ("has no amount", no help).
    @Test func pendingOrderWithoutPriceLoads() throws {
        let f = try LoadFixture()
        let text = AmazonPendingTests.header + AmazonPendingTests.priced + AmazonPendingTests.unpriced("Pending")
        let s = try f.load(.role(.orders), try f.file("amazon.txt", text), preset: "amazon")
        #expect(s.rows == 3)
        #expect(try f.rows("SELECT order_id, status, amount, quantity FROM orders ORDER BY order_id") == [
            ["503-1", "completed", 5000.0, 3], ["503-2", "cancelled", 0.0, 1], ["503-3", "pending", .null, 1],
        ])
        #expect(try f.rows("SELECT sum(amount) FROM orders WHERE status IN ('completed', 'pending')") == [[5000.0]])
        #expect(s.notes.contains { $0.hasPrefix("1 pending or cancelled order has no price") && $0.contains("503-3 (line 5)") }, "\(s.notes)")
    }

    /// A Canceled order without item-price loads too (Amazon leaves a cancelled order's prices empty as well): no sale
    /// either way, so GMV stays 5000; it was refused ("has no amount").
    @Test func cancelledOrderWithoutPriceLoads() throws {
        let f = try LoadFixture()
        let text = AmazonPendingTests.header + AmazonPendingTests.priced + AmazonPendingTests.unpriced("Canceled")
        let s = try f.load(.role(.orders), try f.file("amazon.txt", text), preset: "amazon")
        #expect(s.rows == 3)
        #expect(try f.rows("SELECT status, amount FROM orders WHERE order_id = '503-3'") == [["cancelled", .null]])
        #expect(try f.rows("SELECT sum(amount) FROM orders WHERE status IN ('completed', 'pending')") == [[5000.0]])
    }

    /// Easy Ship sub-statuses: a damaged parcel is refunded, an undeliverable one goes back; neither is a sale.
    /// Hand-worked: counted GMV = 503-1 (5,000) + 503-6 in transit (1,000) = 6,000 over 2 orders; 503-4 (2,000) and
    /// 503-5 (4,000) are out. The old vocabulary left both unknown and counted them: 12,000 over 4 orders.
    @Test func damagedAndUndeliverableAreNoSales() throws {
        let f = try LoadFixture()
        func order(_ id: String, _ status: String, _ price: Int) -> String {
            "\(id)\t\t2024-05-02T10:00:00+09:00\t2024-05-09T00:00:00+09:00\t\(status)\tMerchant\tAmazon.co.jp\tSencha\tS1\tB01\tShipped\t1\tJPY\t\(price)\t0\t0\t0\t\t0\n"
        }
        let text = AmazonPendingTests.header + AmazonPendingTests.priced + order("503-4", "Shipped - Damaged", 2000)
            + order("503-5", "Shipped - Undeliverable", 4000) + order("503-6", "Shipped - At Destination FC", 1000)
        let s = try f.load(.role(.orders), try f.file("amazon.txt", text), preset: "amazon")
        #expect(s.unknownStatuses.isEmpty, "\(s.unknownStatuses)")
        #expect(try f.rows("SELECT order_id, status FROM orders WHERE order_id > '503-3' ORDER BY order_id") == [
            ["503-4", "refunded"], ["503-5", "returned"], ["503-6", "completed"],
        ])
        #expect(try f.rows("SELECT sum(amount), count(*) FROM orders WHERE status IN ('completed', 'pending')") == [[6000.0, 2]])
    }

    /// A shipped order without a price is still an error, at its first line, with a way out.
    @Test func shippedOrderWithoutPriceStopsWithHelp() throws {
        let f = try LoadFixture()
        let text = AmazonPendingTests.header + AmazonPendingTests.priced + AmazonPendingTests.unpriced("Shipped")
        let path = try f.file("amazon.txt", text)
        #expect { try f.load(.role(.orders), path, preset: "amazon") } throws: { e in
            guard let e = e as? LoadError else { return false }
            return e.line == 5 && e.reason == "order 503-3 has no amount on any of its rows"
                && e.help?.contains("with on_error skip") == true
        }
        let s = try f.load(.role(.orders), path, [("on_error", "skip")], preset: "amazon")
        #expect(s.rows == 2 && s.skipped == 1)
    }
}

/// Line-item exports whose per-line fields must not be added blindly: two currencies, a cancelled item.
@Suite struct PresetLineItemTests {
    /// Shopify: #1001 JPY (2 lines), #1003 USD. Subtotal 2700 + discount 300 = 3000 ¥; 40 $ is not 40 ¥.
    static let currencies = """
        Name,Email,Financial Status,Currency,Subtotal,Shipping,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Cancelled at
        #1001,alice@example.com,paid,JPY,2700,500,3200,300,2024-03-05 10:00:00 +0900,2,Green Tea,1000,
        #1001,alice@example.com,,,,,,,2024-03-05 10:00:00 +0900,1,Tea Cup,1000,
        #1002,bob@example.com,paid,JPY,1000,0,1000,0,2024-03-06 10:00:00 +0900,1,Matcha,1000,
        #1003,alice@example.com,paid,USD,40.00,5.00,45.00,0.00,2024-03-07 10:00:00 +0900,2,Sencha,20.00,

        """

    /// The old load added 40 $ to 4,000 ¥ (GMV 4,040, repeat rate 50 %); now it stops at #1003's line.
    @Test func twoCurrenciesStopTheLoad() throws {
        let f = try LoadFixture()
        let path = try f.file("orders_export.csv", PresetLineItemTests.currencies)
        #expect { try f.load(.role(.orders), path, preset: "shopify") } throws: { e in
            guard let e = e as? LoadError else { return false }
            return e.line == 5 && e.reason == "the orders are in 2 currencies (JPY ×2, USD ×1): their amounts cannot be added into one gmv"
                && e.help == "load one currency's orders: load orders from '\(path)' with currency 'JPY' preset shopify (the others are left out, and a note counts them)"
        }
        #expect(try f.rows("SELECT count(*) FROM sqlite_master WHERE name = 'orders'") == [[0]])
    }

    /// `with currency 'jpy'`: the two yen orders, 3,000 + 1,000 = 4,000; the dollar order left out and counted.
    @Test func currencyOptionKeepsOneCurrency() throws {
        let f = try LoadFixture()
        let path = try f.file("orders_export.csv", PresetLineItemTests.currencies)
        let s = try f.load(.role(.orders), path, [("currency", "jpy")], preset: "shopify")
        #expect(s.rows == 2)
        #expect(try f.rows("SELECT sum(amount), count(*), count(DISTINCT customer_id) FROM orders") == [[4000.0, 2, 2]])
        #expect(s.notes.contains("left out 1 order in another currency than JPY (the file's currencies: JPY ×2, USD ×1): load it into another workspace with currency '…'"), "\(s.notes)")
        #expect { try f.load(.role(.orders), path, [("currency", "EUR")], preset: "shopify") } throws: { e in
            (e as? LoadError)?.reason == "no order is in EUR (the file's currencies: JPY ×2, USD ×1)"
        }
        #expect { try f.load(.role(.orders), path, [("currency", "JPY")]) } throws: { e in
            (e as? StoreError)?.message.hasPrefix("currency picks the orders of one currency") == true
        }
    }

    /// A Shopify store in dollars loaded into a workspace that shows yen: $40.00 would read ¥40. The load says so
    /// and how to show dollars; after `set currency USD` (the setting row) it has nothing to say.
    @Test func ordersInAnotherCurrencyThanTheWorkspaceShowsAreNamed() throws {
        let f = try LoadFixture()
        let path = try f.file("orders_export.csv", PresetLineItemTests.currencies)
        let s = try f.load(.role(.orders), path, [("currency", "usd")], preset: "shopify")
        #expect(try f.rows("SELECT sum(amount) FROM orders") == [[40.0]])
        let note = "the orders are in USD but the workspace shows amounts as JPY (its currency setting): "
            + "set currency USD (amounts stay as loaded; only how they are shown changes)"
        #expect(s.notes.contains(note), "\(s.notes)")
        try f.db.execute("CREATE TABLE IF NOT EXISTS ecsh_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        try f.db.execute("INSERT INTO ecsh_settings VALUES ('currency', 'USD')")
        let again = try f.load(.role(.orders), path, [("currency", "USD")], preset: "shopify")
        #expect(!again.notes.contains { $0.hasPrefix("the orders are in") }, "\(again.notes)")
        let yen = try f.load(.role(.orders), path, [("currency", "JPY")], preset: "shopify")
        #expect(yen.notes.contains { $0.hasPrefix("the orders are in JPY but the workspace shows amounts as USD") }, "\(yen.notes)")
    }

    /// Amazon: 250-1 has a shipped Sencha (2,000, promotion -200) and a cancelled Matcha that still carries its
    /// item-price 3,000 (quantity 0). Hand-worked: 250-1 = 2,000, quantity 2; 250-2 = 3,000; GMV 5,000 (was 8,000).
    /// 250-3 was cancelled whole: it keeps its items' figures (1,000) and is no sale.
    @Test func amazonCancelledItemAddsNothing() throws {
        let f = try LoadFixture()
        let text = AmazonPendingTests.header + """
            250-1\t\t2024-05-01T10:15:00+09:00\t2024-05-02T00:00:00+09:00\tShipped\tAmazon\tAmazon.co.jp\tMatcha\tS2\tB02\tCancelled\t0\tJPY\t3000\t240\t0\t0\t\t0
            250-1\t\t2024-05-01T10:15:00+09:00\t2024-05-02T00:00:00+09:00\tShipped\tAmazon\tAmazon.co.jp\tSencha\tS1\tB01\tShipped\t2\tJPY\t2000\t160\t0\t0\t-200\t0
            250-2\t\t2024-05-02T10:15:00+09:00\t2024-05-02T00:00:00+09:00\tShipped\tAmazon\tAmazon.co.jp\tMatcha\tS2\tB02\tShipped\t1\tJPY\t3000\t240\t500\t40\t\t0
            250-3\t\t2024-05-03T10:15:00+09:00\t2024-05-03T00:00:00+09:00\tCancelled\tAmazon\tAmazon.co.jp\tHojicha\tS4\tB04\tCancelled\t1\tJPY\t1000\t80\t0\t0\t\t0

            """
        let s = try f.load(.role(.orders), try f.file("amazon.txt", text), preset: "amazon")
        #expect(try f.rows("SELECT order_id, status, amount, discount, quantity, product FROM orders ORDER BY order_id") == [
            ["250-1", "completed", 2000.0, 200.0, 2, "Sencha"], ["250-2", "completed", 3000.0, .null, 1, "Matcha"],
            ["250-3", "cancelled", 1000.0, .null, 1, "Hojicha"],
        ])
        #expect(try f.rows("SELECT sum(amount) FROM orders WHERE status = 'completed'") == [[5000.0]])
        #expect(s.notes.contains { $0.hasPrefix("1 item was cancelled in an order that kept other items (item-status): 250-1 (line 2)") }, "\(s.notes)")
    }
}
