import Testing
import Foundation
import Glibc
@testable import ECStore
import ECTestSupport

/// Issue 12's encoding rules and issue 13's CSV-reader items, on real files through the real loader.
@Suite struct EncodingDecisionTests {
    /// A UTF-8 file with Japanese text: line 1 header, lines 2-4 rows.
    static let lines = ["id,名前,金額", "1,山田,100", "2,髙橋,200", "3,佐藤,300"]

    func expectStray(_ bytes: [UInt8], line: Int, column: Int, hex: String) throws {
        let f = try LoadFixture()
        let path = try f.file("s.csv", bytes: bytes)
        do {
            try f.load(.table("s"), path)
            Issue.record("expected a located encoding error")
        } catch let e as LoadError {
            #expect(e.file == path && e.line == line && e.column == column, "\(e)")
            #expect(e.reason.contains(hex), "\(e)")
        }
        #expect(try !f.db.tableExists("s"))
    }

    /// Stray 0xFF at the very start: line 1, column 1.
    @Test func strayByteAtStart() throws {
        let text = Array(EncodingDecisionTests.lines.joined(separator: "\n").utf8) + [10]
        try expectStray([0xFF] + text, line: 1, column: 1, hex: "0xFF")
    }

    /// Stray 0x82 in the middle: after "2,髙" on line 3, so column 4 (characters 2 , 髙 then the byte).
    @Test func strayByteInMiddle() throws {
        var bytes = Array("id,名前,金額\n1,山田,100\n2,髙".utf8)
        bytes += [0x82]
        bytes += Array("橋,200\n3,佐藤,300\n".utf8)
        try expectStray(bytes, line: 3, column: 4, hex: "0x82")
    }

    /// Stray bytes at the end of a file bigger than the detection sample: found while reading, still located.
    @Test func strayByteAtEndPastSample() throws {
        var bytes = Array("id,名前,金額\n".utf8)
        var n = 1
        while bytes.count < EncodingSniffer.sampleBytes + 1000 {
            bytes += Array("\(n),山田,\(n)\n".utf8)
            n += 1
        }
        // line n + 1: "x,", then 0xE9 (Latin-1 é), column 3.
        bytes += Array("x,".utf8) + [0xE9] + Array(",1\n".utf8)
        try expectStray(bytes, line: n + 1, column: 3, hex: "0xE9")
    }

    /// UTF-8 lines then a CP932 line: the error names the CP932 line and the UTF-8 line before it.
    @Test func mixedUTF8ThenCP932() throws {
        let f = try LoadFixture()
        let bytes = Array("id,名前\n1,山田\n".utf8) + encode("2,佐藤\n", "CP932")
        let path = try f.file("m.csv", bytes: bytes)
        do {
            try f.load(.table("m"), path)
            Issue.record("expected a mixed-encoding error")
        } catch let e as LoadError {
            #expect(e.line == 3 && e.column == 3, "\(e)")
            #expect(e.reason == "line 3 is cp932, but the file is utf-8 (line 1 is the first with utf-8 text): the file mixes encodings", "\(e)")
        }
    }

    /// CP932 lines first, a UTF-8 line later: the UTF-8 line is the one that differs.
    @Test func mixedCP932ThenUTF8() throws {
        let f = try LoadFixture()
        let bytes = encode("id,名前\n1,山田\n", "CP932") + Array("2,佐藤\n".utf8)
        let path = try f.file("m2.csv", bytes: bytes)
        do {
            try f.load(.table("m"), path)
            Issue.record("expected a mixed-encoding error")
        } catch let e as LoadError {
            #expect(e.line == 3 && e.column == 3, "\(e)")
            #expect(e.reason == "line 3 is utf-8, but the file is cp932 (line 1 is the first with cp932 text): the file mixes encodings", "\(e)")
        }
    }

    /// UTF-16 without a byte-order mark, both byte orders: read, and said.
    @Test(arguments: [("UTF-16LE", "utf-16le"), ("UTF-16BE", "utf-16be")])
    func utf16WithoutBOM(_ iconvName: String, _ shown: String) throws {
        let f = try LoadFixture()
        let bytes = encode("id,名前,金額\n1,山田,1200\n2,髙橋,300\n", iconvName)
        #expect(bytes.prefix(2) != [0xFF, 0xFE] && bytes.prefix(2) != [0xFE, 0xFF])
        let s = try f.load(.table("w"), try f.file("w.csv", bytes: bytes))
        #expect(s.notes.contains("detected encoding \(shown)"))
        #expect(try f.rows("SELECT * FROM w ORDER BY id") == [[1, "山田", 1200], [2, "髙橋", 300]])
    }
}

@Suite struct CSVHardeningTests {
    func loadError(_ bytes: [UInt8], _ options: [(String, Value)] = []) throws -> (LoadError?, String) {
        let f = try LoadFixture()
        let path = try f.file("h.csv", bytes: bytes)
        do {
            try f.load(.table("h"), path, options)
            return (nil, path)
        } catch let e as LoadError {
            return (e, path)
        }
    }

    /// A NUL in a header: located, shown escaped, never SQLite's "unrecognized token".
    @Test func nulInHeader() throws {
        let (e, path) = try loadError(Array("id,na".utf8) + [0] + Array("me\n1,x\n".utf8))
        #expect(e?.file == path && e?.line == 1 && e?.column == 2)
        #expect(e?.rawValue == "na\\0me")
        #expect(e?.description.contains("control character") == true)
    }

