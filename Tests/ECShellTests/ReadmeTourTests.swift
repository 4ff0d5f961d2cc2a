import Foundation
import Testing
import ECTestSupport

/// The README's 60-second tour is a golden transcript: its statements run through the
/// real binary on the sample shop (`ecsh --demo --echo`) and the output must be the
/// README's block, line for line. `ECSH_RECORD=1` writes the block anew (review the diff).
@Suite struct ReadmeTourTests {
    static let readme = BuiltBinary.packageRoot.appendingPathComponent("README.md")
    static let heading = "## A 60-second tour"

    /// The tour block's line range in the README: the lines between its opening and closing fences.
    static func block(_ lines: [String]) -> Range<Int>? {
        guard let h = lines.firstIndex(where: { $0.hasPrefix(heading) }),
              let open = lines[h...].firstIndex(of: "```"),
              let close = lines[(open + 1)...].firstIndex(of: "```") else { return nil }
        return (open + 1)..<close
    }

    @Test func tourMatchesTheRealOutput() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let range = try #require(Self.block(lines), "README has no tour block under '\(Self.heading)'")
        let statements = lines[range].filter { $0.hasPrefix("ecsh> ") }.map { String($0.dropFirst(6)) }
        #expect(statements.count >= 3)
        let output = try runECSH(["--demo", "--echo"] + statements.flatMap { ["-c", $0] }, mergingStandardError: true)
        #expect(output.status == 0)
        // From the first echoed statement on: the demo's loading lines are not part of the tour.
        var actual = GoldenTranscript.normalized(output.stdout).components(separatedBy: "\n")
        if let first = actual.firstIndex(where: { $0.hasPrefix("ecsh> ") }) { actual.removeFirst(first) }
        while actual.last == "" { actual.removeLast() }
        if GoldenTranscript.recording {
            lines.replaceSubrange(range, with: actual)
            try lines.joined(separator: "\n").write(to: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        let expected = Array(lines[range])
        #expect(expected == actual, "\(GoldenTranscript.difference(expected: expected.joined(separator: "\n"), actual: actual.joined(separator: "\n")))")
    }
}
