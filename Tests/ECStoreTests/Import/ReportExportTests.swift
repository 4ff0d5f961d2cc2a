import Testing
@testable import ECStore
import ECTestSupport

/// Ad, traffic and survey exports as the platforms write them (totals rows, a summary row, `--`, a second header,
/// unanswered and labelled scores): the figures are the ones worked out by hand from the data rows alone.
@Suite struct ReportExportTests {
    /// Google Ads: a title and a date range above the header, `--` for no cost, and three totals rows at the bottom.
    static let googleAds = """
        Campaign report
        "March 1, 2024 - March 3, 2024"
        Day,Campaign,Currency code,Cost,Impr.,Clicks,Conversions
        2024-03-01,Brand,JPY,"1,234.56","12,000",300,4.00
        2024-03-01,Generic,JPY,"2,000.00","8,000",150,2.00
        2024-03-02,Brand,JPY,--,0,--,0.00
        2024-03-02,Generic,JPY,"3,100.00","9,500",180,3.00
        2024-03-03,Brand,JPY,500.00,"4,000",90,1.00
        Total: Account,--,JPY,"6,834.56","33,500",720,10.00
        Total: Search,--,JPY,"6,834.56","33,500",720,10.00
        Total: Campaigns,--,JPY,"6,834.56","33,500",720,10.00

        """

