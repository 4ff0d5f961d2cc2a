import ECStore
#if canImport(Glibc)
import Glibc
#endif

/// One counted order of the snapshot as the facts build's first read saw it: its row index
/// (rowid − lowest rowid) and the values its snapshot columns take.
struct SpilledOrder {
    var row: Int32
    var values: OrderValues
}

/// The snapshot's orders written to a temporary file during the build's first read of
/// `orders`, then read back once per range of days when they are too many to hold and not
/// in day order (`CustomerFacts.writeSortedChunks`).
///
/// Why: reading them back through SQLite meant a scan of the whole orders table per range
/// of days (four of the nine scans of a 10M-order build, about 10 s each); this file holds
/// 56 bytes an order and is read sequentially.
final class OrderSpill {
    private let scratch: BuildScratch
    private var pending: [SpilledOrder] = []
    private(set) var count = 0
    static let chunk = 65_536

    init() throws {
        scratch = try BuildScratch(holding: "56 bytes an order")
        pending.reserveCapacity(Self.chunk)
    }

    func append(row: Int32, _ values: OrderValues) throws {
        pending.append(SpilledOrder(row: row, values: values))
        count += 1
        if pending.count == Self.chunk { try flush() }
    }

    private func flush() throws {
        try pending.withUnsafeBytes { try scratch.write($0) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Every order appended, in the order appended.
    func forEach(_ body: (SpilledOrder) throws -> Void) throws {
        try flush()
        try scratch.rewind()
        var buffer = [SpilledOrder](repeating: SpilledOrder(row: 0, values: OrderValues(day: 0, channel: 0, amount: 0, discounts: 0,
                                                                                          commission: 0, costs: 0, units: 0)),
                                    count: Self.chunk)
        var left = count
        while left > 0 {
            let want = min(left, Self.chunk)
            let got = try buffer.withUnsafeMutableBytes {
                try scratch.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<(want * MemoryLayout<SpilledOrder>.stride)]))
            }
            guard got == want * MemoryLayout<SpilledOrder>.stride else { throw scratch.failure("read", EIO) }
            for i in 0..<want { try body(buffer[i]) }
            left -= want
        }
        try scratch.toEnd()
    }
}
