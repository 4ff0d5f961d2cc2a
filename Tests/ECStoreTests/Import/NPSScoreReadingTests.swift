import Testing
import ECStore

/// NPS answers that are no plain 0–10 answer: a 1–5 scale, full-width digits, scores that are no score, and one
/// respondent's differing answers at one moment.
@Suite struct NPSScoreReadingTests {
    /// `n` answers, scores cycling 1, 2, 3, 4, 5: a 1–5 satisfaction survey.
    static func fivePoint(_ n: Int) -> String {
        "customer_id,responded_at,score\n" + (0..<n).map { "c\($0),2024-01-\(String(format: "%02d", 1 + $0 % 28)),\(1 + $0 % 5)\n" }.joined()
    }

    /// Counted as NPS, 20 answers of 1..5 are 20 detractors: NPS −100 with a margin of 0. The load stops at the
    /// score column; `with scale '0-10'` loads them as they are.
    @Test func aOneToFiveFileStopsTheLoad() throws {
        let f = try LoadFixture()
        let path = try f.file("csat.csv", Self.fivePoint(20))
        do {
            try f.load(.role(.nps), path)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.column == 3 && e.line == nil)
            #expect(e.reason.hasPrefix("every one of the 20 scores is between 1 and 5, as on a 1–5 scale, not the 0–10 NPS question"))
            #expect(e.help == "load a 1–5 survey as a table (load table csat from '…'); if the question was asked 0–10, with scale '0-10' says so")
        }
        #expect(try !f.db.tableExists("nps"))
        let s = try f.load(.role(.nps), path, [("scale", "0-10")])
        #expect(s.rows == 20)
        #expect(!s.notes.contains { $0.hasPrefix("every one of") })
        #expect(try f.rows("SELECT count(*), max(score) FROM nps") == [[20, 5]])
    }

    /// Fewer than 20 such answers load, with a note; one answer above 5 (a 0–10 survey) gets none.
    @Test func aFewLowScoresAreNoted() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.nps), try f.file("few.csv", Self.fivePoint(7)))
        #expect(s.notes.contains { $0.hasPrefix("every one of the 7 scores is between 1 and 5: a 1–5 (satisfaction) scale is no NPS") })
        let g = try LoadFixture()
        let t = try g.load(.role(.nps), try g.file("nps.csv", Self.fivePoint(30) + "c99,2024-02-01,6\n"))
        #expect(!t.notes.contains { $0.hasPrefix("every one of") })
    }

    @Test func scaleTakesOnlyZeroToTen() throws {
        #expect(throws: StoreError.self) { try LoadOptions(pairs: [("scale", .text("1-5"))]) }
        #expect(try LoadOptions(pairs: [("scale", .text("0-10"))]).scaleConfirmed)
    }

    /// `１０` and `９（そう思う）` are 10 and 9: P 3 (9, 10, 9), D 1 (3), n 4 → NPS 50. Full-width numbers read as
    /// numbers everywhere (`JapaneseNumberTests`): the note names only the score with a label.
    @Test func fullWidthDigitsAreRead() throws {
        let f = try LoadFixture()
        let text = "顧客ID,回答日,おすすめ度\nc1,2024/01/05,９\nc2,2024/01/05,１０\nc3,2024/01/06,９（そう思う）\nc4,2024/01/06,3\n"
        let s = try f.load(.role(.nps), try f.file("jp.csv", text))
        #expect(try f.rows("SELECT customer_id, score FROM nps ORDER BY rowid") == [["c1", 9], ["c2", 10], ["c3", 9], ["c4", 3]])
        #expect(s.notes.contains("1 score is written in full-width digits: read as the same number (line 4 '９（そう思う）')"))
    }

    /// `7.5` and `N/A` are no score: the error says what a score is and how to leave the rows out; `１２` is out of range.
    @Test(arguments: [("7.5", "is not a whole number (an NPS score is one of 0, 1, …, 10)"), ("N/A", "is not a number"),
                      ("１２", "is outside 0..10 (score)")])
    func aScoreThatIsNoScoreHasAWayOut(_ value: String, _ reason: String) throws {
        let f = try LoadFixture()
        let path = try f.file("bad.csv", "customer_id,responded_at,score\nc1,2024-01-05,9\nc2,2024-01-06,\(value)\n")
        do {
            try f.load(.role(.nps), path)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.line == 3 && e.column == 3)
            #expect(e.reason == reason && e.rawValue == value)
            #expect(e.help?.contains("with on_error skip leaves such rows out") == true)
        }
    }

    /// c1 answered 10, then 2, at 10:00:00 on 5 January: the key append matches answers by (customer_id and
    /// responded_at) holds one answer, so the later row counts: n 3 (2, 9, 10), P 2, D 1 → NPS 33.3, not 50.
    /// Anonymous answers and answers dated without a time stay apart.
    @Test func oneRespondentsDifferingAnswersAtOneMomentCountOnce() throws {
        let f = try LoadFixture()
        let text = "customer_id,responded_at,score\nc1,2024-01-05 10:00:00,10\nc1,2024-01-05 10:00:00,2\nc2,2024-01-05 11:00:00,9\n"
            + ",2024-01-07 09:00:00,10\n,2024-01-07 09:00:00,3\nc3,2024-01-08,9\nc3,2024-01-08,4\n"
        let s = try f.load(.role(.nps), try f.file("rep.csv", text))
        #expect(try f.rows("SELECT customer_id, score FROM nps WHERE customer_id IN ('c1', 'c2') ORDER BY rowid") == [["c1", 2], ["c2", 9]])
        #expect(try f.rows("SELECT count(*) FROM nps") == [[6]])
        #expect(s.rows == 6)
        #expect(s.notes.contains("1 respondent answered more than once at one moment (customer_id and responded_at to the second) with different answers: "
            + "the file's later row counts, as append counts a changed answer as an update, and the earlier one is left out "
            + "(c1 at 2024-01-05 10:00:00: scores 10 then 2); if they are separate answers, load the file with a response_id column"))
    }
}
