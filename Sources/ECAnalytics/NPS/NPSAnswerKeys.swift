import ECStore

/// Each NPS answer's respondent as a customer key of the facts, kept as derived data beside them (SQLite).
///
/// `nps for S` needs, for every answer, whether its respondent is in S. In SQL each answer looks its
/// respondent up by the facts' id index and then reads the facts' row: about 0.5 s at 753k answers, whatever
/// the query's shape (BENCHMARKS.md). The builds that write the facts know every answer's key already, or
/// find it with one join, so they keep it: in `ecsh_snapshot`, as arrays of Int32 by rowid, `chunkSize`
/// rowids per entry (`nps_keys.<chunk>`), listed by the entry `nps_keys`. A statement then evaluates S once
/// per customer (`CustomerFacts.members`) and picks answers by key (`NPSAnswerMembership`).
///
/// Per rowid: the key (≥ 0), `notInFacts` (an id the facts do not hold: a respondent without a counted
/// order, whom a segment's condition sees through `CustomerFacts.respondentCondition`), or `noCustomer`
/// (no customer id, or no answer with that rowid).
///
/// Written in the transaction that writes the stamp, by every build that reads the answers (`write`), and
/// replaced by an NPS load's (`CustomerFacts.rejoinScores`); a customers load changes neither the answers
/// nor the keys. Like the rest of the snapshot it is used only while the stamp is current.
enum NPSAnswerKeys {
    static let chunkBits = 16
    static let chunkSize = 1 << chunkBits
    static let noCustomer: Int32 = -2
    static let notInFacts: Int32 = -1
    static let listEntry = "nps_keys"

    /// The answers' keys as a build collects them, rowid by rowid.
    struct Collector {
        private var chunks: [Int64: [Int32]] = [:]
        private(set) var answers = 0

        /// Records the key of the answer in row `row` (nil: its id is not in the facts).
        mutating func add(row: Int64, key: Int32?) {
            let c = row >> Int64(chunkBits), slot = Int(row & Int64(chunkSize - 1))
            chunks[c, default: [Int32](repeating: noCustomer, count: chunkSize)][slot] = key ?? notInFacts
            answers += 1
        }

        /// The key recorded for row `row`: nil when none was (or the id is not in the facts).
        func key(row: Int64) -> Int32? {
            guard let keys = chunks[row >> Int64(chunkBits)] else { return nil }
            let k = keys[Int(row & Int64(chunkSize - 1))]
            return k >= 0 ? k : nil
        }

        /// Replaces the stored keys with these (`customers`: the facts' count, recorded so a reader can check
        /// its keys against the members it evaluates). Rowids too scattered (more than one chunk per 256
        /// answers, never after a load) store nothing: statements then take the SQL route.
        func write(_ db: Database, customers: Int) throws {
            try NPSAnswerKeys.remove(db)
            guard chunks.count <= answers / 256 + 8 else { return }
            let table = "\(db.derivedSchema).\(OrderSnapshot.table)"
            let insert = try db.prepare("INSERT INTO \(table) (name, data) VALUES (?, ?)")
            for (c, keys) in chunks {
                insert.reset()
                try insert.bind([.text("\(listEntry).\(c)")])
                try keys.withUnsafeBytes { try insert.bind(bytes: $0, at: 2) }
                try insert.step()
            }
            let list = "customers=\(customers)\nchunks=" + chunks.keys.sorted().map(String.init).joined(separator: ",")
            try db.execute("INSERT INTO \(table) (name, data) VALUES (?, CAST(? AS BLOB))", [.text(listEntry), .text(list)])
        }
    }

    /// Drops the stored keys (a build that reads no answers: no `nps`, or none naming a customer).
    static func remove(_ db: Database) throws {
        try db.execute("DELETE FROM \(db.derivedSchema).\(OrderSnapshot.table) WHERE name = ? OR name LIKE ? ESCAPE '\\'",
                       [.text(listEntry), .text(listEntry.replacingOccurrences(of: "_", with: "\\_") + ".%")])
    }

    /// Every answer naming a customer, in rowid order, with the facts' key of its respondent (nil: not in
    /// the facts). Columns of `s`: 0 rowid, 1 day, 2 responded_at, 3 score. `count`: the facts' customers
    /// (keys 0..<count). Returns the keys (`collect`), which the caller may store.
    static func eachAnswer(_ db: Database, customers count: Int, _ body: (_ s: Statement, _ key: Int32?) throws -> Void) throws -> Collector {
        let keys = try collect(db, customers: count)
        let s = try db.prepare("SELECT rowid, day, responded_at, score FROM nps WHERE customer_id IS NOT NULL ORDER BY rowid")
        while try s.step() { try body(s, keys.key(row: s.int64(at: 0))) }
        return keys
    }

