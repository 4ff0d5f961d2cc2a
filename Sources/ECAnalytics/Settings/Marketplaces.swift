import ECStore
import Foundation

/// The channels counted as marketplaces (malls): `mall_dependence`, unit economics' mall rows and the mall-to-own
/// simulation's default channels.
///
/// A channel is a marketplace when its name, trimmed of spaces and with ASCII letters lower-cased, is one of the
/// `marketplaces` setting's entries, or one of the names the three malls go by in exports when the entry is
/// `rakuten`, `amazon` or `yahoo` (`楽天市場`, `Amazon.co.jp`, `Yahoo!ショッピング`, …). Until the forty-second
/// session the names had to match exactly: a shop whose orders said `Amazon` or `楽天市場` had a mall dependence of
/// 0% and no note. The SQL routes compare `lower(trim(channel))` (ASCII in SQLite), so both routes agree.
///
/// Japanese exports typed by hand write the malls' names in full-width letters (`ＡＭＡＺＯＮ`, `Ａｍａｚｏｎ`,
/// `Ｙａｈｏｏ！ショッピング`) or half-width katakana (`ﾔﾌｰｼｮｯﾋﾟﾝｸﾞ`); until the forty-third session they counted as the
/// own shop. SQL's `lower` folds neither (SQLite's is ASCII only, PostgreSQL's depends on the server's locale), so
/// instead of folding the channel, `names` holds each name's width variants (`widthVariants`): one list that both
/// routes compare with the same ASCII-only key, so they cannot disagree.
public struct Marketplaces: Sendable, Equatable {
    /// The setting's entries, as set.
    public let entries: [String]
    /// Every name counted, as `key` makes it.
    public let names: Set<String>

    static let aliases: [String: [String]] = [
        "rakuten": ["rakuten", "rakuten ichiba", "rakuten_ichiba", "rakuten-ichiba", "rakuten.co.jp", "rakuten市場",
                    "楽天", "楽天市場", "楽天ichiba", "ラクテン"],
        "amazon": ["amazon", "amazon.co.jp", "amazon jp", "amazon_jp", "amazon japan", "amazon.com", "アマゾン"],
        "yahoo": ["yahoo", "yahoo!", "yahoo shopping", "yahoo_shopping", "yahoo-shopping", "yahoo! shopping",
                  "yahoo!ショッピング", "yahoo！ショッピング", "yahoo！", "yahooショッピング", "ヤフー", "ヤフーショッピング",
                  "ヤフー!ショッピング", "ヤフー！ショッピング"],
    ]

    public init(_ entries: [String]) {
        self.entries = entries
        var names = Set<String>()
        for entry in entries.map(Self.key) {
            for name in [entry] + (Self.aliases[entry] ?? []) { names.formUnion(Self.widthVariants(name)) }
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

    /// `name` (as `key` makes it) and the ways it is written in other widths, as `key` makes them: its ASCII
    /// characters full-width in lower case, upper case and capitalised words (`ｒａｋｕｔｅｎ`, `ＲＡＫＵＴＥＮ`,
    /// `Ｒａｋｕｔｅｎ　Ｉｃｈｉｂａ`, a space inside as U+3000 or as written), and its katakana half-width (`ﾔﾌｰ`). Mixed
    /// case in full width (`ＡｍＡｚｏｎ`) is not among them.
    static func widthVariants(_ name: String) -> Set<String> {
        var out: Set<String> = [name]
        let isLetter = { (c: Unicode.Scalar) in ("a"..."z").contains(c) }
        if name.unicodeScalars.contains(where: { $0.value > 0x20 && $0.value < 0x7F }) {
            var upper = String.UnicodeScalarView(), capitalised = String.UnicodeScalarView()
            var wordStart = true
            for c in name.unicodeScalars {
                let up = isLetter(c) ? Unicode.Scalar(c.value - 32)! : c
                upper.append(up)
                capitalised.append(wordStart ? up : c)
                wordStart = c == " "
            }
            for form in [name.unicodeScalars, upper, capitalised] {
                let wide = String(String.UnicodeScalarView(form.map { c in
                    c.value > 0x20 && c.value < 0x7F ? Unicode.Scalar(c.value + 0xFEE0)! : c
                }))
                out.insert(wide)
                if wide.contains(" ") { out.insert(wide.replacingOccurrences(of: " ", with: "\u{3000}")) }
            }
        }
        if name.unicodeScalars.contains(where: { (0x30A1...0x30FC).contains($0.value) }) {
            var half = String.UnicodeScalarView()
            for c in name.decomposedStringWithCanonicalMapping.unicodeScalars { half.append(contentsOf: (Self.halfWidthKana[c] ?? String(c)).unicodeScalars) }
            out.insert(String(half))
        }
        return out
    }

    /// Full-width katakana (and the combining sound marks of a decomposed one) → their half-width forms, from
    /// the half-width block's own compatibility mappings (`ﾔ` is NFKC `ヤ`).
    static let halfWidthKana: [Unicode.Scalar: String] = {
        var map: [Unicode.Scalar: String] = [:]
        for v in UInt32(0xFF61)...0xFF9F {
            let half = Unicode.Scalar(v)!
            let full = String(half).precomposedStringWithCompatibilityMapping.unicodeScalars
            if full.count == 1, let f = full.first { map[f] = String(half) }
        }
        return map
    }()

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
