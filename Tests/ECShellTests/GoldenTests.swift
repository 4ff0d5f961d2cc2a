import Foundation
import Testing
import ECTestSupport

/// Every sample script and the error scripts replay to their stored transcripts.
/// Re-record with `ECSH_RECORD=1 swift test --filter GoldenTests` and review the diff.
@Suite(.serialized) struct GoldenTests {
    static let root = BuiltBinary.packageRoot
    static let golden = root.appendingPathComponent("Tests/ECShellTests/Golden")

    static let samples: [String] = {
        let dir = root.appendingPathComponent("samples")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".ecsh") && $0 != "load-shop.ecsh" }.sorted()
    }()

    @Test(arguments: samples) func sampleScriptReplays(_ name: String) throws {
        let difference = try GoldenTranscript.check(
            script: "samples/\(name)", golden: Self.golden.appendingPathComponent("samples/\(name).out"))
        #expect(difference == nil, "\(difference ?? "")")
    }

    /// Each sample has its transcript and each transcript its sample (a renamed or new
    /// sample without one would otherwise go untested).
    @Test func everySampleScriptHasATranscript() throws {
        #expect(Self.samples.count >= 7)
        let outs = try FileManager.default.contentsOfDirectory(atPath: Self.golden.appendingPathComponent("samples").path)
            .filter { $0.hasSuffix(".ecsh.out") }.sorted()
        #expect(outs == Self.samples.map { $0 + ".out" })
    }

    @Test(arguments: [("stops-at-first-error.ecsh", [String]()), ("keeps-going.ecsh", ["--keep-going"]), ("formats.ecsh", [String]()), ("measures.ecsh", ["--keep-going"])])
    func scriptReplays(_ name: String, _ arguments: [String]) throws {
        let difference = try GoldenTranscript.check(
            script: "Tests/ECShellTests/Scripts/\(name)", golden: Self.golden.appendingPathComponent("scripts/\(name).out"),
            extraArguments: arguments)
        #expect(difference == nil, "\(difference ?? "")")
    }
}
