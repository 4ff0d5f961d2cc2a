import ECTestSupport
import Foundation
import Testing
@testable import ECShell

/// Reads every input until `.end`, checking `.end` repeats once reached.
private func readAll(_ reader: PlainLineReader) -> [String] {
    var lines: [String] = []
    while case .line(let line) = reader.readLine(prompt: "ecsh> ") { lines.append(line) }
    #expect(reader.readLine(prompt: "ecsh> ") == .end)
    return lines
}

@Suite struct PlainLineReaderTests {
    @Test(arguments: [
        ("a\nb\n", ["a", "b"]),
        ("a\r\nb\r\n", ["a", "b"]),          // CRLF endings lose the CR
        ("a\n\nb", ["a", "", "b"]),           // blank line kept, last line without newline kept
        ("\u{FEFF}tables\n", ["tables"]),     // byte-order mark dropped
        ("", []),
        ("\n", [""]),
        ("顧客ID\n", ["顧客ID"]),
    ])
    func linesOfAText(text: String, expected: [String]) {
        #expect(readAll(PlainLineReader(text: text)) == expected)
    }

    @Test func isNotInteractiveAndKeepsNoHistory() {
        let reader = PlainLineReader(text: "x\n")
        #expect(!reader.isInteractive)
        reader.addHistory("x")  // no effect, no file
        #expect(reader.readLine(prompt: "ecsh> ") == .line("x"))
    }

    @Test func readsALargeFileAcrossChunkBoundaries() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        // 200 000 rows of 10–11 bytes: about 2 MB, dozens of 64 KiB chunks.
        let count = 200_000
        let path = try dir.write("script.ecsh", (0..<count).map { "row \($0)" }.joined(separator: "\n") + "\r\n")
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let lines = readAll(PlainLineReader(fileDescriptor: fd))
        #expect(lines.count == count)
        #expect(lines[123_456] == "row 123456")
        #expect(lines.last == "row 199999")
    }

    @Test func readsAPipeWhoseLastLineHasNoNewline() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let text = Array("sql select 1\nsql select 2".utf8)
        #expect(write(ends[1], text, text.count) == text.count)
        close(ends[1])
        defer { close(ends[0]) }
        #expect(readAll(PlainLineReader(fileDescriptor: ends[0])) == ["sql select 1", "sql select 2"])
    }
}
