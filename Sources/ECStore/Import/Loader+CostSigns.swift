/// Deductions written with a minus sign: many exports write coupons and points used as negative numbers,
/// which `revenue = amount − discount − points` would add to the sales instead of taking off.
extension Loader {
    /// The order fields that are deductions from the amount, whose sign `settleCostSigns` decides.
    static let deductionFields = ["discount", "points"]

    /// For each deduction column of this load's rows (`rowid > base`), each non-zero value judged against its row's
    /// amount: the amount's sign (a refund's `-1000, -100` as an order's `1000, 100`; a positive value where the amount
    /// is zero or empty) is a deduction as usual; the opposite sign is a deduction written negative. When every
    /// non-zero value is opposite, the column writes its deductions so, and they are stored with their sign turned
    /// (returned with their count, for the note); when the two are mixed, ecsh cannot tell a deduction from a
    /// surcharge and the load stops at the first value of the rarer kind.
    func settleCostSigns(_ table: String, base: Int64, plan: FilePlan, request: LoadRequest, converter: RowConverter,
                         preset: Preset?) throws -> [(column: LoadSummary.Count, negatives: Int)] {
        let t = quoteIdentifier(table)
        // The amount a deduction is judged against, as the table stores it (an amount not in the file: none, 0).
        let amount = plan.columns.contains { $0.name == "amount" } ? "coalesce(\(quoteIdentifier("amount")), 0)" : "0"
        var negated: [(column: LoadSummary.Count, negatives: Int)] = []
        for field in Loader.deductionFields {
            guard let column = plan.columns.first(where: { $0.name == field && $0.canonical != nil }), column.source != .none else { continue }
            let c = quoteIdentifier(field)
            let opposite = "((\(c) < 0 AND \(amount) >= 0) OR (\(c) > 0 AND \(amount) < 0))"
            // Counted as the rows were read (no scan of them). Counted as stored: a preset's rows, after it merged
            // line items and turned the signs it knows (Amazon's promotions), and with `on_error skip`, where a row
            // read may have been left out for another field.
            let signs: DeductionSigns
            if preset == nil, request.options.onError != .skip, let read = converter.deductionSigns(of: field) {
                signs = read
            } else {
                signs = try storedSigns(t, column: c, opposite: opposite, base: base)
            }
            guard signs.opposites > 0 else { continue }
            if signs.usuals == 0 {
                try database.execute("UPDATE \(t) SET \(c) = -\(c) WHERE rowid > ? AND \(opposite)", [.integer(base)])
                negated.append((LoadSummary.Count(name: column.header ?? field, count: signs.opposites), signs.negativeOpposites))
                continue
            }
            // The rarer kind is the odd one out; on a tie, the kind that comes second in the file.
            let (opposites, usuals) = (signs.opposites, signs.usuals)
            let firstOpposite = signs.firstOpposite?.line ?? 0, firstUsual = signs.firstUsual?.line ?? 0
            let oddIsUsual = usuals != opposites ? usuals < opposites : firstUsual > firstOpposite
            let odd = oddIsUsual ? signs.firstUsual : signs.firstOpposite
            var fieldNumber: Int?
            if case .field(let i) = column.source { fieldNumber = i + 1 }
            let reason = oddIsUsual
                ? "has its row's amount's sign, but \(LoadSummary.grouped(opposites)) of the column's \(LoadSummary.grouped(opposites + usuals)) non-zero values have the sign opposite to their amount's (a deduction written negative): ecsh cannot tell deductions from additions"
                : "has the sign opposite to its row's amount, but \(LoadSummary.grouped(usuals)) of the column's \(LoadSummary.grouped(opposites + usuals)) non-zero values have their amount's sign: ecsh cannot tell deductions from additions"
            throw LoadError(
                file: request.path, line: odd?.line ?? 0, column: fieldNumber, field: column.header ?? field,
                rawValue: odd?.written ?? "", reason: reason,
                help: "\(field) is taken off the amount (revenue = amount − discount − points): write every \(field) with its amount's sign (a refund's negative amount with a negative \(field)), or every one with the opposite sign (read as deductions written negative), or rename the column's header so that it loads as a plain column")
        }
        return negated
    }

    /// The signs of a deduction column as this load's rows (`rowid > base`) store it, judged by `opposite` (an SQL
    /// condition); a row's line is its rowid − base.
    private func storedSigns(_ t: String, column c: String, opposite: String, base: Int64) throws -> DeductionSigns {
        let counts = try database.query("""
            SELECT count(CASE WHEN \(c) <> 0 AND \(opposite) THEN 1 END), count(CASE WHEN \(c) <> 0 AND NOT \(opposite) THEN 1 END),
                   count(CASE WHEN \(c) < 0 AND \(opposite) THEN 1 END),
                   min(CASE WHEN \(c) <> 0 AND \(opposite) THEN rowid END), min(CASE WHEN \(c) <> 0 AND NOT \(opposite) THEN rowid END)
            FROM \(t) WHERE rowid > ?
            """, [.integer(base)]).rows[0]
        var signs = DeductionSigns()
        signs.opposites = Int(counts[0].intValue ?? 0)
        signs.usuals = Int(counts[1].intValue ?? 0)
        signs.negativeOpposites = Int(counts[2].intValue ?? 0)
        for (rowid, keyPath) in [(counts[3].intValue, \DeductionSigns.firstOpposite), (counts[4].intValue, \DeductionSigns.firstUsual)] {
            guard let rowid else { continue }
            let value = try database.scalar("SELECT \(c) FROM \(t) WHERE rowid = ?", [.integer(rowid)])
            signs[keyPath: keyPath] = (Int(rowid - base), Loader.written(value))
        }
        return signs
    }

    /// A stored number as a file would write it: `30`, not `30.0`.
    static func written(_ value: Value) -> String {
        if case .real(let d) = value, d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
        return value.description
    }

    /// `'discount' has only negative values …` for the load's notes.
    static func negatedNote(_ negated: [LoadSummary.Count], negatives: [Int]) -> [String] {
        zip(negated, negatives).map { n, negatives in
            negatives == n.count
                ? "'\(n.name)' has only negative values (\(LoadSummary.grouped(n.count)) of them): read as deductions written with a minus sign and stored as positive amounts, so revenue = amount − discount − points takes them off"
                : "'\(n.name)' has only values of the sign opposite to their row's amount (\(LoadSummary.grouped(n.count)) of them, \(LoadSummary.grouped(negatives)) negative): read as deductions written with the other sign and stored with their amount's sign, so revenue = amount − discount − points takes them off"
        }
    }
}
