import Testing
import ECStore
@testable import ECRender

/// An independent width count for the characters these tests use: ASCII 1,
/// hiragana/katakana/kanji/fullwidth and the listed emoji 2, combining marks 0.
private func referenceWidth(_ s: String) -> Int {
    var w = 0
    for scalar in s.unicodeScalars {
        switch scalar.value {
        case 0x3040...0x30FF, 0x4E00...0x9FFF, 0xFF01...0xFF60, 0x3000...0x303F, 0x1F600...0x1F64F, 0x1F300...0x1F5FF: w += 2
        case 0x0300...0x036F, 0x3099...0x309A, 0x200D, 0xFE0F: w += 0
        default: w += 1
        }
    }
    return w
}

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("abc", 3), ("東京", 4), ("ｶﾀｶﾅ", 4), ("ＡＢ", 4), ("e\u{301}", 1), ("😀", 2),
        ("👍🏽", 2), ("👨‍👩‍👧", 2), ("🇯🇵", 2), ("❤️", 2), ("한국", 4), ("", 0),
    ])
    func widths(text: String, expected: Int) {
        #expect(DisplayWidth.of(text) == expected)
    }

    @Test func japaneseColumnLinesUpInEveryLine() {
        let table = ResultTable(
            columns: ["商品", "category", "売上"],
            rows: [["緑茶ティーバッグ", "飲料", 120000], ["coffee", "drinks", 5], ["カフェ・ラテ", "ｶﾌｪ", .null],
                   ["cafe\u{301}", "😀 snacks", 42]],
            formats: [.auto, .auto, .currency(code: "JPY")])
        for border in [TableBorder.unicode, .ascii] {
            let text = TableRenderer(options: RenderOptions(border: border)).string(table)
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.count == (border == .unicode ? 8 : 6))
            let widths = Set(lines.map(referenceWidth))
            #expect(widths.count == 1, "\(lines)")
        }
    }
}
