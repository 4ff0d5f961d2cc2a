import Foundation
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

    /// Fewer than 20 such answers load, with a note; one answer above 7 (a 0–10 survey) gets none.
    @Test func aFewLowScoresAreNoted() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.nps), try f.file("few.csv", Self.fivePoint(7)))
        #expect(s.notes.contains { $0.hasPrefix("every one of the 7 scores is between 1 and 5: a 1–5 (satisfaction) scale is no NPS") })
        let g = try LoadFixture()
        let t = try g.load(.role(.nps), try g.file("nps.csv", Self.fivePoint(30) + "c99,2024-02-01,8\n"))
        #expect(!t.notes.contains { $0.hasPrefix("every one of") })
    }

    /// 20 answers cycling 1..7 (1–6 three times each, 7 twice) counted as NPS: P 0, D 18 → NPS −90.0, and no answer
    /// could have been a promoter. The load stops like the 1–5 case, with the NPS it would have shown.
    @Test func aOneToSevenFileStopsTheLoad() throws {
        let f = try LoadFixture()
        let text = "customer_id,responded_at,score\n" + (0..<20).map { "c\($0),2024-01-\(String(format: "%02d", 1 + $0)),\(1 + $0 % 7)\n" }.joined()
        let path = try f.file("agree.csv", text)
        do {
            try f.load(.role(.nps), path)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.column == 3 && e.line == nil)
            #expect(e.reason == "every one of the 20 scores is between 1 and 7, as on a 1–7 scale, not the 0–10 NPS question: a 1–7 "
                + "(agreement or satisfaction) scale is no NPS, and counted as NPS none of its answers is a promoter (NPS −90.0)")
            #expect(e.help == "load a 1–7 survey as a table (load table csat from '…'); if the question was asked 0–10, with scale '0-10' says so")
        }
        #expect(try !f.db.tableExists("nps"))
        let s = try f.load(.role(.nps), path, [("scale", "0-10")])
        #expect(s.rows == 20)
        // Seven such answers load with a note; one 8 among 30 answers up to 7 is a 0–10 survey.
        let g = try LoadFixture()
        let few = try g.load(.role(.nps), try g.file("few.csv", "customer_id,responded_at,score\n" + (1...7).map { "c\($0),2024-01-0\($0),\($0)\n" }.joined()))
        #expect(few.notes.contains { $0.hasPrefix("every one of the 7 scores is between 1 and 7: a 1–7 (agreement or satisfaction) scale is no NPS") })
        let h = try LoadFixture()
        let eight = try h.load(.role(.nps), try h.file("nps.csv", text + "c99,2024-02-01,8\n"))
        #expect(!eight.notes.contains { $0.hasPrefix("every one of") })
    }

    /// 30 answers up to 10 with five 1s and no 0 (1×5, 5×3, 7×4, 8×6, 9×6, 10×6: P 12, D 8 → NPS 13.3) read as a
    /// 1–10 scale: they load, with a note. Four 1s, or one 0 among them, get none; nor does `with scale '0-10'`.
    @Test func aOneToTenScaleIsNoted() throws {
        func answers(_ scores: [Int]) -> String {
            "customer_id,responded_at,score\n" + scores.enumerated().map { "c\($0.offset),2024-01-01,\($0.element)\n" }.joined()
        }
        let rest = Array(repeating: 5, count: 3) + Array(repeating: 7, count: 4) + [8, 9, 10].flatMap { Array(repeating: $0, count: 6) }
        let note = "no score is 0 but 5 of the 30 are 1, as on a 1–10 scale: the NPS counts them as answers to the 0–10 question "
            + "(1–6 detractors), which is not comparable with 0–10 benchmarks; if the question was asked 0–10, with scale '0-10' says so"
        let f = try LoadFixture()
        let s = try f.load(.role(.nps), try f.file("ten.csv", answers(Array(repeating: 1, count: 5) + rest)))
        #expect(s.notes.contains(note), "\(s.notes)")
        #expect(try f.rows("SELECT count(*), sum(score >= 9), sum(score <= 6) FROM nps") == [[30, 12, 8]])
        let quiet: [([Int], [(String, Value)])] = [(Array(repeating: 1, count: 4) + rest, []), ([0] + Array(repeating: 1, count: 5) + rest, []),
                                                   (Array(repeating: 1, count: 5) + rest, [("scale", "0-10")])]
        for (scores, options) in quiet {
            let g = try LoadFixture()
            let t = try g.load(.role(.nps), try g.file("ten.csv", answers(scores)), options)
            #expect(!t.notes.contains { $0.hasPrefix("no score is 0") })
        }
    }

    /// Scores 1..11 are the 0–10 question numbered from 1: 11 is a 10. Skipping it, as the old way out said, would
    /// count 1..10 (P 2, D 6, n 10 → NPS −40) where the answers were 0..10 (P 2, D 7, n 11 → NPS −45.5): the help
    /// says what an 11 means instead.
    @Test func anElevenSaysTheChoicesWereNumberedFromOne() throws {
        let f = try LoadFixture()
        let path = try f.file("shifted.csv", "customer_id,responded_at,score\n" + (1...11).map { "c\($0),2024-01-\(String(format: "%02d", $0)),\($0)\n" }.joined())
        do {
            try f.load(.role(.nps), path)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.line == 12 && e.column == 3 && e.reason == "is outside 0..10 (score)")
            #expect(e.help == "a survey that numbers the 11 choices of the 0–10 question 1 to 11 writes 11 for 10, and every other "
                + "score one too high: export the answers as the choices' text (0–10) and load that; on_error skip would leave out the 10s")
        }
    }

    /// A Google Forms export in Japanese: the question as the header, `GMT+9` timestamps, labelled and full-width
    /// answers, one left empty. 10, 9, 0, 8, 10, 6, 3, 7, 9: P 4, D 3, n 9 → NPS 11.1.
    @Test func aGoogleFormsExportLoads() throws {
        let f = try LoadFixture()
        let answers = ["10", "9", "0（まったく薦めない）", "8", "10（非常に薦めたい）", "６", "", "3", "7", "9"]
        let text = "タイムスタンプ,メールアドレス,友人や同僚に薦める可能性はどのくらいありますか？,その理由を教えてください\n"
            + answers.enumerated().map { "2024/03/31 23:3\($0.offset):22 GMT+9,u\($0.offset)@ex.jp,\($0.element),理由\n" }.joined()
        let s = try f.load(.role(.nps), try f.file("forms.csv", text), [("timezone", "UTC")])
        #expect(s.rows == 9)
        #expect(try f.rows("SELECT count(*), sum(score >= 9), sum(score <= 6), min(responded_at) FROM nps") == [[9, 4, 3, "2024-03-31 14:30:22"]])
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
