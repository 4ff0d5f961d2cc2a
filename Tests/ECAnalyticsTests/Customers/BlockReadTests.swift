import Foundation
import Testing
import ECStore
@testable import ECAnalytics

/// The passes over the snapshot read each block's columns into buffers reused from block to block
/// (`OrderSnapshot.column(_:block:in:into:)`, through `OrderSnapshot.read`): in place when the next
/// array has the buffer's length, into a new array otherwise. Workspaces in tests hold one or two
/// blocks of unequal length, so the in-place copy is checked here directly, on arrays of equal and
/// unequal lengths in turn, read through the one cached statement.
struct BlockReadTests {
    static func workspace(_ arrays: [(String, [UInt8])]) throws -> (db: Database, dir: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecsh-blockread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = try Database(path: dir.appendingPathComponent("w.db").path)
        try db.execute("CREATE TABLE \(OrderSnapshot.table) (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
        let insert = try db.prepare("INSERT INTO \(OrderSnapshot.table) VALUES (?, ?)")
        for (name, bytes) in arrays {
            insert.reset()
            try insert.bind([.text(name), .blob(bytes)])
            try insert.step()
        }
        return (db, dir)
    }

    static func bytes<T>(_ a: [T]) -> [UInt8] { a.withUnsafeBytes { [UInt8]($0) } }

    @Test func aReusedBufferHoldsEachArrayInTurn() throws {
        let ints: [[Int32]] = [
            (0..<40).map { Int32($0) },
            (0..<40).map { Int32(7 * $0 - 3) },         // same length: copied in place
            (0..<40).map { Int32(-$0) },                 // again in place
            (0..<5).map { Int32(100 + $0) },            // shorter: a new array
            (0..<40).map { Int32($0 * $0 % 37) },       // longer again: a new array
        ]
        let doubles: [[Double]] = [(0..<30).map { Double($0) / 3 }, (0..<30).map { -Double($0) * 1.5 }, [2.5]]
        let (db, dir) = try Self.workspace(ints.enumerated().map { ("day.\($0.offset)", Self.bytes($0.element)) }
            + doubles.enumerated().map { ("amount.\($0.offset)", Self.bytes($0.element)) })
        defer { try? FileManager.default.removeItem(at: dir) }

        var buffer: [Int32] = []
        for (i, expected) in ints.enumerated() {
            try OrderSnapshot.read(db, "day.\(i)", into: &buffer)
            #expect(buffer == expected, "day.\(i)")
        }
        // Back and forth between two arrays of one length, the buffer kept.
        for i in [1, 0, 2, 1] {
            try OrderSnapshot.read(db, "day.\(i)", into: &buffer)
            #expect(buffer == ints[i], "day.\(i) again")
        }
        var money: [Double] = []
        for (i, expected) in doubles.enumerated() {
            try OrderSnapshot.read(db, "amount.\(i)", into: &money)
            #expect(money == expected, "amount.\(i)")
        }
        // A fresh array per read (`array`) gives the same.
        let fresh: [Int32] = try OrderSnapshot.array(db, "day.4")
        #expect(fresh == ints[4])
        // A name that is not there is an error naming it, and the cached statement stays usable.
        #expect(throws: MetricsError.self) { try OrderSnapshot.read(db, "day.99", into: &buffer) }
        try OrderSnapshot.read(db, "day.0", into: &buffer)
        #expect(buffer == ints[0])
    }

    /// The cached statement is reset after each read: a read leaves no statement running, so a write
    /// through the same connection (here a DROP, which SQLite refuses while a statement reads the table)
    /// goes through, and the next read prepares against the new table.
    @Test func aReadLeavesNoStatementRunning() throws {
        let (db, dir) = try Self.workspace([("day.0", Self.bytes([Int32(1), 2, 3]))])
        defer { try? FileManager.default.removeItem(at: dir) }
        var buffer: [Int32] = []
        try OrderSnapshot.read(db, "day.0", into: &buffer)
        try db.execute("DROP TABLE \(OrderSnapshot.table)")
        try db.execute("CREATE TABLE \(OrderSnapshot.table) (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
        try db.execute("INSERT INTO \(OrderSnapshot.table) VALUES ('day.0', ?)", [.blob(Self.bytes([Int32(4), 5, 6]))])
        try OrderSnapshot.read(db, "day.0", into: &buffer)
        #expect(buffer == [4, 5, 6])
    }
}
