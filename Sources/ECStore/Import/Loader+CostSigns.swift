/// Deductions written with a minus sign: many exports write coupons and points used as negative numbers,
/// which `revenue = amount − discount − points` would add to the sales instead of taking off.
extension Loader {
    /// The order fields that are deductions from the amount, whose sign `settleCostSigns` decides.
    static let deductionFields = ["discount", "points"]

    /// For each deduction column of this load's rows (`rowid > base`): when every non-zero value is negative,
    /// the column writes deductions as negative numbers, and they are stored as their absolute values (returned
    /// with their count, for the note); when signs are mixed, ecsh cannot tell a deduction from a surcharge
    /// and the load stops at the first value of the rarer sign.
    func settleCostSigns(_ table: String, base: Int64, plan: FilePlan, request: LoadRequest, converter: RowConverter,
                         preset: Preset?) throws -> [LoadSummary.Count] {
        let t = quoteIdentifier(table)
        var negated: [LoadSummary.Count] = []
        for field in Loader.deductionFields {
            guard let column = plan.columns.first(where: { $0.name == field && $0.canonical != nil }), column.source != .none else { continue }
            let c = quoteIdentifier(field)
            // Counted as the rows were read (no scan of them). Counted as stored: a preset's rows, after it merged
            // line items and turned the signs it knows (Amazon's promotions), and with `on_error skip`, where a row
            // read may have been left out for another field.
            let signs: DeductionSigns
            if preset == nil, request.options.onError != .skip, let read = converter.deductionSigns(of: field) {
                signs = read
            } else {
                signs = try storedSigns(t, column: c, base: base)
            }
            guard signs.negatives > 0 else { continue }
            if signs.positives == 0 {
                try database.execute("UPDATE \(t) SET \(c) = -\(c) WHERE rowid > ? AND \(c) < 0", [.integer(base)])
                negated.append(LoadSummary.Count(name: column.header ?? field, count: signs.negatives))
                continue
            }
            // The rarer sign is the odd one out; on a tie, the sign that comes second in the file.
            let (negative, positive) = (signs.negatives, signs.positives)
            let firstNegative = signs.firstNegative?.line ?? 0, firstPositive = signs.firstPositive?.line ?? 0
            let oddIsPositive = positive != negative ? positive < negative : firstPositive > firstNegative
            let odd = oddIsPositive ? signs.firstPositive : signs.firstNegative
            var fieldNumber: Int?
            if case .field(let i) = column.source { fieldNumber = i + 1 }
            let (oddSign, usual) = oddIsPositive ? ("positive", "negative") : ("negative", "positive")
            throw LoadError(
                file: request.path, line: odd?.line ?? 0, column: fieldNumber, field: column.header ?? field,
                rawValue: odd?.written ?? "",
                reason: "is \(oddSign), but \(LoadSummary.grouped(oddIsPositive ? negative : positive)) of the column's \(LoadSummary.grouped(negative + positive)) non-zero values are \(usual): ecsh cannot tell deductions from additions",
                help: "\(field) is taken off the amount (revenue = amount − discount − points): write every \(field) with one sign (a column of negative values is read as deductions), or rename the column's header so that it loads as a plain column")
        }
        return negated
    }

    /// The signs of a deduction column as this load's rows (`rowid > base`) store it; a row's line is its rowid − base.
    private func storedSigns(_ t: String, column c: String, base: Int64) throws -> DeductionSigns {
        let counts = try database.query("""
            SELECT count(CASE WHEN \(c) < 0 THEN 1 END), count(CASE WHEN \(c) > 0 THEN 1 END),
                   min(CASE WHEN \(c) < 0 THEN rowid END), min(CASE WHEN \(c) > 0 THEN rowid END)
            FROM \(t) WHERE rowid > ?
            """, [.integer(base)]).rows[0]
        var signs = DeductionSigns()
        signs.negatives = Int(counts[0].intValue ?? 0)
        signs.positives = Int(counts[1].intValue ?? 0)
        for (rowid, keyPath) in [(counts[2].intValue, \DeductionSigns.firstNegative), (counts[3].intValue, \DeductionSigns.firstPositive)] {
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

    /// `discount: 2 negative values read as deductions …` for the load's notes.
    static func negatedNote(_ negated: [LoadSummary.Count]) -> [String] {
        negated.map { n in
            "'\(n.name)' has only negative values (\(LoadSummary.grouped(n.count)) of them): read as deductions written with a minus sign and stored as positive amounts, so revenue = amount − discount − points takes them off"
        }
    }
}
