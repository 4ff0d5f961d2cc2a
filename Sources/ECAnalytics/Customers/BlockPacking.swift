import ECStore

/// A value of a per-order snapshot column: stored as a whole number when it is one exactly.
public protocol SnapshotElement: BitwiseCopyable {
    /// The value as an integer when converting it back gives the same value, bit for bit; else nil.
    var exactInteger: Int64? { get }
    /// The value of a whole number `exactInteger` gave.
    init(exactInteger: Int64)
}

extension Int32: SnapshotElement {
    @inline(__always) public var exactInteger: Int64? { Int64(self) }
    @inline(__always) public init(exactInteger v: Int64) { self = Int32(truncatingIfNeeded: v) }
}

extension UInt8: SnapshotElement {
    @inline(__always) public var exactInteger: Int64? { Int64(self) }
    @inline(__always) public init(exactInteger v: Int64) { self = UInt8(truncatingIfNeeded: v) }
}

extension Double: SnapshotElement {
    /// Whole yen amounts, units and codes are whole numbers; −0, fractions, NaN, infinities and
    /// magnitudes past 2⁵³ (where not every whole number is a Double) are not.
    @inline(__always) public var exactInteger: Int64? {
        guard self == rounded(.towardZero), Swift.abs(self) <= 9_007_199_254_740_992, !(self == 0 && sign == .minus) else { return nil }
        return Int64(self)
    }
    @inline(__always) public init(exactInteger v: Int64) { self = Double(v) }
}

/// The blocks' per-order columns packed for storage: a column whose values are all whole numbers
/// within 2³² of each other is stored as offsets from its least value in 1, 2 or 4 bytes each; any
/// other as the values' bytes. At 10M orders the snapshot took 681 MB as plain arrays (57 bytes an
/// order): days, channels, units and yen amounts all fit in fewer bytes, and every byte the load
/// writes goes to the log and then to the file.
///
/// Layout: byte 0 is the kind, 0 plain or 1 offsets. Plain: the values' bytes follow. Offsets:
/// byte 1 is the width (1, 2 or 4), bytes 2–9 the least value (Int64, little-endian), then one
/// unsigned little-endian offset per value.
enum BlockPacking {
    static let plain: UInt8 = 0, offsets: UInt8 = 1
    static let header = 10

    static func pack<T: SnapshotElement>(_ values: [T]) -> [UInt8] {
        var low = Int64.max, high = Int64.min
        var whole = true
        for v in values {
            guard let i = v.exactInteger else { whole = false; break }
            low = Swift.min(low, i)
            high = Swift.max(high, i)
        }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        let width = !whole || values.isEmpty || overflow ? 0 : span < 1 << 8 ? 1 : span < 1 << 16 ? 2 : span < 1 << 32 ? 4 : 0
        guard width > 0, width < MemoryLayout<T>.stride else {
            return [plain] + values.withUnsafeBytes { Array($0) }
        }
        var out = [UInt8](repeating: 0, count: header + values.count * width)
        out[0] = offsets
        out[1] = UInt8(width)
        withUnsafeBytes(of: low.littleEndian) { for k in 0..<8 { out[2 + k] = $0[k] } }
        out.withUnsafeMutableBytes { raw in
            let body = raw.baseAddress! + header
            switch width {
            case 1:
                let p = body.assumingMemoryBound(to: UInt8.self)
                for (k, v) in values.enumerated() { p[k] = UInt8(truncatingIfNeeded: v.exactInteger! &- low) }
            case 2:
                for (k, v) in values.enumerated() {
                    body.storeBytes(of: UInt16(truncatingIfNeeded: v.exactInteger! &- low).littleEndian, toByteOffset: 2 * k, as: UInt16.self)
                }
            default:
                for (k, v) in values.enumerated() {
                    body.storeBytes(of: UInt32(truncatingIfNeeded: v.exactInteger! &- low).littleEndian, toByteOffset: 4 * k, as: UInt32.self)
                }
            }
        }
        return out
    }

    /// The values of a packed column into `buffer`, in place when it already has their count.
    static func unpack<T: SnapshotElement>(_ bytes: UnsafeRawBufferPointer, into buffer: inout [T], name: String) throws {
        guard let kind = bytes.first else { throw MetricsError("the order snapshot's '\(name)' is empty; rebuild to write it again") }
        if kind == plain { return copy(UnsafeRawBufferPointer(rebasing: bytes[1...]), into: &buffer) }
        guard kind == offsets, bytes.count >= header, [1, 2, 4].contains(Int(bytes[1])) else {
            throw MetricsError("the order snapshot's '\(name)' is in an unknown layout; rebuild to write it again")
        }
        let width = Int(bytes[1])
        let low = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 2, as: Int64.self))
        let n = (bytes.count - header) / width
        let body = bytes.baseAddress! + header
        fill(&buffer, n) { out in
            switch width {
            case 1:
                for k in 0..<n { out[k] = T(exactInteger: low &+ Int64(body.load(fromByteOffset: k, as: UInt8.self))) }
            case 2:
                for k in 0..<n {
                    out[k] = T(exactInteger: low &+ Int64(UInt16(littleEndian: body.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))))
                }
            default:
                for k in 0..<n {
                    out[k] = T(exactInteger: low &+ Int64(UInt32(littleEndian: body.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))))
                }
            }
        }
    }

    /// The values whose bytes `bytes` holds, copied into `buffer` (in place when it has their count).
    static func copy<T: BitwiseCopyable>(_ bytes: UnsafeRawBufferPointer, into buffer: inout [T]) {
        let n = bytes.count / MemoryLayout<T>.stride
        let stored = UnsafeRawBufferPointer(rebasing: bytes[0..<(n * MemoryLayout<T>.stride)])
        fill(&buffer, n) { UnsafeMutableRawBufferPointer($0).copyMemory(from: stored) }
    }

    /// `n` values written by `write` into `buffer`: in place when it has that count, else a new array.
    @inline(__always)
    private static func fill<T>(_ buffer: inout [T], _ n: Int, _ write: (UnsafeMutableBufferPointer<T>) -> Void) {
        if buffer.count == n {
            buffer.withUnsafeMutableBufferPointer { write($0) }
        } else {
            buffer = [T](unsafeUninitializedCapacity: n) { b, count in
                if n > 0 { write(b) }
                count = n
            }
        }
    }
}

extension SnapshotSink {
    /// One per-order column of block `block`, packed (`BlockPacking`); the field's type is the values'
    /// (`put(.day, block: b, days)` with Doubles does not compile), as `OrderSnapshot.column` reads it.
    func put<T: SnapshotElement>(_ field: OrderSnapshot.Field<T>, block: Int, _ values: [T]) throws {
        try put("\(field.column.rawValue).\(block)", BlockPacking.pack(values))
    }
}
