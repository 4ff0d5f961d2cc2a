import Glibc

/// Finds a repeated value among a load's ids in bounded memory, whatever the file's size: each id
/// is a 64-bit hash; hashes are kept in sorted runs of `runSize` (8 MB at the default), each run
/// checked when it fills and spilled to an anonymous temporary file; `finish` merges the runs.
/// Equal hashes mean a repeated id or (about one chance in 10^5 at 10M ids) two ids whose hashes
/// collide: the caller treats both the same (it hands the file to the exact, slower way).
final class RepeatCheck {
    let runSize: Int
    private var run: [UInt64] = []
    private var spilled: [(offset: Int, count: Int)] = []
    private var file: UnsafeMutablePointer<FILE>?
    private var written = 0

    init(runSize: Int = 1 << 20) {
        self.runSize = max(1, runSize)
        run.reserveCapacity(min(self.runSize, 1 << 16))
    }

    deinit { if let file { fclose(file) } }

    /// Adds a hash; false when the run it completes holds a repeat.
    func add(_ hash: UInt64) throws -> Bool {
        run.append(hash)
        guard run.count >= runSize else { return true }
        Self.radixSort(&run)
        if Self.hasNeighbours(run) { return false }
        try spill()
        return true
    }

    /// Whether every hash added is distinct.
    func finish() throws -> Bool {
        Self.radixSort(&run)
        if Self.hasNeighbours(run) { return false }
        guard !spilled.isEmpty, let file else { return true }
        guard fflush(file) == 0 else { throw StoreError("cannot write the id check's temporary file: \(String(cString: strerror(errno)))") }
        // A k-way merge of the spilled runs and the last one, smallest head first (a binary heap).
        var readers = try spilled.map { try RunReader(fd: fileno(file), offset: $0.offset, count: $0.count) }
        let last = run
        var lastIndex = 0
        var heap: [(value: UInt64, source: Int)] = []
        func push(_ item: (value: UInt64, source: Int)) {
            heap.append(item)
            var i = heap.count - 1
            while i > 0, heap[(i - 1) / 2].value > heap[i].value { heap.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
        }
        func pop() -> (value: UInt64, source: Int) {
            let top = heap[0]
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, heap[l].value < heap[m].value { m = l }
                if r < heap.count, heap[r].value < heap[m].value { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
            return top
        }
        func next(_ source: Int) throws -> UInt64? {
            if source == readers.count {
                defer { lastIndex += 1 }
                return lastIndex < last.count ? last[lastIndex] : nil
            }
            return try readers[source].next()
        }
        for s in 0...readers.count { if let v = try next(s) { push((v, s)) } }
        var previous: UInt64?
        while !heap.isEmpty {
            let (v, s) = pop()
            if v == previous { return false }
            previous = v
            if let more = try next(s) { push((more, s)) }
        }
        return true
    }

    private func spill() throws {
        if file == nil {
            guard let f = TemporaryFile.open(prefix: "ecsh-ids") else {
                throw StoreError("cannot make a temporary file for the id check in \(TemporaryFile.folder): \(String(cString: strerror(errno))); set TMPDIR to use another folder")
            }
            file = f
        }
        let n = run.withUnsafeBytes { fwrite($0.baseAddress, 8, run.count, file) }
        guard n == run.count else { throw StoreError("cannot write the id check's temporary file: \(String(cString: strerror(errno)))") }
        spilled.append((written, run.count))
        written += run.count * 8
        run.removeAll(keepingCapacity: true)
    }

    /// An id's hash for `add`, with its kind (0 integer, 1 real, 2 text); nil for NULL, which
    /// repeats freely (as in a UNIQUE index). Not seeded and not built to resist crafted input: a
    /// collision only sends the load the exact way, and this runs once per row of every load.
    @inline(__always)
    static func hash(_ cell: Cell, text: UnsafeMutablePointer<UInt8>) -> (kind: UInt8, hash: UInt64)? {
        switch cell {
        case .null: return nil
        case .integer(let v): return (0, mix(UInt64(bitPattern: v)))
        // Equal reals hash equally: -0.0 as 0.0, every NaN as one (a UNIQUE constraint takes them as equal).
        case .real(let d): return (1, mix(d == 0 ? 0 : d.isNaN ? Double.nan.bitPattern : d.bitPattern))
        case .text(let start, let count): return (2, mix(TextNumbering.hash(UnsafeRawBufferPointer(start: text + start, count: count))))
        }
    }

    /// SplitMix64's finalizer: spreads FNV-1a's low-entropy high bits over the whole word.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Sorts hashes by their bytes, least significant first (four passes of 16 bits): a few times
    /// faster than the standard library's comparison sort for a run of a million.
    static func radixSort(_ a: inout [UInt64]) {
        guard a.count > 1 else { return }
        var scratch = [UInt64](repeating: 0, count: a.count)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for pass in 0..<4 {
            let shift = UInt64(pass * 16)
            a.withUnsafeBufferPointer { from in
                scratch.withUnsafeMutableBufferPointer { to in
                    counts.withUnsafeMutableBufferPointer { c in
                        for i in c.indices { c[i] = 0 }
                        for v in from { c[Int((v >> shift) & 0xFFFF)] += 1 }
                        var total = 0
                        for i in c.indices { let n = c[i]; c[i] = total; total += n }
                        for v in from {
                            let d = Int((v >> shift) & 0xFFFF)
                            to[c[d]] = v
                            c[d] += 1
                        }
                    }
                }
            }
            swap(&a, &scratch)
        }
    }

    static func hasNeighbours(_ sorted: [UInt64]) -> Bool {
        var i = 1
        while i < sorted.count {
            if sorted[i] == sorted[i - 1] { return true }
            i += 1
        }
        return false
    }

    /// One spilled run, read back in blocks of 8,192 hashes.
    struct RunReader {
        let fd: Int32
        var offset: Int
        var left: Int
        var block: [UInt64] = []
        var index = 0

        init(fd: Int32, offset: Int, count: Int) throws {
            self.fd = fd
            self.offset = offset
            left = count
        }

        mutating func next() throws -> UInt64? {
            if index == block.count {
                guard left > 0 else { return nil }
                let n = min(left, 8192)
                block = Array(repeating: 0, count: n)
                let got = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, n * 8, off_t(offset)) }
                guard got == n * 8 else { throw StoreError("cannot read the id check's temporary file: \(String(cString: strerror(errno)))") }
                offset += n * 8
                left -= n
                index = 0
            }
            defer { index += 1 }
            return block[index]
        }
    }
}
