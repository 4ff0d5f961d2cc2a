import Testing
import ECTestSupport
@testable import ECAnalytics

/// The share files of the facts build give back every record as written, in order: ids of
/// every length (empty, NULL order ids, one longer than the read buffer), records cut by
/// the buffer's edge (about 3 MB of them against a 1 MB buffer).
@Suite struct ShareSpillTests {
    struct Written: Equatable {
        var row: Int32, day: Int32, channel: Int32, revenue: Double, margin: Double
        var id: [UInt8], orderID: [UInt8]?
    }

    @Test func recordsComeBackAsWritten() throws {
        var random = SplitMix64(seed: 13)
        var written: [Written] = []
        for i in 0..<60_000 {
            let idLength = i == 30_000 ? ShareSpill.flushAt * 2 + 5 : Int(random.next() % 60)
            let id = (0..<idLength).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
            let orderID: [UInt8]? = random.next() % 5 == 0 ? nil : (0..<Int(random.next() % 20)).map { UInt8(truncatingIfNeeded: $0 &+ i) }
            written.append(Written(row: Int32(i), day: Int32(19_000 + i % 700), channel: Int32(i % 7) - 1,
                                   revenue: Double(i) * 1.25, margin: -Double(i) / 3, id: id, orderID: orderID))
        }
        let spill = try ShareSpill()
        for w in written {
            try w.id.withUnsafeBytes { id in
                if let o = w.orderID {
                    try o.withUnsafeBytes { try spill.append(order(w), id: id, orderID: $0) }
                } else {
                    try spill.append(order(w), id: id, orderID: nil)
                }
            }
        }
        #expect(spill.count == written.count)
        var read: [Written] = []
        try spill.forEach { o, id, orderID in
            read.append(Written(row: o.row, day: o.day, channel: o.channel, revenue: o.revenue, margin: o.margin,
                                id: Array(id), orderID: orderID.map { Array($0) }))
        }
        #expect(read.count == written.count)
        for (a, b) in zip(written, read) where a != b {
            Issue.record("record \(a.row): wrote \(a.row) \(a.day) ids \(a.id.count)/\(a.orderID?.count ?? -1), read \(b.row) \(b.day) ids \(b.id.count)/\(b.orderID?.count ?? -1)")
            break
        }
    }

    func order(_ w: Written) -> ShareOrder {
        ShareOrder(row: w.row, day: w.day, channel: w.channel, idLength: 0, orderIDLength: 0, revenue: w.revenue, margin: w.margin)
    }
}
