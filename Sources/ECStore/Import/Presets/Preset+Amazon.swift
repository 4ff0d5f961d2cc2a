extension Preset {
    /// Amazon Seller Central order report (All Orders, tab-separated, one row per item).
    ///
    /// `item-price` is the line's price (unit price × quantity), so the amount is
    /// its sum over the order; `item-promotion-discount` and `shipping-price` add
    /// up the same way (a discount is stored as a positive number whichever sign
    /// the report uses). The report has no buyer identity: every order is a guest order.
    /// A Pending order's prices are empty until Amazon prices it: it loads without an amount.
    static let amazon = Preset(
        name: "amazon", title: "Amazon Seller Central order report (one row per item)",
        headers: [
            "order_id": ["amazon-order-id"], "ordered_at": ["purchase-date"], "status": ["order-status"],
            "amount": ["item-price"], "discount": ["item-promotion-discount"], "shipping": ["shipping-price"],
            "quantity": ["quantity", "quantity-purchased"], "product": ["product-name"],
            "customer_id": [], "points": [], "cogs": [], "commission": [], "category": [], "channel": [],
        ],
        constants: ["channel": "amazon"],
        summed: ["amount", "discount", "shipping"],
        signature: [["amazon-order-id"], ["purchase-date", "order-status"]],
        noBuyerKey: true,
        pendingMayLackAmount: true,
        itemStatus: ["item-status"],
        currency: ["currency"],
        finish: { values, columns in
            if let d = columns.index("discount"), let x = values[d].doubleValue { values[d] = .real(abs(x)) }
        })
}
