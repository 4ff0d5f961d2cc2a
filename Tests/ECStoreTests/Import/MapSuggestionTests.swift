import Testing
@testable import ECStore

/// The `map` clause a missing required field suggests: plausible headers, never one twice.
@Suite struct MapSuggestionTests {
    func help(_ text: String, bytes: [UInt8]? = nil) throws -> String {
        let f = try LoadFixture()
        let path = try bytes.map { try f.file("x.csv", bytes: $0) } ?? f.file("x.csv", text)
        do {
            try f.load(.role(.orders), path)
        } catch let e as LoadError {
            return e.help ?? ""
        }
        Issue.record("expected a missing-field error")
        return ""
    }

    /// The issue's case: an RMS-like file without the preset no longer suggests a status or a member flag.
    /// The aliases and keywords normalized once per process are those normalized at each use, for
    /// every field of every role (and a field no role has falls back to its own name).
    @Test func normalizedOnceEqualsNormalizedEachTime() {
        var fields = 0
        for role in DatasetRole.allCases {
            for field in role.fields {
                #expect(HeaderAliases.normalizedAliases(role: role, field: field.name)
                        == HeaderAliases.aliases(role: role, field: field.name).map(HeaderAliases.normalize), "\(role) \(field.name)")
                fields += 1
            }
        }
        #expect(fields == DatasetRole.allCases.map(\.fields.count).reduce(0, +) && fields > 20)
        #expect(HeaderAliases.normalizedAliases(role: .orders, field: "Not A_Field") == ["notafield"])
        #expect(HeaderAliases.normalizedAliases(role: .orders, field: "order_id").contains("注文id"))
        for (field, words) in MapSuggestion.keywords {
            #expect(MapSuggestion.normalizedKeywords[field] == words.map(HeaderAliases.normalize), "\(field)")
        }
        #expect(MapSuggestion.normalizedKeywords.count == MapSuggestion.keywords.count)
    }

    @Test func namesAndContentNotTheFirstColumnThatFits() throws {
        let h = try help("受注ID,受注ステータス,楽天会員フラグ,購入日,決済金額\nx,完了,1,2024-01-02,1000\n")
        #expect(h.contains("map order_id = \"受注ID\", amount = \"決済金額\""), "\(h)")
    }

    @Test func dateAndDecimalContentSpeakForThemselves() throws {
        let h = try help("ref,who,when,flag,value\nx,c,2024-01-02,1,10.5\n")
        #expect(h.contains("map order_id = \"ref\", ordered_at = \"when\", amount = \"value\""), "\(h)")
    }

    @Test func noHeaderTwiceAndNothingImplausible() throws {
        // One date column for one date field; no id-like header: "..." rather than a guess.
        let h = try help("a,b,c\nfoo,2024-01-02,7\n")
        #expect(h.contains("map order_id = \"...\", ordered_at = \"b\", amount = \"...\""), "\(h)")
    }

    @Test func preambleAboveTheHeaderSuggestsSkip() throws {
        let h = try help("Report exported 2024-12-31\nOrderNo,Placed,Total Yen\nA1,2024-01-05,100\nA2,2024-01-06,200\n")
        #expect(h.hasPrefix("the first line looks like a title above the header: load orders from '"), "\(h)")
        #expect(h.contains("with skip 1"))
        #expect(Loader.preambleLines([1, 1, 5, 5, 5]) == 2)
        #expect(Loader.preambleLines([5, 5, 5]) == 0)
    }
}
