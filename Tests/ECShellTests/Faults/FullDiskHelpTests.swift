import Foundation
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

/// A workspace that cannot be opened names the file and gives the way out (SQLite's own words name no file).
@Suite struct OpenFailureHelpTests {
    @Test func aDamagedFileSaysHowToRescueIt() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let db = dir.path("w.db")
        let made = try runECSH([db, "-c", "load orders from 'samples/shop/orders.csv'"])
        #expect(made.status == 0, "\(made.stderr)")
        // Cut after the first pages: the schema is there, most of the tables' pages are not.
        #expect(truncate(db, 100_000) == 0)
        let out = try runECSH([db, "-c", "kpi orders"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("error: cannot open '\(db)': database disk image is malformed"), "\(out.stderr)")
        #expect(out.stderr.contains("help: the file is damaged: `sqlite3 '\(db)' .recover"), "\(out.stderr)")
    }

    @Test func eachKindOfFailureHasItsHelp() {
        // SQLite's primary result codes: 10 IOERR, 13 FULL, 14 CANTOPEN, 26 NOTADB, 11 CORRUPT, 1 ERROR.
        func help(_ code: Int32) -> String? { Launcher.openHelp(DatabaseError(code: code, message: "x"), path: "/nowhere/w.db") }
        #expect(help(10)?.contains("is the disk holding '/nowhere/w.db' full") == true)
        #expect(help(13 | (3 << 8))?.contains("Free some space") == true)
        #expect(help(14)?.contains("check that the folder of '/nowhere/w.db' exists") == true)
        #expect(help(26)?.contains("an SQLite workspace?") == true)
        #expect(help(11)?.contains(".recover") == true)
        #expect(help(1) == nil)
        #expect(Launcher.openHelp(nil, path: "w.db")?.contains("an SQLite workspace?") == true)
        #expect(Launcher.openFailure(DatabaseError(code: 10, message: "disk I/O error"), workspace: "w.db") == "cannot open 'w.db': disk I/O error")
    }
}
