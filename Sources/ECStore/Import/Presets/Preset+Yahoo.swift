extension Preset {
    /// Yahoo! Shopping order CSV (ストアクリエイターPro 注文データ), with or without item rows.
    ///
    /// With item rows (`UnitPrice`, `Quantity`) the amount is Σ UnitPrice × Quantity,
    /// and `UsePoint` and `Discount` are the order's points and discount. An
    /// order-only file has just `Total`, the billed total after points and
    /// discounts: then the amount is Total and points/discount stay plain
    /// columns, so revenue does not take them off twice (a note says so). The item CSV alone
    /// (OrderId, ItemId, UnitPrice, Quantity, no OrderTime) is no orders file: its load stops and names the order CSV. `OrderStatus` may be
    /// Yahoo's code (1 予約中, 2 処理中, 3 保留, 4 キャンセル, 5 完了) or the word.
    static let yahoo = Preset(
        name: "yahoo", title: "Yahoo! Shopping order CSV",
        headers: [
            "order_id": ["OrderId"], "ordered_at": ["OrderTime"], "status": ["OrderStatus"],
            "amount": ["Total", "TotalPrice"], "points": ["UsePoint"], "discount": ["Discount", "TotalCouponDiscount"],
            "shipping": ["ShipCharge"], "customer_id": ["BillMailAddress"], "quantity": ["Quantity"],
            "product": ["Title", "ItemName"], "cogs": [], "commission": [], "category": [], "channel": [],
        ],
        constants: ["channel": "yahoo"],
        itemAmount: (price: "UnitPrice", quantity: "Quantity"),
        amountFromItemsFirst: true,
        itemOnlyFields: ["points", "discount"],
        orderTotalNote: "amount is the order's billed total (the file has no item rows, UnitPrice and Quantity): "
            + "shipping and fees included, points (UsePoint) and discounts already taken off, so they stay plain columns; "
            + "a CSV with the item fields too gives a GMV of the goods before points and discounts",
        itemFile: ItemFile(
            signature: [["OrderId"], ["ItemId", "LineId"], ["UnitPrice"], ["Quantity"]],
            orderHeaders: ["OrderTime"],
            title: "Yahoo! Shopping item CSV (one row per item line, no order fields)",
            help: "load the order CSV instead (OrderId, OrderTime, OrderStatus, TotalPrice): load orders from 'ORDERS.csv' preset yahoo; "
                + "for a GMV of the goods before points and discounts, download one CSV with the order fields and the item fields "
                + "(OrderTime, OrderStatus with ItemId, UnitPrice, Quantity) and load that with preset yahoo"),
        signature: [["OrderId"], ["OrderTime"], ["BillMailAddress", "UsePoint", "ShipCharge", "PayStatus", "ShipStatus"]],
        finish: { values, columns in
            if let s = columns.index("status"), case .text(let code) = values[s] {
                let words = ["1": "予約中", "2": "処理中", "3": "保留", "4": "キャンセル", "5": "完了"]
                if let word = words[code.trimmingBlanks] { values[s] = .text(word) }
            }
            PresetColumns.emailKey(&values, at: columns.index("customer_id"))
        })
}
