import CSQLite
import Glibc

/// Asks the operating system to read into its cache, ahead of time, the pages of the tables a load is about
/// to drop, while the load is still busy parsing and inserting its rows.
///
/// A load that replaces a table drops the old one when its transaction adopts the new rows (`StagedRows.adopt`),
/// and its derived-data step drops the old facts and snapshot. SQLite's DROP reads every page of the table it
/// frees (it checks each cell for overflow pages). Those pages were written by the last load and not read since:
/// by then the operating system had often let them go from its cache, so the DROP read them from the disk one
/// 64 KiB page at a time, with both cores idle. Measured on a 10M-order workspace replaced by the same file: the
/// adoption waited 4.3 s (0.8 s of CPU) and the old facts' drop 1.0 s (0.3 s of CPU); with the file in the cache,
/// 0.3 s and 0.2 s (BENCHMARKS.md, "Old pages read ahead while a load replaces a table").
///
/// Finding the pages reads the interior pages of each b-tree (a few for a table of gigabytes: at 64 KiB a page
/// lists thousands of children, and every leaf of a b-tree is at the same depth, so one leaf says the rest of its
/// level are leaves too), and the leaves of small tables only, for their overflow pages (the snapshot's blobs). The
/// pages are then asked for by `posix_fadvise(POSIX_FADV_WILLNEED)`, which reads them in the kernel, in large
/// requests, without copying them to this process. All of it on a thread of its own. A hint only: a page that is
/// not where the file's bytes said (the log held a newer copy of an interior page, an overflow chain did not follow
/// itself), or a page the cache lets go again, changes the DROP's speed, never its result.
///
/// The file is read through SQLite's own descriptor (`descriptor(of:)`), never one opened here: closing any
/// descriptor of a file drops every POSIX lock this process holds on it, SQLite's included.
final class PagePrefetch: Sendable {
    /// Bytes per `posix_fadvise` request: Linux reads ahead at most a few megabytes per call (one call for a
    /// whole 1.1 GB file read 8 MB of it).
    static let requestBytes = 2 << 20

    private let job: BackgroundJob<[Range<Int>]>

    /// What to read ahead, found on the caller's thread by SQL alone: the b-trees' root pages, name by name.
    struct Plan: Sendable {
        let descriptor: Int32
        let pageSize: Int
        /// The file's pages when planned: the old tables' pages are among them (a load's new pages come after).
        let pageCount: Int
        let roots: [[Int]]

        /// The byte ranges of the b-trees' pages: each name's in turn (the order the load drops them in), pages that
        /// follow each other merged, a page only once. Reads interior pages (and the leaves of small tables).
        func ranges() -> [Range<Int>] {
            let pages = BTreePages(descriptor: descriptor, pageSize: pageSize, pageCount: pageCount)
            var seen = Set<Int>()
            return roots.flatMap { roots in
                PagePrefetch.merged(roots.flatMap { pages.all(root: $0) }.filter { seen.insert($0).inserted }, pageSize: pageSize)
            }
        }
    }

    /// Starts, on a thread of its own, finding the pages of `plan` and asking for them, the first `budget` bytes.
    init(_ plan: Plan, budget: Int?) {
        job = BackgroundJob(name: "ecsh-page-prefetch", stackSize: 512 << 10) {
            let found = plan.ranges()
            let ranges = budget.map { PagePrefetch.limited(found, to: $0) } ?? found
            for range in ranges {
                var offset = range.lowerBound
                while offset < range.upperBound {
                    let length = min(Self.requestBytes, range.upperBound - offset)
                    _ = posix_fadvise(plan.descriptor, off_t(offset), off_t(length), POSIX_FADV_WILLNEED)
                    offset += length
                }
            }
            return ranges
        }
    }

    /// Waits until every request has been made (not until the pages are read); the byte ranges asked for.
    func wait() -> [Range<Int>] { job.value() }

    /// The plan for the b-trees (tables and indexes of `database`'s main schema) named in `names` or belonging to
    /// a table named there, in that order; nil when the file cannot be read this way.
    static func plan(of names: [String], in database: Database) -> Plan? {
        guard !names.isEmpty, let fd = descriptor(of: database),
              let pageSize = try? database.scalar("PRAGMA main.page_size").intValue.map(Int.init), pageSize >= 512 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        var roots: [[Int]] = []
        for name in names {
            guard let found = try? database.query(
                "SELECT rootpage FROM main.sqlite_schema WHERE (name = ? OR tbl_name = ?) AND type IN ('table', 'index') AND rootpage > 0",
                [.text(name), .text(name)]).rows.compactMap({ $0[0].intValue.map(Int.init) }) else { return nil }
            roots.append(found)
        }
        guard roots.contains(where: { !$0.isEmpty }) else { return nil }
        return Plan(descriptor: fd, pageSize: pageSize, pageCount: Int(info.st_size) / pageSize, roots: roots)
    }

