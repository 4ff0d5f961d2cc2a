import CSQLite

/// After the rows are in: give statuses their meaning, make ids unique, and merge with earlier loads.
///
/// Every row of this load has rowid `base + line` (ColumnPlan.Source.lineRowid),
/// so the rows of this load are `rowid > base` and each one knows its file line
/// without an extra column. All of this runs inside the load's transaction: a
/// located error here leaves the workspace as it was.
extension Loader {
    /// Maps this load's `status` words through StatusVocabulary; the word as written stays in `status_raw`.
    /// Returns the counts the mapping started from (`statusPairs`), for the breakdown.
    func applyStatusVocabulary(_ table: String, base: Int64) throws -> [StatusPair] {
        let t = quoteIdentifier(table)
        let extra = try StatusVocabulary.workspaceWords(database)
        var pairs = try statusPairs(table, base: base)
        var changes: [(String, String)] = []
        for word in Set(pairs.compactMap(\.status)) {
            let meaning = StatusVocabulary.status(of: word, extra: extra) ?? StatusVocabulary.unknownForm(word)
            if meaning != word { changes.append((word, meaning)) }
        }
        if changes.isEmpty { return pairs }
        let meaning = Dictionary(changes, uniquingKeysWith: { a, _ in a })
        for i in pairs.indices { if let s = pairs[i].status, let m = meaning[s] { pairs[i].status = m } }
        // A temporary table instead of a CASE: a status column can hold thousands of distinct words.
        try database.execute("CREATE TEMP TABLE IF NOT EXISTS ecsh_status_map (word TEXT PRIMARY KEY, status TEXT)")
        defer { try? database.execute("DROP TABLE IF EXISTS temp.ecsh_status_map") }
        try database.execute("DELETE FROM temp.ecsh_status_map")
        let insert = try database.prepare("INSERT OR REPLACE INTO temp.ecsh_status_map (word, status) VALUES (?, ?)")
        for (word, meaning) in changes {
            try insert.bind([.text(word), .text(meaning)])
            try insert.step()
            insert.reset()
        }
        try database.execute("""
            UPDATE \(t) SET status = (SELECT m.status FROM temp.ecsh_status_map m WHERE m.word = \(t).status)
            WHERE rowid > ? AND status IN (SELECT word FROM temp.ecsh_status_map)
            """, [.integer(base)])
        return pairs
    }

    /// A stored status, the word as written, and how many of this load's rows have them.
    struct StatusPair {
        var status: String?
        var raw: String?
        var count: Int
    }

    /// `(status, status_raw, count)` over this load's rows in one pass without sorting: SQLite's
    /// GROUP BY sorts every row, while a file has a handful of status words. Falls back to
    /// GROUP BY past 256 distinct pairs.
    func statusPairs(_ table: String, base: Int64) throws -> [StatusPair] {
        let t = quoteIdentifier(table)
        if database.engine == .postgresql {
            // The server groups (base is 0 there: describe reads the whole table).
            return try database.query("SELECT status, status_raw, count(*) FROM \(t) GROUP BY 1, 2").rows.map {
                StatusPair(status: $0[0].textValue, raw: $0[1].textValue, count: Int($0[2].intValue ?? 0))
            }
        }
        let read = try database.prepare("SELECT status, status_raw FROM \(t) WHERE rowid > ?")
        try read.bind([.integer(base)])
        var seen: [(status: [UInt8]?, raw: [UInt8]?, count: Int)] = []
        func same(_ stored: [UInt8]?, _ b: UnsafeRawBufferPointer, _ isNull: Bool) -> Bool {
            guard let stored else { return isNull }
            return !isNull && stored.count == b.count && stored.withUnsafeBytes { $0.elementsEqual(b) }
        }
        while try read.step() {
            let sNull = read.isNull(at: 0), rNull = read.isNull(at: 1)
            let s = read.bytes(at: 0), r = read.bytes(at: 1)
            if let i = seen.firstIndex(where: { same($0.status, s, sNull) && same($0.raw, r, rNull) }) {
                seen[i].count += 1
                continue
            }
            if seen.count == 256 {
                return try database.query("SELECT status, status_raw, count(*) FROM \(t) WHERE rowid > ? GROUP BY 1, 2",
                                          [.integer(base)]).rows.map {
                    StatusPair(status: $0[0].textValue, raw: $0[1].textValue, count: Int($0[2].intValue ?? 0))
                }
            }
            seen.append((sNull ? nil : Array(s), rNull ? nil : Array(r), 1))
        }
        return seen.map { StatusPair(status: $0.status.map { String(decoding: $0, as: UTF8.self) },
                                     raw: $0.raw.map { String(decoding: $0, as: UTF8.self) }, count: $0.count) }
    }

