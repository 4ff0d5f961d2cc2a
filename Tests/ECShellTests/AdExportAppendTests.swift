import Foundation
@testable import ECStore
import ECTestSupport
import Testing

/// Overlapping ad and analytics exports appended: a later export of the same days says another status
/// (`Campaign status` Enabled → Paused, Yahoo!'s `配信状況`) or revised figures written as text (`Conv. rate`
/// `10.00%` → `20.00%`, `Conversions` `--` → `2.00`). Those columns are no part of the append key, so the days
/// are replaced, not counted twice.
@Suite struct AdExportAppendTests {
    /// Three new customers in January (C1, C2 by google, C3 by meta); C4 in February.
    static let orders = """
        order_id,customer_id,ordered_at,amount,status,channel
        1,C1,2024-01-05,1000,completed,google
        2,C2,2024-01-10,2000,completed,google
        3,C3,2024-01-15,3000,completed,meta
        4,C1,2024-02-05,1000,completed,google
        5,C4,2024-02-10,4000,completed,meta

        """

    /// Google Ads campaign report, downloaded twice: January 5 and 6 (¥1,000 + ¥2,000) in both; the campaign was
    /// paused and conversions were revised in between.
    static func googleAds(status: String, rates: (String, String), conversions: String) -> String {
        """
        Campaign report
        "January 1, 2024 - January 31, 2024"
        Day,Campaign,Campaign status,Currency code,Cost,Clicks,Impr.,Conversions,Conv. rate
        2024-01-05,Brand,\(status),JPY,"1,000.00",10,100,\(conversions),\(rates.0)
        2024-01-06,Brand,\(status),JPY,"2,000.00",20,200,1.00,\(rates.1)
        Total: Account,--,--,JPY,"3,000.00",30,300,--,--

        """
    }

    /// January's spend is ¥3,000 once: CAC = ¥3,000 / 3 new customers = ¥1,000 (it was ¥6,000 and ¥2,000).
    @Test func aReExportedGoogleAdsReportReplacesItsDays() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", Self.orders)
        let first = try dir.write("ads_jan.csv", Self.googleAds(status: "Enabled", rates: ("10.00%", "5.00%"), conversions: "--"))
        let again = try dir.write("ads_jan_again.csv", Self.googleAds(status: "Paused", rates: ("20.00%", "5.00%"), conversions: "2.00"))
        let out = try runECSH(["-csv", "-c", "load orders from '\(orders)'", "-c", "load spend from '\(first)'",
                               "-c", "load spend from '\(again)' append", "-c", "kpi spend, new_customers, cac from 2024-01-01 to 2024-01-31"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("spend,new_customers,cac\n3000.0,3,1000.0\n"), "\(out.stdout)")
        expectAll(out.stderr, ["0 new, 2 updated, 0 unchanged",
                               "append matched rows already loaded by date, channel, campaign and Currency code (spend rows have no id)",
                               "not by 'Campaign status', 'Conversions', 'Conv. rate' (a status, a label or setting, or figures such as rates, which a later export of the same day may give otherwise): rows that differ only there are the same row"])
    }

    /// Yahoo!広告 in Japanese: `配信状況` 配信中 → 停止中 and `クリック率` stay out of the key; Rakuten RPP's
    /// `実績額(円)` is read as spend. January: ¥3,000 Yahoo! + ¥600 RPP = ¥3,600 over 3 new customers, CAC ¥1,200.
    @Test func japaneseAdExportsAppendOnce() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", Self.orders)
        let yahoo = { (status: String) in
            """
            日付,キャンペーン名,配信状況,インプレッション数,クリック数,クリック率,ご利用金額
            2024/01/05,ブランド,\(status),100,10,10.00%,"1,000"
            2024/01/06,ブランド,\(status),200,20,10.00%,"2,000"
            合計,--,--,300,30,10.00%,"3,000"

            """
        }
        let first = try dir.write("yahoo1.csv", yahoo("配信中"))
        let again = try dir.write("yahoo2.csv", yahoo("停止中"))
        let rpp = try dir.write("rpp.csv", "日付,キャンペーン名,クリック数,実績額(円),CPC実績(円)\n2024/01/05,全商品,4,400,100\n2024/01/20,全商品,2,200,100\n")
        let out = try runECSH(["-csv", "-c", "load orders from '\(orders)'", "-c", "load spend from '\(first)'",
                               "-c", "load spend from '\(again)' append", "-c", "load spend from '\(rpp)' append",
                               "-c", "kpi spend, cac from 2024-01-01 to 2024-01-31"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("spend,cac\n3600.0,1200.0\n"), "\(out.stdout)")
        #expect(out.stderr.contains("not by '配信状況', 'クリック率'"), "\(out.stderr)")
    }

