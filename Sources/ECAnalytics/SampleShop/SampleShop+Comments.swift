extension SampleShop {
    /// Free-text NPS comments in Japanese and English, by score group.
    ///
    /// Some contain commas, double quotes and line breaks on purpose: they
    /// exercise RFC 4180 quoting in every CSV reader that loads the shop.
    enum Comments {
        static let promoter: [String] = [
            "美味しいお茶をありがとうございます。また買います！",
            "Lovely sencha, fast delivery. Will order again.",
            "梱包が丁寧で、贈り物にも安心して使えます。",
            "The \"Matsu\" gift set was a hit with my parents.",
            "香りが良く、毎朝の楽しみになりました。\n定期便があれば嬉しいです。",
            "Great quality, fair price, and the hojicha is \"perfect\".",
            "Best matcha I've found online.\nThe whisk set is a nice touch, too.",
            "リピートしています。ほうじ茶が特にお気に入り。",
            "母の日に贈りました。「とても美味しい」と喜んでいました。",
        ]
        static let passive: [String] = [
            "味は良いが、送料が少し高いと感じます。",
            "Good tea, but shipping took 4 days.",
            "Nice, though the \"premium\" label feels a bit much for the price.",
            "普通に美味しいです。",
            "Packaging was fine, the tea was fine, nothing special.",
            "ポイント還元がもう少しあれば、また買うと思います。",
            "Tasty, but the bag is hard to reseal,\nso it goes stale quickly.",
        ]
        static let detractor: [String] = [
            "届くのが遅かった。\n次回は改善をお願いします。",
            "Box arrived crushed, tea spilled everywhere.",
            "Price is OK, but shipping, honestly, is too expensive.",
            "注文と違う商品が届きました。対応は丁寧でしたが残念です。",
            "The \"gift\" box had no gift wrapping, which was the whole point.",
            "味が薄く、期待外れでした。",
            "Cancelled because delivery was quoted as \"2-3 weeks\".\nWon't order again.",
            "問い合わせの返信が遅い、, と感じました。",
        ]
    }
}
