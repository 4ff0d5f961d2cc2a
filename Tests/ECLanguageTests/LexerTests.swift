import Testing
@testable import ECLanguage

@Suite struct LexerTests {
    func kinds(_ text: String) throws -> [Token.Kind] {
        try Lexer.tokenize(text).map(\.kind).dropLast()
    }

    @Test(arguments: [
        ("'it''s'", Token.Kind.string("it's")),
        ("''", .string("")),
        ("12", .integer(12)),
        ("3.5", .real(3.5)),
        ("1_000", .integer(1000)),
        ("1e3", .real(1000)),                           // an exponent, as in SQL
        ("2.5E-2", .real(0.025)),
        ("5e+1%", .percent(0.5)),
        ("15%", .percent(0.15)),
        ("12.5%", .percent(0.125)),
        ("2024-03-05", .date(CalendarDate(year: 2024, month: 3, day: 5))),
        ("2024-02-29", .date(CalendarDate(year: 2024, month: 2, day: 29))),
        ("2024-03", .month(CalendarMonth(year: 2024, month: 3))),
        ("\"Created at\"", .quotedIdentifier("Created at")),
        ("\"a\"\"b\"", .quotedIdentifier("a\"b")),
        ("顧客ID", .word("顧客ID")),
        ("first_channel", .word("first_channel")),
        ("_x1", .word("_x1")),
    ])
    func literal(text: String, expected: Token.Kind) throws {
        #expect(try kinds(text) == [expected])
    }

    @Test func operatorsAndAlternativeSpellings() throws {
        let symbols = try kinds("= == != <> < <= > >= + - * / × ÷ ( ) , ;").map { kind -> Symbol? in
            if case .symbol(let s) = kind { return s } else { return nil }
        }
        #expect(symbols == [.equal, .equal, .notEqual, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual,
                            .plus, .minus, .times, .divide, .times, .divide, .leftParen, .rightParen, .comma, .semicolon])
    }

    @Test func commentsRunToEndOfLine() throws {
        #expect(try kinds("a # b c\nd -- e\nf") == [.word("a"), .word("d"), .word("f")])
    }

    /// An `e` not followed by digits is a word of its own, as before exponents were read.
    @Test func anExponentNeedsDigits() throws {
        #expect(try kinds("1e") == [.integer(1), .word("e")])
        #expect(try kinds("2e-x") == [.integer(2), .word("e"), .symbol(.minus), .word("x")])
        #expect(try kinds("90 days") == [.integer(90), .word("days")])
    }

    /// `1,000` is three tokens (a comma separates list items); the lexer knows it for the parser's error.
    @Test func thousandsSeparatorsAreRecognisedForErrors() throws {
        var lexer = Lexer(text: "x > 12,500,000 and y in (1, 2) and z = 3,14")
        #expect(lexer.thousandsSeparated(at: 6)?.written == "12,500,000")
        #expect(lexer.thousandsSeparated(at: 6)?.number == "12_500_000")
        #expect(lexer.thousandsSeparated(at: 27) == nil)  // `1, 2`
        #expect(lexer.thousandsSeparated(at: 41) == nil)  // `3,14`: two digits
        _ = try lexer.next()
    }

    @Test func subtractionIsNotAMonth() throws {
        // 2024-3 is not a month (two digits required): number, minus, number.
        #expect(try kinds("2024-3") == [.integer(2024), .symbol(.minus), .integer(3)])
        #expect(try kinds("x-1") == [.word("x"), .symbol(.minus), .integer(1)])
    }

    @Test func rangesCountCharactersNotBytes() throws {
        // 顧客ID is 4 characters (12 bytes in UTF-8); the '=' after it starts at column 6.
        let tokens = try Lexer.tokenize("顧客ID = 'é'")
        #expect(tokens[0].range == span(1, 1, 1, 5))
        #expect(tokens[1].range == span(1, 6, 1, 7))
        #expect(tokens[2].range == span(1, 8, 1, 11))
    }

    @Test func rangesFollowLinesAndStartOffset() throws {
        let tokens = try Lexer.tokenize("a\n  bb", start: loc(37, 1))
        #expect(tokens[0].range == span(37, 1, 37, 2))
        #expect(tokens[1].range == span(38, 3, 38, 5))
    }

    @Test(arguments: [
        ("x = «'abc»", "unterminated string"),
        ("«\"abc»", "unterminated quoted identifier"),
        ("a «$» b", "unexpected character '$'"),
        ("«2024-13»", "invalid month 13 in 2024-13"),
        ("«2023-02-29»", "invalid date 2023-02-29"),
        ("«\"\"»", "empty quoted identifier"),
    ])
    func errorsAreLocated(input: String, message: String) {
        let (text, range) = marked(input)
        do {
            _ = try Lexer.tokenize(text)
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.message == message)
            #expect(error.range == range)
        }
    }
}
