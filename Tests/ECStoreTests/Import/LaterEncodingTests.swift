import Testing
import Foundation
@testable import ECStore
import ECTestSupport

/// Encodings past the detection sample (issue 12): a file whose first MB is UTF-8 and a
/// later line CP932 is an error naming the first line that differs, not a stray byte.
@Suite struct LaterEncodingTests {
    /// Header, then UTF-8 lines (`n,山田,n` or ASCII `n,yamada,n`, n = line number) until past the sample;
    /// returns bytes and the next line number.
    func utf8Body(japanese: Bool) -> (bytes: [UInt8], nextLine: Int) {
        let body = linesPastSample(header: "id,name,amount") { "\($0 + 1),\(japanese ? "山田" : "yamada"),\($0 + 1)" }
        return (body.bytes, body.rows + 2)
    }

    func loadError(_ bytes: [UInt8]) throws -> LoadError? {
        let f = try LoadFixture()
        let path = try f.file("m.csv", bytes: bytes)
        do {
            try f.load(.table("m"), path)
        } catch let e as LoadError {
            #expect(try !f.db.tableExists("m"))
            return e
        }
        return nil
    }

    /// Line 2 is the first with UTF-8 text; line `n` (past the first MB) is CP932.
    @Test func utf8ThenCP932PastTheSample() throws {
        let (body, n) = utf8Body(japanese: true)
        let e = try #require(try loadError(body + encode("\(n),佐藤,1\n", "CP932")))
        #expect(e.line == n && e.column == "\(n),".count + 1, "\(e)")
        #expect(e.reason == "line \(n) is cp932, but the file is utf-8 (line 2 is the first with utf-8 text): the file mixes encodings", "\(e)")
    }

    /// The first MB is plain ASCII: the CP932 line means the file is CP932, and the help says how to read it.
    @Test func asciiThenCP932PastTheSample() throws {
        let (body, n) = utf8Body(japanese: false)
        let e = try #require(try loadError(body + encode("\(n),佐藤,1\n", "CP932")))
        // Column: the characters of "n," before 佐, plus one.
        #expect(e.line == n && e.column == "\(n),".count + 1, "\(e)")
        #expect(e.reason.contains("the lines above are plain ASCII and this one reads as cp932"), "\(e)")
        #expect(e.help?.contains("with encoding 'cp932'") == true)
    }

    /// One stray Latin-1 byte past the sample in a UTF-8 file is still a stray byte, not "mixes".
    @Test func strayByteIsNotMixing() throws {
        let (body, n) = utf8Body(japanese: true)
        let e = try #require(try loadError(body + Array("\(n),caf".utf8) + [0xE9] + Array(",1\n".utf8)))
        #expect(e.line == n && e.reason.contains("0xE9") && !e.reason.contains("mixes"), "\(e)")
    }
}

/// Two exports joined (the forty-second session's probe): 100 lines, a Japanese header, and line 57 in the other
/// encoding. The message named line 1 as if it were the odd one (`is cp932 but line 1 is utf-8`), without a column.
@Suite struct JoinedExportEncodingTests {
    /// Header `注文番号,顧客ID,注文日時,金額,チャネル` and rows `O<k>,C<k>,2024-01-01,1000,own` in `body`, but row 56
    /// (line 57) with the channel `楽天市場` in `odd`.
    func joined(body: String, odd: String) -> [UInt8] {
        var bytes = encode("注文番号,顧客ID,注文日時,金額,チャネル\n", body)
        for k in 1...99 {
            bytes += k == 56 ? encode("O56,C56,2024-01-01,1000,楽天市場\n", odd) : Array("O\(k),C\(k),2024-01-01,1000,own\n".utf8)
        }
        return bytes
    }

    func loadError(_ bytes: [UInt8], _ options: [(String, Value)] = []) throws -> LoadError {
        let f = try LoadFixture()
        let path = try f.file("joined.csv", bytes: bytes)
        do {
            try f.load(.role(.orders), path, options)
        } catch let e as LoadError {
            return e
        }
        throw LoadError(file: path, reason: "loaded")
    }

    /// UTF-8 with a CP932 line 57: line 57, column 25 (`O56,C56,2024-01-01,1000,` is 24 characters), detected or named.
    @Test(arguments: [[], [("encoding", Value.text("utf-8"))]] as [[(String, Value)]])
    func utf8FileWithACP932Line(_ options: [(String, Value)]) throws {
        let e = try loadError(joined(body: "UTF-8", odd: "CP932"), options)
        #expect(e.line == 57 && e.column == 25, "\(e)")
        #expect(e.reason == "line 57 is cp932, but the file is utf-8 (line 1 is the first with utf-8 text): the file mixes encodings", "\(e)")
        #expect(e.help == "convert the cp932 lines to utf-8 (iconv -f cp932 -t utf-8 on the export they came from, before joining the files); or load the utf-8 rows: with on_error skip (the cp932 rows go to ecsh_rejects)")
    }

    /// CP932 with a UTF-8 line 57: detected, the UTF-8 line is named; read as CP932 (named), the same line is, with the
    /// bytes where CP932 fails and nothing of the next line (`0x0A 0x4F` were shown).
    @Test func cp932FileWithAUTF8Line() throws {
        let bytes = joined(body: "CP932", odd: "UTF-8")
        let detected = try loadError(bytes)
        #expect(detected.line == 57 && detected.column == 25, "\(detected)")
        #expect(detected.reason == "line 57 is utf-8, but the file is cp932 (line 1 is the first with cp932 text): the file mixes encodings")
        let named = try loadError(bytes, [("encoding", .text("cp932"))])
        #expect(named.line == 57 && named.column == 25, "\(named)")
        #expect(named.reason == "line 57 is utf-8 text, not cp932 (it has bytes 0xA0 0xB4 that are not valid cp932)", "\(named)")
    }
}

/// `header`, then rows `row(1)`, `row(2)`, … (row k on line k + 1) until the file is past the
/// encoding detection sample (the first MB); returns the bytes and the number of rows.
func linesPastSample(header: String, _ row: (Int) -> String) -> (bytes: [UInt8], rows: Int) {
    var bytes = Array((header + "\n").utf8)
    var k = 0
    while bytes.count < EncodingSniffer.sampleBytes + 4096 {
        k += 1
        bytes += Array((row(k) + "\n").utf8)
    }
    return (bytes, k)
}
