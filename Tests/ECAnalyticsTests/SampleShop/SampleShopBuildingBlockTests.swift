import Foundation
import Testing
import ECTestSupport
@testable import ECAnalytics

/// The generator's own arithmetic, random numbers, dates and CSV writing.
@Suite struct SampleShopBuildingBlockTests {
    @Test(arguments: [1e-300, 1e-10, 0.001, 0.3, 0.7071, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e200])
    func portableLogMatchesTheSystemLog(x: Double) {
        let ours = SampleShop.PortableMath.log(x)
        let system = Foundation.log(x)
        #expect(abs(ours - system) <= 4 * max(abs(system), 1) * Double.ulpOfOne, "log(\(x))")
    }

    @Test(arguments: [-700.0, -20, -1, -0.1, 0, 1e-9, 0.5, 1, 3.3, 50, 700])
    func portableExpMatchesTheSystemExp(x: Double) {
        let ours = SampleShop.PortableMath.exp(x)
        let system = Foundation.exp(x)
        #expect(abs(ours - system) <= 4 * system * Double.ulpOfOne, "exp(\(x))")
    }

    /// Published vectors: SplitMix64 from seed 0 starts with 0xE220A8397B1DCDAF, and
    /// xoshiro256** from state (1, 2, 3, 4) starts 11520, 0, 1509978240, 1215971899390074240.
    @Test func generatorsMatchReferenceOutputs() {
        var state: UInt64 = 0
        #expect(SampleShop.Random.splitMix(&state) == 0xE220_A839_7B1D_CDAF)
        var random = SampleShop.Random(state: (1, 2, 3, 4))
        #expect((0..<4).map { _ in random.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test func streamsAreIndependentAndRepeatable() {
        var a = SampleShop.Random(seed: 1, stream: 1), b = SampleShop.Random(seed: 1, stream: 1)
        var c = SampleShop.Random(seed: 1, stream: 2)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
    }

    /// Sample moments of 200,000 draws against the distributions' formulas.
    @Test(arguments: [(0.25, 80.0), (2.5, 1.0), (0.7, 1.0)])
    func gammaHasTheRightMeanAndVariance(shape: Double, scale: Double) {
        var random = SampleShop.Random(seed: 11)
        let draws = (0..<200_000).map { _ in random.gamma(shape: shape, scale: scale) }
        let m = ShopStatistics.mean(draws)
        let variance = ShopStatistics.mean(draws.map { ($0 - m) * ($0 - m) })
        #expect(abs(m / (shape * scale) - 1) < 0.02, "mean \(m)")
        #expect(abs(variance / (shape * scale * scale) - 1) < 0.06, "variance \(variance)")
        #expect(draws.allSatisfy { $0 > 0 })
    }

    @Test func betaAndPoissonHaveTheRightMeans() {
        var random = SampleShop.Random(seed: 12)
        let beta = (0..<100_000).map { _ in random.beta(0.7, 2.8) }
        #expect(abs(ShopStatistics.mean(beta) - 0.7 / 3.5) < 0.004)
        for lambda in [0.3, 4.0, 55.0] {
            let counts = (0..<100_000).map { _ in Double(random.poisson(lambda)) }
            let m = ShopStatistics.mean(counts)
            let variance = ShopStatistics.mean(counts.map { ($0 - m) * ($0 - m) })
            #expect(abs(m / lambda - 1) < 0.02 && abs(variance / lambda - 1) < 0.05, "Poisson(\(lambda))")
        }
        let picks = (0..<100_000).map { _ in random.pick(cumulative: [1, 1, 4]) }
        #expect(abs(Double(picks.filter { $0 == 2 }.count) / 100_000 - 0.75) < 0.01)
        #expect(!picks.contains(1), "a zero-weight entry was picked")
    }

    @Test func datesAgreeWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        // From 1600: Foundation's Gregorian calendar switches to Julian dates before 1582.
        for days in stride(from: -135_000, through: 2_900_000, by: 997) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday],
                                                from: Date(timeIntervalSince1970: Double(days) * 86_400))
            let ours = SampleShop.civil(days)
            #expect(ours.year == parts.year && ours.month == parts.month && ours.day == parts.day)
            #expect(SampleShop.daysSinceEpoch(year: ours.year, month: ours.month, day: ours.day) == days)
            // Foundation: 1 = Sunday; ours: 0 = Monday.
            #expect((SampleShop.weekday(days) + 1) % 7 + 1 == parts.weekday)
        }
        var bytes: [UInt8] = []
        SampleShop.appendTimestamp(1_704_067_199, to: &bytes)  // one second before 2024-01-01 00:00
        #expect(String(decoding: bytes, as: UTF8.self) == "2023-12-31 23:59:59")
        #expect(SampleShopDate("2024-02-29")?.description == "2024-02-29")
        #expect(SampleShopDate("2023-02-29") == nil && SampleShopDate("2023-1-01") == nil)
    }

    /// The test's own reader, on hand-worked input: it is the oracle for every file check.
    @Test func referenceReaderFollowsRFC4180() {
        let text = "a,\"b,c\",\"d\"\"e\"\r\n\"f\ng\",\n,x,\n"
        let expected = [["a", "b,c", "d\"e"], ["f\ng", ""], ["", "x", ""]]
        #expect(RFC4180Reader.records(Array(text.utf8)) == expected)
        #expect(RFC4180Reader.records(Array("a\"b\n".utf8)) == nil)  // quote inside an unquoted field
        #expect(RFC4180Reader.records(Array("\"open\n".utf8)) == nil)  // unclosed quote
        #expect(RFC4180Reader.records(Array("\"a\"b\n".utf8)) == nil)  // text after a closing quote
        #expect(RFC4180Reader.table(Array("h1,h2\n1\n".utf8)) == nil)  // ragged row
    }

    @Test func writerQuotesExactlyWhenNeeded() throws {
        let directory = try TemporaryDirectory("ecsh-shop")
        defer { directory.remove() }
        let fields = ["plain", "a,b", "say \"hi\"", "two\nlines", "crlf\r\nend", "", "日本語、テスト", "-"]
        let writer = try SampleShop.CSVWriter(path: directory.path("t.csv"), header: ["h1", "h2"])
        for field in fields {
            writer.row { row in
                row.text(field)
                row.integer(-1234)
            }
        }
        writer.row { row in
            row.identifier("O", 123_456_789)
            row.date(0)
        }
        try writer.close()
        let bytes = try [UInt8](Data(contentsOf: directory.url.appendingPathComponent("t.csv")))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("h1,h2\nplain,-1234\n\"a,b\",-1234\n\"say \"\"hi\"\"\",-1234\n\"two\nlines\",-1234\n"))
        #expect(text.hasSuffix("\nO123456789,1970-01-01\n"))
        let records = try #require(RFC4180Reader.records(bytes))
        #expect(records.dropFirst().prefix(fields.count).map { $0[0] } == fields)
        #expect(writer.rows == fields.count + 1)
        #expect(writer.bytesWritten == bytes.count)
    }
}
