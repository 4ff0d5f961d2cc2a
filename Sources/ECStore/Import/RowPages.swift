import CSQLite
import Glibc

/// Some of a load's rows written in SQLite's own file format, as a database file of one table, for the load's
/// connection to attach and copy with `INSERT INTO <table> SELECT * FROM <schema>.t`.
///
/// Why: binding a row's values and SQLite's making a record of them cost the inserting thread about 0.7 µs a
/// row, most of a load's critical path (measured with the insert left out: a 1M-order load 2.1 → 1.4 s). When
/// two tables have the same columns, SQLite copies records from one to the other as they are (its "transfer
/// optimization", the copy a `VACUUM INTO` makes), so records written here in the file format go in at the
/// cost of a page copy. The format is SQLite's documented one (https://sqlite.org/fileformat2.html): a
/// 100-byte header, the schema table on page 1, the table's B-tree from page 2 (its root), leaves filled in
/// order with interior pages over them, long records' tails in overflow pages.
///
/// A record is written as SQLite would store the same values bound to the same columns, or not at all:
/// `add` says when a value would be converted by the column's affinity in a way it does not copy (a number
/// into a text column, text into a number column), and the load then binds the rest of its rows. Each file
/// is written once, complete, before it is attached (inside the load's transaction, where SQLite allows
/// ATTACH but not DETACH), so SQLite never holds a page of it from before; `PagedRows` makes one per copy.
/// In `$TMPDIR`, unlinked once attached.
final class RowPages {
    /// The column affinities SQLite gives the load's table (`FieldKind.sqlType`).
    enum Affinity { case integer, real, text }

    /// Bytes per page: 65536, SQLite's largest (fewest pages); tests make deep trees with small ones.
    let pageSize: Int
    private let fd: Int32
    /// The folder the file is in (`$TMPDIR`'s, or a test's), for errors.
    private let folder: String
    private let room: ScratchRoom
    /// Bytes written since the folder's free space was last looked at.
    private var writtenSinceLook = 0
    /// Whether the folder had less than `room.reserve` free when last looked at: no more rows are taken.
    private(set) var outOfRoom = false
    private let affinities: [Affinity]
    private let createSQL: String
    /// The largest record SQLite would take (`SQLITE_LIMIT_LENGTH`): longer ones are left to the bound insert and its error.
    private let maxRecord: Int
    private let page: UnsafeMutablePointer<UInt8>
    /// Each column's affinity, as `affinities` (read once per value: a pointer, no array checks).
    private let kinds: UnsafeMutablePointer<Affinity>
    /// The record being made: its header's varints in `head`, its body in `buffer` from `headRoom` on, the header
    /// then copied in front of the body; the record is `buffer.bytes[recordStart ..< recordStart + payload]`.
    private let head: UnsafeMutablePointer<UInt8>
    private let headRoom: Int
    private var buffer = TextArena()
    private var recordStart = 0
    /// The leaf being filled: its cell count and where its cell content starts.
    private var cells = 0
    private var contentStart = 0
    private var lastKey: Int64 = 0
    /// Leaves written, with their largest key.
    private var leaves: [(page: UInt32, key: Int64)] = []
    private var nextPage: UInt32 = 3
    /// Rows written.
    private(set) var rows = 0
    /// Columns of a record.
    var columns: Int { affinities.count }

    /// `columns`: the table's declared types, in order; `maxRecord`: the connection's length limit.
    convenience init(columns: [FieldKind], tableColumns definitions: String, maxRecord: Int, pageSize: Int = 65536) throws {
        try self.init(affinities: columns.map { kind in
            switch kind.sqlType { case "INTEGER": .integer; case "REAL": .real; default: .text }
        }, tableColumns: definitions, maxRecord: maxRecord, pageSize: pageSize)
    }

