import Foundation
import Testing
import ECStore
import ECTestSupport
@testable import ECAnalytics

/// The blocks' per-order columns packed for storage (`BlockPacking`): every array reads back equal,
/// bit for bit, whatever its values; whole numbers close together take 1, 2 or 4 bytes each, anything
/// else (fractions, −0, NaN, infinities, past 2⁵³, spans of 2³² or more) its values' own bytes.
struct BlockPackingTests {
    /// Packs and unpacks through a buffer that starts empty, then again through one of the same length
    /// holding other values (the in-place path), and returns the packed size.
    func roundTrip<T: SnapshotElement>(_ values: [T], _ label: String, bitwise: (T) -> UInt64) throws -> Int {
        let packed = BlockPacking.pack(values)
        var fresh: [T] = []
        try packed.withUnsafeBytes { try BlockPacking.unpack($0, into: &fresh, name: label) }
        #expect(fresh.map(bitwise) == values.map(bitwise), "\(label): fresh")
        var reused = values.reversed() as [T]
        try packed.withUnsafeBytes { try BlockPacking.unpack($0, into: &reused, name: label) }
        #expect(reused.map(bitwise) == values.map(bitwise), "\(label): in place")
        return packed.count
    }

    @Test func doublesReadBackBitForBit() throws {
        let bits: (Double) -> UInt64 = { $0.bitPattern }
        let n = 1000
        var rng = SplitMix64(seed: 5)
        func draw(_ k: UInt64) -> Double { Double(rng.next() % k) }
        // Whole yen amounts under 256 apart: one byte each, from any least value (negative too).
        #expect(try roundTrip((0..<n).map { _ in 1000 + draw(256) }, "small span", bitwise: bits) == BlockPacking.header + n)
        #expect(try roundTrip((0..<n).map { _ in -5000 + draw(200) }, "negative", bitwise: bits) == BlockPacking.header + n)
        #expect(try roundTrip((0..<n).map { _ in draw(65536) }, "two bytes", bitwise: bits) == BlockPacking.header + 2 * n)
        #expect(try roundTrip((0..<n).map { _ in draw(1 << 32) }, "four bytes", bitwise: bits) == BlockPacking.header + 4 * n)
        // The edges of each width: a span of exactly 255, 256, 65,535, 65,536, 2³² − 1 and 2³².
        for (span, width) in [(255.0, 1), (256, 2), (65535, 2), (65536, 4), (4_294_967_295, 4), (4_294_967_296, 8)] {
            let values: [Double] = [7, 7 + span, 7 + (span / 2).rounded(.down)]
            #expect(try roundTrip(values, "span \(span)", bitwise: bits) == (width == 8 ? 1 + 24 : BlockPacking.header + width * 3))
        }
        // Anything not a whole number close to the others: its own eight bytes.
        let plainCases: [(String, [Double])] = [
            ("fraction", [1, 2, 2.5]), ("minus zero", [1, -0.0, 3]), ("nan", [1, .nan]), ("infinity", [1, .infinity]),
            ("past 2^53", [9_007_199_254_740_994, 1]), ("ends of the range", [-9e15, 9e15]),
        ]
        for (label, values) in plainCases {
            #expect(try roundTrip(values, label, bitwise: bits) == 1 + 8 * values.count, "\(label)")
        }
        #expect(try roundTrip([Double](), "empty", bitwise: bits) == 1)
        // 2⁵³ itself is whole and exact: packed.
        #expect(try roundTrip([9_007_199_254_740_992, 9_007_199_254_740_991], "2^53", bitwise: bits) == BlockPacking.header + 2)
    }

    @Test func integersReadBackEqual() throws {
        let bits32: (Int32) -> UInt64 = { UInt64(UInt32(bitPattern: $0)) }
        let n = 700
        var rng = SplitMix64(seed: 9)
        // Days of a block sorted (a few hundred apart): two bytes; channels: one; customer keys: plain (four bytes anyway).
        #expect(try roundTrip((0..<n).map { Int32(19_000 + $0 / 3) }, "days", bitwise: bits32) == BlockPacking.header + n)
        #expect(try roundTrip((0..<n).map { _ in Int32(rng.next() % 2000) + 19_000 }, "days wide", bitwise: bits32)
                == BlockPacking.header + 2 * n)
        #expect(try roundTrip((0..<n).map { _ in Int32(rng.next() % 5) - 1 }, "channels", bitwise: bits32) == BlockPacking.header + n)
        #expect(try roundTrip((0..<n).map { _ in Int32(truncatingIfNeeded: rng.next()) }, "keys", bitwise: bits32) == 1 + 4 * n)
        #expect(try roundTrip([Int32.min, Int32.max], "ends", bitwise: bits32) == 1 + 8)
        // UInt8 (first-order flags) is never smaller packed.
        #expect(try roundTrip((0..<n).map { UInt8($0 % 2) }, "flags", bitwise: { UInt64($0) }) == 1 + n)
    }

    /// A stored entry of another kind, or cut short, is an error naming it, not numbers read from garbage.
    @Test func anUnknownLayoutIsAnError() throws {
        var buffer: [Double] = []
        for bytes in [[UInt8](), [2, 1, 0], [1, 3] + [UInt8](repeating: 0, count: 12), [1, 1, 0]] as [[UInt8]] {
            #expect(throws: MetricsError.self) {
                try bytes.withUnsafeBytes { try BlockPacking.unpack($0, into: &buffer, name: "amount.0") }
            }
        }
    }
}
