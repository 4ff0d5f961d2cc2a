import ECStore

/// A segment's members among the customers of the facts, evaluated once per build of them.
///
/// A segment's condition is evaluated over every facts row: 0.3–0.4 s at 5M customers (the table is 470 MB
/// at 10M orders, read whole whatever the condition names), for each statement that names the segment
/// (`kpi … for S`, `cohort … for S`, `nps for S`). The members depend only on the facts and the condition,
/// so they are kept beside the snapshot as a bit per customer (630 KB at 5M customers), in the entry
/// `members.<hash>` of `ecsh_snapshot`: the bits after a header that names the build (the stamp, which every
/// build and every rejoin of the facts' columns writes anew, and the snapshot's description) and the
/// condition (its SQL and bound values). An entry whose header differs is never read: evaluated again and
/// replaced. Kept only when the write lock is free at once (`Database.derivedTransaction`), as the
/// customers columns' codes are (`CustomerColumnCodes`).
extension CustomerFacts {
    /// Whether each customer of the facts (keys 0..<customers) meets `predicate`, a condition on the
    /// facts' columns: kept members of this build when there are, else one pass over the facts
    /// (`relation(for:)`), then kept.
    static func members(of predicate: SQLFragment, customers: Int, _ db: Database) throws -> [Bool] {
        let tag = try KeptMembers.tag(db, predicate: predicate, customers: customers)
        if let tag, let kept = try KeptMembers.read(db, tag: tag, customers: customers) { return kept }
        var m = [Bool](repeating: false, count: customers)
        let s = try db.prepare("SELECT customer_key FROM \(try relation(for: predicate.sql, db)) WHERE " + predicate.sql)
        try s.bind(predicate.bindings)
        while try s.step() {
            let k = Int(s.int64(at: 0))
            guard k >= 0, k < customers else { throw MetricsError("customer facts are not numbered 0..<n") }
            m[k] = true
        }
        if let tag {
            // Keeping them only saves the next statement a pass: a failed write (a full disk) leaves the answer as it is.
            do { try KeptMembers.keep(db, tag: tag, members: m) } catch is DatabaseError where !db.interruptFlag.isRaised {}
        }
        return m
    }
}

/// The entries `members.<hash>` of `ecsh_snapshot` (`CustomerFacts.members`): a UInt32 (little-endian) length,
/// the header of that many bytes (`tag`), then a bit per customer key, least significant bit first.
enum KeptMembers {
    static let prefix = "members."
    /// At most this many conditions are kept per build (40 MB at 5M customers): past it, the kept ones are
    /// dropped and keeping starts again, so a script that tries many conditions does not grow the file.
    static let maxKept = 64

    /// The header for `predicate` over the current build: `build` (the stamp and the snapshot's description)
    /// and `condition` (the SQL and its bound values). nil when the derived data is not current (then
    /// nothing is read or kept) or on PostgreSQL (no snapshot).
    static func tag(_ db: Database, predicate: SQLFragment, customers: Int) throws -> (build: [UInt8], condition: [UInt8])? {
        guard db.engine == .sqlite, try OrderSnapshot.isCurrent(db), let stamp = try OrderSnapshot.text(db, "stamp"),
              let meta = try OrderSnapshot.text(db, "meta") else { return nil }
        let build = Array("\(stamp)\n\(meta)\ncustomers=\(customers)\n".utf8)
        let condition = Array("predicate=\(predicate.sql)\n".utf8) + CustomerColumnCodes.encode(predicate.bindings)
        return (build, condition)
    }

    /// The entry's name: a hash of the condition (FNV-1a, 64 bits); the header tells conditions apart.
    static func name(_ condition: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in condition { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return prefix + String(h, radix: 16)
    }

    static func read(_ db: Database, tag: (build: [UInt8], condition: [UInt8]), customers: Int) throws -> [Bool]? {
        let header = tag.build + tag.condition
        var members: [Bool]?
        try db.withCachedStatement("SELECT data FROM \(OrderSnapshot.table) WHERE name = ?") { s in
            s.bind(text: name(tag.condition), at: 1)
            guard try s.step() else { return }
            let bytes = s.bytes(at: 0)
            guard bytes.count >= 4 else { return }
            let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
            guard length == header.count, bytes.count == 4 + length + (customers + 7) / 8,
                  bytes[4..<(4 + length)].elementsEqual(header) else { return }
            let bits = 4 + length
            members = (0..<customers).map { k in bytes[bits + k >> 3] & (1 << UInt8(k & 7)) != 0 }
        }
        return members
    }

    /// Keeps `members` under the tag, and drops kept members of other builds.
    static func keep(_ db: Database, tag: (build: [UInt8], condition: [UInt8]), members: [Bool]) throws {
        let header = tag.build + tag.condition
        var data = [UInt8](repeating: 0, count: 4 + header.count + (members.count + 7) / 8)
        for i in 0..<4 { data[i] = UInt8(truncatingIfNeeded: header.count >> (8 * i)) }
        data.replaceSubrange(4..<(4 + header.count), with: header)
        let bits = 4 + header.count
        for (k, m) in members.enumerated() where m { data[bits + k >> 3] |= 1 << UInt8(k & 7) }
        try db.derivedTransaction { schema in
            // Another process's load holds the lock: evaluate again next time rather than wait.
            guard schema == db.derivedSchema, try db.tableExists(OrderSnapshot.table) else { return }
            let table = "\(schema).\(OrderSnapshot.table)"
            // Members of another build are never read again.
            try db.execute("DELETE FROM \(table) WHERE name LIKE 'members.%' AND substr(data, 5, ?) IS NOT ?",
                           [.integer(Int64(tag.build.count)), .blob(tag.build)])
            if try db.scalar("SELECT count(*) FROM \(table) WHERE name LIKE 'members.%'").intValue ?? 0 >= maxKept {
                try db.execute("DELETE FROM \(table) WHERE name LIKE 'members.%'")
            }
            let put = try db.prepare("INSERT OR REPLACE INTO \(table) (name, data) VALUES (?, ?)")
            try put.bind([.text(name(tag.condition))])
            try data.withUnsafeBytes { try put.bind(bytes: $0, at: 2) }
            try put.step()
        }
    }
}
