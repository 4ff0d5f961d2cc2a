extension Preset {
    /// Shopify admin → Orders → Export (CSV for Excel or plain CSV).
    ///
    /// Order fields are on an order's first row only; later rows carry line items.
    /// `Subtotal` is after discounts and before shipping and tax, so the gross
    /// amount is Subtotal + Discount Amount. `Financial Status` is the status
    /// (voided → cancelled, refunded → refunded, partially_refunded stays a
    /// sale); a `Cancelled at` time makes the order cancelled whatever it says.
    static let shopify = Preset(
        name: "shopify", title: "Shopify orders export (one row per line item)",
        headers: [
            "order_id": ["Name"], "customer_id": ["Email"], "ordered_at": ["Created at"],
            "amount": ["Subtotal"], "discount": ["Discount Amount"], "shipping": ["Shipping"],
            "status": ["Financial Status"], "quantity": ["Lineitem quantity"], "product": ["Lineitem name"],
            "category": ["Product Type"], "commission": [], "points": [], "cogs": [], "channel": [],
        ],
        constants: ["channel": "own"],
        signature: [["Name"], ["Financial Status"], ["Lineitem quantity", "Lineitem name"]],
        currency: ["Currency"],
        finish: { values, columns in
            if let a = columns.index("amount"), let amount = values[a].doubleValue {
                values[a] = .real(amount + (columns.index("discount").flatMap { values[$0].doubleValue } ?? 0))
            }
            if let c = columns.index("Cancelled at"), !values[c].isNull, let s = columns.index("status") {
                values[s] = .text("cancelled")
            }
            PresetColumns.emailKey(&values, at: columns.index("customer_id"))
        })
}