    /// GA4 by device, exported twice with the engagement rate revised: 100 + 300 sessions on January 5 and 200 on
    /// January 6 once, 600 sessions; 3 January orders, CVR = 3 / 600 = 0.50% (it was 1,200 sessions and 0.25%).
    @Test func aReExportedTrafficReportReplacesItsDays() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", Self.orders)
        let ga4 = { (rates: [String]) in
            """
            # Start date: 20240101
            # End date: 20240131
            Date,Session default channel group,Device category,Sessions,Engagement rate
            20240105,Organic Search,desktop,100,\(rates[0])
            20240105,Organic Search,mobile,300,\(rates[1])
            20240106,Organic Search,mobile,200,\(rates[2])

            """
        }
        let first = try dir.write("ga4_1.csv", ga4(["50.00%", "40.00%", "40.00%"]))
        let again = try dir.write("ga4_2.csv", ga4(["51.00%", "40.00%", "41.50%"]))
        let out = try runECSH(["-csv", "-c", "load orders from '\(orders)'", "-c", "load traffic from '\(first)'",
                               "-c", "load traffic from '\(again)' append", "-c", "kpi sessions, orders, cvr from 2024-01-01 to 2024-01-31"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("sessions,orders,cvr\n600,3,0.005\n"), "\(out.stdout)")
        #expect(out.stderr.contains("append matched rows already loaded by date, channel and Device category (traffic rows have no id)"), "\(out.stderr)")
        #expect(out.stderr.contains("not by 'Engagement rate'"), "\(out.stderr)")
    }

    /// Two Meta ad accounts' exports, each with a campaign named Brand, overlapping on January 6: account 1001's
    /// campaign 120001 spent ¥1,000 + ¥2,000 (January 5, 6), account 2002's campaign 120009 ¥500 + ¥700 (January 6, 7).
    /// The ids are all digits, read as numbers, and still part of the key: January's spend is ¥4,200 over 3 new
    /// customers, CAC ¥1,400 (without them the second file's January 6 replaced the first's: ¥2,200).
    @Test func numericIdsArePartOfTheKey() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", Self.orders)
        let header = "Day,Account ID,Campaign ID,Campaign name,Amount spent (JPY),Impressions\n"
        let first = try dir.write("meta_1001.csv", header + "2024-01-05,1001,120001,Brand,1000,100\n2024-01-06,1001,120001,Brand,2000,200\n")
        let second = try dir.write("meta_2002.csv", header + "2024-01-06,2002,120009,Brand,500,50\n2024-01-07,2002,120009,Brand,700,70\n")
        let out = try runECSH(["-csv", "-c", "load orders from '\(orders)'", "-c", "load spend from '\(first)'", "-c", "load spend from '\(second)' append",
                               "-c", "load spend from '\(first)' append", "-c", "kpi spend, cac from 2024-01-01 to 2024-01-31"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("spend,cac\n4200.0,1400.0\n"), "\(out.stdout)")
        expectAll(out.stderr, ["2 new, 0 updated, 0 unchanged", "0 new, 0 updated, 2 unchanged",
                               "append matched rows already loaded by date, channel, campaign, Account ID and Campaign ID (spend rows have no id)"])
        #expect(DatasetRole.namesAnID("キャンペーンＩＤ") && DatasetRole.namesAnID("ad_group_id") && DatasetRole.namesAnID("AdSetId"))
        #expect(!DatasetRole.namesAnID("Paid") && !DatasetRole.namesAnID("Valid"))
    }

