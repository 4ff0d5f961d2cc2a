/// Deductions written with a minus sign: many exports write coupons and points used as negative numbers,
/// which `revenue = amount − discount − points` would add to the sales instead of taking off.
extension Loader {
    /// The order fields that are deductions from the amount, whose sign `settleCostSigns` decides.
    static let deductionFields = ["discount", "points"]

    /// For each deduction column of this load's rows (`rowid > base`): when every non-zero value is negative,
    /// the column writes deductions as negative numbers, and they are stored as their absolute values (returned
    /// with their count, for the note); when signs are mixed, ecsh cannot tell a deduction from a surcharge
    /// and the load stops at the first value of the rarer sign.
    func settleCostSigns(_ table: String, base: Int64, plan: FilePlan, request: LoadRequest) throws -> [LoadSummary.Count] {
        let t = quoteIdentifier(table)
        var negated: [LoadSummary.Count] = []
        for field in Loader.deductionFields {
            guard let column = plan.columns.first(where: { $0.name == field && $0.canonical != nil }), column.source != .none else { continue }
            let c = quoteIdentifier(field)
            let counts = try database.query("""
                SELECT count(CASE WHEN \(c) < 0 THEN 1 END), count(CASE WHEN \(c) > 0 THEN 1 END),
                       min(CASE WHEN \(c) < 0 THEN rowid END), min(CASE WHEN \(c) > 0 THEN rowid END)
                FROM \(t) WHERE rowid > ?
                """, [.integer(base)]).rows[0]
            let negative = Int(counts[0].intValue ?? 0), positive = Int(counts[1].intValue ?? 0)
            guard negative > 0 else { continue }
            if positive == 0 {
                try database.execute("UPDATE \(t) SET \(c) = -\(c) WHERE rowid > ? AND \(c) < 0", [.integer(base)])
                negated.append(LoadSummary.Count(name: column.header ?? field, count: negative))
                continue
            }
            // The rarer sign is the odd one out; on a tie, the sign that comes second in the file.
            let firstNegative = counts[2].intValue ?? 0, firstPositive = counts[3].intValue ?? 0
            let oddIsPositive = positive != negative ? positive < negative : firstPositive > firstNegative
            let rowid = oddIsPositive ? firstPositive : firstNegative
            let value = try database.scalar("SELECT \(c) FROM \(t) WHERE rowid = ?", [.integer(rowid)])
            var fieldNumber: Int?
            if case .field(let i) = column.source { fieldNumber = i + 1 }
            let (odd, usual) = oddIsPositive ? ("positive", "negative") : ("negative", "positive")
            throw LoadError(
                file: request.path, line: Int(rowid - base), column: fieldNumber, field: column.header ?? field,
                rawValue: Loader.written(value),
                reason: "is \(odd), but \(LoadSummary.grouped(oddIsPositive ? negative : positive)) of the column's \(LoadSummary.grouped(negative + positive)) non-zero values are \(usual): ecsh cannot tell deductions from additions",
                help: "\(field) is taken off the amount (revenue = amount − discount − points): write every \(field) with one sign (a column of negative values is read as deductions), or rename the column's header so that it loads as a plain column")
        }
        return negated
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
