import Testing
@testable import ECStore
import ECTestSupport

/// Which header becomes `amount` is said, and never a unit price or a total after tax silently (`Loader.amountChoice`).
@Suite struct AmountChoiceTests {
    /// The QA repro: 1000 × 3 + 2000 × 2 = 7000 (was 3000, the unit prices).
    @Test func aUnitPriceIsMultipliedByTheQuantity() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("price_qty.csv", "Order ID,Customer ID,Order Date,Product,Price,Quantity,Status\nP1,C1,2024-01-05,Sencha,1000,3,completed\nP2,C2,2024-01-06,Matcha,2000,2,completed\n"))
        #expect(try f.rows("SELECT sum(amount) FROM orders") == [[7000.0]])
        #expect(s.notes.contains { $0.hasPrefix("amount is 'Price' × 'Quantity': 'Price' is the price of one unit") })
    }

    /// `map amount = "Price"` is the way out when the price is the line's total.
    @Test func mappingThePriceTakesItAsWritten() throws {
        let f = try LoadFixture()
        try f.load(.role(.orders), try f.file("p.csv", "Order ID,Customer ID,Order Date,Price,Quantity\nP1,C1,2024-01-05,1000,3\n"), map: ["amount": "Price"])
        #expect(try f.rows("SELECT amount FROM orders") == [[1000.0]])
    }

    /// Subtotal 3000 + 4000 = 7000, GMV before tax and shipping (Total gave 8200).
    @Test func aSubtotalIsPreferredToATotal() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("sub_total.csv", "Order ID,Customer ID,Order Date,Subtotal,Shipping,Tax,Total,Status\nP1,C1,2024-01-05,3000,500,300,3800,completed\nP2,C2,2024-01-06,4000,0,400,4400,completed\n"))
        #expect(try f.rows("SELECT sum(amount), sum(\"Total\") FROM orders") == [[7000.0, 8200]])
        #expect(s.notes.contains("amount is 'Subtotal' (GMV is the goods before tax and shipping); also amount-like, kept as plain columns: 'Total' (map amount = \"Total\" to use one instead)"))
    }

    /// The QA re-probe: price, quantity and total (which includes tax or shipping): GMV is price × quantity,
    /// 100 × 3 + 200 × 1 = 500 (the total gave 330 + 220 = 550), in English and in Japanese.
    @Test(arguments: [("price", "quantity", "total"), ("単価", "数量", "合計金額")])
    func aUnitPriceTimesTheQuantityComesBeforeATotal(_ price: String, _ quantity: String, _ total: String) throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("pqt.csv", "order_id,customer_id,order_date,\(price),\(quantity),\(total)\n1,c1,2024-01-05,100,3,330\n2,c2,2024-01-06,200,1,220\n"))
        #expect(try f.rows("SELECT sum(amount), sum(\"\(total)\") FROM orders") == [[500.0, 550]])
        #expect(s.notes.contains("amount is '\(price)' × '\(quantity)': '\(price)' is the price of one unit (an empty quantity counts as 1; map amount = \"\(price)\" if it is the line's total); also amount-like, kept as plain columns: '\(total)' (map amount = \"\(total)\" to use one instead)"), "\(s.notes)")
    }

    /// A subtotal still comes first: 300 + 200 = 500; a unit price among the others is said to be per unit.
    @Test func aSubtotalComesBeforeAUnitPriceAndAQuantity() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("spqt.csv", "order_id,customer_id,order_date,Subtotal,Price,Quantity,Total\n1,c1,2024-01-05,300,100,3,330\n2,c2,2024-01-06,200,200,1,220\n"))
        #expect(try f.rows("SELECT sum(amount) FROM orders") == [[500.0]])
        #expect(s.notes.contains("amount is 'Subtotal' (GMV is the goods before tax and shipping); also amount-like, kept as plain columns: 'Price' (the price of one unit), 'Total' (map amount = \"Total\" to use one instead)"), "\(s.notes)")
    }

    /// Without a quantity a total is the amount (330 + 220 = 550), and the note says what it may include; the
    /// unit price is not offered as an order's amount without saying it is per unit.
    @Test func aTotalWithoutAQuantityIsSaidToMayIncludeTax() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("pt.csv", "order_id,customer_id,order_date,price,total\n1,c1,2024-01-05,100,330\n2,c2,2024-01-06,200,220\n"))
        #expect(try f.rows("SELECT sum(amount) FROM orders") == [[550.0]])
        #expect(s.notes.contains("amount is 'total', a total that may include tax and shipping (GMV is the goods before them): the file has no subtotal, nor a unit price with a quantity; also amount-like, kept as plain columns: 'price' (the price of one unit) (map amount = \"price\" only if it is each order's whole amount)"), "\(s.notes)")
    }

    @Test(arguments: ["amount,amount", "Amount,amount"])
    func repeatedAmountHeadersAreAnErrorWithAWayOut(_ headers: String) throws {
        let f = try LoadFixture()
        let path = try f.file("dup.csv", "order_id,customer_id,ordered_at,\(headers),status\nY1,C1,2024-01-05,100,999,completed\nY2,C2,2024-01-06,200,888,completed\n")
        do {
            try f.load(.role(.orders), path)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.reason.hasPrefix("has 2 columns headed alike (4 '") && e.reason.hasSuffix("ecsh cannot tell which one is amount"))
            #expect(e.help?.contains("or map amount = \"amount_2\" (column 5)") == true)
        }
        #expect(try !f.db.tableExists("orders"))
        let s = try f.load(.role(.orders), path, map: ["amount": "amount_2"])
        #expect(try f.rows("SELECT sum(amount) FROM orders") == [[1887.0]])
        #expect(s.notes.contains { $0.hasPrefix("column 4 '") && $0.hasSuffix("another column has the same name") })
    }

    /// EC-CUBE's order CSV heads the order's shipping `送料` and, among the shipment's columns (from `配送ID`), the
    /// shipment's `送料` again: the first is the order's. Margin by day = 小計 − 値引き − 手数料 − the order's 送料:
    /// 1 March 5000 − 800 + 3000 − 100 − 0 = 7100, 2 March 10000 − 500 − 1200 = 8300 (the shipment's 600 would give
    /// 8900); the load stopped with "has 2 columns headed alike".
    @Test func eccubesShipmentShippingIsNotTheOrders() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("eccube.csv", """
            注文番号,会員ID,対応状況(ID),対応状況(名称),受注日,小計,値引き,送料,手数料,合計,支払合計,配送ID,配送先_お名前(姓),送料,商品名,数量
            1001,5,5,発送済み,2024-03-01 10:00:00,5000,0,800,0,5800,5800,1,山田,800,りんご,1
            1002,6,5,発送済み,2024-03-01 12:00:00,3000,0,0,100,3100,3100,2,田中,0,みかん,2
            1003,5,5,発送済み,2024-03-02 09:00:00,10000,500,1200,0,10700,10700,3,山田,600,ぶどう,1

            """))
        #expect(try f.rows("SELECT date(ordered_at), sum(amount - discount - commission - shipping) FROM orders GROUP BY 1 ORDER BY 1")
                == [["2024-03-01", 7100.0], ["2024-03-02", 8300.0]])
        #expect(s.notes.contains("shipping is column 8 '送料', the order's: column 14 '送料_2' stands among a shipment's columns (from column 12 '配送ID') and is kept as a plain column; if it is the order's: map shipping = \"送料_2\" (column 14)"), "\(s.notes)")
    }

    /// Repeated headers that feed no field load as numbered columns, with a note.
    @Test func repeatedPlainHeadersAreNoted() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("m.csv", "order_id,customer_id,ordered_at,amount,memo,memo\nA,C1,2024-01-05,100,x,y\n"))
        #expect(try f.rows("SELECT memo, memo_2 FROM orders") == [["x", "y"]])
        #expect(s.notes.contains("column 6 'memo' is loaded as 'memo_2': another column has the same name"))
    }
}
