import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECShell

/// Ctrl-C during a million-row load left a 59 MB workspace holding a 1-row table: SQLite keeps the pages of the
/// dropped staging rows as free pages. The "interrupted" message then says how much and how to get it back,
/// read while the interrupt flag is still raised (as it is when the error is reported) and leaving it raised.
@Suite struct InterruptedFreeSpaceTests {
    @Test func droppedRowsLeaveFreePagesAndTheNoteNamesVacuum() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let flag = InterruptFlag()
        let db = try Database(path: dir.path("w.db"), interruptFlag: flag)
        // 40,000 rows of 1,000 bytes: at least 38 MB of pages once dropped.
        try db.execute("CREATE TABLE staged AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000) "
                       + "SELECT i, zeroblob(1000) AS pad FROM n")
        try db.execute("DROP TABLE staged")
        let free = try #require(try db.scalar("PRAGMA freelist_count").intValue) * (try #require(try db.scalar("PRAGMA page_size").intValue))
        let megabytes = Int(free >> 20)
        #expect(megabytes >= 38)
        flag.raise()
        #expect(Session.freeSpaceNote(db)
                == "the workspace file keeps \(megabytes) MB of free space from the rolled-back work; `sql VACUUM` gives it back to the disk when the workspace is closed\n")
        #expect(flag.isRaised)
        flag.clear()
        try db.execute("VACUUM")
        #expect(Session.freeSpaceNote(db) == "")
        #expect(Session.freeSpaceNote(try Database()) == "")
    }
}