    /// `affinities`: the columns' of `definitions` (the table's column declarations, as SQLite's copy compares them).
    /// `folder`: where the file is made (a test passes one that cannot take files); `room`: what it leaves free there.
    init(affinities: [Affinity], tableColumns definitions: String, maxRecord: Int, pageSize: Int = 65536,
         folder: String = TemporaryFile.folder, room: ScratchRoom = .standard) throws {
        precondition(pageSize >= 512 && pageSize <= 65536 && pageSize & (pageSize - 1) == 0)
        self.pageSize = pageSize
        self.folder = folder
        self.room = room
        self.affinities = affinities
        createSQL = "CREATE TABLE t (\(definitions))"
        self.maxRecord = maxRecord
        kinds = .allocate(capacity: max(1, affinities.count))
        kinds.initialize(from: affinities, count: affinities.count)
        // A serial type's varint takes at most 9 bytes, as does the header's length.
        headRoom = 9 * affinities.count + 9
        head = .allocate(capacity: headRoom)
        page = .allocate(capacity: pageSize)
        var template = Array("\(folder)/\(Self.prefix)\(getpid())-XXXXXX".utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guard fd >= 0 else {
            // Every property is set, so `deinit` runs when this throws and frees the buffers: they are not freed
            // here too (that was a double free that aborted the process when TMPDIR could not take a file).
            let reason = String(cString: strerror(errno))
            unlinked = true
            throw StoreError("cannot make a temporary file for rows to copy into the workspace in \(folder): \(reason)")
        }
        startLeaf()
        lookAtRoom()
    }

    /// The file's path until `attach` unlinks it.
    let path: String
    private var unlinked = false
    /// The start of the files' names; the process's id follows, so that a later load can remove the files of one killed
    /// before it attached them (`removeAbandoned`).
    static let prefix = "ecsh-rows-"

    deinit {
        page.deallocate()
        kinds.deallocate()
        head.deallocate()
        buffer.bytes.deallocate()
        if fd >= 0 { close(fd) }
        // Never attached (the load failed or was stopped first): nothing left behind either.
        if !unlinked { unlink(path) }
    }

    /// Files `database` may still attach for pages: none for a PostgreSQL workspace or one in UTF-16 (it cannot
    /// attach a UTF-8 file), else SQLite's limit on attached files less those attached now.
    static func attachableFiles(_ database: Database) -> Int {
        guard database.postgres == nil, (try? database.scalar("PRAGMA encoding").textValue) == "UTF-8",
              let listed = try? database.query("PRAGMA database_list").rows.count else { return 0 }
        return max(0, Int(sqlite3_limit(database.handle, SQLITE_LIMIT_ATTACHED, -1)) - (listed - 2))
    }

    /// Removes the files of processes that no longer run (killed between writing a file and attaching it) from
    /// `folder`; another running process's are left alone.
    static func removeAbandoned(in folder: String = TemporaryFile.folder) {
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            // The name read where it is, up to its NUL: a dirent is only as long as its name, so copying the whole
            // 256-byte `d_name` read past the last entry of readdir's buffer, and crashed (SIGSEGV in memcpy, a CI
            // run of the forty-fourth session, with many `TemporaryDirectory.*` entries in /tmp) when that was the
            // end of a mapping.
            let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
            let name = String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
            guard name.hasPrefix(prefix), let pid = name.dropFirst(prefix.count).split(separator: "-").first.flatMap({ pid_t($0) }),
                  pid != getpid(), !Database.processRuns(pid) else { continue }
            unlink(folder + "/" + name)
        }
    }

    /// Attaches the finished file to `database` as `schema` and unlinks it: SQLite keeps it open, and nothing is
    /// left behind however the process ends.
    func attach(to database: Database, as schema: String) throws {
        defer { unlink(path); unlinked = true }
        try database.execute("ATTACH DATABASE ? AS \(schema)", [.text(path)])
    }

    // MARK: Rows

    /// What `add` did with a row.
    enum Added { case added, notCopied, outOfRoom }