    @Test func googleAdsTotalsRowsAreSkippedAndNamed() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.spend), try f.file("gads.csv", ReportExportTests.googleAds))
        // 1,234.56 + 2,000 + 0 + 3,100 + 500 = 6,834.56 over five rows; clicks 300 + 150 + 0 + 180 + 90 = 720.
        #expect(s.rows == 5)
        #expect(try f.rows("SELECT count(*), round(sum(spend), 2), sum(clicks) FROM spend") == [[5, 6834.56, 720]])
        #expect(s.notes.contains("skipped 3 totals rows (lines 9 'Total: Account', 10 'Total: Search', 11 'Total: Campaigns'): the report's sums of the rows above, not days; loaded they would count the spend twice"))
        #expect(s.notes.contains("2 values written '--' (none) read as 0 (line 6)"))
    }

    /// Day totals with a date (a campaign column saying `合計` or `小計` under each day's rows) were loaded as data and
    /// counted each day twice (¥11,999 for ¥6,999). By hand: 1000 + 2000 + 1500 + 500 + 700 + 300 + 999 = 6,999; the
    /// rows of lines 4 and 7 are their day's sums and go; `Total Beauty` is a campaign; line 10's `合計` is the day's only
    /// row (no sum to be), so it stays and is named. A traffic file's day total in the channel column goes the same way.
    @Test func dayTotalsWithADateAreSkippedWhenTheyAreTheDaysSum() throws {
        let f = try LoadFixture()
        let spend = "日付,キャンペーン名,広告費\n2024-04-01,ブランド,1000\n2024-04-01,セール,2000\n2024-04-01,合計,3000\n"
            + "2024-04-02,ブランド,1500\n2024-04-02,セール,500\n2024-04-02,小計,2000\n2024-04-03,ブランド,700\n2024-04-03,Total Beauty,300\n2024-04-04,合計,999\n"
        let s = try f.load(.role(.spend), try f.file("days.csv", spend))
        #expect(s.rows == 7)
        #expect(try f.rows("SELECT count(*), sum(spend) FROM spend") == [[7, 6999.0]])
        #expect(s.notes.contains("skipped 2 day total rows (line 4 '合計' (the sum of that day's 2 other rows), line 7 '小計' (the sum of that day's 2 other rows)): loaded they would count that day's spend twice"), "\(s.notes)")
        #expect(s.notes.contains { $0.hasPrefix("a row says total (line 10 '合計') but its spend is not the sum of that day's other rows: loaded as data") }, "\(s.notes)")
        let traffic = "date,channel,sessions\n2024-04-01,google,100\n2024-04-01,own,50\n2024-04-01,Total,150\n2024-04-02,google,80\n"
        let t = try f.load(.role(.traffic), try f.file("traffic.csv", traffic))
        #expect(t.rows == 3)
        #expect(try f.rows("SELECT count(*), sum(sessions) FROM traffic") == [[3, 230]])
    }

    /// A Yahoo! ad report in CP932: two title lines, `"1,200"` in every row, `ご利用金額`, and a `合計` row.
    @Test func yahooAdReportReadsItsQuotedNumbersAndSkipsTheTotal() throws {
        let f = try LoadFixture()
        let text = "キャンペーンレポート\n集計期間：2024/03/01～2024/03/03\n日付,キャンペーン名,インプレッション数,クリック数,ご利用金額,コンバージョン数\n"
            + "2024/03/01,ブランド,\"12,000\",300,\"1,200\",4\n2024/03/02,ブランド,\"11,000\",280,\"1,100\",3\n"
            + "2024/03/03,ブランド,\"10,000\",250,\"1,000\",2\n合計,,\"33,000\",830,\"3,300\",9\n"
        let s = try f.load(.role(.spend), try f.file("yahoo.csv", bytes: Array(text.utf8)))
        // 1,200 + 1,100 + 1,000.
        #expect(try f.rows("SELECT count(*), sum(spend), sum(impressions) FROM spend") == [[3, 3300.0, 33000]])
        #expect(s.notes.contains { $0.hasPrefix("skipped 1 totals row (line 7 '合計')") })
    }

    /// Every row quoting its thousands (`"1,200"`) once passed its header off as a title: read without quotes, the
    /// rows had more fields than the header.
    @Test func quotedThousandsInEveryRowKeepTheHeader() throws {
        let text = "a,b,c\n\"1,000\",x,\"2,000\"\n\"1,500\",y,\"2,500\"\n\"1,700\",z,\"2,700\"\n"
        let found = Array(text.utf8).withUnsafeBufferPointer { DialectSniffer.detect($0, isWholeFile: true) }
        #expect(found.dialect.quote == 34 && found.preamble == 0)
    }

    /// GA4: `#` lines, YYYYMMDD days, a total without a label (the sum of the rows above), then another table.
    @Test func ga4TotalWithoutALabelIsSkippedWhenItIsTheSum() throws {
        let f = try LoadFixture()
        let text = "# ----\n# Account: Example\n# Start date: 20240301\nDate,Session default channel group,Sessions\n"
            + "20240301,Organic Search,\"1,200\"\n20240301,Paid Search,300\n20240302,Organic Search,\"1,100\"\n,,\"2,600\"\n"
        let s = try f.load(.role(.traffic), try f.file("ga4.csv", text))
        #expect(try f.rows("SELECT count(*), sum(sessions), count(DISTINCT channel) FROM traffic") == [[3, 2600, 2]])
        #expect(s.notes.contains { $0.hasPrefix("skipped 1 totals row (line 8)") })
        // Without a label and not the sum, an empty date is still a bad row.
        let g = try LoadFixture()
        #expect(throws: LoadError.self) {
            try g.load(.role(.traffic), try g.file("ga4b.csv", "Date,Sessions\n20240301,100\n20240302,200\n,250\n"))
        }
    }

    /// A second table after a blank line (GA4's `Users by country`): the help says so, not `null_padding`.
    @Test func anotherTableAfterABlankLineIsNamedInTheHelp() throws {
        let f = try LoadFixture()
        let text = "# ----\n# Account: Example\n# ----\n#\n# Start date: 20240301\nDate,Sessions,Users\n"
            + "20240301,100,80\n20240302,200,150\n20240303,50,40\n20240304,50,40\n\n# ----\n# Users by country\n# ----\nCountry,Users\nJapan,230\n"
        do {
            try f.load(.role(.traffic), try f.file("ga4.csv", text))
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.line == 15 && e.reason == "has 2 fields, expected 3")
            #expect(e.help?.hasPrefix("it follows a blank line: another table may start here") == true, "\(e.help ?? "")")
            #expect(e.help?.contains("cut the file before line 15") == true)
        }
        try f.load(.role(.traffic), try f.file("ga4.csv", text), [("on_error", "skip")])
        #expect(try f.rows("SELECT sum(sessions) FROM traffic") == [[400]])
    }

    /// Meta: a summary row over the whole range (campaign empty), then one row per day.
    @Test func metaSummaryRowIsNotCountedTwice() throws {
        let f = try LoadFixture()
        let text = "Reporting starts,Reporting ends,Campaign name,Amount spent (JPY),Impressions\n"
            + "2024-03-01,2024-03-03,,\"9,600\",50000\n2024-03-01,2024-03-01,Spring,3000,15000\n"
            + "2024-03-02,2024-03-02,Spring,3500,17000\n2024-03-03,2024-03-03,Spring,3100,18000\n"
        let s = try f.load(.role(.spend), try f.file("meta.csv", text))
        // 3,000 + 3,500 + 3,100 = 9,600 (the old load counted 19,200).
        #expect(s.rows == 3)
        #expect(try f.rows("SELECT count(*), sum(spend) FROM spend") == [[3, 9600.0]])
        #expect(try f.rows("SELECT rows FROM ecsh_datasets WHERE name = 'spend'") == [[3]])
        #expect(s.notes.contains { $0.hasPrefix("skipped a summary row covering several days: line 2 (2024-03-01 to 2024-03-03, the sum of the 3 rows within it)") })
        // A row over a month without daily rows stays, and the note says where its spend counts.
        let g = try LoadFixture()
        let month = try g.load(.role(.spend), try g.file("m.csv", "Reporting starts,Reporting ends,Campaign name,Amount spent (JPY)\n2024-03-01,2024-03-31,A,30000\n"))
        #expect(try g.rows("SELECT sum(spend) FROM spend") == [[30000.0]])
        #expect(month.notes.contains { $0.hasPrefix("1 row covers more than one day ('Reporting ends'; line 2: 2024-03-01 to 2024-03-31)") })
    }

    /// Meta by day: the summary row comes first with `Day` empty. Skipped when the rows below add up to it
    /// (3,000 + 3,500 + 3,100 = 9,600); a first dateless row of 9,700 is still the error it was.
    @Test func metaByDaySummaryRowFirstIsSkippedWhenItIsTheSum() throws {
        let f = try LoadFixture()
        let head = "Day,Campaign name,Amount spent (JPY),Impressions,Reporting starts,Reporting ends\n"
        let days = "2024-03-01,Spring,3000,15000,2024-03-01,2024-03-01\n2024-03-02,Spring,3500,17000,2024-03-02,2024-03-02\n"
            + "2024-03-03,Spring,3100,18000,2024-03-03,2024-03-03\n"
        let s = try f.load(.role(.spend), try f.file("meta.csv", head + ",,\"9,600\",50000,2024-03-01,2024-03-03\n" + days))
        #expect(try f.rows("SELECT count(*), sum(spend) FROM spend") == [[3, 9600.0]])
        #expect(s.notes.contains("skipped line 2, a summary row first without a date: its spend, 9,600, is the sum of the 3 rows below; "
                                 + "loaded it would count the spend twice"), "\(s.notes)")
        let g = try LoadFixture()
        do {
            try g.load(.role(.spend), try g.file("meta.csv", head + ",,9700,50000,2024-03-01,2024-03-03\n" + days))
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.line == 2 && e.reason == "is empty, but date is required", "\(e.reason)")
            #expect(e.help?.hasPrefix("the first row has no date and its spend, 9,700, is not the sum of the rows below (9,600)") == true, "\(e.help ?? "")")
        }
        try g.load(.role(.spend), try g.file("meta.csv", head + ",,9700,50000,2024-03-01,2024-03-03\n" + days), [("on_error", "skip")])
        #expect(try g.rows("SELECT count(*), sum(spend) FROM spend") == [[3, 9600.0]])
        #expect(try g.rows("SELECT line FROM ecsh_rejects WHERE dataset = 'spend'") == [[2]])
    }

    /// SurveyMonkey: a second header row, `02:12:40 PM` times, the question as the score's header.
    @Test func surveyMonkeyExportLoads() throws {
        let f = try LoadFixture()
        let text = "Respondent ID,End Date,Email Address,How likely is it that you would recommend us to a friend or colleague?\n"
            + ",,,Response\n1,03/05/2024 02:12:40 PM,a@x.jp,10\n2,03/05/2024 12:05:00 AM,b@x.jp,6\n3,03/13/2024 09:00:00 AM,c@x.jp,9\n"
        let s = try f.load(.role(.nps), try f.file("sm.csv", text))
        #expect(try f.rows("SELECT response_id, responded_at, customer_id, score FROM nps ORDER BY rowid") == [
            ["1", "2024-03-05 14:12:40", "a@x.jp", 10], ["2", "2024-03-05 00:05:00", "b@x.jp", 6], ["3", "2024-03-13 09:00:00", "c@x.jp", 9],
        ])
        #expect(s.notes.contains("skipped line 2, a second header row under the header ('Response')"))
    }

    /// Google Forms: unanswered scores are no responses; scores with their label; a submission exported twice.
    @Test func googleFormsScoresLabelsBlanksAndRepeats() throws {
        let f = try LoadFixture()
        let text = "Timestamp,Email Address,How likely are you to recommend us to a friend?\n"
            + "2024/03/05 14:22:11,a@x.jp,10 - Extremely likely\n2024/03/05 15:00:00,b@x.jp,9\n2024/03/05 15:00:00,b@x.jp,9\n"
            + "2024/03/06 10:00:00,c@x.jp,\n2024/03/06 11:00:00,d@x.jp,0（全くそう思わない）\n"
        let s = try f.load(.role(.nps), try f.file("gf.csv", text))
        // Responses: a 10, b 9 (once), d 0 → P 2, D 1, n 3: NPS 100 × (2 − 1) / 3 = 33.3.
        #expect(try f.rows("SELECT count(*), sum(score >= 9), sum(score <= 6) FROM nps") == [[3, 2, 1]])
        #expect(s.rows == 3)
        #expect(s.notes.contains("1 response has no score (unanswered): left out of the responses (line 5)"))
        #expect(s.notes.contains("2 scores are written with a label or unit (`10 - Extremely likely`, `10点`, `10/10`): the number before it is the score (lines 2 '10 - Extremely likely', 6 '0（全くそう思わない）')"))
        #expect(s.notes.contains { $0.hasPrefix("collapsed 1 exact repeat answer") })
    }

    /// Qualtrics writes three header rows: the column names (`Q1`, `RecordedDate`), the question text, and an ImportId row
    /// (`{"ImportId":"QID1"}`), which stopped the load as a score that is no number. Both extra rows are skipped in one note.
    /// By hand: scores 10, 9, 8, 3, 10, 6, 9, 7, 0, 10 → promoters 5 (10, 9, 10, 9, 10), detractors 3 (3, 6, 0), n 10:
    /// NPS 100 × (5 − 3) / 10 = 20.
    @Test func qualtricsHeaderRowsAreSkipped() throws {
        let f = try LoadFixture()
        var text = "StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,RecipientEmail,Q1,Q2\n"
            + "Start Date,End Date,Response Type,Progress,Finished,Recorded Date,Response ID,Recipient Email,"
            + "How likely are you to recommend us to a friend?,Why?\n"
            + #""{""ImportId"":""startDate"",""timeZone"":""Asia/Tokyo""}","{""ImportId"":""endDate"",""timeZone"":""Asia/Tokyo""}","{""ImportId"":""status""}","{""ImportId"":""progress""}","{""ImportId"":""finished""}","{""ImportId"":""recordedDate"",""timeZone"":""Asia/Tokyo""}","{""ImportId"":""_recordId""}","{""ImportId"":""recipientEmail""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}""# + "\n"
        for (i, score) in [10, 9, 8, 3, 10, 6, 9, 7, 0, 10].enumerated() {
            text += "2024-06-0\(i % 3 + 1) 10:00:00,2024-06-0\(i % 3 + 1) 10:02:00,0,100,1,2024-06-0\(i % 3 + 1) 10:02:0\(i),R_\(i),c\(i)@x.jp,\(score),\n"
        }
        let s = try f.load(.role(.nps), try f.file("qualtrics.csv", text), map: ["score": "Q1", "responded_at": "RecordedDate"])
        #expect(s.rows == 10)
        #expect(try f.rows("SELECT count(*), 100.0 * (sum(score >= 9) - sum(score <= 6)) / count(*) FROM nps") == [[10, 20.0]])
        #expect(try f.rows("SELECT response_id, responded_at FROM nps ORDER BY rowid LIMIT 1") == [["R_0", "2024-06-01 10:02:00"]])
        #expect(s.notes.contains(#"skipped lines 2 and 3, the question text and ImportId rows a Qualtrics export puts under its header (line 3 '{"ImportId":"QID1"}'): not responses; the column names are line 1's"#), "\(s.notes)")
    }

    /// Qualtrics' ImportId row gives the dates' zone (`"timeZone":"America/Denver"`): with the workspace in UTC their
    /// times are moved there before the day is taken. By hand (Denver is UTC−7 until 10 March 2024, then −6):
    /// 1 March 09:05 → 16:05 (score 10), 22:30 → 2 March 05:30 (3), 2 March 08:10 → 15:10 (9), 10:10 → 17:10 (10),
    /// 1 April 22:00 → 2 April 04:00 (0). NPS by day: 1 March 100; 2 March (3, 9, 10) 100 × (2 − 1) / 3 = 33.3;
    /// 2 April −100 (the days as written gave 1 March 0, 2 March 100, 1 April −100). Without a zone set the days
    /// stay Denver's and a note says so.
    @Test func qualtricsImportIdZoneMovesTheDay() throws {
        let text = "StartDate,RecordedDate,ResponseId,Q1\nStart Date,Recorded Date,Response ID,How likely are you to recommend us?\n"
            + #""{""ImportId"":""startDate"",""timeZone"":""America/Denver""}","{""ImportId"":""recordedDate"",""timeZone"":""America/Denver""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}""# + "\n"
            + "2024-03-01 09:00:00,2024-03-01 09:05:00,R_1,10\n2024-03-01 22:10:00,2024-03-01 22:30:00,R_2,3\n"
            + "2024-03-02 08:00:00,2024-03-02 08:10:00,R_3,9\n2024-03-02 10:00:00,2024-03-02 10:10:00,R_4,10\n"
            + "2024-04-01 21:50:00,2024-04-01 22:00:00,R_5,0\n"
        let byDay = "SELECT date(responded_at), round(100.0 * (sum(score >= 9) - sum(score <= 6)) / count(*), 1) FROM nps GROUP BY 1 ORDER BY 1"
        let f = try LoadFixture()
        let path = try f.file("qualtrics.csv", text)
        let s = try f.load(.role(.nps), path, [("timezone", "UTC")], map: ["score": "Q1", "responded_at": "RecordedDate"])
        #expect(try f.rows(byDay) == [["2024-03-01", 100.0], ["2024-03-02", 33.3], ["2024-04-02", -100.0]])
        #expect(s.notes.contains("responded_at 'RecordedDate' is in America/Denver, as the export's ImportId row says: its times are moved into 'UTC' before the day is taken"), "\(s.notes)")
        let g = try LoadFixture()
        let t = try g.load(.role(.nps), try g.file("qualtrics.csv", text), map: ["score": "Q1", "responded_at": "RecordedDate"])
        #expect(try g.rows(byDay) == [["2024-03-01", 0.0], ["2024-03-02", 100.0], ["2024-04-01", -100.0]])
        #expect(t.notes.contains("responded_at 'RecordedDate' is in America/Denver, as the export's ImportId row says, and no time zone is set: its days are America/Denver's as written; if the shop keeps another zone's days: set timezone 'Asia/Tokyo' (the shop's zone) and load again"), "\(t.notes)")
    }

    /// Score forms: `10点`, `１０点`, `10/10`, `9 - 非常にすすめたい`, `10 (Extremely likely)` are one 0–10 answer each; a
    /// range (`9-10`, which read as 9) and a score out of 5 (`4/5`) are refused with their own help. By hand: 10, 10, 10,
    /// 9, 10, 3, 6, 8, 0, 7 → promoters 5, detractors 3, n 10: NPS 100 × (5 − 3) / 10 = 20.
    @Test func scoresInPointsOutOfTenAndWithLabels() throws {
        let f = try LoadFixture()
        let scores = ["10点", "１０点", "10/10", "9 - 非常にすすめたい", "10 (Extremely likely)", "3 点", "6/10", "8", "0 = Not at all likely", "7"]
        var text = "Timestamp,Email Address,How likely are you to recommend us?\n"
        for (i, score) in scores.enumerated() { text += "2024/06/01 10:00:0\(i),c\(i)@x.jp,\(score)\n" }
        let s = try f.load(.role(.nps), try f.file("forms.csv", text))
        #expect(try f.rows("SELECT count(*), 100.0 * (sum(score >= 9) - sum(score <= 6)) / count(*) FROM nps") == [[10, 20.0]])
        #expect(s.notes.contains { $0.hasPrefix("7 scores are written with a label or unit") }, "\(s.notes)")
        #expect(s.notes.contains("1 score is written in full-width digits: read as the same number (line 3 '１０点')"), "\(s.notes)")
        for (bad, help) in [("9-10", "'9-10' is a range of scores"), ("4/5", "'4/5' is a score out of 5, not of the 0–10 NPS question")] {
            do {
                try f.load(.role(.nps), try f.file("bad.csv", "Timestamp,Email Address,How likely are you to recommend us?\n2024/06/01 10:00:00,a@x.jp,8\n2024/06/01 11:00:00,b@x.jp,\(bad)\n"))
                Issue.record("expected an error for \(bad)")
            } catch let e as LoadError {
                #expect(e.line == 3 && e.reason.hasSuffix("is not a number"), "\(e.reason)")
                #expect(e.help?.hasPrefix(help) == true, "\(e.help ?? "")")
            }
        }
    }

    /// Google Forms in Japanese writes `2024/06/01 午後 3:04:05`: a 12-hour clock where 午前12時 is 0時 and 午後12時 is 12時.
    /// By hand: 午後 3:04:05 → 15:04:05; 午前 12:30:00 → 00:30:00; 午後 12:10:00 → 12:10:00; 午前 9:00:00 → 09:00:00.
    /// Scores 10, 3, 8, 9 → promoters 2, detractors 1, n 4: NPS 100 × (2 − 1) / 4 = 25.
    @Test func japaneseMorningAndAfternoonTimes() throws {
        let f = try LoadFixture()
        let text = "タイムスタンプ,メールアドレス,おすすめ度\n2024/06/01 午後 3:04:05,a@x.jp,10\n2024/06/01 午前 12:30:00,b@x.jp,3\n"
            + "2024/06/01 午後 12:10:00,c@x.jp,8\n2024/06/02 午前 9:00:00,d@x.jp,9\n"
        try f.load(.role(.nps), try f.file("ja.csv", text), map: ["score": "おすすめ度", "responded_at": "タイムスタンプ", "customer_id": "メールアドレス"])
        #expect(try f.rows("SELECT responded_at FROM nps ORDER BY rowid") == [
            ["2024-06-01 15:04:05"], ["2024-06-01 00:30:00"], ["2024-06-01 12:10:00"], ["2024-06-02 09:00:00"],
        ])
        #expect(try f.rows("SELECT 100.0 * (sum(score >= 9) - sum(score <= 6)) / count(*) FROM nps") == [[25.0]])
        var bad = "2024/06/01 午後 13:00:00"
        #expect(bad.withUTF8 { DateReader(format: nil).parse($0) } == nil)
    }

    /// Typeform's `Submit Date (UTC)`: 20:00 UTC on 31 March is 05:00 on 1 April in Tokyo, an April response.
    @Test func aUTCHeaderMovesTimesIntoTheWorkspaceZone() throws {
        let f = try LoadFixture()
        let text = "#,How likely are you to recommend us?,Submit Date (UTC)\na1,10,2024-03-31 20:00:00\na2,3,2024-03-31 10:00:00\n"
        let s = try f.load(.role(.nps), try f.file("tf.csv", text), [("timezone", "Asia/Tokyo")])
        #expect(try f.rows("SELECT response_id, responded_at, date(day * 86400, 'unixepoch') FROM nps ORDER BY response_id") == [
            ["a1", "2024-04-01 05:00:00", "2024-04-01"], ["a2", "2024-03-31 19:00:00", "2024-03-31"],
        ])
        #expect(s.notes.contains("responded_at 'Submit Date (UTC)' is in UTC, as its header says: its times are moved into 'Asia/Tokyo' time zone before the day is taken"))
    }

    @Test func totalsLabels() {
        for label in ["Total", "Totals", "Total: Account", "Grand total", "合計", "総計", "合計：", "Total (JPY)", "Total - Search"] { #expect(ReportRows.isTotalsLabel(label)) }
        for label in ["Totally", "Total Beauty", "合計金額", "Brand", ""] { #expect(!ReportRows.isTotalsLabel(label)) }
    }
}
