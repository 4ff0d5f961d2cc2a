import Testing
import ECStore
import ECTestSupport
@testable import ECShell

/// The help under SQLite's "database or disk is full" names `TMPDIR` when that folder is the small one (SQLite's
/// temporary files for an index's sort went there: a load of customers failed so with an 8 MB RAM-backed TMPDIR and
/// a workspace disk far from full), and otherwise says to free disk space (FaultInjectionTests' full disk, by
/// SQLite's max_page_count, shows it end to end).
@Suite struct FullDiskHelpTests {
    @Test func aSmallTemporaryFolderIsNamed() {
        let small = Session.fullHelp(temporaryFolder: "/tmp/small", free: 8 << 20)
        #expect(small == "nothing this statement wrote was kept; SQLite's temporary files go to /tmp/small (TMPDIR), which has 8 MB free: set TMPDIR to a folder with more room (or free some there) and run it again")
        let justBelow = Session.fullHelp(temporaryFolder: "/tmp", free: ScratchRoom.standard.reserve - 1)
        #expect(justBelow.contains("/tmp (TMPDIR), which has 63 MB free"))
        for free in [ScratchRoom.standard.reserve, 50 << 30, nil] as [Int?] {
            #expect(Session.fullHelp(temporaryFolder: "/tmp", free: free) == "nothing this statement wrote was kept; free some disk space and run it again")
        }
    }

    /// The free space it is given is the folder's own (`statvfs`): a folder that exists has some, one that does not
    /// has none to tell.
    @Test func freeSpaceOfAFolder() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        #expect((TemporaryFile.freeBytes(in: dir.url.path) ?? 0) > 0)
        #expect(TemporaryFile.freeBytes(in: dir.path("missing")) == nil)
    }
}