    /// Adds a row of `batch` as the next record, keyed `key` (keys must rise). `.notCopied`: a value the column's
    /// affinity would convert (SQLite's copy would keep it as written), or a record longer than SQLite takes;
    /// `.outOfRoom`: the folder has less free than `ScratchRoom.reserve` (then every later row too).
    func add(_ batch: RowBatch, row r: Int, key: Int64) throws -> Added {
        try add(batch.cells + r * batch.width, text: batch.text.pointee.bytes, key: key)
    }

    /// Adds the row of cells at `base` (one per column; their text in `text`) as the next record, keyed `key`.
    ///
    /// One pass over the values: each one's serial type goes to the header, its bytes to the body, as it comes.
    func add(_ base: UnsafePointer<Cell>, text: UnsafePointer<UInt8>, key: Int64) throws -> Added {
        if outOfRoom { return .outOfRoom }
        let columns = affinities.count, head = self.head, kinds = self.kinds
        var out = buffer.bytes, capacity = buffer.capacity
        var b = headRoom
        var h = 0
        /// Room for `n` more body bytes.
        @inline(__always) func reserve(_ n: Int) {
            guard b + n > capacity else { return }
            buffer.count = b
            buffer.reserve(n)
            out = buffer.bytes
            capacity = buffer.capacity
        }
        @inline(__always) func integer(_ v: Int64) {
            let serial = Self.integerSerial(v)
            head[h] = UInt8(serial)
            h += 1
            let n = Self.serialLength(serial)
            Self.putBigEndian(UInt64(bitPattern: v), bytes: n, out + b)
            b += n
        }
        @inline(__always) func double(_ d: Double) {
            head[h] = 7
            h += 1
            Self.putBigEndian(d.bitPattern, bytes: 8, out + b)
            b += 8
        }
        for k in 0..<columns {
            reserve(8)
            switch (base[k], kinds[k]) {
            case (.null, _):
                head[h] = 0
                h += 1
            case (.integer(let v), .integer):
                integer(v)
            case (.integer(let v), .real):
                // REAL affinity keeps an integer of up to 6 bytes as one, a longer one as a double.
                if Self.fitsSixBytes(v) { integer(v) } else { double(Double(v)) }
            case (.real(let d), .integer), (.real(let d), .real):
                if d.isNaN {
                    // Bound, a NaN is NULL.
                    head[h] = 0
                    h += 1
                } else if let v = Self.exactInteger(d), kinds[k] == .integer || Self.fitsSixBytes(v) {
                    integer(v)
                } else {
                    double(d)
                }
            case (.text(let start, let n), .text):
                h += Self.putVarint(13 + 2 * UInt64(n), head + h)
                reserve(n)
                if n > 0 { (out + b).update(from: text + start, count: n) }
                b += n
            default:
                return .notCopied
            }
        }
        // The header's length counts its own varint.
        var headerLength = h + 1
        if Self.varintLength(UInt64(headerLength)) > 1 { headerLength = h + Self.varintLength(UInt64(h + 2)) }
        let payload = headerLength + b - headRoom
        guard payload <= maxRecord else { return .notCopied }
        let start = headRoom - headerLength
        let n = Self.putVarint(UInt64(headerLength), out + start)
        (out + start + n).update(from: head, count: h)
        recordStart = start
        try addCell(payload: payload, key: key)
        rows += 1
        return .added
    }

    /// The cell of the record now in `buffer` on the leaf, the leaf written out first if the cell does not fit.
    private func addCell(payload: Int, key: Int64) throws {
        let local = localPayload(payload)
        let cellBytes = Self.varintLength(UInt64(payload)) + Self.varintLength(UInt64(bitPattern: key)) + local
            + (local < payload ? 4 : 0)
        if 8 + 2 * (cells + 1) + cellBytes > contentStart { try writeLeaf() }
        var overflow: UInt32 = 0
        if local < payload { overflow = try writeOverflow(from: local, payload: payload) }
        contentStart -= cellBytes
        var p = page + contentStart
        p += Self.putVarint(UInt64(payload), p)
        p += Self.putVarint(UInt64(bitPattern: key), p)
        p.update(from: buffer.bytes + recordStart, count: local)
        if local < payload { Self.putBigEndian(UInt64(overflow), bytes: 4, p + local) }
        Self.putBigEndian(UInt64(contentStart), bytes: 2, page + 8 + 2 * cells)
        cells += 1
        lastKey = key
    }

