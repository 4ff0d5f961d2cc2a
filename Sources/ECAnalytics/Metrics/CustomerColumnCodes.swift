import CSQLite
import ECStore

/// A customers column a KPI groups by (`kpi gmv by region`) on the snapshot route: each customer's
/// value as a code by customer key, read from the facts once and then kept beside the snapshot.
///
/// Reading the column from every facts row through SQLite took 0.86 s of a 1.9 s statement at 10M
/// orders (5.45M customers), every time. The codes and their values are written to `ecsh_snapshot`
/// (`attr.NAME`, `attr.NAME.values`) with the build they belong to (`attr.NAME.build`: the stamp, the
/// snapshot's description and the dimension's SQL expression). A build writes a new stamp, and a customers or NPS load that joins
/// its columns onto the facts writes one too, so codes of an earlier build are never read: they are
/// read again from the facts and replaced. Written only when the write lock is free at once
/// (`Database.derivedTransaction`): a statement never waits for another process's load to keep them.
///
/// Codes number the values as SQL's GROUP BY tells them apart, by `ValueNumbering(strict: false)`;
/// kept a byte each for up to 256 values, else four.
enum CustomerColumnCodes {
    /// More values than this are not kept (a column of ids or e-mail addresses): read each time.
    static let maxKeptValues = 65_536

    /// Codes by customer key (`snapshot.customers` of them) and values by code (`values[0]` is NULL).
    static func read(_ db: Database, column: String, expression: String, snapshot: OrderSnapshot) throws -> (codes: [Int32], values: [Value]) {
        let name = "attr.\(column)"
        // The expression too: the entry is named after the dimension, and must not be taken for another reading of it.
        let build = try buildTag(db, snapshot: snapshot).map { $0 + "\nexpression=" + expression }
        if let build, try OrderSnapshot.text(db, name + ".build") == build,
           let kept = try kept(db, name: name, customers: snapshot.customers) {
            return kept
        }
        // A customers column or `nps` is read from its own table, without the view's joins per customer: a
        // customer without a row there keeps code 0, NULL (`ValueNumbering.values[0]`).
        let viewed = try CustomerFacts.viewAttributes(db)
        let attribute = viewed?.first { "f." + quoteIdentifier($0) == expression }
        let score = viewed != nil && expression == "f." + quoteIdentifier("nps")
        let s = try db.prepare(attribute.map { "SELECT customer_key, \(quoteIdentifier($0)) FROM \(CustomerFacts.attributesTable)" }
                               ?? (score ? "SELECT customer_key, nps FROM \(CustomerFacts.scoresTable)"
                                   : "SELECT customer_key, \(expression) FROM ecsh_customer_facts AS f"))
        var codes = [Int32](repeating: 0, count: snapshot.customers)
        // Texts numbered by their bytes: no String made and hashed per customer (5.45M at 10M orders).
        var numbering = ValueNumbering(strict: false)
        while try s.step() {
            let k = Int(s.int64(at: 0))
            guard k >= 0, k < codes.count else { throw MetricsError("customer facts are not numbered 0..<n") }
            codes[k] = numbering.code(s, at: 1)!
        }
        if let build, numbering.values.count <= maxKeptValues {
            // Keeping them only saves the next statement a read: a failed write (a full disk) leaves the answer as it is.
            do {
                try keep(db, name: name, build: build, codes: codes, values: numbering.values)
            } catch is DatabaseError where !db.interruptFlag.isRaised {}
        }
        return (codes, numbering.values)
    }

    /// The build the codes belong to: the stamp (input versions, time and length of the build) and the
    /// snapshot's description (counted rule, as-of day, sizes). nil without a stamp.
    static func buildTag(_ db: Database, snapshot: OrderSnapshot) throws -> String? {
        guard let stamp = try OrderSnapshot.stamp(db) else { return nil }
        let meta = snapshot.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        return "format=\(stamp.format)\ninputs=\(stamp.inputs)\nbuilt_at=\(stamp.builtAt)\nseconds=\(stamp.seconds ?? -1)\n" + meta
    }

