import ECStore
#if canImport(Glibc)
import Glibc
#endif

/// What the customer facts need of one counted order: its row index (rowid − lowest rowid),
/// day, channel code, revenue and margin. In a share's file it is followed by the customer
/// id's bytes and the order id's (none when NULL), whose lengths `append` sets.
struct ShareOrder {
    var row: Int32
    var day: Int32
    var channel: Int32
    var idLength: Int32
    /// −1 when the order id is NULL.
    var orderIDLength: Int32
    var padding: Int32 = 0
    var revenue: Double
    var margin: Double
}

/// The counted orders of one share of customers (share > 0), written during the facts
/// build's first read of `orders` and read back, in the same (table) order, by the pass
/// that builds that share's facts (`CustomerFacts.build`).
///
/// Why: each later pass used to scan the whole orders table through SQLite to find its
/// fifth of the customers (four full scans of a 10M-order table); this file holds only
/// the share's orders, about 40 bytes plus the two ids each, read sequentially once.
/// Revenue and margin are computed once, in the first read, by the same expressions the
/// pass used, so the sums are the same bits.
final class ShareSpill {
    private let scratch: BuildScratch
    private var pending: [UInt8] = []
    private(set) var count = 0
    static let flushAt = 1 << 20
    static let header = MemoryLayout<ShareOrder>.stride

    init() throws {
        scratch = try BuildScratch(holding: "about 60 bytes an order of its share of the customers")
        pending.reserveCapacity(Self.flushAt + 4_096)
    }

    func append(_ order: ShareOrder, id: UnsafeRawBufferPointer, orderID: UnsafeRawBufferPointer?) throws {
        var o = order
        o.idLength = Int32(id.count)
        o.orderIDLength = orderID.map { Int32($0.count) } ?? -1
        withUnsafeBytes(of: &o) { pending.append(contentsOf: $0) }
        pending.append(contentsOf: id)
        if let orderID { pending.append(contentsOf: orderID) }
        count += 1
        if pending.count >= Self.flushAt { try flush() }
    }

    private func flush() throws {
        try pending.withUnsafeBytes { try scratch.write($0) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Every order appended, in the order appended, with its customer id's and order id's bytes
    /// (valid during the call only).
    func forEach(_ body: (ShareOrder, UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Void) throws {
        try flush()
        try scratch.rewind()
        var buffer = [UInt8](repeating: 0, count: Self.flushAt)
        var at = 0, end = 0
        /// At least `n` bytes from `at` in the buffer (a record longer than the buffer grows it).
        func need(_ n: Int) throws {
            guard end - at < n else { return }
            if at > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    guard let base = raw.baseAddress else { return }
                    memmove(base, base + at, end - at)
                }
                end -= at
                at = 0
            }
            if buffer.count < n { buffer += [UInt8](repeating: 0, count: n - buffer.count) }
            while end < n {
                let got = try buffer.withUnsafeMutableBytes { try scratch.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[end...])) }
                guard got > 0 else { throw scratch.failure("read", EIO) }
                end += got
            }
        }
        for _ in 0..<count {
            try need(Self.header)
            let o = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: ShareOrder.self) }
            let idLength = Int(o.idLength), orderIDLength = Int(o.orderIDLength)
            let total = Self.header + idLength + max(0, orderIDLength)
            try need(total)
            try buffer.withUnsafeBytes { raw in
                let id = UnsafeRawBufferPointer(rebasing: raw[(at + Self.header)..<(at + Self.header + idLength)])
                let orderID = orderIDLength < 0 ? nil
                    : UnsafeRawBufferPointer(rebasing: raw[(at + Self.header + idLength)..<(at + total)])
                try body(o, id, orderID)
            }
            at += total
        }
    }
}
