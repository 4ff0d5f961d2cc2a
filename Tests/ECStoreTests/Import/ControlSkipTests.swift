import Testing
import Foundation
@testable import ECStore
import ECTestSupport

/// Control characters and NUL bytes under `on_error skip` (issue 12): the row goes to
/// `ecsh_rejects` with its line, column and the field shown escaped; the other rows load;
/// no control byte reaches a table. Without the option the load stops, located.
@Suite struct ControlSkipTests {
    /// Line 3: NUL in field 2; line 5: ESC inside a quoted field 2; line 6: DEL in field 3 (amount).
    /// Clean rows: ids 1, 3, 6 with amounts 100 + 300 + 600 = 1,000.
    static let bytes: [UInt8] = Array("id,name,amount\n1,alpha,100\n2,be".utf8) + [0] + Array("ta,200\n3,gamma,300\n4,\"del".utf8)
        + [0x1B] + Array("ta\",400\n5,eps,5".utf8) + [0x7F] + Array("00\n6,zeta,600\n".utf8)

    @Test func badRowsGoToRejects() throws {
        let f = try LoadFixture()
        let path = try f.file("c.csv", bytes: ControlSkipTests.bytes)
        let s = try f.load(.table("c"), path, [("on_error", "skip")])
        #expect(s.rows == 3 && s.skipped == 3, "\(s)")
        #expect(try f.rows("SELECT id, name, amount FROM c ORDER BY id") == [[1, "alpha", 100], [3, "gamma", 300], [6, "zeta", 600]])
        // The DEL row is not seen when types are inferred: amount stays an integer column.
        #expect(try f.columns("c").contains("amount INTEGER"))
        #expect(try f.rows("SELECT line, col, raw FROM ecsh_rejects ORDER BY line") == [
            [3, 2, "2,be\\0ta,200"],
            [5, 2, "4,\"del\\u{1B}ta\",400"],
            [6, 3, "5,eps,5\\u{7F}00"],
        ])
        #expect(try f.rows("SELECT DISTINCT reason FROM ecsh_rejects") == [[.text(CSVReader.controlReason)]])
        #expect(try f.db.scalar("SELECT count(*) FROM c WHERE instr(name, char(0)) OR instr(name, char(27))") == 0)
    }

    /// The default mode stops at the first one, names file:line:column and the way out.
    @Test func defaultModeStopsLocated() throws {
        let f = try LoadFixture()
        let path = try f.file("c.csv", bytes: ControlSkipTests.bytes)
        do {
            try f.load(.table("c"), path)
            Issue.record("expected a located error")
        } catch let e as LoadError {
            #expect(e.file == path && e.line == 3 && e.column == 2 && e.rawValue == "be\\0ta", "\(e)")
            #expect(e.help?.contains("with on_error skip") == true)
        }
        #expect(try !f.db.tableExists("c"))
    }

    /// A control character in the header stops the load even with on_error skip: there is no row to leave out.
    @Test func headerStillStops() throws {
        let f = try LoadFixture()
        let path = try f.file("h.csv", bytes: Array("id,na".utf8) + [0] + Array("me\n1,x\n".utf8))
        #expect(throws: LoadError.self) { try f.load(.table("h"), path, [("on_error", "skip")]) }
    }

    /// Past the type-inference sample (1,000 records) the same: row 1,502 (line 1,503) has a NUL.
    @Test func badRowFarIntoTheFile() throws {
        var bytes = Array("id,name\n".utf8)
        for i in 1...2000 {
            bytes += Array("\(i),n".utf8) + (i == 1502 ? [0] : []) + Array("\(i)\n".utf8)
        }
        let f = try LoadFixture()
        let s = try f.load(.table("t"), try f.file("t.csv", bytes: bytes), [("on_error", "skip")])
        #expect(s.rows == 1999 && s.skipped == 1)
        #expect(try f.rows("SELECT line, col, raw FROM ecsh_rejects") == [[1503, 2, "1502,n\\01502"]])
        #expect(try f.db.scalar("SELECT sum(id) FROM t") == .integer(2000 * 2001 / 2 - 1502))
    }
}