    private static func kept(_ db: Database, name: String, customers: Int) throws -> (codes: [Int32], values: [Value])? {
        guard try db.scalar("SELECT count(*) FROM \(OrderSnapshot.table) WHERE name IN (?, ?)",
                            [.text(name), .text(name + ".values")]).intValue == 2 else { return nil }
        guard let values = decode(try OrderSnapshot.array(db, name + ".values")) else { return nil }
        let codes: [Int32]
        if values.count <= 256 {
            let bytes: [UInt8] = try OrderSnapshot.array(db, name)
            codes = bytes.map { Int32($0) }
        } else {
            codes = try OrderSnapshot.array(db, name)
        }
        guard codes.count == customers, codes.allSatisfy({ $0 >= 0 && Int($0) < values.count }) else { return nil }
        return (codes, values)
    }

    private static func keep(_ db: Database, name: String, build: String, codes: [Int32], values: [Value]) throws {
        try db.derivedTransaction { schema in
            // Another process's load holds the lock: read again next time rather than wait.
            guard schema == db.derivedSchema, try db.tableExists(OrderSnapshot.table) else { return }
            let put = try db.prepare("INSERT OR REPLACE INTO \(schema).\(OrderSnapshot.table) (name, data) VALUES (?, ?)")
            // A byte a customer when the values allow (most attributes have a few): 5.45 MB at 10M orders, not 22.
            let stored = values.count <= 256 ? codes.map { UInt8(truncatingIfNeeded: $0) } : codes.withUnsafeBytes { Array($0) }
            for (entry, bytes) in [(name, stored), (name + ".values", encode(values)),
                                   (name + ".build", Array(build.utf8))] {
                put.reset()
                try put.bind([.text(entry)])
                try bytes.withUnsafeBytes { try put.bind(bytes: $0, at: 2) }
                try put.step()
            }
        }
    }

    /// Values as bytes: a kind byte (0 NULL, 1 integer, 2 real, 3 text, 4 blob), then 8 bytes of the
    /// number (little-endian; a real's bit pattern) or a 4-byte length and the bytes.
    static func encode(_ values: [Value]) -> [UInt8] {
        var out: [UInt8] = []
        func append(_ n: UInt64, _ width: Int) { for k in 0..<width { out.append(UInt8(truncatingIfNeeded: n >> (8 * k))) } }
        func append(bytes: [UInt8]) { append(UInt64(bytes.count), 4); out += bytes }
        for v in values {
            switch v {
            case .null: out.append(0)
            case .integer(let i): out.append(1); append(UInt64(bitPattern: i), 8)
            case .real(let d): out.append(2); append(d.bitPattern, 8)
            case .text(let t): out.append(3); append(bytes: Array(t.utf8))
            case .blob(let b): out.append(4); append(bytes: b)
            }
        }
        return out
    }

    static func decode(_ bytes: [UInt8]) -> [Value]? {
        var values: [Value] = [], at = 0
        func number(_ width: Int) -> UInt64? {
            guard at + width <= bytes.count else { return nil }
            var n: UInt64 = 0
            for k in 0..<width { n |= UInt64(bytes[at + k]) << (8 * k) }
            at += width
            return n
        }
        func run() -> [UInt8]? {
            guard let n = number(4).map(Int.init), at + n <= bytes.count else { return nil }
            defer { at += n }
            return Array(bytes[at..<(at + n)])
        }
        while at < bytes.count {
            let kind = bytes[at]
            at += 1
            switch kind {
            case 0: values.append(.null)
            case 1: guard let n = number(8) else { return nil }; values.append(.integer(Int64(bitPattern: n)))
            case 2: guard let n = number(8) else { return nil }; values.append(.real(Double(bitPattern: n)))
            case 3: guard let b = run() else { return nil }; values.append(.text(String(decoding: b, as: UTF8.self)))
            case 4: guard let b = run() else { return nil }; values.append(.blob(b))
            default: return nil
            }
        }
        return values
    }
}
