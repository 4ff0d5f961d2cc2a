/// The `map` clause suggested when a required field has no column: plausible headers only.
///
/// A header is plausible for a field when its name looks like the field's
/// (an alias inside it, or a telling word such as 金額 or "total"), or when
/// its content has the field's type in a way that speaks for itself (a date
/// column for a date field, a column of decimals for an amount). A text field
/// (an id) needs a name that fits: any column holds text. Best pairs are
/// taken first and no header is suggested twice; a field with no plausible
/// header gets `"..."`.
enum MapSuggestion {
    /// Words that, inside a header, say what the column is.
    static let keywords: [String: [String]] = [
        "order_id": ["order", "注文", "受注", "id", "番号", "no", "number", "ref"],
        "customer_id": ["customer", "member", "user", "buyer", "client", "email", "mail", "会員", "顧客", "メール", "購入者", "お客様"],
        "ordered_at": ["date", "time", "day", "placed", "created", "日", "時"],
        "amount": ["amount", "total", "price", "sales", "sum", "value", "yen", "gross", "金額", "合計", "売上", "価格", "代金"],
        "score": ["score", "nps", "rating", "recommend", "点", "評価", "推奨"],
        "responded_at": ["date", "time", "day", "submitted", "日", "時"],
        "signed_up_at": ["date", "signup", "registered", "joined", "日", "登録"],
        "date": ["date", "day", "日"],
        "spend": ["spend", "cost", "amount", "費", "金額", "コスト"],
        "sessions": ["session", "visit", "traffic", "セッション", "訪問", "アクセス"],
    ]

    static let normalizedKeywords = keywords.mapValues { $0.map(HeaderAliases.normalize) }

    /// Field name → suggested header (nil: nothing plausible).
    static func suggest(missing: [CanonicalField], role: DatasetRole, names: [String], kinds: [FieldKind],
                        taken: Set<Int>) -> [String: String] {
        var pairs: [(score: Double, field: String, column: Int)] = []
        // Each header is normalized once, not once per field; the fields' names once per process.
        let headers = names.map { HeaderAliases.normalize(HeaderAliases.withoutNotes($0)) }
        for field in missing {
            let words = Words(field, role: role)
            for i in names.indices where !taken.contains(i) {
                if let score = score(field, words: words, normalizedHeader: headers[i], kind: kinds[i]) {
                    pairs.append((score, field.name, i))
                }
            }
        }
        var chosen: [String: String] = [:]
        var used = Set<Int>()
        for pair in pairs.sorted(by: { $0.score != $1.score ? $0.score > $1.score : $0.column < $1.column })
        where chosen[pair.field] == nil && !used.contains(pair.column) {
            chosen[pair.field] = names[pair.column]
            used.insert(pair.column)
        }
        return chosen
    }

    /// A field's aliases and keywords, normalized.
    struct Words {
        var aliases: [String]
        var keywords: [String]

        init(_ field: CanonicalField, role: DatasetRole) {
            aliases = HeaderAliases.normalizedAliases(role: role, field: field.name)
            keywords = MapSuggestion.normalizedKeywords[field.name] ?? []
        }
    }

    /// How plausible a header (normalized) is for `field`; nil when it is not.
    static func score(_ field: CanonicalField, words: Words, normalizedHeader h: String, kind: FieldKind) -> Double? {
        guard Loader.fits(kind, field) else { return nil }
        var similarity = 0.0
        for a in words.aliases where a.count >= 2 && (h.contains(a) || (h.count >= 2 && a.contains(h))) {
            similarity = max(similarity, 0.8)
        }
        for word in words.keywords where h.contains(word) {
            similarity = max(similarity, 0.5)
        }
        // Content that speaks for itself: dates for a date field, decimals for an amount.
        let telling = (field.isDate && (kind == .date || kind == .timestamp)) || (field.kind == .real && kind == .real)
        guard similarity > 0 || telling else { return nil }
        return similarity + (telling ? 0.3 : 0)
    }
}
