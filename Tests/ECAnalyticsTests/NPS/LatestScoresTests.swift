import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// Each customer's latest answer, as the facts' `nps` column takes it, against SQLite's own window over
/// the same rows: latest day (NULL last), then latest `responded_at` by its bytes (NULL last), then the
/// earlier row. Random answers (about four a customer) with many ties, NULL days and times, empty and
/// non-ASCII times.
@Suite struct LatestScoresTests {
    @Test func latestAnswerPerCustomerAsSQLRanksThem() throws {
        let db = try Database()
        try db.execute("CREATE TABLE nps (customer_key INTEGER, day INTEGER, responded_at TEXT, score INTEGER)")
        var rng = SplitMix64(seed: 15)
        let times: [String?] = [nil, nil, nil, "", "2024-05-01 09:00:00", "2024-05-01 18:00:00", "2024-05-01 18:00:00Z", "2024-05-01 9:00", "午後", "Ω"]
        let customers = 400
        for _ in 0..<1500 {
            let day: Value = Int.random(in: 0..<6, using: &rng) == 0 ? .null : .integer(Int64(Int.random(in: 100...101, using: &rng)))
            let at: Value = times.randomElement(using: &rng)!.map { .text($0) } ?? .null
            let score: Value = Int.random(in: 0..<15, using: &rng) == 0 ? .null : .integer(Int64(Int.random(in: 0...10, using: &rng)))
            try db.execute("INSERT INTO nps VALUES (?, ?, ?, ?)", [.integer(Int64(Int.random(in: 0..<customers, using: &rng))), day, at, score])
        }
        var latest = LatestScores(customers: customers)
        var scores = [Int32](repeating: -1, count: customers)
        let s = try db.prepare("SELECT customer_key, day, responded_at, score FROM nps ORDER BY rowid")
        while try s.step() { latest.add(s, key: Int32(s.int64(at: 0)), into: &scores) }

        let ranked = try db.query("""
            SELECT customer_key, score FROM (SELECT customer_key, score, row_number() OVER (PARTITION BY customer_key
              ORDER BY day DESC NULLS LAST, CAST(responded_at AS BLOB) DESC NULLS LAST, rowid) AS r FROM nps) WHERE r = 1
            """).rows
        var expected = [Int32](repeating: -1, count: customers)
        for row in ranked { expected[Int(row[0].intValue ?? 0)] = Int32(row[1].intValue ?? -1) }
        // Customers without an answer keep −1; most have a few answers, some only NULL days or times.
        #expect(ranked.count > 300 && ranked.count < customers)
        #expect(scores == expected)
    }
}