    /// Every answer's key, found as the full build finds it: the facts' id with the bytes of the answer's id
    /// (CAST). The ids are looked up in the order of the facts' id index, not the answers' order
    /// (`AnswersByRespondent`), with the lookup cache (`Database.withLookupCache`): answers exported by date,
    /// or ids hashed from e-mail addresses, name their respondents at random, and each lookup that left
    /// SQLite's default cache (2 MB, 31 pages of 64 KiB) copied a page of the index again (BENCHMARKS.md,
    /// "Lookups by id at random").
    static func collect(_ db: Database, customers count: Int) throws -> Collector {
        let base = "\(db.derivedSchema).\(CustomerFacts.baseTable)"
        let sorted = try AnswersByRespondent(db)
        defer { sorted.drop() }
        // In the sorted table's rowid order, which is the ids' order.
        let s = try db.prepare("SELECT n.r, f.customer_key FROM \(sorted.name) AS n LEFT JOIN \(base) AS f ON f.customer_id = n.id ORDER BY n.rowid")
        defer { s.reset() }
        var keys = Collector()
        try db.withLookupCache { while try s.step() {
            if s.isNull(at: 1) { keys.add(row: s.int64(at: 0), key: nil); continue }
            let k = s.int64(at: 1)
            guard k >= 0, k < count else { throw MetricsError("customer facts are not numbered 0..<n") }
            keys.add(row: s.int64(at: 0), key: Int32(k))
        } }
        return keys
    }

    /// Finds and stores every answer's key (`collect`) once the facts and their id index are written;
    /// without answers naming customers, removes any stored keys.
    static func write(_ db: Database) throws {
        guard try LatestScores.available(db) else { return try remove(db) }
        let count = try CustomerFacts.customerCount(db)
        try collect(db, customers: count).write(db, customers: count)
    }

    /// The stored keys, read back.
    struct Lookup {
        /// The facts' customer count the keys were found among.
        let customers: Int
        private let firstChunk: Int64
        private let chunks: [[Int32]]

        /// The keys in the workspace, or nil when there are none (no answers naming customers, rowids too
        /// scattered, PostgreSQL) or the derived data is not current.
        static func load(_ db: Database) throws -> Lookup? {
            guard db.engine == .sqlite, try OrderSnapshot.isCurrent(db), let list = try OrderSnapshot.text(db, listEntry) else { return nil }
            let fields = OrderSnapshot.fields(of: list)
            guard let customers = fields["customers"].flatMap(Int.init), let listed = fields["chunks"] else { return nil }
            let numbers = listed.split(separator: ",").compactMap { Int64($0) }
            guard let first = numbers.first, let last = numbers.last else {
                return Lookup(customers: customers, firstChunk: 0, chunks: [])
            }
            var chunks = [[Int32]](repeating: [], count: Int(last - first) + 1)
            for c in numbers {
                try OrderSnapshot.read(db, "\(listEntry).\(c)", into: &chunks[Int(c - first)])
                guard chunks[Int(c - first)].count == chunkSize else { throw MetricsError("the NPS answers' keys are damaged; run rebuild") }
            }
            return Lookup(customers: customers, firstChunk: first, chunks: chunks)
        }

        /// The key of the answer in row `row` (`noCustomer` for a rowid no answer naming a customer had).
        @inline(__always) func key(ofRow row: Int64) -> Int32 {
            let c = Int((row >> Int64(chunkBits)) &- firstChunk)
            guard c >= 0, c < chunks.count, !chunks[c].isEmpty else { return noCustomer }
            return chunks[c][Int(row & Int64(chunkSize - 1))]
        }

        /// The rowids of answers whose respondent is not in the facts.
        func rowsNotInFacts() -> [Int64] {
            var rows: [Int64] = []
            for (i, keys) in chunks.enumerated() {
                for (slot, k) in keys.enumerated() where k == notInFacts {
                    rows.append(((firstChunk + Int64(i)) << Int64(chunkBits)) | Int64(slot))
                }
            }
            return rows
        }
    }
}