    /// The status breakdown of a table's rows after rowid `base` (all rows with 0), for `describe orders`.
    public static func statusBreakdown(_ database: Database, table: String, since base: Int64 = 0) throws
        -> (known: [LoadSummary.Count], unknown: [LoadSummary.UnknownStatus]) {
        breakdown(try Loader(database: database).statusPairs(table, base: base))
    }

    /// Known statuses in vocabulary order (then rows without one), unknown words most frequent first.
    /// The words of `StatusVocabulary.debatable` among a load's statuses, most frequent first.
    static func debatable(_ pairs: [StatusPair]) -> [LoadSummary.UnknownStatus] {
        var counts: [String: (stored: String, count: Int)] = [:]
        for pair in pairs {
            guard let status = pair.status, let raw = pair.raw?.trimmingCharacters(in: .whitespaces),
                  StatusVocabulary.debatable[raw] != nil else { continue }
            counts[raw, default: (status, 0)].count += pair.count
        }
        return counts.map { LoadSummary.UnknownStatus(raw: $0.key, stored: $0.value.stored, count: $0.value.count) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.raw < $1.raw }
    }

    static func breakdown(_ pairs: [StatusPair]) -> (known: [LoadSummary.Count], unknown: [LoadSummary.UnknownStatus]) {
        var byStatus: [String: Int] = [:]
        var unknown: [LoadSummary.UnknownStatus] = []
        for pair in pairs {
            guard let status = pair.status else { byStatus["(no status)", default: 0] += pair.count; continue }
            if StatusVocabulary.canonical.contains(status) {
                byStatus[status, default: 0] += pair.count
            } else {
                unknown.append(LoadSummary.UnknownStatus(raw: pair.raw ?? status, stored: status, count: pair.count))
            }
        }
        let known = (StatusVocabulary.canonical + ["(no status)"]).compactMap { name in
            byStatus[name].map { LoadSummary.Count(name: name, count: $0) }
        }
        return (known, unknown.sorted { $0.count != $1.count ? $0.count > $1.count : $0.raw < $1.raw })
    }

