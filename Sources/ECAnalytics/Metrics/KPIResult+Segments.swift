import ECStore

extension ResultTable {
    /// A KPI table with segments stacked — a leading `segment` column, one block of
    /// rows per segment, each with a total row in `summaryRows` — turned into one row
    /// per key with the segments side by side: `quarter, vip gmv, vip aov,
    /// one_timers gmv, one_timers aov`.
    ///
    /// - Keys (the columns between `segment` and the KPI columns) are sorted as the KPI query sorts
    ///   each segment's rows (period labels sort as their periods do): numbers, then text byte by
    ///   byte, the missing key (NULL) last; a key a segment does not have gives NULL in its columns.
    /// - Segments come in the order of `segments` (so a segment without rows still
    ///   gets its columns), then any other segment in the order of first appearance.
    /// - The per-segment total rows become one total row at the bottom, its key
    ///   columns taken from the first of them ("total").
    /// - Formats follow their columns; notes are kept.
    ///
    /// A pure function of the table: `kpiColumnCount` trailing columns are KPI
    /// values, everything between column 0 and them is the key.
    public func pivotingSegments(kpiColumnCount: Int, segments: [String] = []) -> ResultTable {
        guard kpiColumnCount > 0, columns.count - kpiColumnCount >= 1 else { return self }
        let keyRange = 1..<(columns.count - kpiColumnCount)
        let valueRange = keyRange.upperBound..<columns.count
        func segment(_ row: [Value]) -> String { row[0].textValue ?? row[0].description }

        var order: [String] = []
        for name in segments where !order.contains(name) { order.append(name) }
        var keys: [[Value]] = []
        var keyIndex: [[Value]: Int] = [:]
        var cells: [String: [Int: ArraySlice<Value>]] = [:]   // segment → key index → values
        var totals: [String: ArraySlice<Value>] = [:]
        var totalKey: [Value]?
        for (r, row) in rows.enumerated() {
            let name = segment(row)
            if !order.contains(name) { order.append(name) }
            let key = Array(row[keyRange])
            if summaryRows.contains(r) {
                if totalKey == nil { totalKey = key }
                totals[name] = row[valueRange]
                continue
            }
            let k: Int
            if let existing = keyIndex[key] {
                k = existing
            } else {
                k = keys.count
                keyIndex[key] = k
                keys.append(key)
            }
            cells[name, default: [:]][k] = row[valueRange]
        }

        let blank = Array(repeating: Value.null, count: kpiColumnCount)[...]
        func sideBySide(_ key: [Value], _ values: (String) -> ArraySlice<Value>?) -> [Value] {
            key + order.flatMap { values($0) ?? blank }
        }
        // Each segment's rows come sorted, but a key one segment lacks would land where another first has it.
        let sorted = keys.indices.sorted { a, b in Self.keyPrecedes(keys[a], keys[b]) ?? (a < b) }
        var pivoted = sorted.map { k in sideBySide(keys[k]) { cells[$0]?[k] } }
        var summary: Set<Int> = []
        if let totalKey {
            summary.insert(pivoted.count)
            pivoted.append(sideBySide(totalKey) { totals[$0] })
        }
        let format = { (c: Int) in c < formats.count ? formats[c] : ColumnFormat.auto }
        return ResultTable(
            columns: Array(columns[keyRange]) + order.flatMap { name in columns[valueRange].map { "\(name) \($0)" } },
            rows: pivoted,
            formats: keyRange.map(format) + order.flatMap { _ in valueRange.map(format) },
            notes: notes,
            summaryRows: summary)
    }

    /// Whether key `a` sorts before key `b` column by column (nil when equal): numbers by value, then
    /// text by UTF-8 bytes, then anything else, NULL last.
    static func keyPrecedes(_ a: [Value], _ b: [Value]) -> Bool? {
        func rank(_ v: Value) -> Int {
            switch v {
            case .integer, .real: 0
            case .text: 1
            case .null: 3
            default: 2
            }
        }
        for (x, y) in zip(a, b) where x != y {
            let (rx, ry) = (rank(x), rank(y))
            if rx != ry { return rx < ry }
            switch (x, y) {
            case (.text(let s), .text(let t)): if s != t { return s.utf8.lexicographicallyPrecedes(t.utf8) }
            case _ where rx == 0: if let p = x.doubleValue, let q = y.doubleValue, p != q { return p < q }
            default: if x.description != y.description { return x.description < y.description }
            }
        }
        return nil
    }
}
