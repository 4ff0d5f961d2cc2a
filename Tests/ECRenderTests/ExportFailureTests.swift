import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECRender

/// Issue 13: export errors name the path and the reason in plain words (they said
/// "NSCocoaErrorDomain error 512"), and a failed export leaves the old file unchanged.
@Suite struct ExportFailureTests {
    let table = ResultTable(columns: ["a"], rows: [["x"]])

    @Test func aFolderIsNamedAsAFolder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path("out.csv"), withIntermediateDirectories: false)
        #expect(throws: ExportError("cannot export to '\(dir.path("out.csv"))': it is a folder; name a file in it, e.g. '\(dir.path("out.csv"))/result.csv'")) {
            try ExportWriter.write(table, to: dir.path("out.csv"))
        }
    }

    @Test func anUnwritableFolderSaysPermissionDenied() throws {
        guard getuid() != 0 else { return }  // root may write anywhere; nothing to check
        let dir = try TemporaryDirectory()
        defer { chmod(dir.url.path, 0o755); dir.remove() }
        chmod(dir.url.path, 0o555)
        #expect(throws: ExportError("could not write '\(dir.path("r.csv"))': permission denied")) {
            try ExportWriter.write(table, to: dir.path("r.csv"))
        }
    }

    @Test func replacingWritesTheNewContentsAndLeavesNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("r.csv", "old\n")
        try ExportWriter.write(table, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a\nx\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["r.csv"])
    }
}
