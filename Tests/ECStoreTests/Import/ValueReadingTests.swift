import Testing
@testable import ECStore

@Suite struct ValueReadingTests {
    func number(_ s: String, decimal: Character = ".") -> ParsedNumber? {
        Array(s.utf8).withUnsafeBufferPointer { NumberReader(decimal: decimal).parse($0) }
    }

    @Test(arguments: [
        ("42", ParsedNumber.integer(42)), (" -7 ", .integer(-7)), ("1,234", .integer(1234)), ("1,234,567", .integer(1_234_567)),
        ("¥1,980", .integer(1980)), ("￥500", .integer(500)), ("1980円", .integer(1980)), ("$ 12.50", .real(12.5)),
        ("-$3.25", .real(-3.25)), ("€7", .integer(7)), ("12 €", .integer(12)), ("0.1", .real(0.1)), (".5", .real(0.5)),
        ("1e3", .real(1000)), ("007", .zeroPadded(7)), ("0", .integer(0)), ("123456789.123456789", .real(123456789.123456789)),
    ])
    func readsNumbers(_ text: String, _ expected: ParsedNumber) {
        #expect(number(text) == expected)
    }

    @Test(arguments: ["", "abc", "1,5", "12,34", "1,2345", "2024-03-05", "1.2.3", "-", "$", "1e", "12abc", "NaN"])
    func rejectsNonNumbers(_ text: String) {
        #expect(number(text) == nil)
    }

    @Test func commaDecimal() {
        #expect(number("1.234,5", decimal: ",") == .real(1234.5))
        #expect(number("3,75", decimal: ",") == .real(3.75))
        #expect(number("1,234", decimal: ",") == .real(1.234))
    }

    func date(_ s: String, format: String? = nil) -> String? {
        Array(s.utf8).withUnsafeBufferPointer { DateReader(format: format).parse($0)?.text }
    }

    @Test(arguments: [
        ("2024-03-05", "2024-03-05"), ("2024/03/05", "2024-03-05"), ("2024/3/5", "2024-03-05"), ("2024.03.05", "2024-03-05"),
        ("2024-03-05 14:22:00", "2024-03-05 14:22:00"), ("2024/03/05 14:22", "2024-03-05 14:22:00"),
        ("2024-03-05T14:22:07Z", "2024-03-05 14:22:07"), ("2024-03-05T23:30:00+09:00", "2024-03-05 23:30:00"),
        ("2024-03-05 23:30:00 -0500", "2024-03-05 23:30:00"), ("2024-03-05T14:22:07.123", "2024-03-05 14:22:07"),
        ("2024年3月5日", "2024-03-05"), ("2024-02-29", "2024-02-29"), (" 2024-03-05 ", "2024-03-05"),
    ])
    func readsDates(_ text: String, _ expected: String) {
        #expect(date(text) == expected)
    }

    @Test(arguments: ["2023-02-29", "2024-13-01", "2024-03-32", "2024-03-05 25:00", "2024-03-05T10:00+99:00",
                      "2024-03/05", "20241305", "13/13/2024", "hello", "2024-03-05x"])
    func rejectsNonDates(_ text: String) {
        #expect(date(text) == nil)
    }

    @Test func dateFormats() {
        #expect(date("05/03/2024", format: "%d/%m/%Y") == "2024-03-05")
        #expect(date("19970101", format: "%Y%m%d") == "1997-01-01")
        #expect(date("3/5/24 9:05", format: "%m/%d/%y") == "2024-03-05 09:05:00")
        #expect(date("19971301", format: "%Y%m%d") == nil)
        #expect(throws: StoreError.self) { try DateFormat("%Y-%q") }
    }

    /// `day` checked against the definition: days since 1970-01-01, counted by hand.
    @Test func dayNumbers() {
        func day(_ y: Int, _ m: Int, _ d: Int) -> Int64 { LocalDateTime(year: y, month: m, day: d).dayNumber }
        #expect(day(1970, 1, 1) == 0)
        #expect(day(1970, 2, 1) == 31)
        #expect(day(1971, 1, 1) == 365)
        #expect(day(1973, 1, 1) == 365 * 3 + 1)  // 1972 is a leap year
        #expect(day(1969, 12, 31) == -1)
        // 2000-01-01: 30 years, 7 leap days (72, 76, 80, 84, 88, 92, 96).
        #expect(day(2000, 1, 1) == 30 * 365 + 7)
    }
}