    /// Google Ads `Labels` and Meta's `Attribution setting` are set on a campaign when it is exported, not on a day:
    /// re-exported with another label (and Meta's January 6 revised ¥2,000 → ¥2,100), the days are replaced.
    /// Google: ¥1,000 + ¥2,000 + ¥300 = ¥3,300 (it was ¥5,300); Meta: ¥1,000 + ¥2,100 + ¥300 = ¥3,400 (it was ¥5,400).
    @Test func labelsAndAttributionSettingsAreNoPartOfTheKey() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let google = "Day,Campaign,Labels,Cost,Clicks\n"
        let meta = "Day,Campaign name,Ad set name,Ad set delivery,Attribution setting,Amount spent (JPY)\n"
        let cases = [
            (google + "2024-01-05,Brand,,1000,10\n2024-01-06,Brand,,2000,20\n", google + "2024-01-06,Brand,Q1,2000,20\n2024-01-07,Brand,Q1,300,3\n",
             "3300.0", "not by 'Labels'"),
            (meta + "2024-01-05,Brand,AS1,active,7-day click or 1-day view,1000\n2024-01-06,Brand,AS1,active,7-day click or 1-day view,2000\n",
             meta + "2024-01-06,Brand,AS1,inactive,7-day click,2100\n2024-01-07,Brand,AS1,inactive,7-day click,300\n",
             "3400.0", "not by 'Ad set delivery', 'Attribution setting'"),
        ]
        for (first, again, total, note) in cases {
            let a = try dir.write("first.csv", first), b = try dir.write("again.csv", again)
            let out = try runECSH(["-csv", "-c", "load spend from '\(a)'", "-c", "load spend from '\(b)' append", "-c", "kpi spend"])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.contains("spend\n\(total)\n"), "\(out.stdout)")
            expectAll(out.stderr, ["1 new, 1 updated, 0 unchanged", note])
        }
    }

    /// A text column ecsh knows nothing of (`Tag`): January 6's ¥2,000 row re-exported with the tag `sale` and the same
    /// cost and clicks is that row again (replaced); `spring` ¥900 has other figures too and stays beside `winter` ¥400,
    /// said in the note. ¥1,000 + (¥2,000 + ¥900 + ¥400) + ¥300 = ¥4,600 (it was ¥6,600, January 6's ¥2,000 twice).
    @Test func aRowEqualInFiguresAndOtherInATextColumnIsReplaced() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let header = "Day,Campaign,Tag,Cost,Clicks\n"
        let first = try dir.write("first.csv", header + "2024-01-05,Brand,,1000,10\n2024-01-06,Brand,,2000,20\n2024-01-06,Brand,winter,400,4\n")
        let again = try dir.write("again.csv", header + "2024-01-06,Brand,sale,2000,20\n2024-01-06,Brand,spring,900,9\n2024-01-07,Brand,sale,300,3\n")
        let out = try runECSH(["-csv", "-c", "load spend from '\(first)'", "-c", "load spend from '\(again)' append", "-c", "kpi spend"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("spend\n4600.0\n"), "\(out.stdout)")
        expectAll(out.stderr, ["2 new, 1 updated, 0 unchanged",
                               "1 earlier row had a row of this file's date, channel, campaign and figures, other only in 'Tag': the same rows exported again, replaced",
                               "1 row of this file has the date, channel, campaign of rows already loaded but other 'Tag' and figures: kept beside them (another ad group or device); "
                                + "if that column only changed between exports, those days count twice: load the exports again with it removed"])
    }
}

