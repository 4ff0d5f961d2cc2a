import Testing
@testable import ECStore

/// Numbers written the Japanese way, as mall and accounting exports write them (`NumberReader.parseWritten`).
@Suite struct JapaneseNumberTests {
    static let header = "order_id,customer_id,ordered_at,amount,status\n"

    func number(_ s: String, backslashIsYen: Bool = false) -> ParsedNumber? {
        Array(s.utf8).withUnsafeBufferPointer { NumberReader(decimal: ".", backslashIsYen: backslashIsYen).parse($0) }
    }

    @Test(arguments: [
        ("３，３００", ParsedNumber.integer(3300)), ("３,３００", .integer(3300)), ("１２．５", .real(12.5)), ("－３００", .integer(-300)),
        ("−300", .integer(-300)), ("＋５", .integer(5)), ("￥－１，０００", .integer(-1000)), ("－￥1,000", .integer(-1000)),
        ("１，０００円", .integer(1000)), ("　２，０００　", .integer(2000)), ("＄１２．５０", .real(12.5)), ("００７", .zeroPadded(7)),
        ("▲1,000", .integer(-1000)), ("△1,000", .integer(-1000)), ("▲ 1,000", .integer(-1000)), ("▲¥500", .integer(-500)),
        ("▲1,000円", .integer(-1000)), ("▲12.5", .real(-12.5)), ("(1,000)", .integer(-1000)), ("（１，０００）", .integer(-1000)),
        ("(¥1,000)", .integer(-1000)), ("▲0", .integer(0)),
    ])
    func readsJapaneseForms(_ text: String, _ expected: ParsedNumber) {
        #expect(number(text) == expected)
    }

    /// One sign: a bookkeeping minus with another sign, or in the wrong place, is no number; nor are 万 and a trailing minus.
    @Test(arguments: ["▲-1,000", "△+1,000", "(-1,000)", "(▲1,000)", "▲(1,000)", "-(1,000)", "¥▲1,000", "(1,000", "1,000)",
                      "▲", "()", "(¥)", "1万2千円", "1.2万", "1,000-", "1,000－", "▼1,000", "▽1,000", "\\1,100", "３，３０", "１ ２", "１２．５００", "１．２３４円"])
    func refusesUnclearForms(_ text: String) {
        #expect(number(text) == nil)
    }

    /// In a Shift_JIS file the byte 0x5C, decoded as `\`, is the yen sign; elsewhere it is no currency.
    @Test func backslashIsTheYenSignOfShiftJIS() {
        #expect(number("\\1,100", backslashIsYen: true) == .integer(1100))
        #expect(number("-\\1,100", backslashIsYen: true) == .integer(-1100))
        #expect(number("\\-1,100", backslashIsYen: true) == .integer(-1100))
        #expect(number("▲\\1,100", backslashIsYen: true) == .integer(-1100))
        #expect(number("\\\\1,100", backslashIsYen: true) == nil)
        #expect(number("1\\100", backslashIsYen: true) == nil)
        #expect(number("\\1,100") == nil)
    }

    /// GMV by hand: 3,300 + 3,300 + 12.5 − 300 − 300 + 1,000 − 1,000 + 2,000 = 8,012.5 over 8 orders
    /// (the load stopped at line 2, "not a number").
    @Test func fullWidthAmountsLoadAsTheirHalfWidthNumbers() throws {
        let f = try LoadFixture()
        let rows = ["\"３,３００\"", "３，３００", "１２．５", "－３００", "−300", "１，０００円", "￥－１，０００", "２，０００　"]
        let text = JapaneseNumberTests.header + rows.enumerated().map { "J\($0),C\($0),2024-01-0\($0 + 1),\($1),completed\n" }.joined()
        try f.load(.role(.orders), try f.file("fw.csv", text))
        #expect(try f.rows("SELECT count(*), sum(amount) FROM orders") == [[8, .real(8012.5)]])
        #expect(try f.rows("SELECT amount FROM orders WHERE order_id = 'J2'") == [[.real(12.5)]])
    }

