import Testing
@testable import ECStore
import ECTestSupport

/// `append` of datasets without an id (NPS without response_id, spend, traffic): a row with the natural key of a row
/// already loaded is that row again (replaced), so overlapping exports do not double-count.
@Suite struct AppendKeyTests {
    /// The QA repro: January–February, then February–March, sharing two February detractors.
    static let npsA = "responded_at,customer_id,score\n2024-01-10 10:00:00,C1,10\n2024-01-11 10:00:00,C2,9\n2024-02-05 10:00:00,C3,2\n2024-02-06 10:00:00,C4,3\n"
    static let npsB = "responded_at,customer_id,score\n2024-02-05 10:00:00,C3,2\n2024-02-06 10:00:00,C4,3\n2024-03-01 10:00:00,C5,10\n2024-03-02 10:00:00,C6,8\n"

    @Test func overlappingNPSExportsCountEachResponseOnce() throws {
        let f = try LoadFixture()
        try f.load(.role(.nps), try f.file("nps_a.csv", AppendKeyTests.npsA))
        let s = try f.load(.role(.nps), try f.file("nps_b.csv", AppendKeyTests.npsB), append: true)
        // C3 and C4 at the same moments: the same responses. C5, C6 are new.
        #expect(s.merge == LoadSummary.Merge(new: 2, updated: 0, unchanged: 2))
        #expect(s.description.contains("; 2 new, 0 updated, 2 unchanged"))
        #expect(s.notes.contains { $0.hasPrefix("append matched rows already loaded by customer_id and responded_at (the file has no response_id)") })
        // 6 responses: promoters C1 10, C2 9, C5 10; detractors C3 2, C4 3; passive C6 8 → NPS 100 × (3 − 2) / 6 = +16.7.
        #expect(try f.rows("SELECT count(*), sum(score >= 9), sum(score <= 6) FROM nps") == [[6, 3, 2]])
        #expect(try f.rows("SELECT rows FROM ecsh_datasets WHERE name = 'nps'") == [[6]])
    }

    /// The same respondent at the same moment with another score: the later export's score, one response.
    @Test func aChangedScoreUpdatesTheResponse() throws {
        let f = try LoadFixture()
        try f.load(.role(.nps), try f.file("a.csv", "responded_at,customer_id,score\n2024-02-05 10:00:00,C3,2\n2024-02-05 10:00:00,,7\n"))
        let s = try f.load(.role(.nps), try f.file("b.csv", "responded_at,customer_id,score\n2024-02-05 10:00:00,C3,6\n2024-02-05 10:00:00,,7\n"), append: true)
        // The anonymous response matches the anonymous one at the same moment (NULL matches NULL).
        #expect(s.merge == LoadSummary.Merge(new: 0, updated: 1, unchanged: 1))
        #expect(try f.rows("SELECT customer_id, score FROM nps ORDER BY customer_id") == [[nil, 7], ["C3", 6]])
    }

    @Test func overlappingSpendExportsAreNotDoubled() throws {
        let f = try LoadFixture()
        try f.load(.role(.spend), try f.file("sp_a.csv", "date,channel,spend\n2024-01-01,own,1000\n2024-01-15,own,1000\n"))
        let s = try f.load(.role(.spend), try f.file("sp_b.csv", "date,channel,spend\n2024-01-15,own,1000\n2024-02-01,own,1000\n"), append: true)
        #expect(s.merge == LoadSummary.Merge(new: 1, updated: 0, unchanged: 1))
        #expect(s.notes.contains { $0.hasPrefix("append matched rows already loaded by date, channel and campaign (spend rows have no id)") })
        // Three days of ¥1,000: ¥3,000, not ¥4,000.
        #expect(try f.rows("SELECT count(*), sum(spend) FROM spend") == [[3, 3000.0]])
    }

    /// Campaigns and channels tell rows of one day apart; a day written another way is the same day.
    @Test func spendKeyIsDayChannelAndCampaign() throws {
        let f = try LoadFixture()
        try f.load(.role(.spend), try f.file("a.csv", "date,channel,campaign,spend\n2024-01-01,ads,A,100\n2024-01-01,ads,B,200\n2024-01-01,sns,A,300\n"))
        let s = try f.load(.role(.spend), try f.file("b.csv", "date,channel,campaign,spend\n2024/01/01,ads,B,250\n2024-01-02,ads,A,400\n"), append: true)
        #expect(s.merge == LoadSummary.Merge(new: 1, updated: 1, unchanged: 0))
        // 100 + 250 + 300 + 400.
        #expect(try f.rows("SELECT count(*), sum(spend) FROM spend") == [[4, 1050.0]])
    }

