import Foundation
import Testing
import ECTestSupport

/// `export`'s file: `~` as in a shell, `with bom` for Excel, and what to do when the folder is missing.
@Suite struct ExportPathTests {
    @Test func tildeExportWritesInTheHomeFolderAndWithBomStartsWithTheMark() throws {
        let home = try TemporaryDirectory(); defer { home.remove() }
        let work = try TemporaryDirectory(); defer { work.remove() }
        let out = try runECSH(["-c", "sql SELECT '楽天市場' AS channel, 3 AS orders", "-c", "export to '~/r.csv' with bom",
                               "-c", "export to '~/r.tsv'"],
                              directory: work.url, environment: ["HOME": home.url.path])
        #expect(out.status == 0, "\(out.stderr)")
        let csv = try [UInt8](Data(contentsOf: home.url.appendingPathComponent("r.csv")))
        #expect(csv == [0xEF, 0xBB, 0xBF] + Array("channel,orders\n楽天市場,3\n".utf8))
        #expect(try String(contentsOf: home.url.appendingPathComponent("r.tsv"), encoding: .utf8) == "channel\torders\n楽天市場\t3\n")
        // Nothing named `~` in the current folder.
        #expect(!FileManager.default.fileExists(atPath: work.path("~")))
    }

    @Test func unknownExportOptionAndMissingFolder() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let bad = try runECSH(["-c", "sql SELECT 1 AS n", "-c", "export to 'x.csv' with bon"], directory: dir.url)
        #expect(bad.stderr.contains("error: unknown export option 'bon'; the one option is 'bom' (export to 'x.csv' with bom), for Excel"),
                "\(bad.stderr)")
        let missing = try runECSH(["-c", "sql SELECT 1 AS n", "-c", "export to 'no/such/x.csv'"], directory: dir.url)
        #expect(missing.stderr.contains("error: cannot export to 'no/such/x.csv': the folder 'no/such' does not exist"), "\(missing.stderr)")
        #expect(missing.stderr.contains("help: create it first (mkdir -p 'no/such'), or name a file in a folder that exists"))
    }

    /// A script's relative output paths are resolved from its folder, as its `load` and `run` paths are:
    /// `ecsh -f analysis/monthly.ecsh` run from the folder above writes analysis/out.csv and analysis/r.html,
    /// not out.csv and r.html in the current folder. `-c` keeps the current folder.
    @Test func scriptWritesBesideItself() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("analysis"), withIntermediateDirectories: true)
        _ = try dir.write("analysis/monthly.ecsh",
                          "sql SELECT 'web' AS channel, 3 AS orders\nexport to 'out.csv'\nreport to 'r.html'\nsql SELECT 1 AS n\nend report\n")
        let out = try runECSH(["-f", "analysis/monthly.ecsh", "-c", "export to 'here.csv'"], directory: dir.url)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("exported 1 row to 'analysis/out.csv'"), "\(out.stderr)")
        #expect(try String(contentsOf: dir.url.appendingPathComponent("analysis/out.csv"), encoding: .utf8) == "channel,orders\nweb,3\n")
        #expect(FileManager.default.fileExists(atPath: dir.path("analysis/r.html")))
        #expect(!FileManager.default.fileExists(atPath: dir.path("out.csv")) && !FileManager.default.fileExists(atPath: dir.path("r.html")))
        #expect(FileManager.default.fileExists(atPath: dir.path("here.csv")))
    }

    /// `.once` and `.output` in a script write beside it as `export to` does (they wrote to the current
    /// folder before, so `-f analysis/m.ecsh` left once.csv and all.csv beside the caller); `-c` keeps the
    /// current folder, and `.output` alone brings results back to standard output.
    @Test func dotOnceAndOutputWriteBesideTheScript() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("analysis"), withIntermediateDirectories: true)
        _ = try dir.write("analysis/m.ecsh", """
            .mode csv
            .once once.csv
            sql SELECT 1 AS a
            .output 'all.csv'
            sql SELECT 2 AS b
            sql SELECT 3 AS c
            .output
            sql SELECT 4 AS d

            """)
        let out = try runECSH(["--no-rc", "-f", "analysis/m.ecsh", "-c", ".once here.csv", "-c", "sql SELECT 5 AS e"], directory: dir.url)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "d\n4\n")
        #expect(try String(contentsOf: dir.url.appendingPathComponent("analysis/once.csv"), encoding: .utf8) == "a\n1\n")
        #expect(try String(contentsOf: dir.url.appendingPathComponent("analysis/all.csv"), encoding: .utf8) == "b\n2\nc\n3\n")
        #expect(try String(contentsOf: dir.url.appendingPathComponent("here.csv"), encoding: .utf8) == "e\n5\n")
        #expect(!FileManager.default.fileExists(atPath: dir.path("once.csv")) && !FileManager.default.fileExists(atPath: dir.path("all.csv")))
    }
}
