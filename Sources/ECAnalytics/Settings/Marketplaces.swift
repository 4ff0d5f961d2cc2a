import ECStore

/// The channels counted as marketplaces (malls): `mall_dependence`, unit economics' mall rows and the mall-to-own
/// simulation's default channels.
///
/// A channel is a marketplace when its name, trimmed of spaces and with ASCII letters lower-cased, is one of the
/// `marketplaces` setting's entries, or one of the names the three malls go by in exports when the entry is
/// `rakuten`, `amazon` or `yahoo` (`楽天市場`, `Amazon.co.jp`, `Yahoo!ショッピング`, …). Until the forty-second
/// session the names had to match exactly: a shop whose orders said `Amazon` or `楽天市場` had a mall dependence of
/// 0% and no note. The SQL routes compare `lower(trim(channel))` (ASCII in SQLite), so both routes agree.
public struct Marketplaces: Sendable, Equatable {
    /// The setting's entries, as set.
    public let entries: [String]
    /// Every name counted, as `key` makes it.
    public let names: Set<String>

    static let aliases: [String: [String]] = [
        "rakuten": ["rakuten", "rakuten ichiba", "rakuten_ichiba", "rakuten-ichiba", "rakuten.co.jp", "rakuten市場",
                    "楽天", "楽天市場", "楽天ichiba"],
        "amazon": ["amazon", "amazon.co.jp", "amazon jp", "amazon_jp", "amazon japan", "amazon.com", "アマゾン"],
        "yahoo": ["yahoo", "yahoo!", "yahoo shopping", "yahoo_shopping", "yahoo-shopping", "yahoo! shopping",
                  "yahoo!ショッピング", "yahoo！ショッピング", "yahoo！", "yahooショッピング", "ヤフー", "ヤフーショッピング",
                  "ヤフー!ショッピング", "ヤフー！ショッピング"],
    ]

    public init(_ entries: [String]) {
        self.entries = entries
        var names = Set<String>()
        for entry in entries.map(Self.key) {
            names.insert(entry)
            names.formUnion(Self.aliases[entry] ?? [])
        }
        self.names = names
    }

    /// The spaces trimmed from a channel's ends: ASCII and ideographic (`楽天市場　`).
    static let spaces = " \u{3000}"

    /// A channel name as compared: spaces trimmed at both ends, ASCII letters lower-cased (SQL's `lower(trim(x, spaces))`).
    public static func key(_ channel: String) -> String {
        let trimmed = channel.unicodeScalars.drop { spaces.unicodeScalars.contains($0) }
        var scalars = Array(trimmed)
        while let last = scalars.last, spaces.unicodeScalars.contains(last) { scalars.removeLast() }
        var out = String.UnicodeScalarView()
        for c in scalars { out.append(("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 32)! : c) }
        return String(out)
    }

    public func contains(_ channel: String) -> Bool { names.contains(Self.key(channel)) }

    /// The SQL condition that `column` (an expression of text) names a marketplace; `0` when none are set.
    public func condition(_ column: String) -> SQLFragment {
        guard !names.isEmpty else { return SQLFragment("0") }
        let sorted = names.sorted()
        return SQLFragment("lower(trim(\(column), ?)) IN (\(sorted.map { _ in "?" }.joined(separator: ", ")))",
                           [.text(Self.spaces)] + sorted.map { .text($0) })
    }

    /// The setting's entries for notes, sorted: `amazon, rakuten, yahoo`.
    public var described: String { entries.sorted().joined(separator: ", ") }
}

extension MetricSettings {
    /// The channels counted as marketplaces (`marketplaceChannels` and the malls' other names).
    public var marketplaces: Marketplaces { Marketplaces(marketplaceChannels) }
}
