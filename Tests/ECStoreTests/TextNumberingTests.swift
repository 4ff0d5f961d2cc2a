import Testing
import ECTestSupport
import ECStore

/// `TextNumbering`, the byte-keyed table the facts build numbers customers and channels with,
/// checked against a Swift dictionary doing the same numbering.
@Suite struct TextNumberingTests {
    static func add(_ t: inout TextNumbering, _ s: String) -> (key: Int32, isNew: Bool) {
        var s = s
        return s.withUTF8 { t.add(UnsafeRawBufferPointer($0)) }
    }

    static func find(_ t: TextNumbering, _ s: String) -> Int32? {
        var s = s
        return s.withUTF8 { t.find(UnsafeRawBufferPointer($0)) }
    }

    @Test func numbersTextsInTheOrderTheyFirstCome() {
        var t = TextNumbering()
        #expect(Self.find(t, "a") == nil)
        let keys = ["C-2", "C-1", "C-2", "", "C-1", "c-1", "顧客-7", "", "x", "y", "x"].map { Self.add(&t, $0) }
        #expect(keys.map(\.key) == [0, 1, 0, 2, 1, 3, 4, 2, 5, 6, 5])
        #expect(keys.map(\.isNew) == [true, true, false, true, false, true, true, false, true, true, false])
        #expect(t.count == 7)
        #expect((0..<7).map { t.string($0) } == ["C-2", "C-1", "", "c-1", "顧客-7", "x", "y"])
        #expect(Self.find(t, "顧客-7") == 4)
        #expect(Self.find(t, "") == 2)
        #expect(Self.find(t, "C-") == nil)
        #expect(Self.find(t, "C-22") == nil)
    }

    /// 200,000 random ids (many sharing prefixes and lengths), added with and without room reserved:
    /// every number equals the dictionary's, across the table's growth.
    @Test(arguments: [0, 50_000]) func agreesWithADictionaryWhileItGrows(reserved: Int) {
        var rng = SplitMix64(seed: 15)
        var t = TextNumbering()
        t.reserve(reserved)
        var reference: [String: Int32] = [:]
        var order: [String] = []
        for _ in 0..<200_000 {
            let id = "C" + String(rng.next() % 90_000) + (rng.next() % 7 == 0 ? "-x" : "")
            let expected = reference[id] ?? Int32(reference.count)
            let got = Self.add(&t, id)
            guard got.key == expected && got.isNew == (reference[id] == nil) else {
                Issue.record("\(id): \(got), expected \(expected) (\(reference.count) texts so far)")
                return
            }
            if reference[id] == nil { reference[id] = expected; order.append(id) }
        }
        #expect(t.count == reference.count)
        for (k, id) in order.enumerated() where t.string(k) != id || Self.find(t, id) != Int32(k) {
            Issue.record("text \(k): \(t.string(k)) for \(id)")
            break
        }
        #expect(Self.find(t, "C90000") == nil)
    }
}
