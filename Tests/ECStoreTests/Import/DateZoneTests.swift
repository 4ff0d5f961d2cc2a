import Testing
@testable import ECStore

/// Dates in the forms issue 12 lists, and offsets moved into the workspace's time zone; every day worked by hand.
@Suite struct DateZoneTests {
    func date(_ s: String, order: SlashOrder? = nil, zone: String? = nil) throws -> String? {
        let reader = DateReader(format: nil, zone: try zone.map { try ZoneConverter(identifier: $0) })
        return Array(s.utf8).withUnsafeBufferPointer { reader.parse($0, order: order)?.text }
    }

    @Test(arguments: [
        ("2024年1月5日 10時5分", "2024-01-05 10:05:00"), ("2024年1月5日 10時5分30秒", "2024-01-05 10:05:30"),
        ("20240105", "2024-01-05"), ("05.01.2024", "2024-01-05"), ("5.1.2024 09:30", "2024-01-05 09:30:00"),
    ])
    func newForms(_ text: String, _ expected: String) throws {
        #expect(try date(text) == expected)
    }

    @Test func slashOrder() throws {
        #expect(try date("1/5/2024", order: .monthFirst) == "2024-01-05")
        #expect(try date("1/5/2024", order: .dayFirst) == "2024-05-01")
        // Without an order, a value over 12 decides by itself.
        #expect(try date("13/5/2024") == "2024-05-13")
        #expect(try date("5/13/2024") == "2024-05-13")
        #expect(try date("13/13/2024") == nil)
        #expect(try date("20241305") == nil)
    }

    /// Hand-worked: 2024-01-05 23:30 at +00:00 is 2024-01-06 08:30 in Tokyo (UTC+9, no summer time):
    /// the day moves to the 6th. 2024-01-06 01:00+09:00 is 2024-01-05 16:00 UTC.
    @Test func offsetsMoveIntoTheZone() throws {
        #expect(try date("2024-01-05T23:30:00Z", zone: "Asia/Tokyo") == "2024-01-06 08:30:00")
        #expect(try date("2024-01-05 23:30:00 +0000", zone: "Asia/Tokyo") == "2024-01-06 08:30:00")
        #expect(try date("2024-01-06T01:00:00+09:00", zone: "UTC") == "2024-01-05 16:00:00")
        #expect(try date("2024-01-06T01:00:00+09:00", zone: "Asia/Tokyo") == "2024-01-06 01:00:00")
        // New York in July is UTC-4 (summer time), in January UTC-5.
        #expect(try date("2024-07-01T02:00:00Z", zone: "America/New_York") == "2024-06-30 22:00:00")
        #expect(try date("2024-01-01T02:00:00Z", zone: "America/New_York") == "2023-12-31 21:00:00")
        // Google Forms writes the zone's name and hours of one digit: 2024-03-31 23:30 GMT+9 is 14:30 UTC.
        #expect(try date("2024/03/31 23:30:00 GMT+9", zone: "UTC") == "2024-03-31 14:30:00")
        #expect(try date("2024/03/31 23:30:00 GMT+9", zone: "Asia/Tokyo") == "2024-03-31 23:30:00")
        #expect(try date("2024/03/31 23:30:00 utc+09:00", zone: "UTC") == "2024-03-31 14:30:00")
        #expect(try date("2024/03/31 23:30:00 GMT", zone: "Asia/Tokyo") == "2024-04-01 08:30:00")
        #expect(try date("2024/03/31 23:30:00 GMT-5:30", zone: "UTC") == "2024-04-01 05:00:00")
        #expect(try date("2024/03/31 23:30:00 GMT+", zone: "UTC") == nil)
        #expect(try date("2024/03/31 23:30:00 +9", zone: "UTC") == nil)
        // -0530 and a year boundary: 2023-12-31 22:00-05:30 is 2024-01-01 03:30 UTC.
        #expect(try date("2023-12-31 22:00:00 -0530", zone: "UTC") == "2024-01-01 03:30:00")
        // Without an offset the time is already local: unchanged.
        #expect(try date("2024-01-05 23:30:00", zone: "Asia/Tokyo") == "2024-01-05 23:30:00")
        #expect(throws: StoreError.self) { try ZoneConverter(identifier: "Mars/Olympus") }
    }

    /// civil(days:) is the inverse of dayNumber, checked over 1900...2100 and on hand-counted days.
    @Test func civilDays() {
        #expect(LocalDateTime.civil(days: 0).text == "1970-01-01")
        #expect(LocalDateTime.civil(days: 30 * 365 + 7).text == "2000-01-01")
        #expect(LocalDateTime.civil(days: -1).text == "1969-12-31")
        var d = LocalDateTime(year: 1900, month: 1, day: 1).dayNumber
        let end = LocalDateTime(year: 2100, month: 12, day: 31).dayNumber
        var ok = true
        while d <= end { ok = ok && LocalDateTime.civil(days: d).dayNumber == d; d += 1 }
        #expect(ok)
    }

    /// Orders with offsets land on the Tokyo day; `day` is days since 1970 of that local date.
    @Test func loadConvertsBeforeTakingTheDay() throws {
        let f = try LoadFixture()
        let path = try f.file("o.csv", "order_id,customer_id,ordered_at,amount\nA,c1,2024-01-05T23:30:00Z,100\nB,c2,2024-01-05T10:00:00+09:00,200\n")
        try f.load(.role(.orders), path, [("timezone", "Asia/Tokyo")])
        // A: 23:30 UTC + 9 h = 08:30 on the 6th; B: already Tokyo time.
        // Day numbers: 2024-01-01 is 19723 (54 years from 1970 with 13 leap days: 54*365+13 = 19723).
        #expect(try f.rows("SELECT order_id, ordered_at, day FROM orders ORDER BY order_id") == [
            ["A", "2024-01-06 08:30:00", 19728], ["B", "2024-01-05 10:00:00", 19727],  // 19723 + 5, 19723 + 4
        ])
    }

    /// Slash dates: the order comes from a deciding value anywhere in the column, even past the sample.
    @Test func slashOrderFromTheWholeColumn() throws {
        let f = try LoadFixture()
        var text = "order_id,customer_id,ordered_at,amount\n"
        for i in 1...1200 { text += "O\(i),c\(i % 7),1/5/2024,10\n" }
        text += "X,c1,25/12/2024,10\n"  // line 1202: only day first reads it
        try f.load(.role(.orders), try f.file("s.csv", text))
        #expect(try f.rows("SELECT ordered_at, count(*) FROM orders GROUP BY 1 ORDER BY 1") == [
            ["2024-05-01", 1200], ["2024-12-25", 1],
        ])
    }

    @Test func undecidedSlashOrderAsksForDateFormat() throws {
        let f = try LoadFixture()
        let path = try f.file("u.csv", "order_id,customer_id,ordered_at,amount\nA,c1,1/5/2024,10\nB,c2,2/6/2024,20\n")
        do {
            try f.load(.role(.orders), path)
            Issue.record("expected an error asking for date_format")
        } catch let e as LoadError {
            #expect(e.column == 3 && e.help?.contains("date_format '%d/%m/%Y'") == true, "\(e)")
        }
        try f.load(.role(.orders), path, [("date_format", "%m/%d/%Y")])
        #expect(try f.rows("SELECT ordered_at FROM orders ORDER BY 1") == [["2024-01-05"], ["2024-02-06"]])
    }
}
