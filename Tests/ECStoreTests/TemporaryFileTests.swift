import Foundation
import Testing
@testable import ECStore

/// Scratch files go to the folder asked for (the caller passes `$TMPDIR`'s), leave no name
/// behind, read back what was written, and fail with errno when the folder is missing.
@Suite struct TemporaryFileTests {
    @Test func madeInTheFolderAndUnlinked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecsh-tmp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = try #require(TemporaryFile.open(prefix: "ecsh-test", in: folder))
        defer { fclose(file) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        var written = (0..<100_000).map { UInt32($0 &* 2_654_435_761 & 0xFFFF_FFFF) }
        #expect(fwrite(&written, 4, written.count, file) == written.count)
        #expect(fflush(file) == 0 && fseek(file, 0, SEEK_SET) == 0)
        var read = [UInt32](repeating: 0, count: written.count)
        #expect(fread(&read, 4, read.count, file) == read.count)
        #expect(read == written)
        // The file's blocks are in that folder's file system (it is open, not named).
        var st = stat(), folderStat = stat()
        #expect(fstat(fileno(file), &st) == 0 && stat(folder, &folderStat) == 0)
        #expect(st.st_dev == folderStat.st_dev && st.st_nlink == 0)
    }

    @Test func aMissingFolderGivesErrno() {
        errno = 0
        #expect(TemporaryFile.open(prefix: "ecsh-test", in: "/nonexistent-ecsh-\(UUID().uuidString)") == nil)
        #expect(errno == ENOENT)
    }
}