    /// Makes `key` unique among this load's rows: exact repeats collapse; differing repeats are a
    /// located error, or with `on_error skip` the later row wins and the earlier goes to `ecsh_rejects`.
    func collapseRepeats(_ table: String, key: String, base: Int64, request: LoadRequest,
                         summary: inout LoadSummary) throws {
        let t = quoteIdentifier(table)
        let k = quoteIdentifier(key)
        let index = quoteIdentifier("ecsh_\(table)_\(key)")
        if base == 0 {
            // A new table: building the id index UNIQUE proves there are no repeats in the same
            // step (one sort), so the repeat query below runs only when there are some.
            try database.execute("SAVEPOINT ecsh_unique_ids")
            do {
                // The sort on helper threads too (`withSortThreads`).
                try database.withSortThreads { try database.execute("CREATE UNIQUE INDEX \(index) ON \(t)(\(k))") }
                try database.execute("RELEASE ecsh_unique_ids")
                return
            } catch let e as DatabaseError where e.code & 0xFF == SQLITE_CONSTRAINT {
                try database.execute("ROLLBACK TO ecsh_unique_ids")
                try database.execute("RELEASE ecsh_unique_ids")
            }
        }
        try database.withSortThreads { try database.execute("CREATE INDEX IF NOT EXISTS \(index) ON \(t)(\(k))") }
        let repeated = "SELECT max(rowid) AS keep, \(k) AS key FROM \(t) WHERE rowid > \(base) AND \(k) IS NOT NULL GROUP BY \(k) HAVING count(*) > 1"
        guard try database.scalar("SELECT count(*) FROM (\(repeated))").intValue ?? 0 > 0 else { return }
        let columns = try database.columns(of: table).map(\.name)
        let same = columns.map { "d.\(quoteIdentifier($0)) IS kept.\(quoteIdentifier($0))" }.joined(separator: " AND ")
        let pairs = try database.query("""
            SELECT d.rowid, kept.rowid, d.\(k), \(same) FROM \(t) d JOIN (\(repeated)) r ON d.\(k) = r.key
            JOIN \(t) kept ON kept.rowid = r.keep WHERE d.rowid > ? AND d.rowid <> r.keep ORDER BY d.rowid
            """, [.integer(base)]).rows
        let rejects = try database.prepare("INSERT INTO ecsh_rejects (dataset, source, line, col, field, reason, raw) VALUES (?, ?, ?, NULL, ?, ?, ?)")
        for pair in pairs {
            guard let earlier = pair[0].intValue, let later = pair[1].intValue else { continue }
            if pair[3].intValue == 1 { summary.exactRepeats += 1; continue }
            let id = pair[2].description
            let differences = try self.differences(table, columns, earlier, later)
            let difference = differences.first.map { "\($0.name): '\($0.a)' vs '\($0.b)'" } ?? "values differ"
            let reason = "\(key) '\(id)' is also at line \(later - base) with different values (\(difference))"
            if request.options.onError == .stop {
                throw LoadError(file: request.path, line: Int(earlier - base), field: key, reason: reason,
                                help: Loader.repeatHelp(key: key, table: table, path: request.path, differing: differences.map(\.name)))
            }
            try rejects.bind([.text(table), .text(request.path), .integer(earlier - base), .text(key),
                              .text(reason + "; the later row was kept"), .text(id)])
            try rejects.step()
            rejects.reset()
            summary.replacedRepeats += 1
        }
        try database.execute("""
            DELETE FROM \(t) WHERE rowid > ? AND \(k) IS NOT NULL AND rowid NOT IN (SELECT keep FROM (\(repeated)))
            AND \(k) IN (SELECT key FROM (\(repeated)))
            """, [.integer(base)])
    }

    /// The columns where two rows differ, in table order, with both values.
    private func differences(_ table: String, _ columns: [String], _ a: Int64, _ b: Int64) throws -> [(name: String, a: String, b: String)] {
        let list = columns.map(quoteIdentifier).joined(separator: ", ")
        let rows = try database.query("SELECT \(list) FROM \(quoteIdentifier(table)) WHERE rowid IN (?, ?) ORDER BY rowid",
                                      [.integer(a), .integer(b)]).rows
        guard rows.count == 2 else { return [] }
        return columns.indices.filter { rows[0][$0] != rows[1][$0] }
            .map { (columns[$0], rows[0][$0].description, rows[1][$0].description) }
    }

    /// The way out for two rows with one id. Orders whose rows differ only in an item's columns (quantity,
    /// product, category, a unit price) are one row per item, as carts' exports write them (EC-CUBE, BASE,
    /// MakeShop): `on_error skip` would keep each order's last item alone, so the help says what it would do and
    /// what else there is (docs/presets.md, "Own-shop exports").
    static func repeatHelp(key: String, table: String, path: String, differing: [String]) -> String {
        let skip = "with on_error skip the later row wins and the earlier one goes to ecsh_rejects"
        let itemish: Set<String> = ["quantity", "product", "category"]
        let unitPrices = HeaderAliases.unitPrice.union(["商品コード", "商品ID", "商品名", "明細ID", "注文詳細ID"].map(HeaderAliases.normalize))
        let items = !differing.isEmpty && differing.allSatisfy {
            itemish.contains($0) || unitPrices.contains(HeaderAliases.normalize(HeaderAliases.withoutNotes($0)))
        }
        guard table == "orders", key == "order_id", items else { return "a \(key) must be unique in one file; \(skip)" }
        return "the rows differ only in an item's columns (\(differing.joined(separator: ", "))): the file has one row per item, "
            + "and ecsh adds up an order's item rows only with a preset (\(Preset.known.joined(separator: ", ")); docs/presets.md). "
            + "Load an export with one row per order instead, or keep the item rows for sql: load table order_items from '\(path)'; "
            + "\(skip), which keeps only each order's last item (its quantity, and its price when amount is a unit price)"
    }