    /// Several rows with one key (ad groups without a campaign column) are replaced as a group: the later export's rows.
    @Test func aKeyHeldBySeveralRowsIsReplacedAsAGroup() throws {
        let f = try LoadFixture()
        let day = "date,channel,spend\n2024-01-01,ads,100\n2024-01-01,ads,200\n"
        try f.load(.role(.spend), try f.file("a.csv", day))
        try f.load(.role(.spend), try f.file("b.csv", day), append: true)
        #expect(try f.rows("SELECT count(*), sum(spend) FROM spend") == [[2, 300.0]])
    }

    @Test func withoutAChannelColumnTheNoteSaysRowsAreMatchedByDate() throws {
        let f = try LoadFixture()
        try f.load(.role(.spend), try f.file("a.csv", "date,spend\n2024-01-01,100\n"))
        let s = try f.load(.role(.spend), try f.file("b.csv", "date,spend\n2024-01-01,100\n2024-01-02,100\n"), append: true)
        #expect(s.merge == LoadSummary.Merge(new: 1, updated: 0, unchanged: 1))
        #expect(s.notes.contains { $0.contains("the file has no channel column, so rows of one date are one row") })
    }

    @Test func overlappingTrafficExportsAreNotDoubled() throws {
        let f = try LoadFixture()
        let path = try f.file("tr.csv", "date,channel,sessions\n2024-01-01,own,100\n2024-01-01,ads,50\n")
        try f.load(.role(.traffic), path)
        let s = try f.load(.role(.traffic), path, append: true)
        #expect(s.merge == LoadSummary.Merge(new: 0, updated: 0, unchanged: 2))
        #expect(try f.rows("SELECT sum(sessions) FROM traffic") == [[150]])
    }
}

/// What `append` leaves out of a spend or traffic key, and what it keeps in it.
@Suite struct AppendKeyLeftOutTests {
    /// An account's id written `123-456-7890` is a name, not a figure: two accounts' rows of one day and campaign
    /// stay two rows (¥100 + ¥200), while the rate beside them is left out of the key.
    @Test func accountIdsStayInTheKeyRatesDoNot() throws {
        let f = try LoadFixture()
        try f.load(.role(.spend), try f.file("a.csv", "Day,Customer ID,Campaign,Cost,CTR\n2024-01-05,123-456-7890,Brand,100,1.00%\n"))
        let s = try f.load(.role(.spend), try f.file("b.csv", "Day,Customer ID,Campaign,Cost,CTR\n2024-01-05,987-654-3210,Brand,200,2.00%\n"), append: true)
        #expect(s.merge == LoadSummary.Merge(new: 1, updated: 0, unchanged: 0))
        #expect(s.mergeKey == ["day", "channel", "campaign", "Customer ID"])
        #expect(s.mergeKeyLeftOut == ["CTR"])
        #expect(try f.rows("SELECT count(*), sum(spend) FROM spend") == [[2, 300.0]])
    }

    /// Meta's `Campaign delivery` (active → completed) and `Ends` (Ongoing → a date) change between exports; the
    /// later export's row replaces the day's (¥500, not ¥1,000).
    @Test func metaDeliveryAndEndsAreLeftOut() throws {
        let f = try LoadFixture()
        let head = "Day,Campaign name,Campaign delivery,Ends,Amount spent (JPY)\n"
        try f.load(.role(.spend), try f.file("a.csv", head + "2024-01-05,Sale,active,Ongoing,500\n"))
        let s = try f.load(.role(.spend), try f.file("b.csv", head + "2024-01-05,Sale,completed,2024-01-31,500\n"), append: true)
        #expect(s.merge == LoadSummary.Merge(new: 0, updated: 1, unchanged: 0))
        #expect(try f.rows("SELECT count(*), sum(spend) FROM spend") == [[1, 500.0]])
    }
}
