import Testing
import Foundation
@testable import ECStore
import ECTestSupport

/// Encodings past the detection sample (issue 12): a file whose first MB is UTF-8 and a
/// later line CP932 is an error naming the first line that differs, not a stray byte.
@Suite struct LaterEncodingTests {
    /// Header, then `rows` UTF-8 lines (`n,山田,n` or ASCII `n,yamada,n`) until past the sample; returns bytes and the next line number.
    func utf8Body(japanese: Bool) -> (bytes: [UInt8], nextLine: Int) {
        var bytes = Array("id,name,amount\n".utf8)
        var line = 2
        while bytes.count < EncodingSniffer.sampleBytes + 4096 {
            bytes += Array("\(line),\(japanese ? "山田" : "yamada"),\(line)\n".utf8)
            line += 1
        }
        return (bytes, line)
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
        #expect(e.line == n, "\(e)")
        #expect(e.reason.contains("is cp932 but line 2 is utf-8: the file mixes encodings"), "\(e)")
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