    /// Writes the record's bytes past `local` into a chain of overflow pages; returns the first.
    private func writeOverflow(from local: Int, payload: Int) throws -> UInt32 {
        let first = nextPage
        let room = pageSize - 4
        let chain = (payload - local + room - 1) / room
        nextPage += UInt32(chain)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: pageSize)
        defer { buffer.deallocate() }
        var offset = local
        for i in 0..<chain {
            buffer.initialize(repeating: 0, count: pageSize)
            let n = min(room, payload - offset)
            Self.putBigEndian(UInt64(i == chain - 1 ? 0 : first + UInt32(i) + 1), bytes: 4, buffer)
            (buffer + 4).update(from: self.buffer.bytes + recordStart + offset, count: n)
            offset += n
            try write(buffer, at: first + UInt32(i))
        }
        return first
    }

    private func startLeaf() {
        page.initialize(repeating: 0, count: pageSize)
        cells = 0
        contentStart = pageSize
    }

    /// The leaf as it is, written at the next page.
    private func writeLeaf() throws {
        guard cells > 0 else { return }
        sealLeaf()
        try write(page, at: nextPage)
        leaves.append((nextPage, lastKey))
        nextPage += 1
        startLeaf()
    }

    /// The leaf's header: a table leaf, its cell count and where its content starts (0 for 65536).
    private func sealLeaf() {
        page[0] = 0x0D
        Self.putBigEndian(UInt64(cells), bytes: 2, page + 3)
        Self.putBigEndian(UInt64(contentStart == 65536 ? 0 : contentStart), bytes: 2, page + 5)
    }

    // MARK: The file

    /// Completes the file: interior pages over the leaves, the root on page 2, the header and schema on page 1.
    /// Returns the rows it holds.
    @discardableResult
    func finish() throws -> Int {
        if leaves.isEmpty {
            // One leaf (or none): it is the root.
            sealLeaf()
            try write(page, at: 2)
        } else {
            try writeLeaf()
            var level = leaves
            while true {
                let groups = interiorGroups(level)
                if groups.count == 1 {
                    try writeInterior(groups[0], at: 2)
                    break
                }
                var above: [(page: UInt32, key: Int64)] = []
                for group in groups {
                    try writeInterior(group, at: nextPage)
                    above.append((nextPage, group.last!.key))
                    nextPage += 1
                }
                level = above
            }
        }
        let pages = max(2, nextPage - 1)
        try writeSchemaPage(pages: pages)
        guard ftruncate(fd, off_t(Int(pages) * pageSize)) == 0 else { throw failure("cut") }
        return rows
    }

    /// Children grouped into interior pages: each page's last child is its right-most pointer, the others cells of
    /// a 4-byte page number and a key.
    func interiorGroups(_ children: [(page: UInt32, key: Int64)]) -> [ArraySlice<(page: UInt32, key: Int64)>] {
        var groups: [ArraySlice<(page: UInt32, key: Int64)>] = []
        var start = 0
        var used = 12
        for i in children.indices where i > start {
            // Child i joins the page: the child before it becomes a cell.
            let cell = 4 + Self.varintLength(UInt64(bitPattern: children[i - 1].key)) + 2
            if used + cell > pageSize {
                groups.append(children[start..<i])
                start = i
                used = 12
            } else {
                used += cell
            }
        }
        groups.append(children[start...])
        return groups
    }

    private func writeInterior(_ children: ArraySlice<(page: UInt32, key: Int64)>, at number: UInt32) throws {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: pageSize)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: pageSize)
        buffer[0] = 0x05
        var start = pageSize
        for (n, child) in children.dropLast().enumerated() {
            let size = 4 + Self.varintLength(UInt64(bitPattern: child.key))
            start -= size
            Self.putBigEndian(UInt64(child.page), bytes: 4, buffer + start)
            _ = Self.putVarint(UInt64(bitPattern: child.key), buffer + start + 4)
            Self.putBigEndian(UInt64(start), bytes: 2, buffer + 12 + 2 * n)
        }
        Self.putBigEndian(UInt64(children.count - 1), bytes: 2, buffer + 3)
        Self.putBigEndian(UInt64(start == 65536 ? 0 : start), bytes: 2, buffer + 5)
        Self.putBigEndian(UInt64(children.last!.page), bytes: 4, buffer + 8)
        try write(buffer, at: number)
    }

    /// Page 1: the file header and the schema table (a leaf of one row: the table `t`, root page 2).
    private func writeSchemaPage(pages: UInt32) throws {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: pageSize)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: pageSize)
        for (i, c) in "SQLite format 3".utf8.enumerated() { buffer[i] = c }
        Self.putBigEndian(UInt64(pageSize == 65536 ? 1 : pageSize), bytes: 2, buffer + 16)
        buffer[18] = 1; buffer[19] = 1               // rollback journal
        buffer[21] = 64; buffer[22] = 32; buffer[23] = 32
        Self.putBigEndian(1, bytes: 4, buffer + 24)   // change counter
        Self.putBigEndian(UInt64(pages), bytes: 4, buffer + 28)
        Self.putBigEndian(1, bytes: 4, buffer + 40)  // schema cookie
        Self.putBigEndian(4, bytes: 4, buffer + 44)  // schema format
        Self.putBigEndian(1, bytes: 4, buffer + 56)  // UTF-8
        Self.putBigEndian(1, bytes: 4, buffer + 92)   // the counter the size is valid for
        Self.putBigEndian(UInt64(SQLITE_VERSION_NUMBER), bytes: 4, buffer + 96)
        // The schema row: type, name, tbl_name, rootpage, sql.
        let texts = ["table", "t", "t"].map { Array($0.utf8) }
        let sql = Array(createSQL.utf8)
        var header: [UInt8] = []
        var body: [UInt8] = []
        func varint(_ v: UInt64) {
            var scratch = [UInt8](repeating: 0, count: 9)
            let n = scratch.withUnsafeMutableBufferPointer { Self.putVarint(v, $0.baseAddress!) }
            header += scratch[0..<n]
        }
        for t in texts { varint(13 + 2 * UInt64(t.count)); body += t }
        varint(1); body.append(2)
        varint(13 + 2 * UInt64(sql.count)); body += sql
        let headerLength = header.count + 1
        let schemaRecord = [UInt8(headerLength)] + header + body
        guard headerLength < 128, schemaRecord.count <= localPayload(schemaRecord.count),
              schemaRecord.count + 16 < pageSize - 108 else {
            throw StoreError("the load's table has too many columns to be copied by pages")
        }
        var cell: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 9)
        let n = scratch.withUnsafeMutableBufferPointer { Self.putVarint(UInt64(schemaRecord.count), $0.baseAddress!) }
        cell += scratch[0..<n]
        cell.append(1)  // rowid 1
        cell += schemaRecord
        let start = pageSize - cell.count
        cell.withUnsafeBufferPointer { (buffer + start).update(from: $0.baseAddress!, count: cell.count) }
        buffer[100] = 0x0D
        Self.putBigEndian(1, bytes: 2, buffer + 103)
        Self.putBigEndian(UInt64(start), bytes: 2, buffer + 105)
        Self.putBigEndian(UInt64(start), bytes: 2, buffer + 108)
        try write(buffer, at: 1)
    }

    private func write(_ bytes: UnsafeMutablePointer<UInt8>, at number: UInt32) throws {
        var done = 0
        let offset = (Int(number) - 1) * pageSize
        while done < pageSize {
            let n = pwrite(fd, bytes + done, pageSize - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw failure("write") }
            done += n
        }
        writtenSinceLook += pageSize
        if writtenSinceLook >= room.checkEvery { lookAtRoom() }
    }

    private func lookAtRoom() {
        writtenSinceLook = 0
        if let free = room.free(folder), free < room.reserve { outOfRoom = true }
    }

    private func failure(_ what: String) -> StoreError {
        StoreError("cannot \(what) the temporary file of rows to copy into the workspace in \(folder): \(String(cString: strerror(errno))) (set TMPDIR to use another folder)")
    }

    // MARK: The format's pieces

    /// Bytes of a table leaf cell's payload kept in the page (the rest overflows): the file format's rule for
    /// a usable size of 65536.
    func localPayload(_ payload: Int) -> Int {
        let usable = pageSize
        let maxLocal = usable - 35
        if payload <= maxLocal { return payload }
        let minLocal = (usable - 12) * 32 / 255 - 23
        let k = minLocal + (payload - minLocal) % (usable - 4)
        return k <= maxLocal ? k : minLocal
    }

    /// The smallest integer serial type for `v`, as SQLite picks it: 8 and 9 for 0 and 1 (no bytes), then 1–6
    /// (1, 2, 3, 4, 6, 8 bytes).
    @inline(__always) static func integerSerial(_ v: Int64) -> UInt64 {
        if v == 0 || v == 1 { return 8 + UInt64(v) }
        let u = v < 0 ? ~v : v
        if u <= 127 { return 1 }
        if u <= 32767 { return 2 }
        if u <= 8_388_607 { return 3 }
        if u <= 2_147_483_647 { return 4 }
        if u <= 140_737_488_355_327 { return 5 }
        return 6
    }

    /// SQLite's REAL affinity keeps an integer value as an integer when it fits in 6 bytes.
    @inline(__always) static func fitsSixBytes(_ v: Int64) -> Bool {
        v >= -140_737_488_355_328 && v <= 140_737_488_355_327
    }

    /// `d` as an integer when SQLite's numeric affinity would make it one (a whole number strictly inside
    /// the 64-bit range), else nil.
    @inline(__always) static func exactInteger(_ d: Double) -> Int64? {
        guard d > -9.2233720368547758e18, d < 9.2233720368547758e18 else { return nil }
        let v = Int64(d)
        return Double(v) == d && v != Int64.min && v != Int64.max ? v : nil
    }

    @inline(__always) static func serialLength(_ serial: UInt64) -> Int {
        switch serial {
        case 0, 8, 9: return 0
        case 1, 2, 3, 4: return Int(serial)
        case 5: return 6
        case 6, 7: return 8
        default: return Int((serial - 12) / 2)
        }
    }

    @inline(__always) static func varintLength(_ v: UInt64) -> Int {
        if v <= 0x7f { return 1 }
        if v <= 0x3fff { return 2 }
        if v >> 56 != 0 { return 9 }
        var n = 1
        var x = v >> 7
        while x != 0 { n += 1; x >>= 7 }
        return n
    }

    /// Writes `v` as SQLite's varint (big-endian groups of 7 bits, the ninth byte whole); returns its length.
    @inline(__always) static func putVarint(_ v: UInt64, _ p: UnsafeMutablePointer<UInt8>) -> Int {
        if v <= 0x7f { p[0] = UInt8(v); return 1 }
        if v >> 56 != 0 {
            p[8] = UInt8(truncatingIfNeeded: v)
            var x = v >> 8
            for i in stride(from: 7, through: 0, by: -1) {
                p[i] = UInt8(truncatingIfNeeded: x & 0x7f) | 0x80
                x >>= 7
            }
            return 9
        }
        let n = varintLength(v)
        var x = v
        for i in stride(from: n - 1, through: 0, by: -1) {
            p[i] = UInt8(truncatingIfNeeded: x & 0x7f) | (i == n - 1 ? 0 : 0x80)
            x >>= 7
        }
        return n
    }

    @inline(__always) static func putBigEndian(_ v: UInt64, bytes: Int, _ p: UnsafeMutablePointer<UInt8>) {
        for i in 0..<bytes { p[i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(bytes - 1 - i))) }
    }
}