/// Spend by channel under an ad platform's name beside orders of the shop's name: the rows do not meet.
@Suite struct SpendChannelNoteTests {
    /// January: google has 2 new customers and no spend, 'google ads' ¥3,000 and none; meta ¥600 / 1 = CAC ¥600. The
    /// note names 'google ads' and the rename; the total (¥3,600 / 3 = ¥1,200) is whole.
    @Test func spendChannelsNoOrderHasAreNamed() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", AdExportAppendTests.orders)
        let spend = try dir.write("spend.csv", "date,channel,campaign,spend\n2024-01-05,Google Ads,brand,3000\n2024-01-06,meta,brand,600\n")
        let out = try runECSH(["-csv", "-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'",
                               "-c", "kpi spend, new_customers, cac by channel from 2024-01-01 to 2024-01-31"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("total,3600.0,3,1200.0\n"), "\(out.stdout)")
        #expect(out.stderr.contains("by channel, spend channels 'google ads' (¥3,000) are no order's channel (orders: 'google', 'meta'): "
            + "they have no new customers or orders, so their cac is blank and their roas 0, and the orders' channels show none of their spend "
            + "(the total is whole); if they are an ad platform's names for the orders' channels, rename them: "
            + "sql UPDATE spend SET channel = '<order channel>' WHERE channel = 'google ads'"), "\(out.stderr)")
    }
}

/// An ad export newer than the orders export: the range ends at as_of (the last order), so spend after it is in no
/// period and no total. The note says how much and how to count it.
@Suite struct SpendAfterLastOrderTests {
    /// Orders to 2024-02-10 (4 new customers); spend ¥100 on 2024-01-05, ¥700 on 2024-03-05, ¥900 on 2024-04-05.
    /// Over the range: ¥100 / 4 = CAC ¥25, and ¥1,600 in 2 rows is named; `set as_of 2024-04-05` counts it all:
    /// ¥1,700 / 4 = ¥425.
    @Test func spendAfterTheLastOrderIsNamed() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", AdExportAppendTests.orders)
        let spend = try dir.write("spend.csv", "date,channel,campaign,spend\n2024-01-05,google,brand,100\n2024-03-05,google,brand,700\n2024-04-05,google,brand,900\n")
        let out = try runECSH(["-csv", "-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'", "-c", "kpi spend, cac",
                               "-c", "kpi gmv", "-c", "set as_of 2024-04-05", "-c", "kpi spend, cac"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("spend,cac\n100.0,25.0\n"), "\(out.stdout)")
        #expect(out.stdout.contains("spend,cac\n1700.0,425.0\n"), "\(out.stdout)")
        let note = "spend has ¥1,600 in 2 rows to 2024-04-05 after 2024-02-10, the last order's day (as_of), where the range ends: not counted here, "
            + "which may be the orders file ending earlier (set as_of 2024-04-05 counts it; the days after the last order then show no orders)"
        #expect(out.stderr.components(separatedBy: note).count == 2, "\(out.stderr)")
        // unit economics counts spend up to as_of too: CAC ¥100 / 4 = ¥25, and the same note.
        let economics = try runECSH(["-csv", "-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'", "-c", "unit economics"])
        #expect(economics.status == 0, "\(economics.stderr)")
        #expect(economics.stdout.contains("all,4,100.0,25.0,"), "\(economics.stdout)")
        #expect(economics.stderr.contains(note), "\(economics.stderr)")
    }
}

/// Traffic by channel under an analytics tool's channel groups beside orders of ad platforms' names: the rows do
/// not meet, and a cvr of 0% or of 3 orders over a few sessions read as findings without a word.
@Suite struct TrafficChannelNoteTests {
    /// google: 3 orders / 100 sessions = 3%; organic search, paid social, paid search: 0 orders, 0%; the total is
    /// 5 orders / 1,000 sessions = 0.5%. The note names the three channels by sessions and the rename.
    @Test func trafficChannelsNoOrderHasAreNamed() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", AdExportAppendTests.orders)
        let traffic = try dir.write("traffic.csv", """
            date,channel,sessions
            2024-01-05,Organic Search,400
            2024-01-05,Paid Search,200
            2024-02-05,Paid Social,300
            2024-02-05,google,100

            """)
        let out = try runECSH(["-csv", "-c", "load orders from '\(orders)'", "-c", "load traffic from '\(traffic)'",
                               "-c", "kpi sessions, orders, cvr by channel", "-c", "kpi cvr by month"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("google,100,3,0.03\n"), "\(out.stdout)")
        #expect(out.stdout.contains("organic search,400,0,0.0\n"), "\(out.stdout)")
        let note = "by channel, traffic channels 'organic search' (400 sessions), 'paid social' (300 sessions), 'paid search' (200 sessions) "
            + "are no order's channel (orders: 'google', 'meta'): their cvr is 0% and their sessions count for no channel of the orders "
            + "(the total is whole); if they are an analytics tool's names for the orders' channels (channel groups), rename them: "
            + "sql UPDATE traffic SET channel = '<order channel>' WHERE channel = 'organic search'"
        // Once: by month the channels do not meet, so there is nothing to say.
        #expect(out.stderr.components(separatedBy: note).count == 2, "\(out.stderr)")
    }