    /// An escape character (0x1B) inside a quoted field on line 3, field 2.
    @Test func controlCharacterInQuotedField() throws {
        let (e, _) = try loadError(Array("a,b\n1,x\n2,\"p".utf8) + [0x1B] + Array("q\"\n".utf8))
        #expect(e?.line == 3 && e?.column == 2)
        #expect(e?.rawValue == "\"p\\u{1B}q\"")
    }

    /// A lone CR inside quotes stays in the field, also with CR-only line ends.
    @Test func loneCRInQuotedFieldStays() throws {
        let f = try LoadFixture()
        try f.load(.table("c"), try f.file("c.csv", "id,note\r1,\"a\rb\"\r2,c\r"))
        #expect(try f.rows("SELECT id, note FROM c ORDER BY id") == [[1, "a\rb"], [2, "c"]])
    }

    /// A short row: the error names the line and both ways out; null_padding reads it with an empty value.
    @Test func shortRowNamesTheOptions() throws {
        let text = "a,b,c\n1,2,3\n4,5\n6,7,8\n"
        let (e, _) = try loadError(Array(text.utf8))
        #expect(e?.line == 3 && e?.help?.contains("null_padding true") == true && e?.help?.contains("on_error skip") == true)
        let f = try LoadFixture()
        try f.load(.table("p"), try f.file("p.csv", text), [("null_padding", "true")])
        #expect(try f.rows("SELECT a, b, c FROM p ORDER BY a") == [[1, 2, 3], [4, 5, nil], [6, 7, 8]])
    }

    /// More fields than the column limit: a located error, not a crash.
    @Test func columnLimit() throws {
        let header = (1...(CSVFailure.maxColumns + 5)).map { "c\($0)" }.joined(separator: ",")
        let (e, _) = try loadError(Array((header + "\n").utf8))
        #expect(e?.line == 1 && e?.description.contains("\(CSVFailure.maxColumns)") == true)
    }

    /// A FIFO is opened once and read once (a second open would block forever).
    @Test(.timeLimit(.minutes(1))) func fifoIsReadOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fifo = dir.path("orders.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            // A signal to the test process (a child ending) may break the wait for the reader off.
            var fd = open(fifo, O_WRONLY)
            while fd < 0 && errno == EINTR { fd = open(fifo, O_WRONLY) }
            let text = Array("id,amount\n1,100\n2,250\n".utf8)
            _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let db = try Database()
        let s = try Loader(database: db).load(LoadRequest(target: .table("f"), path: fifo))
        #expect(s.rows == 2 && s.source == fifo)
        #expect(try db.query("SELECT sum(amount) FROM f").rows == [[350]])
    }
}

@Suite struct DialectSniffingTests {
    func load(_ text: String) throws -> (LoadFixture, LoadSummary) {
        let f = try LoadFixture()
        let s = try f.load(.table("d"), try f.file("d.csv", text))
        return (f, s)
    }

    /// Tab-separated with single quotes around values that contain commas: three columns.
    @Test func tabWithSingleQuotes() throws {
        let (f, s) = try load("name\tcity\tn\n'Sato, T'\t'Tokyo, JP'\t1\n'Ito'\t'Osaka, JP'\t2\n")
        #expect(s.columns == 3)
        #expect(try f.rows("SELECT name, city, n FROM d ORDER BY n") == [["Sato, T", "Tokyo, JP", 1], ["Ito", "Osaka, JP", 2]])
    }

    /// `#` comment lines skipped, and a comment after a value ends the record.
    @Test func commentLines() throws {
        let (f, s) = try load("# exported 2024-12-31\na,b\n1,2\n# a note\n3,4 # checked\n")
        #expect(s.rows == 2 && s.columns == 2)
        #expect(try f.rows("SELECT a, b FROM d ORDER BY a") == [[1, 2], [3, 4]])
    }

    /// Backslash-escaped quotes inside double quotes.
    @Test func backslashEscape() throws {
        let (f, _) = try load("id,quote\n1,\"she said \\\"hi\\\"\"\n2,\"plain, text\"\n")
        #expect(try f.rows("SELECT quote FROM d ORDER BY id") == [["she said \"hi\""], ["plain, text"]])
    }

    /// Blank lines anywhere are skipped; semicolons chosen over the commas inside values.
    @Test func blankLinesAndSemicolons() throws {
        let (f, s) = try load("\na;b\n\n1,5;x\n\n2,5;y\n")
        #expect(s.rows == 2)
        #expect(try f.rows("SELECT a, b FROM d ORDER BY b") == [["1,5", "x"], ["2,5", "y"]])
    }

    /// A header recognised by types: `id` is not a number like the values below it, so the first
    /// row is names, `2023` and `2024` included (the old rule took any number for data).
    @Test func headerByTypes() throws {
        let (f, s) = try load("id,2023,2024\n1,1.5,2\n2,3,4\n")
        #expect(s.rows == 2)
        #expect(try f.db.columns(of: "d").map(\.name) == ["id", "2023", "2024"])
        // And no header when the first row fits the types below it.
        let (g, t) = try load("1,2024-01-05,3\n2,2024-01-06,4\n")
        #expect(t.rows == 2)
        #expect(try g.db.columns(of: "d").map(\.name) == ["column1", "column2", "column3"])
    }

    /// A quote never closed stays an error (not read as if quotes were text).
    @Test func unclosedQuoteStaysAnError() throws {
        let f = try LoadFixture()
        #expect(throws: LoadError.self) { try f.load(.table("q"), try f.file("q.csv", "a,b\n1,\"x\n2,y\n")) }
    }
}
