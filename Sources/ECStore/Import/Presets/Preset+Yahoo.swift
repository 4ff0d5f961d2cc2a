extension Preset {
    /// Yahoo! Shopping order CSV (ストアクリエイターPro 注文データ), with or without item rows.
    ///
    /// With item rows (`UnitPrice`, `Quantity`) the amount is Σ UnitPrice × Quantity,
    /// and `UsePoint` and `Discount` are the order's points and discount. An
    /// order-only file has just `Total`, the billed total after points and
    /// discounts: then the amount is Total and points/discount stay plain
    /// columns, so revenue does not take them off twice. `OrderStatus` may be
    /// Yahoo's code (1 予約中, 2 処理中, 3 保留, 4 キャンセル, 5 完了) or the word.
    static let yahoo = Preset(
        name: "yahoo", title: "Yahoo! Shopping order CSV",
        headers: [
            "order_id": ["OrderId"], "ordered_at": ["OrderTime"], "status": ["OrderStatus"],
            "amount": ["Total"], "points": ["UsePoint"], "discount": ["Discount", "TotalCouponDiscount"],
            "shipping": ["ShipCharge"], "customer_id": ["BillMailAddress"], "quantity": ["Quantity"],
            "product": ["Title", "ItemName"], "cogs": [], "commission": [], "category": [], "channel": [],
        ],
        constants: ["channel": "yahoo"],
        itemAmount: (price: "UnitPrice", quantity: "Quantity"),
        amountFromItemsFirst: true,
        itemOnlyFields: ["points", "discount"],
        signature: [["OrderId"], ["OrderTime"], ["BillMailAddress", "UsePoint", "ShipCharge", "PayStatus", "ShipStatus"]],
        finish: { values, columns in
            if let s = columns.index("status"), case .text(let code) = values[s] {
                let words = ["1": "予約中", "2": "処理中", "3": "保留", "4": "キャンセル", "5": "完了"]
                if let word = words[code.trimmingBlanks] { values[s] = .text(word) }
            }
            PresetColumns.emailKey(&values, at: columns.index("customer_id"))
        })
}