    /// `append` of orders: an earlier order whose id a row of this load has, under another channel, is another shop's order
    /// numbered alike (an own shop's #1001 and a mall's 1001), not an earlier version of it; replacing it lost an order
    /// with only "1 updated" said. A located error at the first such row, with the ways out (`idCollision`).
    func checkIdCollisions(_ table: String, base: Int64, request: LoadRequest, plan: FilePlan) throws {
        let t = quoteIdentifier(table)
        let clash = "FROM \(t) n JOIN \(t) o ON o.order_id = n.order_id AND o.rowid <= ? WHERE n.rowid > ? AND o.channel <> n.channel"
        guard let first = try database.query("""
            SELECT n.rowid, n.order_id, o.channel, o.customer_id, o.ordered_at, n.channel, n.customer_id, n.ordered_at \(clash)
            ORDER BY n.rowid LIMIT 1
            """, [.integer(base), .integer(base)]).rows.first else { return }
        let count = Int(try database.scalar("SELECT count(DISTINCT n.order_id) \(clash)", [.integer(base), .integer(base)]).intValue ?? 1)
        throw Loader.idCollision(file: request.path, line: Int((first[0].intValue ?? base) - base), column: Loader.fileColumn("order_id", plan.columns),
                                 row: Array(first.dropFirst()), count: count, prefix: request.options.idPrefix)
    }

    /// The 1-based file column a table column is read from; nil when not from one field.
    static func fileColumn(_ name: String, _ columns: [ColumnPlan]) -> Int? {
        guard case .field(let i) = columns.first(where: { $0.name == name })?.source else { return nil }
        return i + 1
    }