    /// By hand: 20,000 − 1,000 (▲) − 2,000 (△) − 3,000 − 4,000 (parentheses) − 500 (▲¥) − 100 = 9,400.
    @Test func bookkeepingMinusReadsAsNegative() throws {
        let f = try LoadFixture()
        let rows = ["\"20,000\"", "\"▲1,000\"", "\"△2,000\"", "\"(3,000)\"", "（４，０００）", "▲¥500", "▲ 100"]
        let text = JapaneseNumberTests.header + rows.enumerated().map { "B\($0),C\($0),2024-02-0\($0 + 1),\($1),completed\n" }.joined()
        try f.load(.role(.orders), try f.file("bk.csv", text))
        #expect(try f.rows("SELECT amount FROM orders ORDER BY rowid").map { $0[0] }
                == [20000, -1000, -2000, -3000, -4000, -500, -100].map { Value.real($0) })
        #expect(try f.rows("SELECT sum(amount) FROM orders") == [[.real(9400)]])
    }

    /// A column of full-width counts is an integer column: 12 + 3 + 1,200 = 1,215 (it was text, summing to 0).
    @Test func fullWidthDigitsMakeANumberColumn() throws {
        let f = try LoadFixture()
        try f.load(.table("t"), try f.file("q.csv", "sku,qty\nA,１２\nB,３\nC,１，２００\n"))
        #expect(try f.rows("SELECT sum(qty), min(typeof(qty)), max(typeof(qty)) FROM t") == [[1215, "integer", "integer"]])
    }

    /// `１２．５００` settled the column as decimals: `1.234` then read 1.234 without the question whether `.` groups
    /// thousands (asked when both are half-width). It stops with a way out.
    @Test func fullWidthThreeDecimalsDoNotSettleTheDecimalMark() throws {
        let f = try LoadFixture()
        let path = try f.file("d.csv", JapaneseNumberTests.header + "D1,C1,2024-01-01,1.234,completed\nD2,C2,2024-01-02,１２．５００,completed\n")
        #expect { try f.load(.role(.orders), path) } throws: { e in
            let e = e as? LoadError
            return e?.line == 3 && e?.column == 4 && e?.help == "in full-width digits three digits after the point (１２．５００) may be a decimal "
                + "or thousands grouped by '.': write the amounts in half-width digits (the load then asks which when the column does not tell)"
        }
        // With decimal ',' the grouping is said: 1.234 + １２．５００ = 1,234 + 12,500 = 13,734.
        try f.load(.role(.orders), path, [("decimal", ",")])
        #expect(try f.rows("SELECT sum(amount) FROM orders") == [[.real(13734)]])
    }

    /// A Shift_JIS (cp932) export writes ¥ as the byte 0x5C, which decodes to `\`: by hand 1,100 + 2,200 + 900 = 4,200
    /// (the load stopped at line 2, "is not a number"). The same text as UTF-8 stops, with the help above.
    @Test func aShiftJISFilesBackslashIsTheYenSign() throws {
        let f = try LoadFixture()
        // 0x8E 0xE6 0x88 0xF8 is 取引 in cp932: the sniffer finds the encoding from it.
        let name: [UInt8] = [0x8E, 0xE6, 0x88, 0xF8]
        var bytes = Array("order_id,customer_id,ordered_at,amount,status,memo\n".utf8)
        for (i, amount) in ["\"\\1,100\"", "\"\\2,200\"", "\\900"].enumerated() {
            bytes += Array("S\(i),C\(i),2024-01-0\(i + 1),\(amount),completed,".utf8) + name + [0x0A]
        }
        try f.load(.role(.orders), try f.file("sjis.csv", bytes: bytes))
        #expect(try f.rows("SELECT sum(amount), count(*) FROM orders") == [[.real(4200), 3]])
        #expect(try f.rows("SELECT memo FROM orders WHERE order_id = 'S0'") == [["取引"]])
    }

    /// Forms a guess could read wrong stop at file:line:column with a way out.
    @Test(arguments: [
        ("1万2千円", "amounts in 万, 千 or 億 are not read (1.2万 is usually a rounded display of the amount): export the whole amounts (1万2千円 is 12000)"),
        ("1.2万", "amounts in 万, 千 or 億 are not read (1.2万 is usually a rounded display of the amount): export the whole amounts (1万2千円 is 12000)"),
        ("1,000-", "a minus after the number is read two ways: a negative (as some accounting systems print it) or the end mark of a yen amount (¥1,000- on a receipt): write -1,000 for a negative, 1,000 for a positive"),
        ("▼1,000", "▲ and △ are read as the minus of bookkeeping; ▼ and ▽ mark a fall in some reports and a negative in others: write -1,000 (or ▲1,000) for a negative"),
        ("▲-1,000", "▲, △ and parentheses already say minus: write ▲1,000, (1,000) or -1,000, with one sign"),
        ("(-1,000)", "▲, △ and parentheses already say minus: write ▲1,000, (1,000) or -1,000, with one sign"),
        ("¥▲1,000", "▲ and △ (minus) come first, before the currency: ▲¥1,000"),
        ("\\1,100", "a backslash before a number is the yen sign of a Shift_JIS (cp932) file, but this file is read as utf-8: write ¥ or no sign"),
    ])
    func unclearFormsStopWithAWayOut(_ amount: String, _ help: String) throws {
        let f = try LoadFixture()
        let path = try f.file("u.csv", JapaneseNumberTests.header + "U1,C1,2024-01-01,100,completed\nU2,C2,2024-01-02,\"\(amount)\",completed\n")
        do {
            try f.load(.role(.orders), path)
            Issue.record("expected '\(amount)' to stop the load")
        } catch let e as LoadError {
            #expect(e.line == 3 && e.column == 4 && e.rawValue == amount && e.reason.hasPrefix("is not a number"))
            #expect(e.help == help)
        }
    }
}
