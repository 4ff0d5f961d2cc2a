import Testing
import ECStore
@testable import ECAnalytics

/// The later shares of customers collected on a second thread (`LaterShares`): when the write fails, the
/// share being collected is waited for and the rows' customer keys come back to the build's state, so
/// no thread is left holding them.
@Suite struct LaterSharesTests {
    @Test func aFailedWriteGivesTheKeysBack() throws {
        let db = try Database()
        // What `TieBreak` reads; no facts table, so writing the first share fails.
        try db.execute("CREATE TABLE orders (ordered_at TEXT, order_id TEXT)")
        let rows = 30_000
        var st = CustomerFacts.BuildState()
        st.lowRowid = 1
        st.keyOfRow = [Int32](repeating: -1, count: rows)
        st.flags = [UInt8](repeating: 0, count: rows)
        func order(_ r: Int) -> ShareOrder {
            ShareOrder(row: Int32(r), day: Int32(19_000 + r % 300), channel: 0, idLength: 0, orderIDLength: -1, revenue: 10, margin: 2)
        }
        var first = CustomerFacts.Collected()
        try Array("C-first".utf8).withUnsafeBytes { id in
            try first.add(order(0), id: id, orderID: nil, offset: 0, st: &st) { _, _ in false }
        }
        // Three later shares of 9,999 orders, a customer per three orders.
        var files: [ShareSpill?] = [nil]
        for share in 0..<3 {
            let file = try ShareSpill()
            for r in (1 + share * 9_999)..<(1 + (share + 1) * 9_999) {
                try Array("C\(share)-\(r / 3)".utf8).withUnsafeBytes { try file.append(order(r), id: $0, orderID: nil) }
            }
            files.append(file)
        }
        #expect(throws: DatabaseError.self) {
            _ = try CustomerFacts.writeShares(db, first: &first, files: files, reserving: 4_000, st: &st,
                                              ties: try TieBreak(db), asOf: 19_400)
        }
        #expect(st.keyOfRow.count == rows)
        // Share 1 was being collected while the first share's write failed: its rows were keyed from 1.
        #expect(st.keyOfRow[1] == 1)
        #expect(st.keyOfRow[9_999] == 1 + Int32(9_999 / 3))
        // Share 2 was never started.
        #expect(st.keyOfRow[10_000] == -1)
    }
}
