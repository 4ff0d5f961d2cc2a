import Glibc

/// Texts numbered 0, 1, 2… in the order they are first added, found by their UTF-8 bytes: the
/// customer ids and channels of the facts build, the status words of a load.
///
/// The facts build used a `[String: Int32]`, which built a String per order, hashed it with
/// SipHash and held each id as a String beside it: about 8 % of a build at 1M orders by `perf`.
/// Here the texts' bytes sit end to end in one array, and an open-addressing table (at most
/// half full) holds their numbers.
public struct TextNumbering {
    /// Every text's bytes, end to end; text k is `bytes[ends[k - 1]..<ends[k]]` (from 0 for k = 0).
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    /// −1 for an empty slot, else the id's number.
    private var slots: [Int32] = []
    private var shift = 64

    public init() {}

    public var count: Int { ends.count }

    /// Room for `n` ids without growing the table.
    public mutating func reserve(_ n: Int) {
        ends.reserveCapacity(n)
        bytes.reserveCapacity(n * 12)
        if n * 2 > slots.count { rehash(capacity: n * 2) }
    }

    /// The number of `id`, when it was added.
    public func find(_ id: UnsafeRawBufferPointer) -> Int32? {
        guard !slots.isEmpty else { return nil }
        var s = slot(of: Self.hash(id))
        while true {
            let k = slots[s]
            if k < 0 { return nil }
            if matches(Int(k), id) { return k }
            s = (s + 1) & (slots.count - 1)
        }
    }

    /// The number of `id`, adding it (as the next number) when it is new.
    public mutating func add(_ id: UnsafeRawBufferPointer) -> (key: Int32, isNew: Bool) {
        if (ends.count + 1) * 2 > slots.count { rehash(capacity: max(64, slots.count * 2)) }
        var s = slot(of: Self.hash(id))
        while true {
            let k = slots[s]
            if k < 0 { break }
            if matches(Int(k), id) { return (k, false) }
            s = (s + 1) & (slots.count - 1)
        }
        let k = Int32(ends.count)
        bytes.append(contentsOf: id)
        ends.append(bytes.count)
        slots[s] = k
        return (k, true)
    }

    /// Calls `body` with id `k`'s bytes.
    public func withID<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withIDs { try body($0[k]) }
    }

    /// Calls `body` with every id's bytes at once, in place for the whole call (`IDs[k]`).
    public func withIDs<R>(_ body: (IDs) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in try ends.withUnsafeBufferPointer { e in try body(IDs(bytes: b, ends: e)) } }
    }

    /// The ids' bytes, valid during `withIDs`.
    public struct IDs {
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<Int>

        public subscript(k: Int) -> UnsafeBufferPointer<UInt8> {
            let from = k == 0 ? 0 : ends[k - 1]
            return UnsafeBufferPointer(rebasing: bytes[from..<ends[k]])
        }
    }

    /// Id `k` as text.
    public func string(_ k: Int) -> String { withID(k) { String(decoding: $0, as: UTF8.self) } }

    private func matches(_ k: Int, _ id: UnsafeRawBufferPointer) -> Bool {
        let from = k == 0 ? 0 : ends[k - 1]
        guard ends[k] - from == id.count else { return false }
        guard id.count > 0 else { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + from, id.baseAddress!, id.count) == 0 }
    }

    /// Fibonacci hashing: the high bits of the product, so a hash whose low bits repeat
    /// (the ids of one share all have the same FNV hash modulo the number of shares) still spreads.
    @inline(__always) private func slot(of h: UInt64) -> Int {
        shift == 64 ? 0 : Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    private mutating func rehash(capacity: Int) {
        var size = 1, bits = 0
        while size < capacity { size <<= 1; bits += 1 }
        slots = [Int32](repeating: -1, count: size)
        shift = 64 - bits
        for k in 0..<ends.count {
            let h = withID(k) { Self.hash(UnsafeRawBufferPointer($0)) }
            var s = slot(of: h)
            while slots[s] >= 0 { s = (s + 1) & (size - 1) }
            slots[s] = Int32(k)
        }
    }

    /// FNV-1a over the bytes.
    @inline(__always) public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