    /// Traffic channels that are orders' channels: no note.
    @Test func matchingChannelsHaveNoNote() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", AdExportAppendTests.orders)
        let traffic = try dir.write("traffic.csv", "date,channel,sessions\n2024-01-05,google,300\n2024-01-05,meta,100\n")
        let out = try runECSH(["-csv", "-c", "load orders from '\(orders)'", "-c", "load traffic from '\(traffic)'", "-c", "kpi cvr by channel"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!out.stderr.contains("no order's channel"), "\(out.stderr)")
    }
}

/// Every one of `parts` is in `text` (each missing one is an issue of its own).
private func expectAll(_ text: String, _ parts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    for part in parts { #expect(text.contains(part), "\(text)", sourceLocation: sourceLocation) }
}

/// A Google Ads export writes the account's currency in `Currency code` beside costs without a sign: a dollar
/// account's 12.50 was added to yen spend as ¥12.50.
@Suite struct SpendCurrencyTests {
    static let mixed = """
        Campaign report
        "January 1, 2024 - January 31, 2024"
        Day,Campaign,Currency code,Cost
        2024-01-05,Brand,JPY,"1,000.00"
        2024-01-06,Brand US,USD,12.50
        2024-01-07,Brand,JPY,500.00
        Total: Account,--,--,"1,512.50"

        """

    /// Two currencies in one file stop the load at the first row of the second (line 5, column 3); nothing is loaded.
    @Test func twoCurrenciesStopTheLoad() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let spend = try dir.write("ads.csv", Self.mixed)
        let out = try runECSH(["-c", "load spend from '\(spend)'"])
        #expect(out.status != 0)
        expectAll(out.stderr, ["field 'Currency code': 'USD' is a second currency of the spend (JPY ×2, USD ×1): costs in JPY and USD cannot be added into one spend, cac or roas",
                               "--> \(spend):5:3", "help: load each currency's rows from a file of their own, converted to JPY (the workspace's currency) first"])
    }

    /// A dollar account beside a yen workspace stops; with `set currency USD` (the shop's amounts in dollars too) it
    /// loads: $12.50 + $20.00 = $32.50 over January's 3 new customers, CAC $10.83.
    @Test func anotherCurrencyThanTheWorkspacesStops() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let orders = try dir.write("orders.csv", AdExportAppendTests.orders)
        let spend = try dir.write("usd.csv", "Day,Campaign,Currency code,Cost\n2024-01-05,Brand US,USD,12.50\n2024-01-06,Brand US,USD,20.00\n")
        let yen = try runECSH(["-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'"])
        #expect(yen.status != 0)
        expectAll(yen.stderr, ["field 'Currency code': 'USD' is the spend's currency, but the workspace's amounts are JPY (its currency setting)",
                               "--> \(spend):2:3", "help: if the shop's amounts are in USD too: set currency USD, then load again"])
        let dollars = try runECSH(["-csv", "-c", "set currency USD", "-c", "load orders from '\(orders)'", "-c", "load spend from '\(spend)'",
                                   "-c", "kpi spend, cac from 2024-01-01 to 2024-01-31"])
        #expect(dollars.status == 0, "\(dollars.stderr)")
        #expect(dollars.stdout.contains("spend,cac\n32.5,10.83"), "\(dollars.stdout)")
    }
}
