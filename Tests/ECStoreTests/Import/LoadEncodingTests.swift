import Testing
import Foundation
import Glibc
@testable import ECStore

/// Converts UTF-8 text to `encoding` with glibc iconv (the test's own conversion, not the loader's).
func encode(_ text: String, _ encoding: String) -> [UInt8] {
    let cd = iconv_open(encoding, "UTF-8")!
    defer { iconv_close(cd) }
    var input = Array(text.utf8).map { CChar(bitPattern: $0) }
    var output = [CChar](repeating: 0, count: input.count * 4 + 16)
    var inLeft = input.count
    var outLeft = output.count
    input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
            var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
            _ = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
        }
    }
    return output[0..<(output.count - outLeft)].map { UInt8(bitPattern: $0) }
}

@Suite struct LoadEncodingTests {
    static let text = "顧客ID,名前,金額\nc1,山田 太郎,1200\nc2,ｶﾀｶﾅ＆髙橋,300\n"

    @Test(arguments: [("CP932", "cp932"), ("EUC-JP-MS", "euc-jp"), ("UTF-16", "utf-16"), ("UTF-16LE", "utf-16le")])
    func readsJapaneseEncodings(_ iconvName: String, _ option: String) throws {
        let f = try LoadFixture()
        let path = try f.file("e.csv", bytes: encode(LoadEncodingTests.text, iconvName))
        try f.load(.table("e"), path, [("encoding", .text(option))])
        #expect(try f.rows("SELECT * FROM e") == [["c1", "山田 太郎", 1200], ["c2", "ｶﾀｶﾅ＆髙橋", 300]])
        #expect(try f.db.columns(of: "e").map(\.name) == ["顧客ID", "名前", "金額"])
    }

    @Test func detectsCP932AndSaysSo() throws {
        let f = try LoadFixture()
        let bytes = encode("注文番号,会員ID,注文日時,合計金額\n1,m1,2024/03/05 10:00,1000\n", "CP932")
        #expect(bytes.contains(0x92))  // 注 starts with 0x92 in CP932: not UTF-8
        let s = try f.load(.role(.orders), try f.file("sj.csv", bytes: bytes))
        #expect(s.notes.contains("detected encoding cp932"))
        #expect(try f.rows("SELECT order_id, customer_id, amount FROM orders") == [["1", "m1", 1000.0]])
    }

    @Test func detectsUTF16ByBOM() throws {
        let f = try LoadFixture()
        let s = try f.load(.table("u"), try f.file("u.csv", bytes: encode("a,b\n1,é\n", "UTF-16")))
        #expect(s.notes.contains("detected encoding utf-16"))
        #expect(try f.rows("SELECT * FROM u") == [[1, "é"]])
    }

    @Test func latin1AndBOM() throws {
        let f = try LoadFixture()
        try f.load(.table("l"), try f.file("l.csv", bytes: Array("name\nJos".utf8) + [0xE9] + [10]), [("encoding", "latin-1")])
        #expect(try f.rows("SELECT name FROM l") == [["José"]])
        try f.load(.table("b"), try f.file("b.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("id,v\n1,2\n".utf8)))
        #expect(try f.db.columns(of: "b").map(\.name) == ["id", "v"])
    }

    /// Bad bytes after the detection sample: the error names their line and suggests cp932.
    @Test func invalidUTF8LaterInFile() throws {
        let f = try LoadFixture()
        var bytes = Array("id,v\n".utf8)
        // Past the 1 MB detection sample: 200,000 lines of at least 6 bytes.
        for i in 0..<200_000 { bytes += Array("\(i),xy\n".utf8) }
        bytes += [0x31, 0x2C, 0x82, 0xA0, 0x0A]  // line 200,002, column 3: あ in CP932
        let path = try f.file("bad.csv", bytes: bytes)
        do {
            try f.load(.table("bad"), path)
            Issue.record("expected an encoding error")
        } catch let e as LoadError {
            #expect(e.line == 200_002 && e.column == 3)
            #expect(e.reason.contains("0x82") && e.help?.contains("with encoding 'cp932'") == true)
        }
        #expect(try !f.db.tableExists("bad"))
    }

    @Test func undecodableBytesGiveClearError() throws {
        let f = try LoadFixture()
        // 0xFF 0xFF fits neither UTF-8, CP932 nor EUC-JP.
        let path = try f.file("x.csv", bytes: Array("a\nb".utf8) + [0xFF, 0xFF, 0x0A])
        do {
            try f.load(.table("x"), path)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.line == 2 && e.help?.contains("with encoding") == true)
        }
    }
}