    /// `plan(of:in:)`'s ranges, found on the caller's thread (tests).
    static func ranges(of names: [String], in database: Database) -> [Range<Int>] {
        plan(of: names, in: database)?.ranges() ?? []
    }

    /// The first `budget` bytes of `ranges`, in their order (the last range kept cut short).
    static func limited(_ ranges: [Range<Int>], to budget: Int) -> [Range<Int>] {
        var left = max(0, budget)
        var kept: [Range<Int>] = []
        for range in ranges where left > 0 {
            let length = min(range.count, left)
            kept.append(range.lowerBound..<(range.lowerBound + length))
            left -= length
        }
        return kept
    }

    /// How much to ask for at most: half the memory the kernel says is available without swapping
    /// (`MemAvailable`). Pages asked for beyond what the cache can keep would be let go again before the DROP
    /// reads them, and would push out what the load itself reads back. Nil when it cannot be read (no limit).
    static func memoryBudget(meminfo: String? = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) -> Int? {
        guard let line = meminfo?.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
              let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        return kib * 1024 / 2
    }

    /// Page numbers (from 1) as byte ranges of the file, consecutive pages merged into one range.
    static func merged(_ pages: [Int], pageSize: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for page in Set(pages).sorted() {
            let start = (page - 1) * pageSize
            if let last = ranges.last, last.upperBound == start {
                ranges[ranges.count - 1] = last.lowerBound..<(start + pageSize)
            } else {
                ranges.append(start..<(start + pageSize))
            }
        }
        return ranges
    }

    /// SQLite's own descriptor of `database`'s main file (its Unix VFS's `unixFile.h`, checked to be a descriptor
    /// of the workspace file itself); nil for memory, another VFS, or any doubt.
    static func descriptor(of database: Database) -> Int32? {
        guard let path = database.path, let handle = database.handle else { return nil }
        var file: UnsafeMutablePointer<sqlite3_file>?
        guard sqlite3_file_control(handle, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK, let file,
              file.pointee.pMethods != nil else { return nil }
        // struct unixFile { const sqlite3_io_methods *pMethod; sqlite3_vfs *pVfs; unixInodeInfo *pInode; int h; … }
        let raw = UnsafeRawPointer(file)
        guard let vfs = raw.load(fromByteOffset: MemoryLayout<UnsafeRawPointer>.stride, as: UnsafePointer<sqlite3_vfs>?.self),
              let name = vfs.pointee.zName, String(cString: name).hasPrefix("unix") else { return nil }
        let fd = raw.load(fromByteOffset: 3 * MemoryLayout<UnsafeRawPointer>.stride, as: Int32.self)
        var opened = stat(), named = stat()
        guard fd >= 0, fstat(fd, &opened) == 0, stat(path, &named) == 0,
              opened.st_dev == named.st_dev, opened.st_ino == named.st_ino else { return nil }
        return fd
    }
}

/// The pages of SQLite b-trees in a database file, found from their interior pages (the file format's
/// "B-tree pages": a page header at byte 0, at byte 100 on page 1; interior pages 0x02 (index) and 0x05
/// (table) list a 4-byte child page number at the start of every cell and a right-most child in their header).
struct BTreePages {
    let descriptor: Int32
    let pageSize: Int
    let pageCount: Int
    /// The leaves of a table read for their cells' overflow pages, at most: the snapshot's entries (a few hundred
    /// leaves, 330 MB of blobs in overflow pages at 10M orders), not the rows of a dataset (thousands of leaves,
    /// rows that fit in their page).
    var overflowLeaves = 512
    /// Bytes of a page SQLite uses (the page size less the reserved bytes the file's header gives at byte 20).
    let usableSize: Int

    init(descriptor: Int32, pageSize: Int, pageCount: Int) {
        self.descriptor = descriptor
        self.pageSize = pageSize
        self.pageCount = pageCount
        var reserved: UInt8 = 0
        usableSize = pread(descriptor, &reserved, 1, 20) == 1 ? pageSize - Int(reserved) : pageSize
    }

