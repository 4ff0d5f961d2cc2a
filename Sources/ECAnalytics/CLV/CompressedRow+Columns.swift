/// Compression of column histories by sorting integer keys instead of hashing.
///
/// `compress(_: [CustomerSummary])` hashes a (x, t_x, T) of Doubles per
/// customer; at a million customers that hashing was 14% of `predict ltv`.
/// With t_x and T in whole days the triple packs into one UInt64 whose order
/// is the (x, t_x, T) order, so sorting the packed keys and counting runs
/// gives the same rows in the same order (and so the same fit). One-time
/// buyers (x = 0, t_x = 0), most customers in a shop, differ only in T and
/// are counted in an array indexed by age instead of being sorted.
extension CompressedRow {
    /// Bits per field in a packed key: x < 2^20, t_x and T < 2^22 days (11,000 years).
    private static let xBits: UInt64 = 20, dayBits: UInt64 = 22

    /// Unique (x, t_x, T) rows with weights, ordered by x, t_x, T: the rows `compress` gives for the same customers.
    public static func compress(_ c: CustomerColumns) -> [CompressedRow] {
        let dayLimit = Int32(1 << dayBits), xLimit = Int32(1 << xBits)
        var maxOneTimeAge: Int32 = -1, others = 0
        for i in 0..<c.count {
            guard c.x[i] >= 0, c.x[i] < xLimit, c.recencyDays[i] >= 0, c.recencyDays[i] < dayLimit,
                  c.ageDays[i] >= 0, c.ageDays[i] < dayLimit else {
                // Not whole non-negative days within range (hand-built histories): hash the Doubles.
                return compress((0..<c.count).lazy.map { (Int(c.x[$0]), c.tx($0), c.T($0)) })
            }
            if c.x[i] == 0, c.recencyDays[i] == 0 { maxOneTimeAge = max(maxOneTimeAge, c.ageDays[i]) } else { others += 1 }
        }
        var oneTimeByAge = Array(repeating: 0, count: Int(maxOneTimeAge) + 1)
        var packed: [UInt64] = []
        packed.reserveCapacity(others)
        for i in 0..<c.count {
            if c.x[i] == 0, c.recencyDays[i] == 0 {
                oneTimeByAge[Int(c.ageDays[i])] += 1
            } else {
                packed.append(UInt64(c.x[i]) << (2 * dayBits) | UInt64(c.recencyDays[i]) << dayBits | UInt64(c.ageDays[i]))
            }
        }
        packed.sort()
        var rows: [CompressedRow] = []
        for (age, n) in oneTimeByAge.enumerated() where n > 0 {
            rows.append(CompressedRow(x: 0, tx: 0, T: Double(age) / c.unit.days, weight: Double(n)))
        }
        let dayMask = UInt64(1 << dayBits) - 1
        var i = 0
        while i < packed.count {
            let key = packed[i]
            var j = i + 1
            while j < packed.count, packed[j] == key { j += 1 }
            rows.append(CompressedRow(x: Int(key >> (2 * dayBits)), tx: Double(Int32((key >> dayBits) & dayMask)) / c.unit.days,
                                      T: Double(Int32(key & dayMask)) / c.unit.days, weight: Double(j - i)))
            i = j
        }
        return rows
    }
}
