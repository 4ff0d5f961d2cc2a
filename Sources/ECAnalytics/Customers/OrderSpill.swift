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
/// 56 bytes an order and is read sequentially. It is a `TemporaryFile` (in `$TMPDIR`,
/// unlinked from the start, so nothing is left behind whatever happens to the process).
final class OrderSpill {
    private let file: UnsafeMutablePointer<FILE>
    private var pending: [SpilledOrder] = []
    private(set) var count = 0
    static let chunk = 65_536

    init() throws {
        guard let f = TemporaryFile.open(prefix: "ecsh-build") else { throw Self.failure("make", errno) }
        file = f
        pending.reserveCapacity(Self.chunk)
    }

    deinit { fclose(file) }

    static func failure(_ what: String, _ code: Int32) -> MetricsError {
        MetricsError("cannot \(what) the temporary file of the customer facts build: \(String(cString: strerror(code))) (it holds 56 bytes an order, in \(TemporaryFile.folder); set TMPDIR to use another folder)")
    }

    func append(row: Int32, _ values: OrderValues) throws {
        pending.append(SpilledOrder(row: row, values: values))
        count += 1
        if pending.count == Self.chunk { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        let written = pending.withUnsafeBufferPointer { fwrite($0.baseAddress, MemoryLayout<SpilledOrder>.stride, $0.count, file) }
        guard written == pending.count else { throw Self.failure("write", errno) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Every order appended, in the order appended.
    func forEach(_ body: (SpilledOrder) throws -> Void) throws {
        try flush()
        guard fflush(file) == 0, fseek(file, 0, SEEK_SET) == 0 else { throw Self.failure("write", errno) }
        var buffer = [SpilledOrder](repeating: SpilledOrder(row: 0, values: OrderValues(day: 0, channel: 0, amount: 0, discounts: 0,
                                                                                          commission: 0, costs: 0, units: 0)),
                                    count: Self.chunk)
        var left = count
        while left > 0 {
            let want = min(left, Self.chunk)
            let got = buffer.withUnsafeMutableBufferPointer { fread($0.baseAddress, MemoryLayout<SpilledOrder>.stride, want, file) }
            guard got == want else { throw Self.failure("read", ferror(file) != 0 ? errno : EIO) }
            for i in 0..<got { try body(buffer[i]) }
            left -= got
        }
        guard fseek(file, 0, SEEK_END) == 0 else { throw Self.failure("read", errno) }
    }
}