    /// Every page of the b-tree whose root is page `root`: its interior pages, its leaves, and for a table of at
    /// most `overflowLeaves` leaves the overflow pages of its long cells (`overflowGuesses`). Stops at anything
    /// that is not a b-tree page as expected.
    func all(root: Int) -> [Int] {
        guard (1...pageCount).contains(root) else { return [] }
        var found: [Int] = []
        var level = [root]
        var buffer = [UInt8](repeating: 0, count: pageSize)
        // A b-tree of 64 KiB pages is never deeper than a handful of levels; the bound only stops a loop in a damaged file.
        for _ in 0..<24 where !level.isEmpty {
            guard let kind = read(level[0], into: &buffer) else { return found }
            guard isInterior(kind) else {
                // Every leaf of a b-tree is at the same depth: this level is all leaves.
                guard isLeaf(kind) else { return found }
                var overflow: [Int] = []
                if kind == 0x0D, level.count <= overflowLeaves {
                    for page in level where read(page, into: &buffer) == 0x0D { overflow += overflowGuesses(of: page, in: buffer) }
                }
                return found + level + overflow
            }
            found += level
            var next: [Int] = []
            for page in level {
                guard let kind = read(page, into: &buffer), isInterior(kind) else { continue }
                next += children(of: page, in: buffer)
            }
            level = next
        }
        return found
    }

    private func isInterior(_ kind: UInt8) -> Bool { kind == 0x02 || kind == 0x05 }
    private func isLeaf(_ kind: UInt8) -> Bool { kind == 0x0A || kind == 0x0D }

    /// Reads page `page` into `buffer`; its page type byte, or nil when it cannot be read whole.
    private func read(_ page: Int, into buffer: inout [UInt8]) -> UInt8? {
        guard (1...pageCount).contains(page) else { return nil }
        let size = pageSize
        let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, size, off_t((page - 1) * size)) }
        guard got == size else { return nil }
        return buffer[page == 1 ? 100 : 0]
    }

    /// The overflow pages of a table leaf's cells, guessed: each chain's first page (at the end of the cell's part in
    /// the page) and the pages after it, as many as the rest of the payload needs. SQLite takes a chain's pages one
    /// after another from the end of the file or from free pages near it, so a chain written in one go (the snapshot's
    /// blobs, written by the load) follows itself; a guess that is wrong reads pages for nothing.
    private func overflowGuesses(of page: Int, in bytes: [UInt8]) -> [Int] {
        // The file format's bounds on a table leaf cell's part kept in the page (sqlite.org/fileformat2.html).
        let u = usableSize
        let most = u - 35, least = (u - 12) * 32 / 255 - 23
        guard u > 35, least > 0 else { return [] }
        var result: [Int] = []
        for cell in cells(of: page, in: bytes, headerBytes: 8) {
            guard let (payload, n) = Self.varint(bytes, cell) else { continue }
            var at = cell + n
            guard let (_, m) = Self.varint(bytes, at) else { continue }
            at += m
            guard payload > most, payload <= pageCount * u else { continue }
            let k = least + (payload - least) % (u - 4)
            let local = k <= most ? k : least
            guard at + local + 4 <= bytes.count else { continue }
            let first = Self.u32(bytes, at + local)
            let count = (payload - local + u - 5) / (u - 4)
            guard (1...pageCount).contains(first), count > 0 else { continue }
            result += first..<min(first + count, pageCount + 1)
        }
        return result
    }

    /// An SQLite varint at `at`: its value and its length in bytes (1 to 9); nil past the end.
    static func varint(_ bytes: [UInt8], _ at: Int) -> (Int, Int)? {
        var value: UInt64 = 0
        for k in 0..<9 {
            guard at + k < bytes.count else { return nil }
            let byte = bytes[at + k]
            if k == 8 { return (Int(truncatingIfNeeded: value << 8 | UInt64(byte)), 9) }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 { return (Int(truncatingIfNeeded: value), k + 1) }
        }
        return nil
    }

    /// The child page numbers an interior page lists (each cell's first four bytes, then the right-most child in
    /// the header), each checked to lie in the file.
    private func children(of page: Int, in bytes: [UInt8]) -> [Int] {
        let offsets = cells(of: page, in: bytes, headerBytes: 12)
        let header = page == 1 ? 100 : 0
        guard header + 12 <= bytes.count else { return [] }
        return (offsets.filter { $0 + 4 <= bytes.count }.map { Self.u32(bytes, $0) } + [Self.u32(bytes, header + 8)])
            .filter { (1...pageCount).contains($0) }
    }

    /// Where a page's cells start (its cell pointer array, after a page header of `headerBytes`: 12 on interior
    /// pages, 8 on leaves), each inside the page past that array; none when the array itself does not fit.
    private func cells(of page: Int, in bytes: [UInt8], headerBytes: Int) -> [Int] {
        let header = page == 1 ? 100 : 0
        guard header + headerBytes <= bytes.count else { return [] }
        let count = Self.u16(bytes, header + 3), array = header + headerBytes
        guard array + 2 * count <= bytes.count else { return [] }
        return (0..<count).map { Self.u16(bytes, array + 2 * $0) }.filter { $0 >= array + 2 * count && $0 < bytes.count }
    }

    private static func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
    private static func u32(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
    }
}