    /// The error for an appended order whose id an earlier order of another channel has. `row`: the id, then the earlier
    /// order's channel, customer and time, then this row's.
    static func idCollision(file: String, line: Int?, column: Int?, row: [Value], count: Int, prefix: String?) -> LoadError {
        func order(_ channel: Value, _ customer: Value, _ at: Value) -> String {
            "an order of channel '\(channel.textValue ?? "")' (\(customer.textValue.map { "customer \($0)" } ?? "a guest"), \(at.textValue ?? "no date"))"
        }
        let id = row[0].textValue ?? row[0].description
        let others = count > 1 ? "; \(LoadSummary.grouped(count)) ids of this file are so" : ""
        let channel = row[4].textValue ?? "shop"
        let suggested = (prefix.map { $0 + channel } ?? channel) + "-"
        return LoadError(file: file, line: line, column: column, field: "order_id",
                         reason: "order_id '\(id)' is already loaded as \(order(row[1], row[2], row[3])); this row is \(order(row[4], row[5], row[6])): "
                            + "two shops' orders with one id? append would replace the earlier order with this one\(others)",
                         help: "if they are two shops' orders, keep their ids apart: load orders from '\(file)' append with id_prefix '\(suggested)'; "
                            + "if the order really moved to channel '\(channel)', remove the earlier row first: sql DELETE FROM orders WHERE order_id = '\(id.replacingOccurrences(of: "'", with: "''"))'")
    }

    /// `append`: rows of this load replace earlier rows with the same values of `keys` (a later export is the
    /// newer truth). One key is an id (`order_id`; NULL matches nothing, as before); several are a natural key
    /// (`DatasetRole.appendKey`), matched with `IS` so that an empty channel or customer matches an empty one.
    /// Every earlier row whose key a new row has goes, so a key held by several rows (two ad groups on one day)
    /// is replaced as a group, never doubled.
    /// `required`: key fields without which a row matches only an identical row (`DatasetRole.appendKeyRequired`).
    /// `collisions`: called, before anything is removed, when a matched earlier row has another `channel` (it throws).
    /// `loose`: the key's text columns that are no id (`DatasetRole.appendKeyLoose`: an ad group, a device, or a column
    /// such as a label that a re-export may give otherwise), for `relabelledRows`.
    func mergeWithEarlier(_ table: String, keys: [String], required: [String] = [], loose: [String] = [], base: Int64,
                          summary: inout LoadSummary, collisions: (() throws -> Void)? = nil) throws {
        let t = quoteIdentifier(table)
        let natural = keys.count > 1
        if natural {
            let index = quoteIdentifier("ecsh_\(table)_append_key")
            try database.execute("CREATE INDEX IF NOT EXISTS \(index) ON \(t)(\(keys.map(quoteIdentifier).joined(separator: ", ")))")
        }
        let columns = try database.columns(of: table).map(\.name)
        let match = { (a: String, b: String) in
            Loader.appendMatch(a, b, keys: keys, natural: natural, required: required, columns: columns, equal: "IS", same: "IS")
        }
        let same = columns.map { "n.\(quoteIdentifier($0)) IS o.\(quoteIdentifier($0))" }.joined(separator: " AND ")
        let clash = collisions == nil ? "0" : "count(CASE WHEN o.channel <> n.channel THEN 1 END)"
        let counts = try database.query("""
            SELECT count(DISTINCT n.rowid), count(DISTINCT CASE WHEN \(same) THEN n.rowid END), \(clash)
            FROM \(t) n JOIN \(t) o ON \(match("o", "n")) AND o.rowid <= ? WHERE n.rowid > ?
            """, [.integer(base), .integer(base)]).rows[0]
        if counts[2].intValue ?? 0 > 0 { try collisions?() }
        let matched = Int(counts[0].intValue ?? 0)
        let unchanged = Int(counts[1].intValue ?? 0)
        let added = Int(try database.scalar("SELECT count(*) FROM \(t) WHERE rowid > ?", [.integer(base)]).intValue ?? 0)
        let relabelled = natural && !loose.isEmpty ? try relabelledRows(table, keys: keys, loose: loose, base: base, match: match) : nil
        let again = relabelled?.new ?? 0
        summary.merge = LoadSummary.Merge(new: added - matched - again, updated: matched - unchanged + again, unchanged: unchanged)
        defer {
            if let relabelled {
                summary.relabelled = (relabelled.earlier.count, relabelled.columns)
                summary.keptBeside = (relabelled.kept, relabelled.keptColumns)
            }
        }
        if let relabelled, !relabelled.earlier.isEmpty {
            for chunk in stride(from: 0, to: relabelled.earlier.count, by: 500) {
                let ids = relabelled.earlier[chunk..<min(chunk + 500, relabelled.earlier.count)].map(String.init).joined(separator: ", ")
                try database.execute("DELETE FROM \(t) WHERE rowid IN (\(ids))")
            }
        }
        if matched > 0 && natural {
            try database.execute("""
                DELETE FROM \(t) WHERE rowid <= ? AND EXISTS (SELECT 1 FROM \(t) n WHERE n.rowid > ? AND \(match("n", t)))
                """, [.integer(base), .integer(base)])
            // Rows of a key held by several earlier rows go as a group: say so when more went than were matched.
            summary.replacedEarlier = database.changes
        } else if matched > 0, let key = keys.first.map(quoteIdentifier) {
            try database.execute("DELETE FROM \(t) WHERE rowid <= ? AND \(key) IN (SELECT \(key) FROM \(t) WHERE rowid > ?)",
                                 [.integer(base), .integer(base)])
        }
    }

    /// `append` by a natural key with text columns (`loose`) beside the date, channel, campaign and ids: a new row that
    /// matches no earlier row by the whole key, but one by the rest and by every figure (spend, clicks: the non-text
    /// columns), is that row exported again with another text (a label added since): the earlier row goes, said in a
    /// note naming the column; kept, two rows of one day doubled its spend. With other figures too it may be another
    /// ad group or device: kept as a row of its own, and counted for a note naming the column.
    /// `earlier`: the rowids that go; `new`: this load's rows that replace them; `kept`: this load's rows kept beside
    /// earlier rows of their date, channel, campaign and ids; the columns that differ for each.
    func relabelledRows(_ table: String, keys: [String], loose: [String], base: Int64, match: (String, String) -> String) throws
        -> (earlier: [Int64], new: Int, columns: [String], kept: Int, keptColumns: [String]) {
        let t = quoteIdentifier(table)
        let core = keys.filter { !loose.contains($0) }.map { "o.\(quoteIdentifier($0)) IS n.\(quoteIdentifier($0))" }
        let figures = try database.columns(of: table).filter { $0.type.uppercased() != "TEXT" && !keys.contains($0.name) && $0.name != "date" }
            .map { "o.\(quoteIdentifier($0.name)) IS n.\(quoteIdentifier($0.name))" }
        let differs = loose.map { "o.\(quoteIdentifier($0)) IS NOT n.\(quoteIdentifier($0))" }
        let rows = try database.query("""
            SELECT o.rowid, n.rowid, \(figures.isEmpty ? "0" : figures.joined(separator: " AND ")), \(differs.joined(separator: ", "))
            FROM \(t) n JOIN \(t) o ON \(core.joined(separator: " AND ")) AND o.rowid <= ?
            WHERE n.rowid > ? AND (\(differs.joined(separator: " OR ")))
            AND NOT EXISTS (SELECT 1 FROM \(t) k WHERE k.rowid <= ? AND \(match("k", "n")))
            AND NOT EXISTS (SELECT 1 FROM \(t) k WHERE k.rowid > ? AND \(match("k", "o")))
            """, [.integer(base), .integer(base), .integer(base), .integer(base)]).rows
        var earlier: Set<Int64> = [], again: Set<Int64> = [], beside: Set<Int64> = []
        var columns: Set<String> = [], keptColumns: Set<String> = []
        for row in rows {
            guard let o = row[0].intValue, let n = row[1].intValue else { continue }
            let changed = loose.indices.filter { row[3 + $0].intValue == 1 }.map { loose[$0] }
            if row[2].intValue == 1 {
                earlier.insert(o); again.insert(n); columns.formUnion(changed)
            } else {
                beside.insert(n); keptColumns.formUnion(changed)
            }
        }
        beside.subtract(again)
        return (earlier.sorted(), again.count, loose.filter(columns.contains), beside.count, loose.filter(keptColumns.contains))
    }

    /// The text columns of `table`'s rows after `base` (this load's) that hold figures, not names: every value,
    /// blanks aside, made of digits, `.`, `,`, `%`, `<`, `>`, a currency sign and a leading `-`, with a digit or
    /// written `--` (`10.00%`, `< 10%`, `--` in a column of numbers; not `123-456-7890`, an account's id). A later
    /// export of the same day gives other figures (Google Ads revises conversions), so `append` keys no rows by them
    /// (`DatasetRole.appendKey`).
    static func measureColumns(_ database: Database, table: String, base: Int64, columns: [(name: String, type: String)]) throws -> Set<String> {
        var found: Set<String> = []
        for column in columns where column.type.uppercased() == "TEXT" {
            let c = "trim(\(quoteIdentifier(column.name)))"
            let row = try database.query("""
                SELECT count(CASE WHEN \(c) GLOB '*[^0-9.,%<> ¥$％＜＞-]*' OR (\(c) GLOB '?*-*' AND \(c) <> '--' AND \(c) NOT GLOB '*[%％]*') THEN 1 END), count(CASE WHEN \(c) GLOB '*[0-9]*' OR \(c) = '--' THEN 1 END)
                FROM \(quoteIdentifier(table)) WHERE rowid > ? AND \(c) <> ''
                """, [.integer(base)]).rows[0]
            if row[0].intValue == 0 && (row[1].intValue ?? 0) > 0 { found.insert(column.name) }
        }
        return found
    }

    /// The condition that row `a` is an earlier or later version of row `b` for `append`: the key's fields equal
    /// (`equal`: `=` for an id, SQL's NULL-matching equality for a natural key), and, where a `required` field is
    /// NULL, every column alike instead (`same`).
    static func appendMatch(_ a: String, _ b: String, keys: [String], natural: Bool, required: [String], columns: [String],
                            equal: String, same: String) -> String {
        let key = keys.map { "\(a).\(quoteIdentifier($0)) \(natural ? equal : "=") \(b).\(quoteIdentifier($0))" }.joined(separator: " AND ")
        guard !required.isEmpty else { return key }
        let present = required.map { "\(a).\(quoteIdentifier($0)) IS NOT NULL" }.joined(separator: " AND ")
        let absent = required.map { "\(a).\(quoteIdentifier($0)) IS NULL" }.joined(separator: " AND ")
        let whole = columns.map { "\(a).\(quoteIdentifier($0)) \(same) \(b).\(quoteIdentifier($0))" }.joined(separator: " AND ")
        return "((\(key) AND \(present)) OR (\(absent) AND \(whole)))"
    }
}
