import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECRender

/// Text from the shop's data (channels, campaigns, segment names) written into exports as text:
/// never as Markdown markup, never with a NUL, and with a byte order mark for Excel when asked.
@Suite struct ExportTextSafetyTests {
    @Test func markdownShowsMarkupCharactersAsText() {
        let table = ResultTable(columns: ["channel", "repeat_rate"],
                                rows: [["a|b <img src=x onerror=alert(1)> *x* _y_ [l](u) `c` ~s~ a&amp; \\", 0.25]],
                                formats: [.text, .percent(places: 1)])
        let lines = MarkdownWriter.text(table).split(separator: "\n")
        // `repeat_rate`'s underscore sits between letters, where it cannot open emphasis: left alone.
        #expect(lines[0].hasPrefix("| channel ") && lines[0].hasSuffix("| repeat_rate |"))
        #expect(lines[2].hasPrefix(#"| a\|b \<img src=x onerror=alert(1)\> \*x\* \_y\_ \[l\](u) \`c\` \~s\~ a\&amp; \\ |"#))
        #expect(lines[2].hasSuffix(" 25.0% |"))
        #expect(MarkdownWriter.escape("line 1\r\nline 2\nline 3") == "line 1<br>line 2<br>line 3")
    }

    @Test func nulInTextIsReplacedInCSVAndTSVAndCounted() {
        let table = ResultTable(columns: ["channel", "orders"], rows: [["a\u{0}b", 2], ["c", 3]])
        #expect(CSVWriter.text(table) == "channel,orders\na\u{FFFD}b,2\nc,3\n")
        #expect(TSVWriter.text(table) == "channel\torders\na\u{FFFD}b\t2\nc\t3\n")
        #expect(JSONWriter.text(table).contains(#""channel":"a\u0000b""#))
        let notes = CSVWriter.notes(table)
        #expect(notes.count == 1 && notes[0].hasPrefix("1 cell with a NUL character (\\0) written in CSV with � (U+FFFD)"))
        #expect(CSVWriter.notes(table, tsv: true)[0].contains("written in TSV"))
    }

    @Test func byteOrderMarkOnlyWhenAskedAndOnlyForCSVOrTSV() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let table = ResultTable(columns: ["channel", "orders"], rows: [["楽天市場", 2]])
        try ExportWriter.write(table, to: dir.path("excel.csv"), bom: true)
        try ExportWriter.write(table, to: dir.path("plain.csv"))
        let excel = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.path("excel.csv"))))
        let plain = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.path("plain.csv"))))
        #expect(excel == [0xEF, 0xBB, 0xBF] + plain)
        #expect(plain.prefix(7) == Array("channel".utf8)[...])
        #expect(throws: ExportError("'with bom' is for .csv and .tsv files (for Excel), not .md; export without it")) {
            try ExportWriter.write(table, to: dir.path("x.md"), bom: true)
        }
    }

    @Test func tildeIsTheHomeFolderAsInAShell() {
        #expect(HomePath.expand("~", home: "/home/ann") == "/home/ann")
        #expect(HomePath.expand("~/out.csv", home: "/home/ann") == "/home/ann/out.csv")
        #expect(HomePath.expand("~/out.csv", home: "/") == "/out.csv")
        #expect(HomePath.expand("a/~/out.csv", home: "/home/ann") == "a/~/out.csv")
        #expect(HomePath.expand("./~", home: "/home/ann") == "./~")
        #expect(HomePath.expand("~root/x.csv", home: "/home/ann") == "/root/x.csv")
        #expect(HomePath.expand("~no-such-user-ecsh/x.csv", home: "/home/ann") == "~no-such-user-ecsh/x.csv")
    }

    @Test func missingFolderSaysHowToCreateIt() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let table = ResultTable(columns: ["a"], rows: [["x"]])
        do {
            try ExportWriter.write(table, to: dir.path("new/r.csv"))
            Issue.record("expected an error")
        } catch {
            #expect(error.help == "create it first (mkdir -p '\(dir.path("new"))'), or name a file in a folder that exists")
        }
    }
}
