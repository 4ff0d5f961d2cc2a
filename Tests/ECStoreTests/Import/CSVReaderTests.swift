import Testing
import Foundation
@testable import ECStore
import ECTestSupport

/// Reads `text` (as UTF-8 bytes) with the given delimiter into records of strings.
func readRecords(_ bytes: [UInt8], delimiter: LoadOptions.Delimiter = .byte(44), encoding: TextEncoding = .utf8,
                 maxRecordBytes: Int = 16 << 20) throws -> [[String]] {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = try dir.write("t.csv", bytes: bytes)
    let reader = CSVReader(source: try TextSource(path: path, encoding: encoding), delimiter: delimiter, maxRecordBytes: maxRecordBytes)
    var out: [[String]] = []
    while try reader.next() { out.append(reader.strings) }
    return out
}

@Suite struct CSVReaderTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let text: String
        let expected: [[String]]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain", text: "a,b\n1,2\n", expected: [["a", "b"], ["1", "2"]]),
        Case(name: "no final newline", text: "a,b\n1,2", expected: [["a", "b"], ["1", "2"]]),
        Case(name: "CRLF", text: "a,b\r\n1,2\r\n", expected: [["a", "b"], ["1", "2"]]),
        Case(name: "quoted comma", text: "\"x,y\",z\n", expected: [["x,y", "z"]]),
        Case(name: "doubled quotes", text: "\"say \"\"hi\"\"\",2\n", expected: [["say \"hi\"", "2"]]),
        Case(name: "newline in quotes", text: "\"two\nlines\",3\r\n4,5\n", expected: [["two\nlines", "3"], ["4", "5"]]),
        Case(name: "CRLF in quotes", text: "\"a\r\nb\",c\r\n", expected: [["a\r\nb", "c"]]),
        Case(name: "empty fields", text: ",,\n", expected: [["", "", ""]]),
        Case(name: "quoted empty", text: "\"\",x\n", expected: [["", "x"]]),
        Case(name: "blank lines skipped", text: "a\n\n\r\nb\n", expected: [["a"], ["b"]]),
        Case(name: "quote inside unquoted field is literal", text: "ab\"c,d\n", expected: [["ab\"c", "d"]]),
        Case(name: "unicode", text: "顧客ID,金額\nＡ1,¥1,980\n", expected: [["顧客ID", "金額"], ["Ａ1", "¥1", "980"]]),
        Case(name: "quote at end of file", text: "\"a\"", expected: [["a"]]),
        Case(name: "trailing empty field", text: "a,\n", expected: [["a", ""]]),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) throws {
        #expect(try readRecords(Array(c.text.utf8)) == c.expected)
    }

    @Test func lineNumbersCountLinesInsideQuotes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("t.csv", "h\n\"a\nb\nc\"\n\nx\n")
        let reader = CSVReader(source: try TextSource(path: path, encoding: .utf8), delimiter: .byte(44))
        var lines: [Int] = []
        while try reader.next() { lines.append(reader.line) }
        #expect(lines == [1, 2, 6])
    }

    @Test(arguments: [("tab", "a\tb\n1\t2\n", LoadOptions.Delimiter.byte(9)),
                      ("semicolon", "a;b\n1,5;2\n", .byte(59)),
                      ("pipe", "a|b\n1|2\n", .byte(124))])
    func otherDelimiters(_ name: String, _ text: String, _ d: LoadOptions.Delimiter) throws {
        let records = try readRecords(Array(text.utf8), delimiter: d)
        #expect(records.count == 2 && records.allSatisfy { $0.count == 2 })
        #expect(Array(text.utf8).withUnsafeBufferPointer { Dialect.detectDelimiter($0) } == d)
    }

    @Test func whitespaceRuns() throws {
        let text = " 00004 0001 19970101  2   29.33\n 00021 0002 19970101  3   63.34\n"
        let records = try readRecords(Array(text.utf8), delimiter: .whitespace)
        #expect(records == [["00004", "0001", "19970101", "2", "29.33"], ["00021", "0002", "19970101", "3", "63.34"]])
        #expect(Array(text.utf8).withUnsafeBufferPointer { Dialect.detectDelimiter($0) } == .whitespace)
    }

    @Test func detectionIgnoresDelimitersInsideQuotes() {
        let text = "name;note\n\"a,b,c\";x\n\"d,e\";y\n"
        #expect(Array(text.utf8).withUnsafeBufferPointer { Dialect.detectDelimiter($0) } == .byte(59))
    }

    @Test func unterminatedQuoteNamesItsLine() throws {
        #expect(throws: CSVFailure.unterminatedQuote(line: 2, column: 2)) {
            try readRecords(Array("a,b\n1,\"open\n2,3\n".utf8))
        }
    }

    @Test func textAfterClosingQuoteIsAnError() throws {
        #expect(throws: CSVFailure.strayQuote(line: 1, column: 1)) { try readRecords(Array("\"ab\"c,d\n".utf8)) }
    }

    @Test func recordsSpanningManyBufferRefills() throws {
        // A 3 MB quoted field crosses the 1 MB buffer several times.
        let big = String(repeating: "x,\"y\"\n", count: 500_000)
        let text = "h\n\"" + big.replacingOccurrences(of: "\"", with: "\"\"") + "\",end\n"
        let records = try readRecords(Array(text.utf8))
        #expect(records.count == 2)
        #expect(records[1][0] == big && records[1][1] == "end")
    }

    /// Multi-byte characters cut by buffer ends, in UTF-8 and through iconv.
    @Test(arguments: [("UTF-8", TextEncoding.utf8), ("CP932", .cp932), ("EUC-JP-MS", .eucJP)])
    func longJapaneseFieldsAcrossRefills(_ iconvName: String, _ encoding: TextEncoding) throws {
        let big = String(repeating: "円注文", count: 400_000) + "x"
        let text = "h,k\n\"" + big + "\",1\n" + String(repeating: "顧客,2\n", count: 50_000)
        let bytes = iconvName == "UTF-8" ? Array(text.utf8) : encode(text, iconvName)
        let records = try readRecords(bytes, encoding: encoding)
        #expect(records.count == 50_002)
        #expect(records[1] == [big, "1"])
        #expect(records.last == ["顧客", "2"])
    }

    /// An encoding this system's iconv cannot convert: an error naming it, and the file closed and the buffer freed
    /// once (they were also freed by the failed init itself, a double free that aborted the process).
    @Test func anEncodingIconvLacksIsAnError() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let path = try dir.write("t.csv", "a,b\n1,2\n")
        for _ in 0..<3 {
            do {
                _ = try TextSource(path: path, encoding: .cp932, converterName: "NO-SUCH-ENCODING-ECSH")
                Issue.record("a source was made with an encoding iconv lacks")
            } catch let error as StoreError {
                #expect(error.message == "this system cannot convert from \(TextEncoding.cp932.displayName) (iconv has no 'NO-SUCH-ENCODING-ECSH')")
            }
        }
        #expect(try readRecords(Array("a,b\n1,2\n".utf8)) == [["a", "b"], ["1", "2"]])
    }

    @Test func hugeFieldIsRefusedNotHeld() throws {
        var bytes = Array("h\n\"".utf8)
        bytes += [UInt8](repeating: 120, count: 3 << 20)
        #expect(throws: CSVFailure.recordTooLong(line: 2, limit: 1 << 20)) {
            try readRecords(bytes, maxRecordBytes: 1 << 20)
        }
    }

    /// Property: any fields, written with RFC 4180 quoting, read back unchanged.
    @Test func roundTripsRandomFields() throws {
        var rng = SplitMix64(seed: 42)
        let alphabet: [String] = ["a", "b", "z", ",", "\"", "\n", "\r\n", " ", "é", "円", ";", "\t", "0"]
        for _ in 0..<40 {
            let columns = Int(rng.next() % 5) + 1
            var rows: [[String]] = []
            for _ in 0..<Int(rng.next() % 30 + 1) {
                rows.append((0..<columns).map { c in
                    // The first column is never empty, so no record is a blank line.
                    let length = Int(rng.next() % 8) + (c == 0 ? 1 : 0)
                    return (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
                })
            }
            let text = rows.map { row in
                row.map { f in
                    f.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) })
                        ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
                }.joined(separator: ",")
            }.joined(separator: rng.next() % 2 == 0 ? "\n" : "\r\n")
            let back = try readRecords(Array(text.utf8))
            #expect(back == rows, "text: \(text.debugDescription)")
        }
    }
}

