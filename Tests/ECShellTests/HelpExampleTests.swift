import Foundation
import Testing
import ECLanguage
import ECTestSupport

/// Every example `help` shows runs on the sample shop, in catalogue order, without an
/// error, and its transcript matches the stored one (re-record with ECSH_RECORD=1).
@Suite struct HelpExampleTests {
    @Test func everyHelpExampleRunsOnTheSampleShop() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        // Examples name files as seen from the project folder (samples/...); exports land in the temp folder.
        try FileManager.default.createSymbolicLink(
            atPath: dir.path("samples"), withDestinationPath: BuiltBinary.packageRoot.appendingPathComponent("samples").path)
        let examples = CommandCatalog.all.flatMap(\.examples)
        #expect(examples.count >= 40)
        let out = try runECSH(["--demo", "--echo", "--keep-going"] + examples.flatMap { ["-c", $0] }, directory: dir.url,
                           mergingStandardError: true)
        #expect(!out.stdout.contains("error:"), "\(out.stdout)")
        #expect(out.status == 0)
        #expect(FileManager.default.fileExists(atPath: dir.path("out.csv")))
        // `report to 'kpis.html' …` then `end report` writes the page (with no results between them).
        #expect((try? String(contentsOfFile: dir.path("kpis.html"), encoding: .utf8))?.contains("Sample shop KPIs") == true)
        let golden = BuiltBinary.packageRoot.appendingPathComponent("Tests/ECShellTests/Golden/help-examples.out")
        let actual = GoldenTranscript.transcript(of: out)
        if GoldenTranscript.recording {
            try actual.write(to: golden, atomically: true, encoding: .utf8)
        } else {
            let expected = try String(contentsOf: golden, encoding: .utf8)
            #expect(expected == actual, "\(GoldenTranscript.difference(expected: expected, actual: actual))")
        }
    }
}
