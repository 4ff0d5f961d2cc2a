import ECStore

/// Total rows: each column follows its KPI's `TotalRule` from the catalogue.
extension KPIEngine {
    /// Appends a total row per segment when the rows are split by time or a dimension.
    ///
    /// `sum` columns add their rows. `recompute` and `distinct` columns take the
    /// value of the same query over the whole range without the split (one more
    /// query; on the snapshot route its cells are counted in the same read as the rows,
    /// `counted`): total AOV is total revenue / total orders, total customers counts
    /// each customer once. `none` columns stay blank. A note says which rule each
    /// non-summed column followed.
    func addTotals(_ t: inout ResultTable, columns: [Column], plan: Plan, query: KPIQuery, counted: CountedTotals? = nil) throws {
        guard plan.grain != nil || !plan.dims.isEmpty, columns.contains(where: { $0.total != .none }) else { return }
        let keyCount = t.columns.count - columns.count
        let segmentIndex: Int? = plan.hasSegments ? 0 : nil
        let overRange = try wholeRange(columns: columns, query: query, plan: plan, counted: counted)
        var out: [[Value]] = []
        var summary: Set<Int> = []
        var blocks: [Range<Int>] = []
        var i = 0
        while i < t.rows.count {
            var j = i
            while j < t.rows.count, segmentIndex.map({ t.rows[j][$0] == t.rows[i][$0] }) ?? true { j += 1 }
            blocks.append(i..<j)
            i = j
        }
        // Every segment gets its total once one has several rows: side by side, a segment of one row (¥130)
        // would otherwise show ∅ in the total row beside the others' totals.
        let totalled = blocks.contains { $0.count > 1 }
        for range in blocks {
            let i = range.lowerBound
            let block = t.rows[range]
            out += block
            if totalled {
                var total: [Value] = Array(repeating: .null, count: t.columns.count)
                let segment = segmentIndex.map { t.rows[i][$0].textValue ?? "" } ?? ""
                if let s = segmentIndex { total[s] = t.rows[i][s] }
                total[segmentIndex == nil ? 0 : 1] = .text("total")
                for (c, col) in columns.enumerated() {
                    switch col.total {
                    case .sum: total[keyCount + c] = Self.sum(block.map { $0[keyCount + c] })
                    case .recompute, .distinct: total[keyCount + c] = overRange[segment]?[col.name] ?? .null
                    case .none: break
                    }
                }
                summary.insert(out.count)
                out.append(total)
            }
        }
        t.rows = out
        t.summaryRows = summary
        if let note = Self.totalsNote(columns) { t.notes.append(note) }
    }

    /// Integers stay integers; otherwise a real sum. NULL cells count as 0.
    static func sum(_ values: [Value]) -> Value {
        if values.allSatisfy({ if case .integer = $0 { true } else { $0.isNull } }) {
            return .integer(values.reduce(0) { $0 + ($1.intValue ?? 0) })
        }
        return .real(values.reduce(0.0) { $0 + ($1.doubleValue ?? 0) })
    }

    /// The query a total row's recompute and distinct columns come from: the same KPIs over
    /// the whole range without the split; nil when the rows get no such total.
    func totalsQuery(columns: [Column], query: KPIQuery, plan: Plan) -> KPIQuery? {
        guard plan.grain != nil || !plan.dims.isEmpty else { return nil }
        var kpis: [String] = []
        for c in columns where c.total == .recompute || c.total == .distinct {
            if !kpis.contains(c.kpi) { kpis.append(c.kpi) }
        }
        guard !kpis.isEmpty else { return nil }
        var whole = query
        whole.kpis = kpis
        whole.groupBy = []
        return whole
    }

    /// The plan of `totalsQuery`, for the snapshot pass to count beside the rows; nil when
    /// there is none or it cannot be made (then `wholeRange` runs it alone and says why).
    func totalsPlan(columns: [Column], query: KPIQuery, plan: Plan) -> Plan? {
        guard let whole = totalsQuery(columns: columns, query: query, plan: plan),
              let (_, measures, _) = try? resolveAll(whole) else { return nil }
        return try? Plan.make(query: whole, measures: measures, engine: self)
    }

    /// The recompute and distinct columns over the whole range, by segment then column name.
    private func wholeRange(columns: [Column], query: KPIQuery, plan: Plan, counted: CountedTotals?) throws -> [String: [String: Value]] {
        guard let whole = totalsQuery(columns: columns, query: query, plan: plan) else { return [:] }
        let hasSegments = plan.hasSegments
        let table = try run(whole, counted: counted).table
        var out: [String: [String: Value]] = [:]
        let offset = hasSegments ? 1 : 0
        for row in table.rows {
            let segment = hasSegments ? (row[0].textValue ?? "") : ""
            for (k, name) in table.columns.enumerated() where k >= offset {
                out[segment, default: [:]][name] = row[k]
            }
        }
        return out
    }

    /// "total: aov recomputed over the whole range; customers counted once; no total for repeat_rate".
    static func totalsNote(_ columns: [Column]) -> String? {
        func names(_ rule: KPIDefinition.TotalRule) -> String {
            columns.filter { $0.total == rule }.map(\.name).joined(separator: ", ")
        }
        var parts: [String] = []
        if !names(.recompute).isEmpty { parts.append("\(names(.recompute)) recomputed over the whole range") }
        if !names(.distinct).isEmpty { parts.append("\(names(.distinct)) counted once over the whole range") }
        if !names(.none).isEmpty { parts.append("no total for \(names(.none))") }
        return parts.isEmpty ? nil : "total: " + parts.joined(separator: "; ")
    }
}
